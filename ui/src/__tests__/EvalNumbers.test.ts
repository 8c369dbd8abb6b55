// Numbers the office types in the 评分方案 and the 评分 dialog's 评分标准 are checked and refused
// with a Chinese message naming what was typed — never clamped to the box's limits or rounded
// without a word (Element Plus's number box would turn 120 into 100 and 0.125 into 0.13).
import { mount } from '@vue/test-utils'
import { afterEach, describe, expect, it, vi } from 'vitest'

import * as api from '../api'
import EvalMarkDialog from '../components/EvalMarkDialog.vue'
import EvalModelPanel from '../components/EvalModelPanel.vue'
import { settle } from '../test/fixtures'
import { evalRound, gridRow, scoringModel } from '../test/evalFixtures'
import { withUi } from '../test/ui'

vi.mock('../api', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../api')>()
  const { BACKEND_FUNCTIONS } = await import('../test/mockApi')
  return { ...actual, ...Object.fromEntries(BACKEND_FUNCTIONS.map((f) => [f, vi.fn()])) }
})

const el = (testid: string) => document.querySelector(`[data-testid="${testid}"]`) as HTMLElement | null

/** Type into the number box `testid` as a user would (input, then change). */
async function type(testid: string, v: string) {
  const input = (el(testid)!.querySelector('input') ?? el(testid)) as HTMLInputElement
  input.value = v
  input.dispatchEvent(new Event('input'))
  await settle()
  input.dispatchEvent(new Event('change'))
  await settle()
}

const messages = () => [...document.querySelectorAll('.el-message')].map((m) => m.textContent ?? '').join('\n')

afterEach(async () => {
  await settle()
  document.body.innerHTML = ''
  vi.clearAllMocks()
})

describe('评分方案', () => {
  async function mountPanel() {
    mount(EvalModelPanel, {
      props: { model: scoringModel(), round: evalRound({ id: 4 }), hits: [], bonus: [] },
      ...withUi,
    })
    await settle()
  }

  it('refuses a weight of 120% instead of saving 100%', async () => {
    await mountPanel()
    await type('weight-written', '120')
    expect((el('weight-written')!.querySelector('input') as HTMLInputElement).value).toBe('120')
    el('btn-save-model')!.click()
    await settle()
    expect(api.saveScoringModel).not.toHaveBeenCalled()
    expect(messages()).toContain('评分方案未保存：书面评审权重 120 超过 100，未保存。')
  })

  it('saves a weight within 100% as typed', async () => {
    vi.mocked(api.saveScoringModel).mockResolvedValue(scoringModel())
    await mountPanel()
    await type('weight-written', '40')
    el('btn-save-model')!.click()
    await settle()
    expect(api.saveScoringModel).toHaveBeenCalledWith(expect.objectContaining({ weights: expect.objectContaining({ written: 40 }) }))
  })

  it('refuses a 附加项 of 0.125 points instead of rounding it, and a total of 0 for 平均分配', async () => {
    await mountPanel()
    const box = (el('bonus-text')!.querySelector('input') ?? el('bonus-text')) as HTMLInputElement
    box.value = '获评省级法治政府建设示范项目'
    box.dispatchEvent(new Event('input'))
    await settle()
    await type('bonus-points', '0.125')
    el('btn-add-bonus')!.click()
    await settle()
    expect(api.saveBonus).not.toHaveBeenCalled()
    expect(messages()).toContain('附加项的分值最多两位小数（填写的是 0.125）')

    await type('points-total', '0')
    el('btn-distribute')!.click()
    await settle()
    expect(api.distributePoints).not.toHaveBeenCalled()
    expect(messages()).toContain('总分须大于 0（填写的是 0）')
  })
})

describe('分值 on the system\'s headings', () => {
  it('offers to spread the groups\' points and shows where they disagree', async () => {
    const model = scoringModel({
      pointsSource: 'office',
      systemHasPoints: false,
      reference: true,
      headingGroups: 12,
      headingNotes: ['“一、政府职能依法全面履行”为 10 分，其下各项分值合计 12 分，两者不一致；分配时以其下各项的分值为准，请核对指标体系。'],
    })
    vi.mocked(api.distributeHeadingPoints).mockResolvedValue(model)
    mount(EvalModelPanel, { props: { model, round: evalRound({ id: 4 }), hits: [], bonus: [] }, ...withUi })
    await settle()
    expect(el('heading-points-hint')!.textContent).toContain('指标体系的分值标在 12 个标题（分组）上')
    expect(el('heading-notes')!.textContent).toContain('其下各项分值合计 12 分')
    el('btn-distribute-headings')!.click()
    await settle()
    expect(api.distributeHeadingPoints).toHaveBeenCalledTimes(1)
    expect(messages()).toContain('已按指标体系中 12 个标题的分值分配各指标分值')
  })

  it('offers nothing when no heading carries a 分值', async () => {
    mount(EvalModelPanel, { props: { model: scoringModel(), round: evalRound({ id: 4 }), hits: [], bonus: [] }, ...withUi })
    await settle()
    expect(el('btn-distribute-headings')).toBeNull()
    expect(el('heading-points-hint')).toBeNull()
    expect(el('heading-notes')).toBeNull()
  })
})

describe('评分标准 in the 评分 dialog', () => {
  const row = () =>
    gridRow({
      max: 10,
      rules: [
        { id: 1, indicatorId: 101, kind: 'discretion', text: '制度执行不到位的酌情扣分', amount: null, cap: 3 },
        { id: 2, indicatorId: 101, kind: 'zero', text: '发生重大违法决策的不得分', amount: null, cap: null },
      ],
    })
  async function mountDialog() {
    mount(EvalMarkDialog, {
      props: { modelValue: true, roundId: 4, row: row(), expert: null, method: 'points' },
      ...withUi,
    })
    await settle()
    // 按评分标准扣分
    ;(el('mark-kind')!.querySelectorAll('input')[3] as HTMLInputElement).click()
    await settle()
  }
  const save = async () => {
    el('btn-save-mark')!.click()
    await settle()
  }

  it('refuses 酌情扣分 above its cap instead of saving the cap', async () => {
    await mountDialog()
    await type('rule-amount-1', '5')
    await save()
    expect(api.saveMark).not.toHaveBeenCalled()
    expect(el('mark-rules-error')?.textContent).toContain('“制度执行不到位的酌情扣分”的扣分 5 超过其累计上限 3')
  })

  it('refuses 2 on a 不得分 rule, and saves 1', async () => {
    vi.mocked(api.saveMark).mockResolvedValue(row())
    await mountDialog()
    await type('rule-count-2', '2')
    await save()
    expect(api.saveMark).not.toHaveBeenCalled()
    expect(el('mark-rules-error')?.textContent).toContain('只能填 0 或 1（1 为不得分），填写的是 2')
    await type('rule-count-2', '1')
    await save()
    expect(api.saveMark).toHaveBeenCalledWith(expect.objectContaining({ rules: [{ ruleId: 2, count: 1, amount: null }] }))
  })
})
