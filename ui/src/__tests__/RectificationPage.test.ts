import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { mount } from '@vue/test-utils'

import * as api from '../api'
import { state } from '../store'
import { campaign, chooseOption, settle, status } from '../test/fixtures'
import { LEAGUE, LETTERS, PROBLEMS, REMIND, ROUND, detail, importPreview } from '../test/problemFixtures'
import { UNITS } from '../test/unitFixtures'
import { withUi } from '../test/ui'
import RectificationPage from '../views/RectificationPage.vue'

const route = vi.hoisted(() => ({ query: {} as Record<string, string> }))
vi.mock('vue-router', async (importOriginal) => ({ ...(await importOriginal<typeof import('vue-router')>()), useRoute: () => route }))

vi.mock('../api', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../api')>()
  const { BACKEND_FUNCTIONS } = await import('../test/mockApi')
  return { ...actual, ...Object.fromEntries(BACKEND_FUNCTIONS.map((f) => [f, vi.fn()])) }
})

async function mountPage() {
  const w = mount(RectificationPage, {
    ...withUi,
  })
  await settle()
  return w
}

const text = (testid: string) => document.querySelector(`[data-testid="${testid}"]`)?.textContent ?? ''
/** The input of an Element Plus field: the element with the test id, or the input inside it. */
function inputOf(testid: string): HTMLInputElement {
  const el = document.querySelector(`[data-testid="${testid}"]`)
  return (el instanceof HTMLInputElement ? el : el?.querySelector('input')) as HTMLInputElement
}

const click = async (testid: string) => {
  ;(document.querySelector(`[data-testid="${testid}"]`) as HTMLElement).click()
  await settle()
}

beforeEach(() => {
  state.status = status(campaign())
  vi.mocked(api.listRounds).mockResolvedValue([ROUND])
  vi.mocked(api.listUnits).mockResolvedValue(UNITS)
  vi.mocked(api.listProblems).mockResolvedValue(PROBLEMS)
  vi.mocked(api.problemLeague).mockResolvedValue(LEAGUE)
  vi.mocked(api.problemDetail).mockResolvedValue(detail())
})
afterEach(() => {
  vi.clearAllMocks()
  document.body.innerHTML = ''
})

