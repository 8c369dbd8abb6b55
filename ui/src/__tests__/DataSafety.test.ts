import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { mount } from '@vue/test-utils'

import * as api from '../api'
import DataSafetyPanel from '../components/DataSafetyPanel.vue'
import type { BackupInfo } from '../gen/BackupInfo'
import type { HealthReport } from '../gen/HealthReport'
import type { SnapshotSummary } from '../gen/SnapshotSummary'
import OplogPage from '../views/OplogPage.vue'
import { settle } from '../test/fixtures'
import { elementPlus } from '../test/ui'

vi.mock('../api', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../api')>()
  const { BACKEND_FUNCTIONS } = await import('../test/mockApi')
  return { ...actual, ...Object.fromEntries(BACKEND_FUNCTIONS.map((f) => [f, vi.fn()])) }
})

const summary = (campaigns: string[], indicators: number): SnapshotSummary => ({
  campaigns,
  counts: [
    { table: 'campaign', label: '创建项目', count: campaigns.length },
    { table: 'indicator', label: '指标', count: indicators },
  ],
  schemaVersion: 1,
  lastChangeId: 5,
  lastChangeAt: '2026-11-20 09:00:00',
})

const backup = (id: string, createdAt: string): BackupInfo => ({
  id,
  dbFile: `${id}.db`,
  createdAt,
  reason: 'daily',
  reasonLabel: '每日自动备份',
  appVersion: '0.1.0',
  operator: '张三',
  size: 61440,
  sha256: 'x',
  summary: summary(['曾都区法治政府建设示范创建（省级）'], 132),
  evidence: [],
  path: `/data/backups/${id}.db`,
  keptBecause: '最近 10 份之一',
})

const healthy: HealthReport = {
  ok: true,
  full: false,
  checkedAt: '2026-11-23 10:00:00',
  checks: ['数据库结构完整（快速检查）', '数据之间的关联一致（外键检查）'],
  problems: [],
  summary: '数据检查通过（快速检查）',
  canRepair: false,
}

/** The native input of an el-input, wherever Element Plus put the test id. */
function inputOf(w: ReturnType<typeof mountWith>, testid: string) {
  const el = w.find(`[data-testid="${testid}"]`)
  return el.element.tagName === 'INPUT' ? el : el.find('input')
}

function mountWith(component: unknown) {
  return mount(component as never, {
    global: { plugins: [elementPlus], stubs: { 'router-link': { template: '<a><slot /></a>' } } },
    attachTo: document.body,
  })
}

beforeEach(() => {
  vi.mocked(api.getOperator).mockResolvedValue('张三')
  vi.mocked(api.listBackups).mockResolvedValue([backup('20261123-1', '2026-11-23 09:00:00')])
  vi.mocked(api.getHealth).mockResolvedValue(healthy)
})
afterEach(() => {
  vi.clearAllMocks()
  document.body.innerHTML = ''
})

