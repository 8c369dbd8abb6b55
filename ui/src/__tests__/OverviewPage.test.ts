import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { mount } from '@vue/test-utils'
import { createMemoryHistory, createRouter } from 'vue-router'

import * as api from '../api'
import type { Dashboard } from '../gen/Dashboard'
import type { Phase } from '../gen/Phase'
import type { PhaseKey } from '../gen/PhaseKey'
import { state } from '../store'
import { campaign, settle, status } from '../test/fixtures'
import { elementPlus } from '../test/ui'
import OverviewPage from '../views/OverviewPage.vue'

vi.mock('../api', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../api')>()
  const { BACKEND_FUNCTIONS } = await import('../test/mockApi')
  return { ...actual, ...Object.fromEntries(BACKEND_FUNCTIONS.map((f) => [f, vi.fn()])) }
})

const LABELS: [PhaseKey, string][] = [
  ['mobilize', '宣传动员'],
  ['selfCheck', '自查自纠'],
  ['rectify', '整改提升'],
  ['mockEvaluation', '模拟评估'],
  ['apply', '集中申报'],
  ['acceptance', '迎接验收'],
]

function phases(currentKey: PhaseKey = 'mockEvaluation'): Phase[] {
  return LABELS.map(([key, label], i) => ({
    key,
    label,
    plannedStart: `2023-0${i + 1}-01`,
    plannedEnd: `2023-0${i + 1}-28`,
    actualStart: null,
    actualEnd: null,
    note: '',
    current: key === currentKey,
    events:
      key === currentKey
        ? [{ id: 1, phase: key, kind: '推进会', date: '2023-04-10', title: '第五次创建工作推进会', attendees: '各成员单位分管领导', file: '', note: '' }]
        : [],
    gates: key === 'apply' ? ['openVeto', 'overdueProblems'] : [],
  }))
}

function dash(over: Partial<Dashboard> = {}): Dashboard {
  return {
    campaignName: campaign().name,
    district: '曾都区',
    today: '2023-04-15',
    phase: phases()[3],
    indicatorCount: 100,
    assigned: { done: 87, total: 100, percent: 87 },
    evidence: { complete: { done: 42, total: 100, percent: 42 }, partial: 30, none: 28, items: 500, approved: 300, pending: 150, returned: 50, queue: 17 },
    selfCheck: null,
    problems: { total: 60, open: 25, overdue: 3, overdueParts: 4, done: 35 },
    evaluation: {
      roundId: 1,
      roundName: '第一次模拟评估',
      scoreLabel: '得分（参考）',
      score: 812.5,
      max: 1000,
      maxAll: 1000,
      rate: 81.3,
      scored: 100,
      count: 100,
      totalWithBonus: 815,
      vetoes: [],
      flagged: false,
    },
    aspects: [
      { aspect: '一、政府职能依法全面履行', indicators: 10, assigned: 9, evidenceComplete: 4, selfChecked: null, openProblems: 3, score: null, max: null, rate: null },
    ],
    indicators: [
      { indicatorId: 11, no: 11, text: '政府权责清单动态调整', aspect: '一、政府职能依法全面履行', leads: ['区委编办'], evidence: 'complete', evidenceLabel: '齐全', selfRating: null, openProblems: 0, score: 10, max: 10 },
      { indicatorId: 12, no: 12, text: '行政规范性文件合法性审核', aspect: '一、政府职能依法全面履行', leads: ['区司法局'], evidence: 'partial', evidenceLabel: '部分齐全', selfRating: null, openProblems: 2, score: 6, max: 10 },
      { indicatorId: 13, no: 13, text: '公平竞争审查', aspect: '二、依法行政制度体系完善', leads: [], evidence: 'none', evidenceLabel: '尚无材料', selfRating: null, openProblems: 0, score: null, max: 10 },
    ],
    units: [
      { unitId: 1, unitName: '区司法局', unitKind: '区直部门', total: 10, todo: 2, doing: 1, done: 5, closed: 2, open: 3, overdue: 0, doneRate: 70 },
      { unitId: 2, unitName: '区市场监管局', unitKind: '区直部门', total: 8, todo: 3, doing: 2, done: 3, closed: 0, open: 5, overdue: 2, doneRate: 37.5 },
    ],
    risks: [{ indicatorId: 12, no: 12, text: '行政规范性文件合法性审核', aspect: '一、政府职能依法全面履行', max: 10, lost: 4, leads: [{ id: 1, name: '区司法局' }], reasons: [], prevLost: null }],
    notes: ['3 项问题已逾期'],
    ...over,
  }
}

