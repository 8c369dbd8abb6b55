import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { mount } from '@vue/test-utils'
import { createMemoryHistory, createRouter } from 'vue-router'

import * as api from '../api'
import App from '../App.vue'
import { routes } from '../router'
import { state } from '../store'
import { campaign, demoSystem, importedSystem, settle, status, treeOf } from '../test/fixtures'
import { elementPlus } from '../test/ui'

vi.mock('../api', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../api')>()
  const { BACKEND_FUNCTIONS } = await import('../test/mockApi')
  return { ...actual, ...Object.fromEntries(BACKEND_FUNCTIONS.map((f) => [f, vi.fn()])) }
})

async function mountApp(path = '/overview') {
  const router = createRouter({ history: createMemoryHistory(), routes })
  await router.push(path)
  const w = mount(App, {
    global: { plugins: [elementPlus, router] },
    attachTo: document.body,
  })
  await settle()
  return { w, router }
}

const second = campaign({ id: 2, name: '曾都区法治政府建设示范创建（全国）', level: '全国', active: false })

beforeEach(() => {
  state.status = null
  state.systems = []
  state.loadError = null
  vi.mocked(api.listSystems).mockResolvedValue([demoSystem(), importedSystem()])
  vi.mocked(api.indicatorTree).mockResolvedValue(treeOf(demoSystem()))
})
afterEach(() => {
  vi.clearAllMocks()
  document.body.innerHTML = ''
})

describe('app frame', () => {
  it('starts with the full-page wizard and no navigation when there is no campaign', async () => {
    vi.mocked(api.appStatus).mockResolvedValue(status(null))
    const { w } = await mountApp()
    expect(w.find('[data-testid="campaign-wizard"]').exists()).toBe(true)
    expect(w.find('[data-testid="nav-indicators"]').exists()).toBe(false)
  })

  it('enters 指标体系 after the first campaign is created', async () => {
    vi.mocked(api.appStatus).mockResolvedValueOnce(status(null)).mockResolvedValue(status(campaign()))
    vi.mocked(api.createCampaign).mockResolvedValue(campaign())
    const { w, router } = await mountApp()
    await w.get('[data-testid="wizard-district"]').setValue('曾都区')
    await w.get('[data-testid="wizard-demo"]').trigger('click')
    await w.get('[data-testid="wizard-create"]').trigger('click')
    await settle(6)
    expect(router.currentRoute.value.path).toBe('/indicators')
    expect(w.find('[data-testid="indicator-tree"]').exists()).toBe(true)
  })

  it('has the navigation entries, in order, in order', async () => {
    vi.mocked(api.appStatus).mockResolvedValue(status(campaign()))
    const { w } = await mountApp()
    const items = w.findAll('.app-menu .el-menu-item').map((i) => i.text())
    expect(items).toEqual(['工作台总览', '指标体系', '任务分解', '单位与明白人', '佐证材料', '自查自纠', '问题整改', '模拟评估', '设置'])
    expect(w.find('[data-testid="nav-indicators"]').exists()).toBe(true)
    expect(w.find('[data-testid="nav-overview"]').exists()).toBe(true)
    expect(w.find('[data-testid="nav-units"]').exists()).toBe(true)
    expect(w.find('[data-testid="nav-settings"]').exists()).toBe(true)
  })

  it('opens the 佐证材料 page from the navigation', async () => {
    vi.mocked(api.appStatus).mockResolvedValue(status(campaign()))
    vi.mocked(api.listUnits).mockResolvedValue([])
    vi.mocked(api.listEvidence).mockResolvedValue([])
    vi.mocked(api.evidenceCompleteness).mockResolvedValue({
      indicators: [], units: [], aspects: [], complete: 0, partial: 0, none: 0,
      items: 0, approved: 0, pending: 0, returned: 0, queue: 0, summary: '还没有佐证材料。',
    })
    const { w } = await mountApp('/evidence')
    expect(w.find('[data-testid="page-under-construction"]').exists()).toBe(false)
    expect(w.get('[data-testid="evidence-empty"]').text()).toContain('添加材料')
  })

  it('shows the campaign on the overview with its real data', async () => {
    vi.mocked(api.appStatus).mockResolvedValue(status(campaign()))
    const { w } = await mountApp('/overview')
    const text = w.get('[data-testid="overview"]').text()
    expect(w.get('[data-testid="overview-campaign-name"]').text()).toBe(campaign().name)
    expect(text).toContain('曾都区')
    expect(text).toContain(demoSystem().name)
    expect(w.find('[data-testid="overview-demo-tag"]').exists()).toBe(true)
    expect(w.get('[data-testid="overview-leaf-count"]').text()).toBe(`${demoSystem().leafCount} 项`)
    expect(text).toContain('2025-11-23')
  })

  it('switches campaigns from the header', async () => {
    vi.mocked(api.appStatus).mockResolvedValue({ ...status(campaign()), campaigns: [campaign(), second] })
    vi.mocked(api.switchCampaign).mockResolvedValue({ ...second, active: true })
    const { w } = await mountApp()
    await w.get('[data-testid="campaign-switcher"] .el-select__wrapper').trigger('click')
    await settle()
    ;(document.querySelector('[data-testid="campaign-option-2"]') as HTMLElement).click()
    await settle()
    expect(api.switchCampaign).toHaveBeenCalledWith(2)
  })

  it('shows the data folder and the library on 设置', async () => {
    vi.mocked(api.appStatus).mockResolvedValue(status(campaign()))
    const { w } = await mountApp('/settings')
    expect(w.get('[data-testid="settings-data-dir"]').text()).toBe(status(null).dataDir)
    const table = w.get('[data-testid="settings-systems"]').text()
    expect(table).toContain(demoSystem().name)
    expect(table).toContain('演示用')
    expect(table).toContain('导入')
    expect(table).toContain('指标体系.xlsx')
  })

  it('shows the message when the app cannot start', async () => {
    vi.mocked(api.appStatus).mockRejectedValue(new api.ApiError('db', '无法打开数据库：\nC:\\数据\\shifan.db'))
    const { w } = await mountApp()
    expect(w.get('[data-testid="app-load-error"]').text()).toContain('无法打开数据库：')
  })
})
