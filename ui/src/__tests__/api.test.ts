import { afterEach, describe, expect, it, vi } from 'vitest'
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks'

import * as api from '../api'

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
      ['preview_indicator_import', { path: 'D:\\a.xlsx' }],
      ['apply_indicator_import', { path: 'D:\\a.xlsx', bind: true }],
      ['export_indicators', { path: 'D:\\out.xlsx', systemId: 2 }],
    ])
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
