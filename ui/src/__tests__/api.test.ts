import { afterEach, describe, expect, it, vi } from 'vitest'
import { Channel } from '@tauri-apps/api/core'
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks'

import * as api from '../api'
import { jobPercent, jobState } from '../jobs'

const jobArgs = {
  job: expect.stringMatching(/^job-/),
  progress: expect.any(Channel),
}

vi.mock('@tauri-apps/plugin-dialog', () => ({ open: vi.fn(), save: vi.fn() }))
import { open, save } from '@tauri-apps/plugin-dialog'

afterEach(() => {
  clearMocks()
  delete window.__SHIFAN_TEST_PICK__
  vi.clearAllMocks()
})

describe('api.ts, the backend seam', () => {
  it('sends the command names and camelCase arguments the Rust side expects', async () => {
    const calls: Array<[string, unknown]> = []
    mockIPC((cmd, args) => {
      calls.push([cmd, args])
      return cmd === 'export_indicators' ? 'D:\\out.xlsx' : {}
    })
    await api.appStatus()
    await api.listSystems()
    await api.createCampaign({ district: '曾都区', systemKey: 'demo' })
    await api.switchCampaign(3)
    await api.setCampaignSystem(2)
    await api.indicatorTree(null)
    await api.previewIndicatorImport('D:\\a.xlsx')
    await api.applyIndicatorImport('D:\\a.xlsx', true)
    expect(await api.exportIndicators('D:\\out.xlsx', 2)).toBe('D:\\out.xlsx')
    expect(calls).toEqual([
      ['app_status', {}],
      ['list_systems', {}],
      ['create_campaign', { input: { district: '曾都区', systemKey: 'demo' } }],
      ['switch_campaign', { id: 3 }],
      ['set_campaign_system', { systemId: 2 }],
      ['indicator_tree', { systemId: null }],
      ['preview_indicator_import', { path: 'D:\\a.xlsx', ...jobArgs }],
      ['apply_indicator_import', { path: 'D:\\a.xlsx', bind: true, ...jobArgs }],
      ['export_indicators', { path: 'D:\\out.xlsx', systemId: 2 }],
    ])
  })

  it('sends the unit, roster and 任务分解 commands with camelCase arguments', async () => {
    const calls: Array<[string, unknown]> = []
    mockIPC((cmd, args) => {
      calls.push([cmd, args])
      return cmd.startsWith('export_') && cmd !== 'export_unit_sheets' ? 'D:\\out.xlsx' : {}
    })
    const unit = { id: null, name: '区司法局', shortName: '司法局', aliases: [], kind: '行政执法单位', contact: '', phone: '', leader: '', note: '' }
    const member = { name: '张三', title: '科长', officePhone: '', mobile: '13800000000', role: '明白人' }
    const filter = { aspect: null, unitId: 4, unassignedOnly: false }
    const options = { strict: true, createUnits: false, nameChoices: [] }
    const collectOptions = { choices: [{ file: '收回/区财政局.xlsx', unitId: null, skip: false }] }
    const choices = [{ written: '区法院', action: 'map' as const, unit: '区人民法院' }]
    const rule = { enforcement: 3, otherDept: 2, town: 3, other: 0 }
    await api.listUnits()
    await api.saveUnit(unit)
    await api.deleteUnit(4)
    await api.roster(null)
    await api.setRoster(4, [member])
    await api.rosterCheck()
    await api.rosterRule()
    await api.setRosterRule(rule)
    await api.previewUnitsImport('D:\\u.xlsx', choices)
    await api.applyUnitsImport('D:\\u.xlsx', [])
    expect(await api.exportUnits('D:\\out.xlsx')).toBe('D:\\out.xlsx')
    await api.listAssignments(filter)
    await api.unitTaskSummary()
    await api.previewTasksImport('D:\\t.xlsx', options)
    await api.applyTasksImport('D:\\t.xlsx', options)
    await api.exportTasks('D:\\out.xlsx')
    await api.exportUnitSheets('D:\\sheets.zip')
    await api.previewCollect('D:\\back', collectOptions)
    await api.applyCollect('D:\\back', collectOptions)
    expect(calls).toEqual([
      ['list_units', {}],
      ['save_unit', { input: unit }],
      ['delete_unit', { id: 4 }],
      ['roster', { unitId: null }],
      ['set_roster', { unitId: 4, members: [member] }],
      ['roster_check', {}],
      ['roster_rule', {}],
      ['set_roster_rule', { rule }],
      ['preview_units_import', { path: 'D:\\u.xlsx', choices, ...jobArgs }],
      ['apply_units_import', { path: 'D:\\u.xlsx', choices: [], ...jobArgs }],
      ['export_units', { path: 'D:\\out.xlsx' }],
      ['list_assignments', { filter }],
      ['unit_task_summary', {}],
      ['preview_tasks_import', { path: 'D:\\t.xlsx', options, ...jobArgs }],
      ['apply_tasks_import', { path: 'D:\\t.xlsx', options, ...jobArgs }],
      ['export_tasks', { path: 'D:\\out.xlsx' }],
      ['export_unit_sheets', { target: 'D:\\sheets.zip', ...jobArgs }],
      ['preview_collect', { path: 'D:\\back', options: collectOptions, ...jobArgs }],
      ['apply_collect', { path: 'D:\\back', options: collectOptions, ...jobArgs }],
    ])
  })

  it('runs long commands as jobs: progress reaches the overlay state, 取消 names the same job', async () => {
    let release: (v: unknown) => void = () => {}
    const calls: Array<[string, Record<string, unknown>]> = []
    mockIPC((cmd, args) => {
      const a = (args ?? {}) as Record<string, unknown>
      calls.push([cmd, a])
      if (cmd === 'cancel_job') return true
      return new Promise((r) => {
        release = r
      })
    })
    const running = api.exportUnitSheets('D:\\各单位')
    await new Promise((r) => setTimeout(r, 0))
    expect(jobState.current?.title).toBe('导出各单位工作表')
    const [, args] = calls[0]
    const channelId = (args.progress as Channel<unknown>).id
    // What tauri does when the Rust side sends on the channel.
    const internals = (window as unknown as { __TAURI_INTERNALS__: { runCallback: (id: number, data: unknown) => void } }).__TAURI_INTERNALS__
    internals.runCallback(channelId, {
      index: 0,
      message: { done: 3, total: 86, what: '正在生成“区司法局”的工作表' },
    })
    expect(jobState.current).toMatchObject({ done: 3, total: 86, what: '正在生成“区司法局”的工作表' })
    expect(jobPercent(jobState.current!)).toBe(3)
    expect(await api.cancelJob(jobState.current!.id)).toBe(true)
    expect(calls[1]).toEqual(['cancel_job', { job: args.job }])
    release({ path: 'D:\\各单位', unitCount: 86, files: [] })
    await running
    expect(jobState.current).toBeNull()
  })

  it('recognises a cancelled job and clears the overlay even when the command fails', async () => {
    mockIPC(() => {
      throw { kind: 'cancelled', message: '操作已取消，未做任何修改。' }
    })
    const err = await api.applyCollect('D:\\back', { choices: [] }).catch((e) => e)
    expect(api.isCancelled(err)).toBe(true)
    expect(err.message).toBe('操作已取消，未做任何修改。')
    expect(jobState.current).toBeNull()
  })

  it('picks a folder through the test seam or a directory dialog', async () => {
    window.__SHIFAN_TEST_PICK__ = ['C:\\回收', null]
    expect(await api.pickFolder()).toBe('C:\\回收')
    expect(await api.pickFolder()).toBeNull()
    expect(open).not.toHaveBeenCalled()
    vi.mocked(open).mockResolvedValue('C:\\picked')
    expect(await api.pickFolder()).toBe('C:\\picked')
    expect(open).toHaveBeenCalledWith({ multiple: false, directory: true })
  })

  it('picks several evidence files through the test seam or a multiple-file dialog', async () => {
    window.__SHIFAN_TEST_PICK__ = ['C:\\收件\\区司法局.zip', null]
    expect(await api.pickOpenFiles(api.EVIDENCE_FILTERS)).toEqual(['C:\\收件\\区司法局.zip'])
    expect(await api.pickOpenFiles(api.EVIDENCE_FILTERS)).toEqual([]) // a cancelled pick
    expect(open).not.toHaveBeenCalled()
    vi.mocked(open).mockResolvedValue(['C:\\a.pdf', 'C:\\b.jpg'])
    expect(await api.pickOpenFiles(api.EVIDENCE_FILTERS)).toEqual(['C:\\a.pdf', 'C:\\b.jpg'])
    expect(open).toHaveBeenCalledWith({ multiple: true, directory: false, filters: api.EVIDENCE_FILTERS })
    vi.mocked(open).mockResolvedValue(null)
    expect(await api.pickOpenFiles(api.EVIDENCE_FILTERS)).toEqual([])
  })

  it('passes the backend error {kind, message} through unchanged', async () => {
    const message = '文件“a.xlsx”，工作表“指标体系”：\n第 3 行 C 列：指标内容为空。'
    mockIPC(() => {
      throw { kind: 'import', message }
    })
    const err = await api.previewIndicatorImport('a.xlsx').catch((e) => e)
    expect(err).toBeInstanceOf(api.ApiError)
    expect(err.kind).toBe('import')
    expect(err.message).toBe(message)
  })

  it('normalises other thrown values into {kind, message}', () => {
    expect(api.toApiError('command not found')).toMatchObject({ kind: 'unknown', message: 'command not found' })
    expect(api.toApiError(new TypeError('x is undefined')).message).toContain('x is undefined')
    expect(api.toApiError(42)).toMatchObject({ kind: 'unknown' })
    expect(api.toApiError({ message: '出错了' })).toMatchObject({ kind: 'unknown', message: '出错了' })
  })

  it('takes file picks from window.__SHIFAN_TEST_PICK__ before opening a dialog', async () => {
    window.__SHIFAN_TEST_PICK__ = ['C:\\t\\指标.xlsx', 'C:\\t\\导出.xlsx', null]
    expect(await api.pickOpenFile(api.INDICATOR_IMPORT_FILTERS)).toBe('C:\\t\\指标.xlsx')
    expect(await api.pickSavePath('指标体系表.xlsx', api.INDICATOR_EXPORT_FILTERS)).toBe('C:\\t\\导出.xlsx')
    expect(await api.pickOpenFile(api.INDICATOR_IMPORT_FILTERS)).toBeNull() // a cancelled pick
    expect(open).not.toHaveBeenCalled()
    expect(save).not.toHaveBeenCalled()

    // Queue empty: the native dialogs are used.
    vi.mocked(open).mockResolvedValue('C:\\picked.docx')
    vi.mocked(save).mockResolvedValue(null)
    expect(await api.pickOpenFile(api.INDICATOR_IMPORT_FILTERS)).toBe('C:\\picked.docx')
    expect(await api.pickSavePath('指标体系表.xlsx', api.INDICATOR_EXPORT_FILTERS)).toBeNull()
    expect(open).toHaveBeenCalledWith({ multiple: false, directory: false, filters: api.INDICATOR_IMPORT_FILTERS })
    expect(save).toHaveBeenCalledWith({ defaultPath: '指标体系表.xlsx', filters: api.INDICATOR_EXPORT_FILTERS })
  })

  it('filters imports to the formats the office uses', () => {
    expect(api.INDICATOR_IMPORT_FILTERS).toEqual([
      { name: '指标体系文件', extensions: ['xlsx', 'xls', 'xlsm', 'ods', 'docx'] },
    ])
  })
})