describe('问题整改 page', () => {
  it('lists the latest round’s problems, overdue first, with each unit’s part and the deadline as written', async () => {
    await mountPage()
    expect(api.listProblems).toHaveBeenLastCalledWith(expect.objectContaining({ roundId: 1 }))
    const table = text('problems-table')
    expect(table).toContain('部分行政规范性文件未经合法性审核即印发')
    expect(table).toContain('逾期32天')
    expect(table).toContain('1/3')
    expect(table).toContain('区人力资源和社会保障局')
    // 立行立改 keeps its text, with the day it is counted from.
    expect(table).toContain('立行立改（按 2023-04-14 计）')
    expect(table).toContain('长期坚持')
    expect(text('problems-count')).toContain('共 3 个问题，1 个逾期')
  })

  it('filters by status, unit and overdue', async () => {
    const w = await mountPage()
    await chooseOption('filter-status', '整改中')
    expect(api.listProblems).toHaveBeenLastCalledWith(expect.objectContaining({ roundId: 1, status: '整改中' }))
    await chooseOption('filter-unit', '区司法局')
    expect(api.listProblems).toHaveBeenLastCalledWith(expect.objectContaining({ unitId: 1 }))
    await w.get('[data-testid="filter-overdue"]').trigger('click')
    await settle()
    expect(api.listProblems).toHaveBeenLastCalledWith(expect.objectContaining({ overdueOnly: true }))
  })

  it('opens a problem with its history; 销号 asks for the date and note', async () => {
    vi.mocked(api.setProblemStatus).mockResolvedValue(PROBLEMS[0])
    await mountPage()
    ;(document.querySelector('[data-testid="problems-table"] .el-table__row') as HTMLElement).click()
    await settle()
    expect(api.problemDetail).toHaveBeenCalledWith(1)
    expect(text('drawer-parts')).toContain('区财政局')
    expect(text('drawer-parts')).toContain('2023-06-20 销号')
    const history = text('drawer-history')
    expect(history).toContain('区财政局 销号')
    expect(history).toContain('核验通过')
    expect(history).toContain('导入问题清单')
    await click('btn-close-1')
    const date = inputOf('close-date')
    expect(date.value).toMatch(/^\d{4}-\d{2}-\d{2}$/)
    const note = document.querySelector('[data-testid="close-note"]') as HTMLTextAreaElement
    note.value = '经核验，整改到位'
    note.dispatchEvent(new Event('input'))
    await click('btn-confirm-close')
    expect(api.setProblemStatus).toHaveBeenCalledWith(
      expect.objectContaining({ problemId: 1, unitId: 1, status: '已销号', note: '经核验，整改到位', closedOn: date.value }),
    )
    // Reopening a closed part asks why.
    await click('btn-reopen-2')
    await click('btn-confirm-reopen')
    expect(api.setProblemStatus).toHaveBeenCalledTimes(1)
    expect(document.body.textContent).toContain('请写明重新打开的原因')
  })

  it('opens the problem a search result links to (?problem=<id>)', async () => {
    route.query = { problem: '1' }
    try {
      await mountPage()
      expect(api.problemDetail).toHaveBeenCalledWith(1)
      expect(text('drawer-parts')).toContain('区财政局')
    } finally {
      route.query = {}
    }
  })

  it('previews a 问题清单 import with the new round, guesses and assumed deadlines, then applies', async () => {
    vi.mocked(api.pickOpenFile).mockResolvedValue('D:\\问题清单.xlsx')
    vi.mocked(api.previewProblemsImport).mockResolvedValue(importPreview())
    vi.mocked(api.applyProblemsImport).mockResolvedValue(importPreview({ round: { ...importPreview().round, id: 1 } }))
    await mountPage()
    await click('btn-import-problems')
    expect(api.previewProblemsImport).toHaveBeenCalledWith('D:\\问题清单.xlsx', { strict: false, createUnits: false, nameChoices: [] })
    expect(text('problems-import-round')).toContain('将新建（专项督察）')
    expect(text('problems-import-counts')).toContain('问题 11 个（共性 4、个性 7）')
    expect(text('problems-import-guesses')).toContain('→ 区信访局')
    expect(text('problems-import-guesses')).toContain('第13行 E列')
    expect(text('problems-import-deadlines')).toContain('未写年份，按标题中的2023年')
    await click('btn-apply-problems-import')
    expect(api.applyProblemsImport).toHaveBeenCalledWith('D:\\问题清单.xlsx', { round: undefined, strict: false, createUnits: false, nameChoices: [] })
    await vi.waitFor(() => expect(document.body.textContent).toContain('新增 11 个'))
  })

  it('makes 催办 messages and copies one with a click', async () => {
    const writeText = vi.fn().mockResolvedValue(undefined)
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true })
    vi.mocked(api.remind).mockResolvedValue(REMIND)
    await mountPage()
    await click('btn-remind')
    expect(api.remind).toHaveBeenCalledWith({ unitId: undefined, overdueOnly: true, roundId: 1 })
    expect(text('remind-all')).toContain('区司法局：逾期2个')
    expect(text('remind-1')).toContain('【已逾期26天】')
    await click('btn-copy-all')
    expect(writeText).toHaveBeenCalledWith(REMIND.combined)
    await vi.waitFor(() => expect(document.body.textContent).toContain('已复制'))
  })

  it('saves the letter paragraphs and makes the letters into a zip', async () => {
    vi.mocked(api.letterSettings).mockResolvedValue(LETTERS)
    vi.mocked(api.setLetterSettings).mockImplementation(async (s) => s)
    vi.mocked(api.pickSavePath).mockResolvedValue('D:\\反馈函.zip')
    vi.mocked(api.exportLetters).mockResolvedValue({
      path: 'D:\\反馈函.zip',
      letters: [{ unitId: 1, unitName: '区司法局', docNo: '曾法办函〔2023〕5号', file: '区司法局-督察问题反馈函.docx', problemCount: 2 }],
    })
    await mountPage()
    await click('btn-letters')
    const contact = inputOf('letters-contact')
    expect(contact.value).toBe('王晓明')
    contact.value = '李丽华'
    contact.dispatchEvent(new Event('input'))
    await click('btn-make-letters')
    await click('letters-to-zip')
    expect(api.setLetterSettings).toHaveBeenCalledWith(expect.objectContaining({ contact: '李丽华', docPrefix: '曾法办函' }))
    expect(api.exportLetters).toHaveBeenCalledWith(1, 'D:\\反馈函.zip')
    expect(text('letters-result')).toContain('曾法办函〔2023〕5号')
  })

  it('ranks the units by overdue and open problems', async () => {
    await mountPage()
    const league = text('league-table')
    expect(league.indexOf('区司法局')).toBeLessThan(league.indexOf('区财政局'))
    expect(league).toContain('100%')
  })

  it('says what to do when there are no problems yet', async () => {
    vi.mocked(api.listRounds).mockResolvedValue([])
    vi.mocked(api.listProblems).mockResolvedValue([])
    const w = await mountPage()
    expect(w.get('[data-testid="rect-empty"]').text()).toContain('导入问题清单')
  })
})
