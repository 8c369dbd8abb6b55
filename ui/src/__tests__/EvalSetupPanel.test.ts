// 轮次与专家: the rounds and the expert team as the office keeps them; a new round is saved
// with the name and kind typed, an expert with 姓名/单位/专业, and who scores which indicators
// with the numbers typed.
import { mount } from '@vue/test-utils'
import { afterEach, describe, expect, it, vi } from 'vitest'

import * as api from '../api'
import EvalSetupPanel from '../components/EvalSetupPanel.vue'
import type { EvalRound } from '../gen/EvalRound'
import type { ExpertAssignment } from '../gen/ExpertAssignment'
import { settle } from '../test/fixtures'
import { LI, WANG, evalRound } from '../test/evalFixtures'
import { withUi } from '../test/ui'

vi.mock('../api', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../api')>()
  const { BACKEND_FUNCTIONS } = await import('../test/mockApi')
  return { ...actual, ...Object.fromEntries(BACKEND_FUNCTIONS.map((f) => [f, vi.fn()])) }
})

const el = (testid: string) => document.querySelector(`[data-testid="${testid}"]`) as HTMLElement | null
const text = (testid: string) => el(testid)?.textContent ?? ''

function inputOf(testid: string): HTMLInputElement {
  const box = el(testid)!
  return (box instanceof HTMLInputElement ? box : box.querySelector('input')) as HTMLInputElement
}

async function type(testid: string, v: string) {
  const input = inputOf(testid)
  input.value = v
  input.dispatchEvent(new Event('input'))
  await settle()
}

/** Types into an el-input-number as a user would (input, then change on leaving the box). */
async function typeNumber(testid: string, v: string) {
  const input = inputOf(testid)
  input.value = v
  input.dispatchEvent(new Event('input'))
  await settle()
  input.dispatchEvent(new Event('change'))
  await settle()
}

function assignment(overrides: Partial<ExpertAssignment> = {}): ExpertAssignment {
  return { expertId: WANG.id, expertName: WANG.name, org: WANG.org, indicatorIds: [101, 102], nos: [1, 2], ranges: '1—2', ...overrides }
}

async function mountPanel(round: EvalRound | null = evalRound()) {
  const w = mount(EvalSetupPanel, {
    props: {
      rounds: round ? [round] : [],
      experts: [WANG, LI],
      assignments: [assignment(), assignment({ expertId: LI.id, expertName: LI.name, indicatorIds: [], nos: [], ranges: '' })],
      round,
    },
    ...withUi,
  })
  await settle()
  return w
}

afterEach(async () => {
  await settle()
  document.body.innerHTML = ''
  vi.clearAllMocks()
})

describe('轮次与专家', () => {
  it('lists the rounds and the expert team with 单位 and 专业', async () => {
    await mountPanel(evalRound({ satisfaction: { rate: 91.09, sample: 1200, method: '12340 电话调查', period: '2025年10月' } }))
    const rounds = text('rounds-table')
    expect(rounds).toContain('模拟评估一')
    expect(rounds).toContain('2025年9月')
    expect(rounds).toContain('91.09%')
    expect(rounds).toContain('样本 1200')
    expect(rounds).toContain('2 位 / 3 条')
    const experts = text('experts-table')
    expect(experts).toContain('王教授')
    expect(experts).toContain('湖北大学法学院')
    expect(experts).toContain('行政法学 教授')
    expect(experts).toContain('李副教授')
    expect(inputOf(`assign-${WANG.id}`).value).toBe('1-2')
  })

  it('creates a round with the name and kind typed', async () => {
    vi.mocked(api.saveEvalRound).mockResolvedValue(evalRound({ id: 5, name: '正式评估结果（2025）', kind: 'official' }))
    const w = await mountPanel()
    el('btn-add-round')!.click()
    await settle()
    // The next round's name is proposed.
    expect(inputOf('round-name').value).toBe('模拟评估二')
    await type('round-name', '正式评估结果（2025）')
    ;(document.querySelectorAll('[data-testid="round-form"] .el-radio input')[1] as HTMLInputElement).click()
    await settle()
    el('btn-save-round')!.click()
    await settle()
    expect(api.saveEvalRound).toHaveBeenCalledWith({
      id: null,
      name: '正式评估结果（2025）',
      kind: 'official',
      heldOn: '',
      note: '',
      siteScore: null,
      siteNote: '',
      satisfaction: { rate: null, sample: null, method: '', period: '' },
    })
    // The page reloads and selects the new round.
    expect(w.emitted('changed')).toEqual([[5]])
  })

  it('refuses a 实地评估 score above 100 instead of saving it as 100', async () => {
    await mountPanel()
    el('btn-add-round')!.click()
    await settle()
    await typeNumber('round-site-score', '105')
    el('btn-save-round')!.click()
    await settle()
    expect(api.saveEvalRound).not.toHaveBeenCalled()
    expect(document.body.textContent).toContain('实地评估得分 105 超过百分制满分 100，未保存。')
  })

  it('keeps the 实地评估 score and 满意率 as typed', async () => {
    vi.mocked(api.saveEvalRound).mockResolvedValue(evalRound({ id: 5, name: '模拟评估二' }))
    await mountPanel()
    el('btn-add-round')!.click()
    await settle()
    await typeNumber('round-site-score', '88.5')
    await typeNumber('round-satisfaction', '91.09')
    el('btn-save-round')!.click()
    await settle()
    expect(api.saveEvalRound).toHaveBeenCalledWith(
      expect.objectContaining({ name: '模拟评估二', kind: 'mock', siteScore: 88.5, satisfaction: expect.objectContaining({ rate: 91.09 }) }),
    )
  })

  it('adds an expert with 姓名', async () => {
    vi.mocked(api.saveExpert).mockResolvedValue({ ...LI, id: 9, name: '赵研究员' })
    const w = await mountPanel()
    el('btn-add-expert')!.click()
    await settle()
    await type('expert-name', '赵研究员')
    el('btn-save-expert')!.click()
    await settle()
    expect(api.saveExpert).toHaveBeenCalledWith({ id: null, name: '赵研究员', org: '', field: '', phone: '', note: '' })
    expect(w.emitted('changed')).toHaveLength(1)
  })

  it('assigns the indicator numbers typed to the expert in the selected round', async () => {
    vi.mocked(api.assignExpertNos).mockResolvedValue(assignment({ expertId: LI.id, expertName: LI.name, nos: [3, 4, 5, 55], ranges: '3—5、55' }))
    const w = await mountPanel(evalRound({ id: 3, name: '模拟评估三' }))
    await type(`assign-${LI.id}`, '3-5,55')
    inputOf(`assign-${LI.id}`).dispatchEvent(new KeyboardEvent('keyup', { key: 'Enter' }))
    await settle()
    expect(api.assignExpertNos).toHaveBeenCalledWith(3, LI.id, '3-5,55')
    expect(w.emitted('changed')).toHaveLength(1)
  })

  it('cannot assign indicators before there is a round', async () => {
    await mountPanel(null)
    const save = [...document.querySelectorAll('[data-testid="assign-table"] button')].find((b) => b.textContent?.includes('保存')) as HTMLButtonElement
    expect(save.disabled).toBe(true)
    save.click()
    await settle()
    expect(api.assignExpertNos).not.toHaveBeenCalled()
  })
})
