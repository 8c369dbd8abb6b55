import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { mount } from '@vue/test-utils'

import * as api from '../api'
import { state } from '../store'
import {
  campaign,
  demoSystem,
  importedSystem,
  isShown,
  issue,
  preview,
  rawDemo,
  rawLeaves,
  settle,
  status,
  treeOf,
} from '../test/fixtures'
import IndicatorsPage from '../views/IndicatorsPage.vue'
import { withUi } from '../test/ui'

vi.mock('../api', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../api')>()
  const { BACKEND_FUNCTIONS } = await import('../test/mockApi')
  return { ...actual, ...Object.fromEntries(BACKEND_FUNCTIONS.map((f) => [f, vi.fn()])) }
})

async function mountPage() {
  const w = mount(IndicatorsPage, {
    ...withUi,
  })
  await settle()
  return w
}

/** The tree row of the node with this uid (leaves: "n12", headings: "h:一/（一）"). */
function row(uid: string): HTMLElement | null {
  return document.querySelector(`[data-testid="indicator-tree"] [data-uid="${uid}"]`)
}

beforeEach(() => {
  state.status = status(campaign())
  state.systems = [demoSystem(), importedSystem()]
  vi.mocked(api.indicatorTree).mockImplementation(async (id) =>
    treeOf(id === 2 ? importedSystem() : demoSystem()),
  )
})
afterEach(() => {
  vi.clearAllMocks()
  document.body.innerHTML = ''
})

