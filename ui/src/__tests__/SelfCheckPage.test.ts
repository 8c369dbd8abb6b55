import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { mount } from '@vue/test-utils'

import * as api from '../api'
import { state } from '../store'
import { campaign, settle, status } from '../test/fixtures'
import { assessment } from '../test/problemFixtures'
import { withUi } from '../test/ui'
import SelfCheckPage from '../views/SelfCheckPage.vue'

vi.mock('../api', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../api')>()
  const { BACKEND_FUNCTIONS } = await import('../test/mockApi')
  return { ...actual, ...Object.fromEntries(BACKEND_FUNCTIONS.map((f) => [f, vi.fn()])) }
})

const ROWS = [
  assessment(1, { review: '同意' }),
  assessment(2, { rating: '基本达标', fromReports: ['rating', 'explanation'], explanation: '已制定工作方案。' }),
  assessment(3, { rating: '', explanation: '', evidence: [], openProblems: 2 }),
]

async function mountPage() {
  const w = mount(SelfCheckPage, withUi)
  await settle()
  return w
}

const click = async (testid: string) => {
  ;(document.querySelector(`[data-testid="${testid}"]`) as HTMLElement).click()
  await settle()
}

beforeEach(() => {
  state.status = status(campaign())
  vi.mocked(api.listSelfAssessments).mockResolvedValue(ROWS)
})
afterEach(() => {
  vi.clearAllMocks()
  document.body.innerHTML = ''
})

describe('自查自纠 page', () => {
  it('shows each indicator’s assessment, marking what comes from the units’ sheets', async () => {
    const w = await mountPage()
    expect(w.get('[data-testid="self-counts"]').text()).toContain('已评价 2/3 项，同意 1，退回 0；1 项取自单位填报待确认')
    const table = document.querySelector('[data-testid="self-table"]')?.textContent ?? ''
    expect(table).toContain('基本达标')
    expect(table).toContain('单位填报')
    expect(table).toContain('未评价')
    expect(table).toContain('待审核')
  })

  it('agrees with one click and asks a reason to send one back', async () => {
    vi.mocked(api.saveSelfAssessment).mockImplementation(async (i) => assessment(i.no, { review: i.review ?? '', reviewNote: i.reviewNote ?? '' }))
    await mountPage()
    await click('btn-agree-2')
    expect(api.saveSelfAssessment).toHaveBeenCalledWith({ no: 2, clearScore: false, review: '同意', reviewNote: '' })
    expect((document.querySelector('[data-testid="btn-agree-3"]') as HTMLButtonElement).disabled).toBe(true)
    await click('btn-return-1')
    const note = document.querySelector('[data-testid="return-note"]') as HTMLTextAreaElement
    note.value = '请补充佐证材料'
    note.dispatchEvent(new Event('input'))
    await click('btn-confirm-return')
    expect(api.saveSelfAssessment).toHaveBeenLastCalledWith({ no: 1, clearScore: false, review: '退回', reviewNote: '请补充佐证材料' })
  })

  it('saves what the office writes, and shows the backend’s Chinese refusal as is', async () => {
    vi.mocked(api.saveSelfAssessment).mockResolvedValue(assessment(3, { rating: '未达标' }))
    await mountPage()
    await click('btn-edit-3')
    const explanation = document.querySelector('[data-testid="form-explanation"]') as HTMLTextAreaElement
    explanation.value = '尚未建立制度。'
    explanation.dispatchEvent(new Event('input'))
    ;([...document.querySelectorAll('[data-testid="form-rating"] label')].find((l) => l.textContent?.includes('未达标')) as HTMLElement).click()
    await settle()
    await click('btn-save-self')
    expect(api.saveSelfAssessment).toHaveBeenCalledWith(
      expect.objectContaining({ no: 3, rating: '未达标', explanation: '尚未建立制度。', clearScore: true, evidence: [] }),
    )
    vi.mocked(api.saveSelfAssessment).mockRejectedValue(new api.ApiError('invalid', '退回时请写明退回理由。'))
    await click('btn-return-2')
    await click('btn-confirm-return')
    await vi.waitFor(() => expect(document.querySelector('.shifan-error-box')?.textContent).toContain('退回时请写明退回理由。'))
  })
})
