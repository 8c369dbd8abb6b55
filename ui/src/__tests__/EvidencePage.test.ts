import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { mount } from '@vue/test-utils'

import * as api from '../api'
import { state } from '../store'
import { ARCHIVE, ITEMS, PLAN, QUEUE, VERIFY, addPreview, completeness, detail, item, refusedPreview } from '../test/evidenceFixtures'
import { campaign, settle, status } from '../test/fixtures'
import { UNITS } from '../test/unitFixtures'
import { withUi } from '../test/ui'
import EvidencePage from '../views/EvidencePage.vue'

const pdf = vi.hoisted(() => ({ renderPdf: vi.fn(async () => 12) }))
vi.mock('../lib/pdfView', () => pdf)
const router = vi.hoisted(() => ({ push: vi.fn() }))
vi.mock('vue-router', async (importOriginal) => ({ ...(await importOriginal<typeof import('vue-router')>()), useRouter: () => router }))

vi.mock('../api', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../api')>()
  const { BACKEND_FUNCTIONS } = await import('../test/mockApi')
  return { ...actual, ...Object.fromEntries(BACKEND_FUNCTIONS.map((f) => [f, vi.fn()])) }
})

async function mountPage() {
  const w = mount(EvidencePage, {
    ...withUi,
  })
  await settle()
  return w
}

const el = (testid: string) => document.querySelector(`[data-testid="${testid}"]`) as HTMLElement
const text = (testid: string) => el(testid)?.textContent ?? ''
const click = async (testid: string) => {
  el(testid).click()
  await settle()
}
async function type(testid: string, value: string) {
  const e = el(testid)
  const input = (e instanceof HTMLInputElement || e instanceof HTMLTextAreaElement ? e : e.querySelector('input, textarea')) as HTMLInputElement
  input.value = value
  input.dispatchEvent(new Event('input'))
  await settle()
}
async function openTab(name: string) {
  ;(document.querySelector(`#tab-${name}`) as HTMLElement).click()
  await settle()
}
/** Ticks the selection box of the table's rows with these indexes. */
async function selectRows(testid: string, rows: number[]) {
  const boxes = [...el(testid).querySelectorAll('.el-table__body .el-table__row')].map((r) => r.querySelector('.el-checkbox') as HTMLElement)
  for (const i of rows) {
    boxes[i].click()
    await settle()
  }
}
/**
 * Opens the select `testid` and clicks its option that starts with `label` (an indicator's
 * option ends with its completeness badge): several selects list the same units and
 * indicators, so only that select's options count.
 */
async function chooseOption(testid: string, label: string) {
  el(testid).click()
  await settle()
  const listId = el(testid).querySelector('[aria-controls]')?.getAttribute('aria-controls')
  const list = listId ? document.getElementById(listId) : null
  const option = [...(list ?? document).querySelectorAll('.el-select-dropdown__item')].find((o) => o.textContent?.trim().startsWith(label))
  ;(option as HTMLElement).click()
  await settle()
}
/** The apply button of a preview dialog. */
const button = (testid: string) => el(testid) as HTMLButtonElement

beforeEach(() => {
  state.status = status(campaign())
  vi.mocked(api.listUnits).mockResolvedValue(UNITS)
  vi.mocked(api.evidenceCompleteness).mockResolvedValue(completeness())
  vi.mocked(api.listEvidence).mockImplementation(async (f) => (f.queue ? QUEUE : ITEMS))
  vi.mocked(api.evidenceDetail).mockImplementation(async (id) => {
    if (id === 12)
      return detail(QUEUE[1], {
        candidates: [
          { indicatorId: 103, no: 3, confidence: 50, reason: '“第3项”' },
          { indicatorId: 130, no: 30, confidence: 40, reason: '“第3项”与指标30的文字相近' },
        ],
      })
    if (id === 11) return detail(QUEUE[0])
    return detail(ITEMS.find((i) => i.id === id) ?? ITEMS[0])
  })
})
afterEach(() => {
  vi.clearAllMocks()
  document.body.innerHTML = ''
})

