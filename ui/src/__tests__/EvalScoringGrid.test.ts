// 评分表格 and 录入评分: each indicator with its 分值 and every expert's mark side by side; a
// score the indicator cannot take (above its 分值, not a number) is refused in Chinese and never
// sent; a valid one is saved with exactly what was typed; the office picks between two experts.
import { mount } from '@vue/test-utils'
import { afterEach, describe, expect, it, vi } from 'vitest'

import * as api from '../api'
import EvalScoringGrid from '../components/EvalScoringGrid.vue'
import type { ScoreGrid } from '../gen/ScoreGrid'
import { chooseOption, settle } from '../test/fixtures'
import { LI, WANG, gridRow, scoreGrid } from '../test/evalFixtures'
import { withUi } from '../test/ui'

vi.mock('../api', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../api')>()
  const { BACKEND_FUNCTIONS } = await import('../test/mockApi')
  return { ...actual, ...Object.fromEntries(BACKEND_FUNCTIONS.map((f) => [f, vi.fn()])) }
})

const el = (testid: string) => document.querySelector(`[data-testid="${testid}"]`) as HTMLElement | null
const text = (testid: string) => el(testid)?.textContent ?? ''

/** The body rows of the grid's main table (not the fixed-column copies). */
function gridRows(): string[] {
  const body = document.querySelector('[data-testid="score-grid"] .el-table__body-wrapper tbody') as HTMLElement
  return [...body.querySelectorAll('tr.el-table__row')].map((r) => r.textContent ?? '')
}

async function mountGrid(grid: ScoreGrid = scoreGrid()) {
  const w = mount(EvalScoringGrid, {
    props: { grid },
    ...withUi,
  })
  await settle()
  return w
}

/** Types into the 评分 box of the open mark dialog as a user would (input, then change). */
async function typeValue(v: string) {
  const input = document.querySelector('[data-testid="mark-value"] input') as HTMLInputElement
  input.value = v
  input.dispatchEvent(new Event('input'))
  await settle()
  input.dispatchEvent(new Event('change'))
  await settle()
}

async function typeReason(v: string) {
  const el = document.querySelector('[data-testid="mark-reason"]')!
  const box = (el instanceof HTMLTextAreaElement ? el : el.querySelector('textarea')) as HTMLTextAreaElement
  box.value = v
  box.dispatchEvent(new Event('input'))
  await settle()
}

afterEach(async () => {
  await settle()
  document.body.innerHTML = ''
  vi.clearAllMocks()
})

