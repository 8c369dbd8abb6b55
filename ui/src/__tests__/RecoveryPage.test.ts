import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { mount } from '@vue/test-utils'
import { createMemoryHistory, createRouter } from 'vue-router'

import * as api from '../api'
import App from '../App.vue'
import type { BackupInfo } from '../gen/BackupInfo'
import type { RecoveryStatus } from '../gen/RecoveryStatus'
import { routes } from '../router'
import { state } from '../store'
import { campaign, demoSystem, settle, status, treeOf } from '../test/fixtures'
import { elementPlus } from '../test/ui'

vi.mock('../api', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../api')>()
  const { BACKEND_FUNCTIONS } = await import('../test/mockApi')
  return { ...actual, ...Object.fromEntries(BACKEND_FUNCTIONS.map((f) => [f, vi.fn()])) }
})

const backup = (id: string, createdAt: string): BackupInfo => ({
  id,
  dbFile: `${id}.db`,
  createdAt,
  reason: 'daily',
  reasonLabel: '每日自动备份',
  appVersion: '0.1.0',
  operator: '张三',
  size: 143360,
  sha256: 'x',
  summary: {
    campaigns: ['曾都区法治政府建设示范创建（省级）'],
    counts: [{ table: 'unit', label: '责任单位', count: 20 }],
    schemaVersion: 4,
    lastChangeId: 9,
    lastChangeAt: '2026-11-23 09:00:00',
  },
  evidence: [],
  path: `/data/backups/${id}.db`,
  keptBecause: '最近 10 份之一',
})

const MESSAGE =
  '数据文件 shifan.db 已损坏（“/data/shifan.db”，结构检查未通过）。备份文件夹中有 2 份备份，最新的完好备份是 2026-11-23 09:30:00 的“每日自动备份”（编号 20261123-093000-1-daily）。'

const damaged = (over: Partial<RecoveryStatus> = {}): RecoveryStatus => ({
  dataDir: '/data',
  dbPath: '/data/shifan.db',
  state: 'damaged',
  message: MESSAGE,
  backups: [backup('20261124-093000-2-daily', '2026-11-24 09:30:00'), backup('20261123-093000-1-daily', '2026-11-23 09:30:00')],
  damagedBackups: ['20261124-093000-2-daily'],
  newestGood: '20261123-093000-1-daily',
  keptFiles: [],
  ...over,
})

async function mountApp() {
  const router = createRouter({ history: createMemoryHistory(), routes })
  await router.push('/overview')
  const w = mount(App, {
    global: { plugins: [elementPlus, router] },
    attachTo: document.body,
  })
  await settle()
  return w
}

function confirmButton(): HTMLElement {
  const b = document.querySelector('[data-testid="btn-confirm-recovery"]') as HTMLElement | null
  if (!b) throw new Error('no confirm button')
  return b
}

beforeEach(() => {
  state.status = null
  state.systems = []
  state.loadError = null
  state.recovery = null
  vi.mocked(api.listSystems).mockResolvedValue([demoSystem()])
  vi.mocked(api.indicatorTree).mockResolvedValue(treeOf(demoSystem()))
})
afterEach(() => {
  vi.clearAllMocks()
  document.body.innerHTML = ''
})