describe('佐证材料 page', () => {
  it('lists the items with their indicators and status, and filters by status, unit, indicator and text', async () => {
    await mountPage()
    const table = text('evidence-table')
    expect(table).toContain('重大行政决策事项目录')
    expect(table).toContain('曾法办〔2023〕5号')
    expect(table).toContain('指标27')
    expect(table).toContain('退回')
    expect(api.listEvidence).toHaveBeenCalledWith(expect.objectContaining({ queue: false }))
    expect(api.listEvidence).toHaveBeenCalledWith(expect.objectContaining({ queue: true }))

    await chooseOption('filter-status', '退回')
    expect(api.listEvidence).toHaveBeenLastCalledWith(expect.objectContaining({ queue: false, status: '退回' }))
    await chooseOption('filter-unit', '区司法局')
    expect(api.listEvidence).toHaveBeenLastCalledWith(expect.objectContaining({ status: '退回', unitId: 1 }))
    await chooseOption('filter-indicator', '指标27 重大行政决策事项目录向社会公布')
    // The indicator options carry their completeness.
    const listId = el('filter-indicator').querySelector('[aria-controls]')?.getAttribute('aria-controls') ?? ''
    const options = [...document.getElementById(listId)!.querySelectorAll('.el-select-dropdown__item')].map((o) => o.textContent?.trim())
    expect(options).toContain('指标3 建立权责清单动态调整机制尚无材料')
    expect(options).toContain('指标15 行政规范性文件合法性审核齐全')
    expect(api.listEvidence).toHaveBeenLastCalledWith(expect.objectContaining({ indicatorId: 127, unitId: 1, status: '退回' }))

    vi.useFakeTimers()
    try {
      await type('filter-text', ' 决策 ')
      vi.advanceTimersByTime(300)
    } finally {
      vi.useRealTimers()
    }
    await settle()
    expect(api.listEvidence).toHaveBeenLastCalledWith(expect.objectContaining({ text: '决策', indicatorId: 127 }))
  })

  it('files the ticked 待归类 items under the chosen indicator at once, and takes a suggestion with one click', async () => {
    vi.mocked(api.assignEvidence).mockResolvedValue(2)
    await mountPage()
    await openTab('queue')
    const queue = text('queue-table')
    expect(queue).toContain('IMG_20230415.jpg')
    expect(queue).toContain('“第3项”可能是指标3或指标30')
    // The classifier's suggestions for the ambiguous one.
    expect(el('suggest-12-3')).toBeTruthy()
    expect(el('suggest-12-30')).toBeTruthy()

    expect(button('btn-queue-assign').disabled).toBe(true)
    await selectRows('queue-table', [0, 1])
    await chooseOption('queue-indicator', '指标3 建立权责清单动态调整机制')
    expect(button('btn-queue-assign').disabled).toBe(false)
    await click('btn-queue-assign')
    expect(api.assignEvidence).toHaveBeenCalledWith({ ids: [11, 12], indicatorIds: [103], indicatorNos: [], replace: false })
    await vi.waitFor(() => expect(document.body.textContent).toContain('已归类 2 份材料'))

    await click('suggest-12-30')
    expect(api.assignEvidence).toHaveBeenLastCalledWith({ ids: [12], indicatorIds: [130], indicatorNos: [], replace: false })
  })

  it('opens an item with every source; 退回 needs a reason, 通过 does not', async () => {
    vi.mocked(api.reviewEvidence).mockResolvedValue(1)
    await mountPage()
    ;(document.querySelector('[data-testid="evidence-table"] .el-table__body .el-table__row td:nth-child(2)') as HTMLElement).click()
    await settle()
    expect(api.evidenceDetail).toHaveBeenCalledWith(1)
    expect(text('drawer-fields')).toContain('曾法办〔2023〕5号')
    expect(text('drawer-fields')).toContain('2023-04-15')
    const sources = text('drawer-sources')
    expect(sources).toContain('区司法局.zip/指标27/目录.pdf')
    expect(sources).toContain('决策目录.pdf')
    expect(sources).toContain('区公安分局')
    expect(sources).toContain('李四')

    await click('btn-return')
    await click('btn-confirm-return')
    expect(api.reviewEvidence).not.toHaveBeenCalled()
    expect(document.body.textContent).toContain('请写明退回原因')
    await type('return-reason', '缺少盖章页')
    await click('btn-confirm-return')
    expect(api.reviewEvidence).toHaveBeenCalledWith({ ids: [1], decision: 'return', reason: '缺少盖章页' })

    await click('btn-approve')
    expect(api.reviewEvidence).toHaveBeenLastCalledWith({ ids: [1], decision: 'approve', reason: '' })
  })

  it('removes an item only after the user confirms', async () => {
    vi.mocked(api.removeEvidence).mockResolvedValue(1)
    await mountPage()
    ;(document.querySelector('[data-testid="evidence-table"] .el-table__body .el-table__row td:nth-child(2)') as HTMLElement).click()
    await settle()
    await click('btn-remove-evidence')
    expect(document.querySelector('.el-message-box')?.textContent).toContain('删除“重大行政决策事项目录”')
    ;(Array.from(document.querySelectorAll('.el-message-box button')).find((b) => b.textContent?.trim() === '取消') as HTMLElement).click()
    await settle()
    expect(api.removeEvidence).not.toHaveBeenCalled()
    await click('btn-remove-evidence')
    const boxes = document.querySelectorAll('.el-message-box')
    ;(Array.from(boxes[boxes.length - 1].querySelectorAll('button')).find((b) => b.textContent?.trim() === '删除') as HTMLElement).click()
    await vi.waitFor(() => expect(api.removeEvidence).toHaveBeenCalledWith([1]))
  })

  it('saves an edit of the item’s title, 形成日期 and 文号', async () => {
    vi.mocked(api.updateEvidence).mockResolvedValue(ITEMS[0])
    await mountPage()
    ;(document.querySelector('[data-testid="evidence-table"] .el-table__body .el-table__row td:nth-child(2)') as HTMLElement).click()
    await settle()
    await click('btn-edit-evidence')
    await type('edit-title', '2023年重大行政决策事项目录')
    await type('edit-formed-on', '2023年3月1日')
    await click('btn-save-evidence')
    expect(api.updateEvidence).toHaveBeenCalledWith(
      1,
      expect.objectContaining({ title: '2023年重大行政决策事项目录', formedOn: '2023年3月1日', docNo: '曾法办〔2023〕5号' }),
    )
  })

  it('approves the ticked items of the list together', async () => {
    vi.mocked(api.reviewEvidence).mockResolvedValue(2)
    await mountPage()
    await selectRows('evidence-table', [0, 2])
    await click('btn-approve-selected')
    expect(api.reviewEvidence).toHaveBeenCalledWith({ ids: [1, 3], decision: 'approve', reason: '' })
  })

  it('previews picked files with repeats and the queue, then adds them with the chosen unit', async () => {
    vi.mocked(api.pickOpenFiles).mockResolvedValue(['D:\\收件\\区司法局.zip'])
    vi.mocked(api.previewEvidenceAdd).mockResolvedValue(addPreview())
    vi.mocked(api.applyEvidenceAdd).mockResolvedValue(addPreview({ applied: true, summary: '已新增 2 份材料，1 份进入待归类。' }))
    await mountPage()
    await click('btn-add-evidence')
    await click('add-evidence-files')
    expect(api.previewEvidenceAdd).toHaveBeenCalledWith(['D:\\收件\\区司法局.zip'], { indicatorIds: [], indicatorNos: [] })
    const counts = text('evidence-add-counts')
    expect(counts).toContain('新增材料2 份')
    expect(counts).toContain('本次重复1 个')
    expect(counts).toContain('跳过系统文件2 个')
    expect(text('evidence-add-groups')).toContain('按名称识别')
    const files = text('evidence-add-files')
    expect(files).toContain('本次重复')
    expect(files).toContain('与“区司法局.zip/指标27/目录.pdf”内容相同')
    expect(files).toContain('名称中没有指标序号')

    await chooseOption('evidence-add-unit', '区公安分局')
    expect(api.previewEvidenceAdd).toHaveBeenLastCalledWith(['D:\\收件\\区司法局.zip'], { unitId: 2, indicatorIds: [], indicatorNos: [] })
    await click('btn-apply-evidence-add')
    expect(api.applyEvidenceAdd).toHaveBeenCalledWith(['D:\\收件\\区司法局.zip'], { unitId: 2, indicatorIds: [], indicatorNos: [] })
    await vi.waitFor(() => expect(document.body.textContent).toContain('已新增 2 份材料'))
    // The page reads the library again.
    expect(vi.mocked(api.evidenceCompleteness).mock.calls.length).toBeGreaterThan(1)
  })

  it('shows a refused zip with the entry and does not let it be added', async () => {
    vi.mocked(api.pickFolder).mockResolvedValue('D:\\收件')
    vi.mocked(api.previewEvidenceAdd).mockResolvedValue(refusedPreview())
    await mountPage()
    await click('btn-add-evidence')
    await click('add-evidence-folder')
    expect(api.previewEvidenceAdd).toHaveBeenCalledWith(['D:\\收件'], { indicatorIds: [], indicatorNos: [] })
    expect(text('preview-issues')).toContain('“../../Windows/evil.dll”指向压缩包之外')
    expect(text('evidence-add-blocked')).toContain('有 1 处错误')
    expect(button('btn-apply-evidence-add').disabled).toBe(true)
    expect(api.applyEvidenceAdd).not.toHaveBeenCalled()
  })

  it('says nothing was changed when adding is cancelled in the progress window', async () => {
    vi.mocked(api.pickOpenFiles).mockResolvedValue(['D:\\收件\\区司法局.zip'])
    vi.mocked(api.previewEvidenceAdd).mockResolvedValue(addPreview())
    vi.mocked(api.applyEvidenceAdd).mockRejectedValue(new api.ApiError('cancelled', '已取消。'))
    await mountPage()
    await click('btn-add-evidence')
    await click('add-evidence-zip')
    expect(api.pickOpenFiles).toHaveBeenCalledWith(api.ZIP_FILTERS)
    await click('btn-apply-evidence-add')
    await vi.waitFor(() => expect(document.body.textContent).toContain('已取消添加，没有做任何改动'))
    // The dialog stays open for another try.
    expect(el('btn-apply-evidence-add')).toBeTruthy()
  })

  it('shows completeness with the indicators that have nothing first, and opens an indicator’s items', async () => {
    await mountPage()
    await openTab('completeness')
    const t = text('completeness-indicators')
    expect(t.indexOf('建立权责清单动态调整机制')).toBeLessThan(t.indexOf('重大行政决策事项目录向社会公布'))
    expect(t).toContain('尚无材料')
    expect(t).toContain('部分齐全')
    expect(text('completeness-counts')).toContain('尚无材料 2')
    await click('btn-show-indicator-27')
    expect(api.listEvidence).toHaveBeenLastCalledWith(expect.objectContaining({ queue: false, indicatorId: 127 }))
  })

  it('exports the 退回清单 of the unit with returned items', async () => {
    vi.mocked(api.pickSavePath).mockResolvedValue('D:\\区司法局-佐证材料退回清单.xlsx')
    vi.mocked(api.exportReturnList).mockResolvedValue('D:\\区司法局-佐证材料退回清单.xlsx')
    await mountPage()
    await click('btn-return-list')
    expect(text('return-list-unit')).toContain('区司法局（退回 1 份）')
    await click('btn-return-list-run')
    expect(api.pickSavePath).toHaveBeenCalledWith('区司法局-佐证材料退回清单.xlsx', api.XLSX_FILTERS)
    expect(api.exportReturnList).toHaveBeenCalledWith(1, 'D:\\区司法局-佐证材料退回清单.xlsx')
    await vi.waitFor(() => expect(document.body.textContent).toContain('已导出区司法局的退回清单'))
  })

  it('exports the archive with the volumes as edited, to a zip', async () => {
    vi.mocked(api.archivePlan).mockResolvedValue(structuredClone(PLAN))
    vi.mocked(api.pickSavePath).mockResolvedValue('D:\\案卷.zip')
    vi.mocked(api.exportArchive).mockResolvedValue(ARCHIVE)
    await mountPage()
    await click('btn-export-archive')
    expect(api.archivePlan).toHaveBeenCalledWith(null)
    const vols = text('archive-volumes')
    expect(vols).toContain('指标15')
    expect(vols).toContain('指标30')
    await (async () => {
      const cb = el('archive-pending').querySelector('input') as HTMLInputElement
      cb.click()
      await settle()
    })()
    await click('btn-export-archive-run')
    await click('archive-to-zip')
    expect(api.exportArchive).toHaveBeenCalledWith('D:\\案卷.zip', expect.objectContaining({ includePending: true, generalVolume: true, volumes: PLAN.volumes }))
    expect(text('archive-report')).toContain('已导出 3 卷')
  })

  it('reorders, adds and removes volumes; an indicator picked for a new volume leaves its old one', async () => {
    vi.mocked(api.archivePlan).mockResolvedValue(structuredClone(PLAN))
    vi.mocked(api.pickSavePath).mockResolvedValue('D:\\案卷.zip')
    vi.mocked(api.exportArchive).mockResolvedValue(ARCHIVE)
    await mountPage()
    await click('btn-export-archive')
    const title = (i: number) => {
      const e = el(`archive-title-${i}`)
      return (e instanceof HTMLInputElement ? e : (e.querySelector('input') as HTMLInputElement)).value
    }
    await click('archive-down-0')
    expect([title(0), title(1)]).toEqual(['（二）规范性文件', '（一）重大行政决策'])
    // A new volume cannot be exported before it has a title and indicators.
    await click('archive-add-volume')
    expect(text('archive-plan-problem')).toBe('第 3 卷还没有案卷题名。')
    expect(button('btn-export-archive-run').disabled).toBe(true)
    await type('archive-title-2', '（三）行政复议')
    expect(text('archive-plan-problem')).toContain('第 3 卷“（三）行政复议”还没有选择指标')
    await chooseOption('archive-indicators-2', '指标30')
    expect(document.body.textContent).toContain('指标30（原第 1 卷）已移入第 3 卷')
    expect(document.querySelector('[data-testid="archive-plan-problem"]')).toBeNull()
    await click('archive-remove-1')
    expect(document.body.textContent).toContain('其中指标27的材料将编入综合卷')
    await click('btn-export-archive-run')
    await click('archive-to-zip')
    expect(api.exportArchive).toHaveBeenCalledWith(
      'D:\\案卷.zip',
      expect.objectContaining({
        volumes: [
          expect.objectContaining({ title: '（二）规范性文件', indicatorIds: [115] }),
          expect.objectContaining({ title: '（三）行政复议', indicatorIds: [130] }),
        ],
      }),
    )
  })

  it('verifies the store, lists a missing file and re-links it', async () => {
    vi.mocked(api.verifyEvidence).mockResolvedValue(VERIFY)
    vi.mocked(api.pickOpenFile).mockResolvedValue('E:\\备份\\目录.pdf')
    vi.mocked(api.relinkEvidence).mockResolvedValue({ hash: VERIFY.problems[0].hash, items: 1, message: '已重新关联 1 份材料的文件。' })
    await mountPage()
    await click('btn-verify-evidence')
    expect(text('verify-summary')).toContain('1 个缺失')
    expect(text('verify-problems')).toContain('“重大行政决策事项目录”的文件不见了')
    await click('btn-relink-deadbeef')
    expect(api.relinkEvidence).toHaveBeenCalledWith(VERIFY.problems[0].hash, 'E:\\备份\\目录.pdf')
    await vi.waitFor(() => expect(text('verify-problems')).toContain('已重新关联'))
  })

  it('searches indicators, units and items by a two-character word and opens what it found', async () => {
    vi.mocked(api.search).mockResolvedValue([
      { kind: 'indicator', kindLabel: '指标', id: 130, title: '指标30 行政复议体制改革', detail: '五、矛盾纠纷化解', snippet: '行政复议' },
      { kind: 'evidence', kindLabel: '佐证材料', id: 3, title: '行政复议案件办理台账', detail: '区司法局', snippet: '行政复议' },
      { kind: 'problem', kindLabel: '问题', id: 7, title: '第7号 行政复议决定履行不及时', detail: '2023年专项督察，个性问题', snippet: '行政复议' },
    ])
    await mountPage()
    await type('evidence-search', '复议')
    el('evidence-search').dispatchEvent(new KeyboardEvent('keyup', { key: 'Enter' }))
    await settle()
    expect(api.search).toHaveBeenCalledWith('复议')
    expect(text('search-hits')).toContain('指标30 行政复议体制改革')
    await click('hit-evidence-3')
    expect(api.evidenceDetail).toHaveBeenCalledWith(3)
    await click('hit-indicator-130')
    expect(api.listEvidence).toHaveBeenLastCalledWith(expect.objectContaining({ queue: false, indicatorId: 130 }))
    // A problem found by the same search opens in the 整改台账.
    await type('evidence-search', '复议')
    el('evidence-search').dispatchEvent(new KeyboardEvent('keyup', { key: 'Enter' }))
    await settle()
    expect(text('hit-problem-7')).toContain('问题')
    await click('hit-problem-7')
    expect(router.push).toHaveBeenCalledWith({ path: '/rectification', query: { problem: '7' } })
  })

  it('adds files dragged from Explorer onto the page, with a hint while they hover', async () => {
    let drag: ((d: api.FileDrag) => void) | undefined
    vi.mocked(api.onFileDrag).mockImplementation(async (cb) => {
      drag = cb
      return () => {}
    })
    vi.mocked(api.previewEvidenceAdd).mockResolvedValue(addPreview())
    await mountPage()
    drag!({ kind: 'enter' })
    await settle()
    expect(text('evidence-drop-hint')).toContain('松开鼠标')
    drag!({ kind: 'drop', paths: ['D:\\区司法局 材料\\台账.xlsx', 'D:\\区司法局 材料\\照片.png'] })
    await settle()
    expect(document.querySelector('[data-testid="evidence-drop-hint"]')).toBeNull()
    expect(api.previewEvidenceAdd).toHaveBeenCalledWith(['D:\\区司法局 材料\\台账.xlsx', 'D:\\区司法局 材料\\照片.png'], { indicatorIds: [], indicatorNos: [] })
    expect(el('evidence-add-counts')).not.toBeNull()
  })

  it('opens on the indicator a link names (?indicator=<id>, from the 总览)', async () => {
    window.location.hash = '#/evidence?indicator=130'
    try {
      await mountPage()
      expect(api.listEvidence).toHaveBeenCalledWith(expect.objectContaining({ queue: false, indicatorId: 130 }))
    } finally {
      window.location.hash = ''
    }
  })

  it('says what to do when the library is empty', async () => {
    vi.mocked(api.listEvidence).mockResolvedValue([])
    await mountPage()
    expect(text('evidence-empty')).toContain('添加材料')
  })

  it('shows a returned item’s reason in the drawer', async () => {
    await mountPage()
    vi.mocked(api.evidenceDetail).mockResolvedValue(detail(item(3, '执法案卷评查报告', { status: '退回', returnReason: '缺少盖章页' })))
    ;(document.querySelectorAll('[data-testid="evidence-table"] .el-table__body .el-table__row')[2].querySelector('td:nth-child(2)') as HTMLElement).click()
    await settle()
    expect(text('drawer-return-reason')).toContain('缺少盖章页')
  })

  it('previews an image in the drawer, says what a PDF is, and names a missing file', async () => {
    const png = 'data:image/png;base64,iVBORw0KGgo='
    vi.mocked(api.evidencePreview).mockImplementation(async (id) => {
      if (id === 1) return { id, name: '截图.png', mime: 'image/png', dataUrl: png, pages: null, note: '' }
      if (id === 2) return { id, name: '目录.pdf', mime: 'application/pdf', dataUrl: 'data:application/pdf;base64,JVBERi0=', pages: 12, note: 'PDF 文件，共 12 页。' }
      throw new api.ApiError('notFound', '“台账.xlsx”的文件不在证据库中（可能已被删除或移动），请运行“校验证据库”并重新关联原文件。')
    })
    await mountPage()
    const open = async (it: (typeof ITEMS)[number]) => {
      vi.mocked(api.evidenceDetail).mockResolvedValue(detail(it))
      const row = [...document.querySelectorAll('[data-testid="evidence-table"] .el-table__body .el-table__row')].find((r) => r.textContent?.includes(it.title))
      ;(row!.querySelector('td:nth-child(2)') as HTMLElement).click()
      await settle()
    }
    await open(ITEMS[0])
    expect(api.evidencePreview).toHaveBeenLastCalledWith(1)
    expect(el('drawer-image')?.getAttribute('src')).toBe(png)
    await open(ITEMS[1])
    // The PDF is drawn by pdf.js into the drawer: its first ten pages.
    await vi.waitFor(() => expect(text('drawer-pdf-note')).toBe('共 12 页，这里显示前 10 页。'))
    expect(pdf.renderPdf).toHaveBeenCalledWith('data:application/pdf;base64,JVBERi0=', el('drawer-pdf'), { maxPages: 10, width: 600 })
    expect(el('drawer-image')).toBeNull()
    // Anything can be opened with the system's program (a read-only copy).
    vi.mocked(api.openEvidence).mockResolvedValue('C:\\Temp\\2-目录.pdf')
    await click('btn-open-evidence')
    expect(api.openEvidence).toHaveBeenCalledWith(2)
    expect(document.body.textContent).toContain('只读副本')
    await open(ITEMS[2])
    expect(text('drawer-preview')).toContain('不在证据库中')
  })
})