const el = (testid: string) => document.querySelector(`[data-testid="${testid}"]`) as HTMLElement | null
const text = (testid: string) => el(testid)?.textContent ?? ''

async function mountPage() {
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [{ path: '/:p(.*)*', component: { template: '<div />' } }],
  })
  await router.push('/overview')
  const push = vi.spyOn(router, 'push')
  const w = mount(OverviewPage, {
    global: { plugins: [elementPlus, router], stubs: { EChart: true } },
    attachTo: document.body,
  })
  await settle()
  return { w, push }
}

beforeEach(() => {
  state.status = status(campaign())
  vi.mocked(api.dashboard).mockResolvedValue(dash())
  vi.mocked(api.listPhases).mockResolvedValue(phases())
})
afterEach(() => {
  vi.clearAllMocks()
  document.body.innerHTML = ''
})

describe('工作台总览', () => {
  it('shows the figures of the dashboard and hides a module that stored nothing', async () => {
    await mountPage()
    expect(text('kpi-assigned-value')).toBe('87 / 100')
    expect(text('kpi-evidence-value')).toBe('42 / 100')
    expect(text('kpi-open-value')).toBe('25')
    expect(text('kpi-overdue-value')).toBe('3')
    expect(el('kpi-overdue-value')?.classList.contains('danger')).toBe(true)
    expect(text('kpi-score-value')).toBe('812.5')
    expect(text('kpi-score')).toContain('参考')
    expect(text('kpi-veto-value')).toBe('0')
    // 自查 stored nothing: no card, not a 0.
    expect(el('kpi-self-check')).toBeNull()
    expect(text('overview-kpis')).not.toContain('自查覆盖')
    expect(text('overview-league')).toContain('区市场监管局')
    expect(text('overview-risks')).toContain('行政规范性文件合法性审核')
  })

  it('hides the problem and evaluation figures when those modules are empty', async () => {
    vi.mocked(api.dashboard).mockResolvedValue(dash({ problems: null, evaluation: null, risks: [] }))
    await mountPage()
    expect(el('kpi-overdue')).toBeNull()
    expect(el('kpi-open')).toBeNull()
    expect(el('kpi-score')).toBeNull()
    expect(el('overview-risks')).toBeNull()
    expect(text('kpi-assigned-value')).toBe('87 / 100')
  })

  it('a card clicks through to the page behind it', async () => {
    const { push } = await mountPage()
    el('kpi-evidence')!.click()
    await settle()
    expect(push).toHaveBeenCalledWith('/evidence?tab=completeness')
    el('kpi-overdue')!.click()
    await settle()
    expect(push).toHaveBeenCalledWith('/rectification')
    el('kpi-score')!.click()
    await settle()
    expect(push).toHaveBeenCalledWith('/evaluation')
  })

  it('shows the six phases, the current one and its work', async () => {
    await mountPage()
    expect(text('overview-current-phase')).toContain('模拟评估')
    for (const [, label] of LABELS) expect(text('overview-phases')).toContain(label)
    expect(text('phase-events')).toContain('第五次创建工作推进会')
    expect(text('phase-next')).toContain('集中申报')
  })

  it('a failing gate shows its reasons and needs a reason before moving on', async () => {
    vi.mocked(api.previewPhaseMove).mockResolvedValue({
      to: 'apply',
      canEnter: false,
      failures: [{ gate: 'overdueProblems', label: '逾期问题', reason: '仍有 3 个问题逾期未整改' }],
    })
    vi.mocked(api.applyPhaseMove).mockResolvedValue(phases('apply'))
    await mountPage()
    el('phase-next')!.click()
    await settle()
    expect(api.previewPhaseMove).toHaveBeenCalledWith('apply')
    expect(text('phase-move-failures')).toContain('仍有 3 个问题逾期未整改')
    const confirm = el('phase-move-confirm') as HTMLButtonElement
    expect(confirm.disabled).toBe(true)
    confirm.click()
    await settle()
    expect(api.applyPhaseMove).not.toHaveBeenCalled()

    const box = el('phase-move-reason')!
    const input = (box instanceof HTMLTextAreaElement ? box : box.querySelector('textarea')) as HTMLTextAreaElement
    input.value = '经区委依法治区办同意'
    input.dispatchEvent(new Event('input'))
    await settle()
    expect(confirm.disabled).toBe(false)
    confirm.click()
    await settle()
    expect(api.applyPhaseMove).toHaveBeenCalledWith('apply', '经区委依法治区办同意')
  })

  it('moves on without a reason when every gate holds', async () => {
    vi.mocked(api.previewPhaseMove).mockResolvedValue({ to: 'apply', canEnter: true, failures: [] })
    vi.mocked(api.applyPhaseMove).mockResolvedValue(phases('apply'))
    await mountPage()
    el('phase-next')!.click()
    await settle()
    el('phase-move-confirm')!.click()
    await settle()
    expect(api.applyPhaseMove).toHaveBeenCalledWith('apply', null)
  })

  it('adds a 推进会 to the current phase', async () => {
    vi.mocked(api.savePhaseEvent).mockResolvedValue(phases())
    await mountPage()
    el('phase-event-add')!.click()
    await settle()
    const save = el('phase-event-save') as HTMLButtonElement
    expect(save.disabled).toBe(true)
    const box = el('phase-event-title')!
    const input = (box instanceof HTMLInputElement ? box : box.querySelector('input')) as HTMLInputElement
    input.value = '第六次创建工作推进会'
    input.dispatchEvent(new Event('input'))
    await settle()
    save.click()
    await settle()
    expect(api.savePhaseEvent).toHaveBeenCalledWith(
      expect.objectContaining({ id: null, phase: 'mockEvaluation', kind: '推进会', date: '2023-04-15', title: '第六次创建工作推进会' }),
    )
  })

  it('edits and deletes the work of the current phase', async () => {
    vi.mocked(api.savePhaseEvent).mockResolvedValue(phases())
    vi.mocked(api.deletePhaseEvent).mockResolvedValue(phases())
    await mountPage()
    el('phase-event-edit-1')!.click()
    await settle()
    const box = el('phase-event-title')!
    const input = (box instanceof HTMLInputElement ? box : box.querySelector('input')) as HTMLInputElement
    expect(input.value).toBe('第五次创建工作推进会')
    input.value = '第五次创建工作推进会（扩大）'
    input.dispatchEvent(new Event('input'))
    await settle()
    el('phase-event-save')!.click()
    await settle()
    expect(api.savePhaseEvent).toHaveBeenCalledWith(expect.objectContaining({ id: 1, phase: 'mockEvaluation', date: '2023-04-10', title: '第五次创建工作推进会（扩大）' }))
    el('phase-event-remove-1')!.click()
    await settle()
    expect(document.querySelector('.el-message-box')?.textContent).toContain('删除“第五次创建工作推进会”（2023-04-10）？')
    ;(document.querySelector('.el-message-box__btns .el-button--primary') as HTMLElement).click()
    await settle()
    await vi.waitFor(() => expect(api.deletePhaseEvent).toHaveBeenCalledWith(1))
  })

  it('plans the phase dates back from the 申报 month, refuses an end before its start, and saves', async () => {
    const planned = phases().map((p, i) => ({ ...p, plannedStart: `2022-${String(i + 7).padStart(2, '0')}-01`, plannedEnd: `2022-${String(i + 7).padStart(2, '0')}-25` }))
    vi.mocked(api.planPhases).mockResolvedValue(planned)
    vi.mocked(api.savePhases).mockResolvedValue(planned)
    await mountPage()
    el('phase-dates')!.click()
    await settle()
    const field = (testid: string) => {
      const box = el(testid)!
      return (box instanceof HTMLInputElement ? box : box.querySelector('input')) as HTMLInputElement
    }
    const type = async (testid: string, v: string) => {
      field(testid).value = v
      field(testid).dispatchEvent(new Event('input'))
      await settle()
    }
    expect((el('phase-plan') as HTMLButtonElement).disabled).toBe(true)
    await type('phase-apply-month', '2023-05')
    el('phase-plan')!.click()
    await settle()
    expect(api.planPhases).toHaveBeenCalledWith('2023-05')
    expect(field('phase-planned-start-mobilize').value).toBe('2022-07-01')
    await type('phase-planned-end-mobilize', '2022-06-30')
    expect(text('phase-dates-problem')).toBe('“宣传动员”的计划结束日期早于开始日期。')
    expect((el('phase-dates-save') as HTMLButtonElement).disabled).toBe(true)
    await type('phase-planned-end-mobilize', '2022-08-10')
    expect(el('phase-dates-problem')).toBeNull()
    // A date written another way, or a day that does not exist, is named, not guessed.
    await type('phase-actual-start-selfCheck', '2023/5/1')
    expect(text('phase-dates-problem')).toBe('“自查自纠”的实际开始日期“2023/5/1”无法识别，请写作 2023-03-01 的形式。')
    await type('phase-actual-start-selfCheck', '2023-02-30')
    expect(text('phase-dates-problem')).toContain('“2023-02-30”无法识别')
    await type('phase-actual-start-selfCheck', '')
    expect(el('phase-dates-problem')).toBeNull()
    el('phase-dates-save')!.click()
    await settle()
    const rows = vi.mocked(api.savePhases).mock.calls[0][0]
    expect(rows).toHaveLength(6)
    expect(rows[0]).toEqual({ key: 'mobilize', plannedStart: '2022-07-01', plannedEnd: '2022-08-10', actualStart: null, actualEnd: null, note: '' })
    expect(rows[5]).toEqual(expect.objectContaining({ key: 'acceptance', plannedStart: '2022-12-01' }))
  })

  it('lists every indicator’s progress, filtered by aspect and to the ones needing work', async () => {
    const { w, push } = await mountPage()
    const rows = () => [...document.querySelectorAll('[data-testid="overview-indicators-table"] .el-table__body .el-table__row')].map((r) => r.textContent ?? '')
    expect(rows()).toHaveLength(3)
    expect(rows()[1]).toContain('区司法局')
    expect(rows()[1]).toContain('部分齐全')
    expect(rows()[1]).toContain('6 / 10')
    expect(rows()[2]).toContain('未明确')
    expect(rows()[2]).toContain('未评')
    // 自查 stored nothing in this dashboard: its column is hidden, not shown empty.
    expect(text('overview-indicators-table')).not.toContain('自查')
    w.findComponent({ name: 'ElSwitch' }).vm.$emit('update:modelValue', true)
    await settle()
    expect(rows().map((r) => r.slice(0, 2))).toEqual(['12', '13'])
    expect(text('overview-indicators-count')).toBe('共 2 项')
    const aspect = w.findAllComponents({ name: 'ElSelect' }).find((c) => c.attributes('data-testid') === 'overview-indicators-aspect' || c.find('[data-testid="overview-indicators-aspect"]').exists())
    aspect!.vm.$emit('update:modelValue', '二、依法行政制度体系完善')
    await settle()
    expect(rows()).toHaveLength(1)
    expect(rows()[0]).toContain('公平竞争审查')
    // A row opens the indicator's material.
    ;(document.querySelector('[data-testid="overview-indicators-table"] .el-table__body .el-table__row td') as HTMLElement).click()
    await settle()
    expect(push).toHaveBeenCalledWith({ path: '/evidence', query: { indicator: '13' } })
  })

  it('the office sets which gates hold back 集中申报', async () => {
    vi.mocked(api.setPhaseGates).mockResolvedValue(phases())
    await mountPage()
    el('phase-gates')!.click()
    await settle()
    // 集中申报 has 否决项 and 逾期问题 configured; tick 佐证材料 too.
    ;(el('phase-gate-indicatorWithoutEvidence')!.querySelector('input') as HTMLInputElement).click()
    await settle()
    el('phase-gates-save')!.click()
    await settle()
    expect(api.setPhaseGates).toHaveBeenCalledWith('apply', ['openVeto', 'overdueProblems', 'indicatorWithoutEvidence'])
  })

  it('writes the report to the picked path', async () => {
    vi.mocked(api.pickSavePath).mockResolvedValue('D:\\报告\\进展报告.docx')
    vi.mocked(api.exportReport).mockResolvedValue({ path: 'D:\\报告\\进展报告.docx', today: '2023-04-15', sections: [], charts: 2 })
    await mountPage()
    el('overview-report')!.click()
    await settle()
    expect(api.exportReport).toHaveBeenCalledWith('D:\\报告\\进展报告.docx')
  })

  it('writes nothing when the save dialog is cancelled', async () => {
    vi.mocked(api.pickSavePath).mockResolvedValue(null)
    await mountPage()
    el('overview-report')!.click()
    await settle()
    expect(api.exportReport).not.toHaveBeenCalled()
  })
})