describe('设置 → 数据安全', () => {
  it('lists backups with what they contain and why they are kept', async () => {
    const w = mountWith(DataSafetyPanel)
    await settle()
    const table = w.find('[data-testid="backup-list"]').text()
    expect(table).toContain('2026-11-23 09:00:00')
    expect(table).toContain('每日自动备份')
    expect(table).toContain('指标 132')
    expect(table).toContain('最近 10 份之一')
    expect((inputOf(w, 'operator-name').element as HTMLInputElement).value).toBe('张三')
    expect(w.find('[data-testid="health-report"]').text()).toContain('数据检查通过')
  })

  it('restores only after showing the preview, and says a safety backup is made first', async () => {
    vi.mocked(api.previewRestore).mockResolvedValue({
      backup: backup('20261123-1', '2026-11-23 09:00:00'),
      current: summary(['曾都区法治政府建设示范创建（省级）'], 236),
      integrity: 'ok',
      canRestore: true,
      notes: ['当前数据比该备份新；恢复后，此后的修改将被替换（恢复前会先自动做一份安全备份）。'],
    })
    vi.mocked(api.applyRestore).mockResolvedValue({
      restored: backup('20261123-1', '2026-11-23 09:00:00'),
      safetyBackup: backup('20261123-2', '2026-11-23 10:00:00'),
      message: '已恢复到 2026-11-23 09:00:00 的备份。',
    })
    const w = mountWith(DataSafetyPanel)
    await settle()
    await w.find('[data-testid="btn-restore-20261123-1"]').trigger('click')
    await settle()
    expect(api.applyRestore).not.toHaveBeenCalled()
    const dialog = document.body.querySelector('[data-testid="restore-dialog"]')?.closest('.el-overlay') ?? document.body
    expect(dialog.textContent).toContain('指标 236')
    expect(dialog.textContent).toContain('恢复前会先自动备份当前数据')
    ;(document.body.querySelector('[data-testid="btn-confirm-restore"]') as HTMLElement).click()
    await settle()
    expect(api.applyRestore).toHaveBeenCalledWith('/data/backups/20261123-1.db')
    expect(w.emitted('data-replaced')).toBeTruthy()
  })

  it('offers to undo the last import only when there is one, and undoes it after asking', async () => {
    vi.mocked(api.previewUndo).mockResolvedValue(null)
    const plain = mountWith(DataSafetyPanel)
    await settle()
    expect(plain.find('[data-testid="undo-info"]').exists()).toBe(false)
    plain.unmount()

    vi.mocked(api.previewUndo).mockResolvedValue({
      action: '导入任务分解表',
      at: '2026-11-23 10:30:00',
      operator: '张三',
      detail: '“任务分解表.xlsx”：新增 100 项',
      backupId: '20261123-1',
    })
    vi.mocked(api.applyUndo).mockResolvedValue({
      restored: backup('20261123-1', '2026-11-23 09:00:00'),
      safetyBackup: backup('20261123-3', '2026-11-23 10:31:00'),
      message: '已撤销 2026-11-23 10:30:00 的“导入任务分解表”。',
    })
    const w = mountWith(DataSafetyPanel)
    await settle()
    const info = w.find('[data-testid="undo-info"]').text()
    expect(info).toContain('导入任务分解表')
    expect(info).toContain('新增 100 项')
    await w.find('[data-testid="btn-undo"]').trigger('click')
    await settle()
    expect(api.applyUndo).not.toHaveBeenCalled()
    const confirm = document.body.querySelector('.el-message-box')
    expect(confirm?.textContent).toContain('撤销前会先自动备份当前数据')
    ;(Array.from(document.body.querySelectorAll('.el-message-box button')).find((b) => b.textContent?.trim() === '撤销') as HTMLElement).click()
    await settle(6)
    expect(api.applyUndo).toHaveBeenCalledTimes(1)
    expect(w.emitted('data-replaced')).toBeTruthy()
  })

  it('shows problems of a full check and offers 修复 when something can be repaired', async () => {
    vi.mocked(api.checkData).mockResolvedValue({
      ...healthy,
      full: true,
      ok: true,
      summary: '数据检查通过，有 1 条提示',
      problems: [{ severity: 'warning', message: '备份“x”的文件已损坏或被改动，不能用于恢复。', repair: '删除这份损坏的备份' }],
      canRepair: true,
    })
    const w = mountWith(DataSafetyPanel)
    await settle()
    await w.find('[data-testid="btn-check-full"]').trigger('click')
    await settle()
    expect(api.checkData).toHaveBeenCalledWith(true)
    expect(w.find('[data-testid="health-report"]').text()).toContain('已损坏')
    expect(w.find('[data-testid="btn-repair"]').exists()).toBe(true)
  })
})

describe('操作日志', () => {
  it('shows who changed what, filters by text and exports what is shown', async () => {
    vi.mocked(api.listOplog).mockResolvedValue({
      entries: [{ id: 3, at: '2026-11-23 10:00:00', operator: '李四', action: '设置操作人', detail: '张三 → 李四' }],
      total: 1,
      actions: ['设置操作人', '新建创建项目'],
    })
    vi.mocked(api.pickSavePath).mockResolvedValue('D:\\操作日志.xlsx')
    vi.mocked(api.exportOplog).mockResolvedValue('D:\\操作日志.xlsx')
    const w = mountWith(OplogPage)
    await settle()
    expect(w.find('[data-testid="oplog-table"]').text()).toContain('张三 → 李四')
    await inputOf(w, 'oplog-search').setValue('李四')
    await w.find('[data-testid="btn-oplog-search"]').trigger('click')
    await settle()
    expect(vi.mocked(api.listOplog).mock.calls.at(-1)?.[0]).toMatchObject({ search: '李四', offset: 0 })
    await w.find('[data-testid="btn-oplog-export"]').trigger('click')
    await settle()
    expect(vi.mocked(api.exportOplog).mock.calls[0]?.[0]).toMatchObject({ search: '李四' })
  })
})