describe('recovery start screen', () => {
  it('shows the damage and the backups instead of the app, never the first-run wizard', async () => {
    vi.mocked(api.appStatus).mockRejectedValue(new api.ApiError('damaged', MESSAGE))
    vi.mocked(api.recoveryStatus).mockResolvedValue(damaged())
    const w = await mountApp()
    expect(w.find('[data-testid="recovery-page"]').exists()).toBe(true)
    expect(w.find('[data-testid="campaign-wizard"]').exists()).toBe(false)
    expect(w.find('[data-testid="nav-indicators"]').exists()).toBe(false)
    expect(w.get('[data-testid="recovery-message"]').text()).toContain('shifan.db 已损坏')
    const table = w.get('[data-testid="recovery-backups"]').text()
    expect(table).toContain('2026-11-23 09:30:00')
    expect(table).toContain('曾都区法治政府建设示范创建（省级）')
    expect(table).toContain('已损坏')
    expect(w.find('[data-testid="recovery-newest-20261123-093000-1-daily"]').exists()).toBe(true)
    // A damaged backup cannot be chosen.
    expect(w.get('[data-testid="btn-recover-20261124-093000-2-daily"]').attributes('disabled')).toBeDefined()
  })

  it('restores the chosen backup after confirmation, then opens the app on the restored data', async () => {
    vi.mocked(api.appStatus)
      .mockRejectedValueOnce(new api.ApiError('damaged', MESSAGE))
      .mockResolvedValue(status(campaign()))
    vi.mocked(api.recoveryStatus).mockResolvedValue(damaged())
    vi.mocked(api.applyRecovery).mockResolvedValue({
      restored: backup('20261123-093000-1-daily', '2026-11-23 09:30:00'),
      kept: ['/data/shifan.db.damaged-20261125-101010'],
      message: '数据文件 shifan.db 已损坏，已从备份恢复数据。损坏的文件已改名保存为“shifan.db.damaged-20261125-101010”。',
    })
    const w = await mountApp()
    await w.get('[data-testid="btn-recover-20261123-093000-1-daily"]').trigger('click')
    await settle()
    expect(document.body.textContent).toContain('shifan.db.damaged-时间')
    expect(api.applyRecovery).not.toHaveBeenCalled()
    confirmButton().click()
    await settle(6)
    expect(api.applyRecovery).toHaveBeenCalledWith('20261123-093000-1-daily')
    expect(w.find('[data-testid="recovery-page"]').exists()).toBe(false)
    expect(w.find('[data-testid="nav-indicators"]').exists()).toBe(true)
    expect(document.body.textContent).toContain('已恢复')
  })

  it('keeps the start screen and says why when a restore fails', async () => {
    vi.mocked(api.appStatus).mockRejectedValue(new api.ApiError('damaged', MESSAGE))
    vi.mocked(api.recoveryStatus).mockResolvedValue(damaged())
    vi.mocked(api.applyRecovery).mockRejectedValue(
      new api.ApiError('badFile', '不能用备份“x”恢复：备份文件的校验值与说明文件不一致。未做任何修改，请选择另一份备份。'),
    )
    const w = await mountApp()
    await w.get('[data-testid="btn-recover-20261123-093000-1-daily"]').trigger('click')
    await settle()
    confirmButton().click()
    await settle(6)
    expect(w.find('[data-testid="recovery-page"]').exists()).toBe(true)
    expect(w.get('[data-testid="recovery-failure"]').text()).toContain('校验值')
  })

  it('restores from a backup file picked on a USB disk', async () => {
    vi.mocked(api.appStatus).mockRejectedValue(new api.ApiError('damaged', MESSAGE))
    vi.mocked(api.recoveryStatus).mockResolvedValue(damaged({ backups: [], damagedBackups: [], newestGood: null }))
    vi.mocked(api.pickOpenFile).mockResolvedValue('E:\\备份\\示范创建工作台备份-20261120.db')
    vi.mocked(api.applyRecovery).mockResolvedValue({ restored: null, kept: [], message: '已恢复。' })
    const w = await mountApp()
    expect(w.get('[data-testid="recovery-backups"]').text()).toContain('没有备份')
    await w.get('[data-testid="btn-recover-file"]').trigger('click')
    await settle()
    confirmButton().click()
    await settle(6)
    expect(api.applyRecovery).toHaveBeenCalledWith('E:\\备份\\示范创建工作台备份-20261120.db')
  })

  it('starts empty only when asked and confirmed', async () => {
    vi.mocked(api.appStatus)
      .mockRejectedValueOnce(new api.ApiError('damaged', MESSAGE))
      .mockResolvedValue(status(null))
    vi.mocked(api.recoveryStatus).mockResolvedValue(damaged())
    vi.mocked(api.applyFreshStart).mockResolvedValue({ restored: null, kept: ['/data/shifan.db.damaged-1'], message: '已以空白数据重新开始。' })
    const w = await mountApp()
    await w.get('[data-testid="btn-fresh-start"]').trigger('click')
    await settle()
    expect(document.body.textContent).toContain('备份也都还在')
    confirmButton().click()
    await settle(6)
    expect(api.applyFreshStart).toHaveBeenCalled()
    expect(api.applyRecovery).not.toHaveBeenCalled()
    expect(w.find('[data-testid="campaign-wizard"]').exists()).toBe(true)
  })

  it('shows other start-up failures as before', async () => {
    vi.mocked(api.appStatus).mockRejectedValue(new api.ApiError('io', '无法读取数据文件夹。'))
    const w = await mountApp()
    expect(api.recoveryStatus).not.toHaveBeenCalled()
    expect(w.get('[data-testid="app-load-error"]').text()).toContain('无法读取数据文件夹')
  })
})
