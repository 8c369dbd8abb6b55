// 模拟评估 page: it opens on the latest round with its result in the head (a triggered 否决项
// flags it), and the experts' scoring sheets come back through preview → 应用 → reload.
import { mount } from '@vue/test-utils'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'

import * as api from '../api'
import type { EvalResults } from '../gen/EvalResults'
import { state } from '../store'
import { campaign, settle, status } from '../test/fixtures'
import { evalResults, evalRound, scoreCollectPreview, scoreGrid, scoreSheet, scoringModel, WANG } from '../test/evalFixtures'
import { elementPlus } from '../test/ui'
import EvaluationPage from '../views/EvaluationPage.vue'

vi.mock('../api', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../api')>()
  const { BACKEND_FUNCTIONS } = await import('../test/mockApi')
  return { ...actual, ...Object.fromEntries(BACKEND_FUNCTIONS.map((f) => [f, vi.fn()])) }
})

const el = (testid: string) => document.querySelector(`[data-testid="${testid}"]`) as HTMLElement | null
const text = (testid: string) => el(testid)?.textContent ?? ''

const ROUND1 = evalRound()
const ROUND2 = evalRound({ id: 2, name: '模拟评估二', position: 2, heldOn: '2025年11月' })

async function mountPage() {
  const w = mount(EvaluationPage, {
    global: { plugins: [elementPlus], stubs: { EChart: true } },
    attachTo: document.body,
  })
  await settle()
  return w
}

/** Opens the dropdown of the button `testid` and clicks its item `label`. */
async function chooseMenu(testid: string, label: string) {
  el(testid)!.click()
  await settle()
  const item = [...document.querySelectorAll('.el-dropdown-menu__item')].find((i) => i.textContent?.trim() === label) as HTMLElement
  item.click()
  await settle()
}

/** Picks a round in the head's select (its options also show the date). */
async function chooseRound(name: string) {
  ;(el('round-select')!.querySelector('.el-select__wrapper') as HTMLElement).click()
  await settle()
  const option = [...document.querySelectorAll('.el-select-dropdown__item')].find((o) => o.textContent?.trim().startsWith(name)) as HTMLElement
  option.click()
  await settle()
}

beforeEach(() => {
  state.status = status(campaign())
  vi.mocked(api.evalRounds).mockResolvedValue([ROUND1, ROUND2])
  vi.mocked(api.evalExperts).mockResolvedValue([WANG])
  vi.mocked(api.scoringModel).mockResolvedValue(scoringModel())
  vi.mocked(api.listUnits).mockResolvedValue([])
  vi.mocked(api.evalTrend).mockResolvedValue([])
  vi.mocked(api.evalAssignments).mockResolvedValue([])
  vi.mocked(api.evalGrid).mockResolvedValue(scoreGrid({ round: ROUND2 }))
  vi.mocked(api.evalResults).mockResolvedValue(
    evalResults({ flagged: true, vetoes: [{ vetoId: 1, text: '发生重大违法行政决策事件', note: '' }] }),
  )
  vi.mocked(api.caseFiles).mockResolvedValue([])
  vi.mocked(api.evalVetoHits).mockResolvedValue([{ vetoId: 1, text: '发生重大违法行政决策事件', note: '' }])
  vi.mocked(api.evalBonus).mockResolvedValue([])
})
afterEach(async () => {
  await settle()
  document.body.innerHTML = ''
  vi.clearAllMocks()
})

describe('模拟评估 page', () => {
  it('opens on the latest round, flagged by its 否决项', async () => {
    await mountPage()
    expect(api.evalResults).toHaveBeenCalledWith(2)
    expect(api.evalGrid).toHaveBeenCalledWith(2)
    expect(api.evalResults).not.toHaveBeenCalledWith(1)
    expect(api.evalResults).toHaveBeenCalledTimes(1)
    expect(el('flag-veto')?.textContent).toContain('触发否决项')
    expect(text('head-summary')).toContain('得分 921.5 / 1000')
    expect(text('veto-alert')).toContain('发生重大违法行政决策事件')
  })

  it('switching rounds shows the round chosen last, even when an earlier one answers late', async () => {
    await mountPage()
    let answerRound1: (r: EvalResults) => void = () => {}
    vi.mocked(api.evalResults).mockImplementation((id) =>
      id === 1
        ? new Promise<EvalResults>((resolve) => (answerRound1 = resolve))
        : Promise.resolve(evalResults({ total: { ...evalResults().total, score: 930 } })),
    )
    await chooseRound('模拟评估一')
    await chooseRound('模拟评估二')
    expect(text('head-summary')).toContain('得分 930 / 1000')
    // 模拟评估一's results arrive after the user moved on: they are not shown.
    answerRound1(evalResults({ round: ROUND1, flagged: false, total: { ...evalResults().total, score: 880 } }))
    await settle()
    expect(text('head-summary')).toContain('得分 930 / 1000')
    expect(el('flag-veto')).toBeNull()
  })

  it('without rounds it opens 轮次与专家 and asks for one first', async () => {
    vi.mocked(api.evalRounds).mockResolvedValue([])
    await mountPage()
    expect(text('eval-empty')).toContain('还没有评估轮次')
    expect(api.evalResults).not.toHaveBeenCalled()
    expect((el('btn-export-score-sheets') as HTMLButtonElement).disabled).toBe(true)
  })

  it('collects the experts’ sheets from a folder: preview, 应用, then reloads', async () => {
    vi.mocked(api.pickFolder).mockResolvedValue('D:\\收回评分表')
    const preview = scoreCollectPreview({
      sheets: [scoreSheet({ changes: [{ no: 1, indicator: '行政规范性文件合法性审核全覆盖', field: '评估组评分', old: '', new: '8.5' }] })],
      changeCount: 1,
    })
    vi.mocked(api.previewScoreCollect).mockResolvedValue(preview)
    vi.mocked(api.applyScoreCollect).mockResolvedValue(preview)
    await mountPage()
    expect(api.evalRounds).toHaveBeenCalledTimes(1)

    await chooseMenu('btn-collect-scores', '选择文件夹')
    expect(api.previewScoreCollect).toHaveBeenCalledWith('D:\\收回评分表')
    expect(api.applyScoreCollect).not.toHaveBeenCalled()
    expect(text('score-collect-preview')).toContain('模拟评估一 · 王教授')

    el('btn-apply-score-collect')!.click()
    await settle()
    expect(api.applyScoreCollect).toHaveBeenCalledWith('D:\\收回评分表')
    // The page reads everything again after the sheets were applied.
    expect(api.evalRounds).toHaveBeenCalledTimes(2)
  })

  it('a cancelled folder choice previews nothing', async () => {
    vi.mocked(api.pickFolder).mockResolvedValue(null)
    await mountPage()
    await chooseMenu('btn-collect-scores', '选择文件夹')
    expect(api.previewScoreCollect).not.toHaveBeenCalled()
    expect(el('score-collect-preview')).toBeNull()
  })
})