describe('指标体系 page', () => {
  it('shows the system name, the 演示用 tag and counts per level named by the system', async () => {
    const w = await mountPage()
    expect(api.indicatorTree).toHaveBeenCalledWith(null)
    expect(w.get('[data-testid="system-name"]').text()).toBe(rawDemo.name)
    expect(w.find('[data-testid="system-demo-tag"]').text()).toBe('演示用')
    const l2 = rawDemo.levels.reduce((n, l) => n + l.children.length, 0)
    expect(w.get('[data-testid="system-level-counts"]').text()).toBe(
      `一级指标 ${rawDemo.levels.length} 项 · 二级指标 ${l2} 项 · 三级指标 ${rawLeaves.length} 项`,
    )
  })

  it('has no 演示用 tag for an imported system', async () => {
    state.status = status(campaign({ systemId: 2, systemIsDemo: false }))
    vi.mocked(api.indicatorTree).mockResolvedValue(treeOf(importedSystem()))
    const w = await mountPage()
    expect(w.get('[data-testid="system-name"]').text()).toBe('市县法治政府建设示范指标体系')
    expect(w.find('[data-testid="system-demo-tag"]').exists()).toBe(false)
    expect(w.find('[data-testid="btn-bind-system"]').exists()).toBe(false)
  })

  it('browses another system of the library and binds it to the campaign on request', async () => {
    vi.mocked(api.setCampaignSystem).mockResolvedValue(campaign({ systemId: 2, systemIsDemo: false }))
    vi.mocked(api.appStatus).mockResolvedValue(status(campaign({ systemId: 2, systemIsDemo: false })))
    vi.mocked(api.listSystems).mockResolvedValue([demoSystem(), importedSystem()])
    const w = await mountPage()
    expect(w.find('[data-testid="btn-bind-system"]').exists()).toBe(false)
    // Choose the imported system in the selector.
    await w.get('[data-testid="system-selector"]').trigger('click')
    await settle()
    const option = [...document.querySelectorAll('.el-select-dropdown__item')].find((o) =>
      o.textContent?.includes('市县法治政府建设示范指标体系'),
    ) as HTMLElement
    option.click()
    await settle()
    expect(api.indicatorTree).toHaveBeenLastCalledWith(2)
    expect(w.find('[data-testid="system-demo-tag"]').exists()).toBe(false)
    await w.get('[data-testid="btn-bind-system"]').trigger('click')
    await settle()
    ;(document.querySelector('.el-message-box__btns .el-button--primary') as HTMLButtonElement).click()
    await settle()
    await vi.waitFor(() => expect(api.setCampaignSystem).toHaveBeenCalledWith(2))
  })

  it('filters the tree while typing 复议: matches stay, the rest hide, the count is shown', async () => {
    const w = await mountPage()
    await w.get('[data-testid="indicator-search"]').setValue('复议')
    await settle()

    // Expected from the raw file: a leaf shows when its text or one of its headings says 复议.
    const expected = rawLeaves.filter((l) => l.text.includes('复议') || l.headings.some((h) => h.includes('复议')))
    const others = rawLeaves.filter((l) => !expected.includes(l))
    expect(expected.length).toBeGreaterThan(0)
    expect(w.get('[data-testid="indicator-match-count"]').text()).toBe(`找到 ${expected.length} 项指标`)
    for (const l of expected) expect(isShown(row(`n${l.no}`)), `指标 ${l.no}`).toBe(true)
    for (const l of others) expect(isShown(row(`n${l.no}`)), `指标 ${l.no}`).toBe(false)
    // Matches are highlighted.
    expect(document.querySelector('[data-testid="indicator-tree"] mark.search-hit')?.textContent).toBe('复议')

    // Clearing the search brings the top level back.
    await w.get('[data-testid="indicator-search"]').setValue('')
    await settle()
    for (const l1 of rawDemo.levels) expect(isShown(row(`h:${l1.code}`))).toBe(true)
  })

  it('says so when nothing matches', async () => {
    const w = await mountPage()
    await w.get('[data-testid="indicator-search"]').setValue('不存在的词语')
    await settle()
    expect(w.get('[data-testid="indicator-match-count"]').text()).toContain('没有找到')
    for (const l1 of rawDemo.levels) expect(isShown(row(`h:${l1.code}`))).toBe(false)
  })

  it('shows the full text and the path of a clicked indicator', async () => {
    const w = await mountPage()
    // A long indicator, so the tree label is cut but the detail is not.
    const target = [...rawLeaves].sort((a, b) => b.text.length - a.text.length)[0]
    await w.get('[data-testid="indicator-search"]').setValue(target.text.slice(0, 12))
    await settle()
    row(`n${target.no}`)!.click()
    await settle()
    const detail = w.get('[data-testid="indicator-detail"]')
    expect(w.get('[data-testid="detail-text"]').text()).toBe(target.text)
    expect(detail.text()).toContain(String(target.no))
    const path = w.get('[data-testid="detail-path"]').text()
    expect(path).toContain(target.l1.name)
    expect(path).toContain(target.l2.code + target.l2.name)
    expect(detail.text()).toContain('未设定') // no 分值/评估方式 in the demo system
  })

  it('shows each heading as the core labels it, in the tree, the detail and an indicator\'s path', async () => {
    // Labels no rule in the UI could produce from code and title: the page must show the core's.
    const tree = treeOf(demoSystem())
    const l1 = tree.roots[0]
    const l2 = l1.children[0]
    l1.label = `第一方面：${l1.title}`
    l2.label = `${l2.code} ${l2.title}（核心）`
    const leaf = l2.children[0]
    vi.mocked(api.indicatorTree).mockResolvedValue(tree)
    const w = await mountPage()
    expect(row(l1.uid)!.textContent).toContain(l1.label)
    row(l1.uid)!.click()
    await settle()
    expect(w.get('[data-testid="detail-text"]').text()).toBe(l1.label)
    await w.get('[data-testid="indicator-search"]').setValue(leaf.title)
    await settle()
    expect(row(l2.uid)!.textContent).toContain(l2.label)
    row(leaf.uid)!.click()
    await settle()
    expect(w.get('[data-testid="detail-path"]').text()).toBe(l1.label + l2.label)
  })

  it('shows a heading\'s 分值 beside its indicators\' total and flags when they differ', async () => {
    const tree = treeOf(demoSystem())
    const [a, b] = tree.roots
    a.score = 15
    b.score = 12
    const scoreAll = (n: (typeof tree.roots)[number], each: number) =>
      n.children.forEach((c) => (c.isLeaf ? (c.score = each) : scoreAll(c, each)))
    const leavesOf = (n: (typeof tree.roots)[number]): number =>
      n.children.reduce((k, c) => k + (c.isLeaf ? 1 : leavesOf(c)), 0)
    // 一: every indicator 1 分, one of them left unscored; 二: the indicators add up to 12.
    scoreAll(a, 1)
    a.children[0].children[0].score = null
    scoreAll(b, 12 / leavesOf(b))
    vi.mocked(api.indicatorTree).mockResolvedValue(tree)
    const w = await mountPage()
    row(a.uid)!.click()
    await settle()
    const own = w.get('[data-testid="detail-heading-score"]').text()
    expect(own).toContain('15 分')
    expect(own).toContain(`下设指标合计 ${leavesOf(a) - 1} 分`)
    expect(own).toContain('另有 1 项未设分值')
    expect(own).not.toContain('不一致') // cannot be judged while one is unscored
    row(b.uid)!.click()
    await settle()
    const second = w.get('[data-testid="detail-heading-score"]').text()
    expect(second).toContain('12 分')
    expect(second).toContain('下设指标合计 12 分')
    expect(second).not.toContain('不一致')
    b.score = 10
    row(a.uid)!.click()
    await settle()
    row(b.uid)!.click()
    await settle()
    expect(w.get('[data-testid="detail-heading-score"]').text()).toContain('与本项分值不一致')
  })

  it('lists import issues with their places and disables 导入 when the file cannot be applied', async () => {
    vi.mocked(api.pickOpenFile).mockResolvedValue('D:\\指标体系.xlsx')
    vi.mocked(api.previewIndicatorImport).mockResolvedValue(
      preview({
        canApply: false,
        issues: [
          issue(),
          issue({ severity: 'warning', message: '第 9 行：分值为空。', row: 9, col: 'E', sheet: '指标体系' }),
        ],
      }),
    )
    const w = await mountPage()
    await w.get('[data-testid="btn-import-system"]').trigger('click')
    await settle()
    expect(api.pickOpenFile).toHaveBeenCalledWith(api.INDICATOR_IMPORT_FILTERS)
    expect(api.previewIndicatorImport).toHaveBeenCalledWith('D:\\指标体系.xlsx')

    const dialog = document.querySelector('[data-testid="import-preview"]') as HTMLElement
    expect(dialog).not.toBeNull()
    const table = dialog.querySelector('[data-testid="preview-issues"]')!.textContent!
    expect(table).toContain('错误')
    expect(table).toContain('指标体系，第 3 行，C 列')
    expect(table).toContain('指标内容为空')
    expect(table).toContain('警告')
    expect(table).toContain('第 9 行，E 列')
    const apply = document.querySelector('[data-testid="btn-apply-import"]') as HTMLButtonElement
    expect(apply.disabled).toBe(true)
    apply.click()
    await settle()
    expect(api.applyIndicatorImport).not.toHaveBeenCalled()
  })

  it('applies a clean import and binds it when asked', async () => {
    vi.mocked(api.pickOpenFile).mockResolvedValue('D:\\指标体系.xlsx')
    vi.mocked(api.previewIndicatorImport).mockResolvedValue(preview({ existingSystemId: 2 }))
    vi.mocked(api.applyIndicatorImport).mockResolvedValue(importedSystem())
    vi.mocked(api.appStatus).mockResolvedValue(status(campaign({ systemId: 2, systemIsDemo: false })))
    vi.mocked(api.listSystems).mockResolvedValue([demoSystem(), importedSystem()])
    const w = await mountPage()
    await w.get('[data-testid="btn-import-system"]').trigger('click')
    await settle()
    expect(document.querySelector('[data-testid="preview-existing"]')?.textContent).toContain('就地更新')
    const bind = document.querySelector('[data-testid="import-bind"] input') as HTMLInputElement
    expect(bind.checked).toBe(true) // the campaign still uses the demo system
    ;(document.querySelector('[data-testid="btn-apply-import"]') as HTMLButtonElement).click()
    await settle()
    expect(api.applyIndicatorImport).toHaveBeenCalledWith('D:\\指标体系.xlsx', true)
    expect(document.body.textContent).toContain('已导入“市县法治政府建设示范指标体系”')
  })

  it('exports to the chosen path and says where', async () => {
    vi.mocked(api.pickSavePath).mockResolvedValue('D:\\指标体系表.xlsx')
    vi.mocked(api.exportIndicators).mockResolvedValue('D:\\指标体系表.xlsx')
    const w = await mountPage()
    await w.get('[data-testid="btn-export-system"]').trigger('click')
    await settle()
    expect(api.pickSavePath).toHaveBeenCalledWith('指标体系表.xlsx', api.INDICATOR_EXPORT_FILTERS)
    expect(api.exportIndicators).toHaveBeenCalledWith('D:\\指标体系表.xlsx', 1)
    expect(document.body.textContent).toContain('已导出到 D:\\指标体系表.xlsx')
  })

  it('shows the Chinese message of a backend error as is', async () => {
    const message = '无法读取“官方指标.xlsx”：\n工作表“指标体系”第 12 行 B 列：指标序号“十二”不是数字。'
    vi.mocked(api.pickOpenFile).mockResolvedValue('D:\\官方指标.xlsx')
    vi.mocked(api.previewIndicatorImport).mockRejectedValue(new api.ApiError('import', message))
    const w = await mountPage()
    await w.get('[data-testid="btn-import-system"]').trigger('click')
    await settle()
    await vi.waitFor(() => {
      const box = document.querySelector('.shifan-error-box .el-message-box__message')
      expect(box?.textContent).toContain('无法读取“官方指标.xlsx”：')
      expect(box?.textContent).toContain('指标序号“十二”不是数字。')
    })
  })

  it('shows a load error in the page when the tree cannot be read', async () => {
    vi.mocked(api.indicatorTree).mockRejectedValue(new api.ApiError('db', '数据库文件已损坏。\n请从备份恢复。'))
    const w = await mountPage()
    const alert = w.get('[data-testid="indicator-load-error"]')
    expect(alert.text()).toContain('数据库文件已损坏。')
    expect(alert.text()).toContain('请从备份恢复。')
  })
})
