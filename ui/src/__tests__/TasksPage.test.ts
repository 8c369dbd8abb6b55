import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { mount } from '@vue/test-utils'

import * as api from '../api'
import type { AssignmentFilter } from '../gen/AssignmentFilter'
import { state } from '../store'
import { campaign, chooseOption, issue, settle, status } from '../test/fixtures'
import { ASSIGNMENTS, SUMMARY, UNITS, collectPreview, tasksPreview } from '../test/unitFixtures'
import { withUi } from '../test/ui'
import TasksPage from '../views/TasksPage.vue'

vi.mock('../api', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../api')>()
  const { BACKEND_FUNCTIONS } = await import('../test/mockApi')
  return { ...actual, ...Object.fromEntries(BACKEND_FUNCTIONS.map((f) => [f, vi.fn()])) }
})

/** What list_assignments would return for a filter. */
function filterAssignments(f: AssignmentFilter) {
  return ASSIGNMENTS.filter(
    (a) =>
      (f.aspect == null || a.path[0] === f.aspect) &&
      (f.unitId == null || [...a.leads, ...a.supports].some((u) => u.id === f.unitId)) &&
      (!f.unassignedOnly || !a.assigned),
  )
}

async function mountPage() {
  const w = mount(TasksPage, {
    ...withUi,
  })
  await settle()
  return w
}

function tableText(): string {
  return document.querySelector('[data-testid="tasks-table"]')?.textContent ?? ''
}

beforeEach(() => {
  state.status = status(campaign())
  vi.mocked(api.listAssignments).mockImplementation(async (f) => filterAssignments(f))
  vi.mocked(api.listUnits).mockResolvedValue(UNITS)
  vi.mocked(api.unitTaskSummary).mockResolvedValue(SUMMARY)
})
afterEach(() => {
  vi.clearAllMocks()
  document.body.innerHTML = ''
})

