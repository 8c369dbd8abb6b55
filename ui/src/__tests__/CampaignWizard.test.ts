import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { mount } from '@vue/test-utils'

import * as api from '../api'
import CampaignWizard from '../components/CampaignWizard.vue'
import { campaign, issue, preview, settle } from '../test/fixtures'
import { withUi } from '../test/ui'

vi.mock('../api', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../api')>()
  const { BACKEND_FUNCTIONS } = await import('../test/mockApi')
  return { ...actual, ...Object.fromEntries(BACKEND_FUNCTIONS.map((f) => [f, vi.fn()])) }
})

function mountWizard() {
  return mount(CampaignWizard, {
    props: { mode: 'page' },
    ...withUi,
  })
}

beforeEach(() => {
  vi.mocked(api.createCampaign).mockResolvedValue(campaign())
})
afterEach(() => {
  vi.clearAllMocks()
  document.body.innerHTML = ''
})

describe('新建创建项目向导', () => {
  it('offers the official import first and the demo system second, marked 演示用', () => {
    const w = mountWizard()
    const importCard = w.get('[data-testid="wizard-import"]')
    const demoCard = w.get('[data-testid="wizard-demo"]')
    expect(importCard.text()).toContain('导入官方指标体系')
    expect(demoCard.text()).toContain('使用演示指标体系')
    expect(demoCard.text()).toContain('演示用')
    expect(importCard.element.compareDocumentPosition(demoCard.element) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy()
  })

  it('refuses to create without a district name', async () => {
    const w = mountWizard()
    await w.get('[data-testid="wizard-demo"]').trigger('click')
    await w.get('[data-testid="wizard-create"]').trigger('click')
    await settle()
    // Element Plus shows the field message after a short debounce.
    await vi.waitFor(() => expect(w.text()).toContain('请填写区（县）名称'))
    expect(api.createCampaign).not.toHaveBeenCalled()
  })

  it('treats a district of only spaces as empty', async () => {
    const w = mountWizard()
    await w.get('[data-testid="wizard-district"]').setValue('   ')
    await w.get('[data-testid="wizard-demo"]').trigger('click')
    await w.get('[data-testid="wizard-create"]').trigger('click')
    await settle()
    expect(api.createCampaign).not.toHaveBeenCalled()
  })

  it('creates with the demo system when 使用演示指标体系 is chosen', async () => {
    const w = mountWizard()
    await w.get('[data-testid="wizard-district"]').setValue('曾都区')
    await w.get('[data-testid="wizard-demo"]').trigger('click')
    await w.get('[data-testid="wizard-create"]').trigger('click')
    await settle()
    expect(api.createCampaign).toHaveBeenCalledTimes(1)
    expect(api.createCampaign).toHaveBeenCalledWith({ district: '曾都区', level: '省级', systemKey: 'demo' })
    expect(api.pickOpenFile).not.toHaveBeenCalled()
    expect(w.emitted('created')?.[0]).toEqual([campaign()])
  })

  it('passes level 全国 and a project name when given', async () => {
    const w = mountWizard()
    await w.get('[data-testid="wizard-district"]').setValue('曾都区')
    await w.get('[data-testid="wizard-name"]').setValue('曾都区全国示范创建')
    const national = w.findAll('[data-testid="wizard-level"] label').find((l) => l.text() === '全国')
    await national!.trigger('click')
    await w.get('[data-testid="wizard-demo"]').trigger('click')
    await w.get('[data-testid="wizard-create"]').trigger('click')
    await settle()
    expect(api.createCampaign).toHaveBeenCalledWith({
      district: '曾都区',
      level: '全国',
      name: '曾都区全国示范创建',
      systemKey: 'demo',
    })
  })

  it('imports the official file: pick, preview, then create with systemFile', async () => {
    vi.mocked(api.pickOpenFile).mockResolvedValue('D:\\创建\\指标体系.xlsx')
    vi.mocked(api.previewIndicatorImport).mockResolvedValue(preview())
    const w = mountWizard()
    await w.get('[data-testid="wizard-district"]').setValue('曾都区')
    await w.get('[data-testid="wizard-import"]').trigger('click')
    await settle()
    expect(api.previewIndicatorImport).toHaveBeenCalledWith('D:\\创建\\指标体系.xlsx')
    expect(w.find('[data-testid="import-preview"]').exists()).toBe(true)
    await w.get('[data-testid="wizard-create"]').trigger('click')
    await settle()
    expect(api.createCampaign).toHaveBeenCalledWith({
      district: '曾都区',
      level: '省级',
      systemFile: 'D:\\创建\\指标体系.xlsx',
    })
  })

  it('does not create from a file whose preview has errors', async () => {
    vi.mocked(api.pickOpenFile).mockResolvedValue('D:\\坏文件.xlsx')
    vi.mocked(api.previewIndicatorImport).mockResolvedValue(preview({ canApply: false, issues: [issue()] }))
    const w = mountWizard()
    await w.get('[data-testid="wizard-district"]').setValue('曾都区')
    await w.get('[data-testid="wizard-import"]').trigger('click')
    await settle()
    await w.get('[data-testid="wizard-create"]').trigger('click')
    await settle()
    expect(api.createCampaign).not.toHaveBeenCalled()
  })

  it('shows the Chinese message when the chosen file cannot be read', async () => {
    vi.mocked(api.pickOpenFile).mockResolvedValue('D:\\x.xlsx')
    vi.mocked(api.previewIndicatorImport).mockRejectedValue(
      new api.ApiError('badFile', '无法读取“x.xlsx”：\n找不到“指标内容”列。'),
    )
    const w = mountWizard()
    await w.get('[data-testid="wizard-import"]').trigger('click')
    await settle()
    const alert = w.get('[data-testid="wizard-preview-error"]')
    expect(alert.text()).toContain('无法读取“x.xlsx”：')
    expect(alert.text()).toContain('找不到“指标内容”列。')
  })
})