describe('评分表格', () => {
  it('shows each indicator with its 分值 and the experts side by side', async () => {
    await mountGrid()
    const rows = gridRows()
    expect(rows).toHaveLength(3)
    // Indicator 1: 分值 10.5 (a half point kept as written), 王教授 8 with −2.5.
    expect(rows[0]).toContain('10.5')
    expect(text(`mark-1-${WANG.id}`)).toContain('8')
    expect(text(`mark-1-${WANG.id}`)).toContain('−2.5')
    expect(text(`mark-1-${WANG.id}`)).toContain('案卷评查')
    expect(text(`mark-1-${LI.id}`)).toBe('—')
    expect(text('score-1')).toBe('8')
    // Indicator 2: both experts' marks, the score that counts marked as not yet confirmed.
    expect(text(`mark-2-${WANG.id}`)).toContain('18')
    expect(text(`mark-2-${LI.id}`)).toContain('15')
    expect(text('score-2')).toBe('16.5')
    expect(el('score-2')?.classList.contains('warn')).toBe(true)
    // Indicator 3: assigned to 李副教授, not scored yet.
    expect(text(`mark-3-${LI.id}`)).toBe('待评')
    expect(text('score-3')).toBe('—')
    expect(text('grid-only')).toContain('评分不一致（1）')
    expect(text('grid-only')).toContain('未评分（1）')
  })

  it('filters to the indicators the experts differ on', async () => {
    await mountGrid()
    ;(document.querySelectorAll('[data-testid="grid-only"] input')[1] as HTMLInputElement).click()
    await settle()
    const rows = gridRows()
    expect(rows).toHaveLength(1)
    expect(rows[0]).toContain('重大行政决策目录化管理')
  })

  it('refuses a score above the 分值 with a Chinese message and sends nothing', async () => {
    await mountGrid()
    el(`mark-3-${LI.id}`)!.click()
    await settle()
    expect(text('mark-indicator')).toContain('分值 12 分')
    await typeValue('13')
    el('btn-save-mark')!.click()
    await settle()
    expect(api.saveMark).not.toHaveBeenCalled()
    expect(text('mark-value-error')).toContain('超过该指标的分值 12')
    // What was typed is not silently changed into the full 分值.
    expect((document.querySelector('[data-testid="mark-value"] input') as HTMLInputElement).value).not.toBe('12')
  })

  it('refuses text or an empty score instead of saving (or deleting) the mark', async () => {
    await mountGrid()
    // 王教授 already scored indicator 1: an empty score must not quietly delete that mark.
    el(`mark-1-${WANG.id}`)!.click()
    await settle()
    await typeValue('良好')
    el('btn-save-mark')!.click()
    await settle()
    expect(api.saveMark).not.toHaveBeenCalled()
    expect(api.deleteMark).not.toHaveBeenCalled()
    expect(text('mark-value-error')).toContain('请填写评分')
  })

  it('refuses a score finer than 0.01 or below zero', async () => {
    await mountGrid()
    el(`mark-3-${LI.id}`)!.click()
    await settle()
    await typeValue('8.255')
    el('btn-save-mark')!.click()
    await settle()
    expect(text('mark-value-error')).toContain('最多两位小数')
    await typeValue('-1')
    el('btn-save-mark')!.click()
    await settle()
    expect(text('mark-value-error')).toContain('不能为负数')
    expect(api.saveMark).not.toHaveBeenCalled()
  })

  it('saves a valid score with the reason for the right expert and indicator', async () => {
    vi.mocked(api.saveMark).mockResolvedValue(gridRow({ indicatorId: 103, no: 3 }))
    const w = await mountGrid()
    el(`mark-3-${LI.id}`)!.click()
    await settle()
    await typeValue('10.5')
    await typeReason('执法公示平台3家单位未更新')
    el('btn-save-mark')!.click()
    await settle()
    expect(api.saveMark).toHaveBeenCalledWith({
      roundId: 1,
      indicatorId: 103,
      expertId: LI.id,
      score: 10.5,
      deduction: null,
      grade: null,
      rules: [],
      reason: '执法公示平台3家单位未更新',
      method: '',
      evidence: '',
      note: '',
    })
    expect(w.emitted('changed')).toHaveLength(1)
  })

  it('a deduction equal to the 分值 is accepted and sent as a deduction', async () => {
    vi.mocked(api.saveMark).mockResolvedValue(gridRow())
    await mountGrid()
    el(`mark-1-office`)!.click()
    await settle()
    ;(document.querySelectorAll('[data-testid="mark-kind"] input')[1] as HTMLInputElement).click()
    await settle()
    await typeValue('10.5')
    el('btn-save-mark')!.click()
    await settle()
    expect(api.saveMark).toHaveBeenCalledWith(
      expect.objectContaining({ indicatorId: 101, expertId: null, score: null, deduction: 10.5 }),
    )
  })

  it('the office takes the average or one expert where two differ', async () => {
    vi.mocked(api.pickMark).mockResolvedValue(gridRow())
    const w = await mountGrid()
    await chooseOption('pick-2', '取平均分')
    expect(api.pickMark).toHaveBeenLastCalledWith({ roundId: 1, indicatorId: 102, choice: 'average', expertId: null })
    await chooseOption('pick-2', `采用 ${LI.name}`)
    expect(api.pickMark).toHaveBeenLastCalledWith({ roundId: 1, indicatorId: 102, choice: 'expert', expertId: LI.id })
    expect(w.emitted('changed')).toHaveLength(2)
  })
})