describe('任务分解 page', () => {
  it('lists indicators with their lead and responsible units, collapsing beyond three', async () => {
    const w = await mountPage()
    const text = tableText()
    expect(text).toContain('建立健全行政执法公示制度')
    expect(text).toContain('区司法局')
    expect(text).toContain('区公安分局')
    expect(text).toContain('区市场监管局')
    expect(text).toContain('区教育局')
    // The fourth responsible unit is behind "+1".
    expect(text).not.toContain('区财政局')
    expect(text).toContain('+1')
    expect(text).toContain('2 项') // evidence count
    // Full-width digits as WPS users type them, shown narrow so the column fits.
    expect(text).toContain('2025年10月底前')
    expect(text).toContain('未分解')
    expect(w.get('[data-testid="tasks-count"]').text()).toContain('共 3 项')
  })

  it('shows what each unit reported back, and 未收回 where nothing came back', async () => {
    await mountPage()
    const text = tableText()
    expect(text).toContain('区司法局：已完成')
    expect(text).toContain('未收回')
  })

  it('filters by unit and by 只看未分解', async () => {
    const w = await mountPage()
    await chooseOption('filter-unit', '区教育局')
    expect(api.listAssignments).toHaveBeenLastCalledWith({ aspect: null, unitId: 4, unassignedOnly: false })
    expect(tableText()).toContain('建立健全行政执法公示制度')
    expect(tableText()).not.toContain('行政复议案件按期办结')

    await chooseOption('filter-unit', '区公安分局')
    expect(tableText()).toContain('行政复议案件按期办结')

    // Clear the unit, then only unassigned.
    await w.get('[data-testid="filter-unit"] .el-select__wrapper').trigger('mouseenter')
    ;(document.querySelector('[data-testid="filter-unit"] .el-select__clear') as HTMLElement | null)?.click()
    await settle()
    await w.get('[data-testid="filter-unassigned"]').trigger('click')
    await settle()
    expect(api.listAssignments).toHaveBeenLastCalledWith({ aspect: null, unitId: null, unassignedOnly: true })
    expect(tableText()).toContain('政务公开目录动态更新')
    expect(tableText()).not.toContain('建立健全行政执法公示制度')
  })

  it('filters by 方面, offering the aspects found in the assignments', async () => {
    await mountPage()
    await chooseOption('filter-aspect', '二、行政决策科学民主合法')
    expect(api.listAssignments).toHaveBeenLastCalledWith({
      aspect: '二、行政决策科学民主合法',
      unitId: null,
      unassignedOnly: false,
    })
    expect(tableText()).toContain('政务公开目录动态更新')
    expect(tableText()).not.toContain('建立健全行政执法公示制度')
  })

  it('shows how many indicators each unit leads and supports', async () => {
    await mountPage()
    const text = document.querySelector('[data-testid="unit-summary"]')?.textContent ?? ''
    expect(text).toContain('区司法局 牵头 2 项、参与 0 项')
    expect(text).toContain('区公安分局 牵头 0 项、参与 2 项')
  })

  it('says so in plain words when the campaign has nothing to assign, and when there is no campaign', async () => {
    vi.mocked(api.listAssignments).mockResolvedValue([])
    const w = await mountPage()
    expect(w.get('[data-testid="tasks-empty"]').text()).toContain('还没有指标可以分解')
    expect(w.find('[data-testid="tasks-table"]').exists()).toBe(false)
    w.unmount()

    state.status = status(null)
    const w2 = await mountPage()
    expect(w2.get('[data-testid="tasks-no-campaign"]').text()).toContain('尚未创建示范创建项目')
    expect(api.listAssignments).toHaveBeenCalledTimes(1)
  })

  it('previews an import: lists guesses, unknown units and catch-alls; options preview again', async () => {
    vi.mocked(api.pickOpenFile).mockResolvedValue('D:\\任务分解表.xlsx')
    vi.mocked(api.previewTasksImport).mockResolvedValue(tasksPreview())
    vi.mocked(api.applyTasksImport).mockResolvedValue(tasksPreview())
    const w = await mountPage()
    await w.get('[data-testid="btn-import-tasks"]').trigger('click')
    await settle()
    expect(api.previewTasksImport).toHaveBeenCalledWith('D:\\任务分解表.xlsx', { strict: false, createUnits: false, nameChoices: [] })
    const guesses = document.querySelector('[data-testid="tasks-import-guesses"]')?.textContent ?? ''
    expect(guesses).toContain('司法局')
    expect(guesses).toContain('→ 区司法局')
    expect(guesses).toContain('第5行 G列')
    expect(document.querySelector('[data-testid="tasks-import-unknown"]')?.textContent).toContain('区大数据中心')
    expect(document.querySelector('[data-testid="tasks-import-catchalls"]')?.textContent).toContain('各街道')
    expect(document.querySelector('[data-testid="tasks-import-counts"]')?.textContent).toContain('新增 90 项')

    // 严格模式 makes the guess an error: 导入 is disabled.
    vi.mocked(api.previewTasksImport).mockResolvedValue(
      tasksPreview({ canApply: false, issues: [issue({ message: '第5行 G列：“司法局”不是单位名单中的名称。' })] }),
    )
    ;(document.querySelector('[data-testid="opt-strict"] input') as HTMLInputElement).click()
    await settle()
    expect(api.previewTasksImport).toHaveBeenLastCalledWith('D:\\任务分解表.xlsx', { strict: true, createUnits: false, nameChoices: [] })
    const applyBtn = document.querySelector('[data-testid="btn-apply-tasks-import"]') as HTMLButtonElement
    expect(applyBtn.disabled).toBe(true)
    expect(document.querySelector('[data-testid="tasks-import-blocked"]')?.textContent).toContain('1 处错误')
    expect(document.querySelector('[data-testid="preview-issues"]')?.textContent).toContain('不是单位名单中的名称')

    // Back to lenient: it can be imported.
    vi.mocked(api.previewTasksImport).mockResolvedValue(tasksPreview())
    ;(document.querySelector('[data-testid="opt-strict"] input') as HTMLInputElement).click()
    await settle()
    expect(applyBtn.disabled).toBe(false)
    applyBtn.click()
    await settle()
    expect(api.applyTasksImport).toHaveBeenCalledWith('D:\\任务分解表.xlsx', { strict: false, createUnits: false, nameChoices: [] })
  })

  it('previews collecting the unit sheets with their conflicts, then applies', async () => {
    vi.mocked(api.pickFolder).mockResolvedValue('D:\\回收')
    vi.mocked(api.previewCollect).mockResolvedValue(collectPreview())
    vi.mocked(api.applyCollect).mockResolvedValue(collectPreview())
    const w = await mountPage()
    await w.get('[data-testid="btn-collect"]').trigger('click')
    await settle()
    ;(document.querySelector('[data-testid="collect-from-folder"]') as HTMLElement).click()
    await settle()
    expect(api.previewCollect).toHaveBeenCalledWith('D:\\回收', { choices: [] })
    const preview = document.querySelector('[data-testid="collect-preview"]')?.textContent ?? ''
    expect(preview).toContain('区公安分局')
    expect(preview).toContain('冲突 1 处')
    const conflicts = document.querySelector('[data-testid="collect-conflicts"]')?.textContent ?? ''
    expect(conflicts).toContain('行政复议案件按期办结')
    expect(conflicts).toContain('2025年10月底')
    expect(conflicts).toContain('2025年12月底')
    ;(document.querySelector('[data-testid="btn-apply-collect"]') as HTMLButtonElement).click()
    await settle()
    expect(api.applyCollect).toHaveBeenCalledWith('D:\\回收', { choices: [] })
  })

  it('exports unit sheets as a zip', async () => {
    vi.mocked(api.pickSavePath).mockResolvedValue('D:\\各单位工作表.zip')
    vi.mocked(api.exportUnitSheets).mockResolvedValue({ path: 'D:\\各单位工作表.zip', files: [], unitCount: 5 })
    const w = await mountPage()
    await w.get('[data-testid="btn-export-unit-sheets"]').trigger('click')
    await settle()
    ;(document.querySelector('[data-testid="unit-sheets-to-zip"]') as HTMLElement).click()
    await settle()
    expect(api.exportUnitSheets).toHaveBeenCalledWith('D:\\各单位工作表.zip')
    await vi.waitFor(() => expect(document.body.textContent).toContain('已为 5 个单位生成工作表'))
  })

  it('shows the Chinese message of a backend error as is', async () => {
    const message = '无法读取“任务分解表.xlsx”：\n工作表“任务分解”第 3 行：缺少“指标内容”列。'
    vi.mocked(api.pickOpenFile).mockResolvedValue('D:\\任务分解表.xlsx')
    vi.mocked(api.previewTasksImport).mockRejectedValue(new api.ApiError('import', message))
    const w = await mountPage()
    await w.get('[data-testid="btn-import-tasks"]').trigger('click')
    await settle()
    await vi.waitFor(() => {
      const box = document.querySelector('.shifan-error-box .el-message-box__message')
      expect(box?.textContent).toContain('无法读取“任务分解表.xlsx”：')
      expect(box?.textContent).toContain('缺少“指标内容”列。')
    })
  })
})
