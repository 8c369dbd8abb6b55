// 评估结果: the total and each aspect as the engine computed them, compared with the round
// before; where the points are lost and who leads the fix; a triggered 否决项 flags the round;
// 生成整改问题 previews the drafts and 写入整改台账 writes them.
import { mount } from '@vue/test-utils'
import { afterEach, describe, expect, it, vi } from 'vitest'

import * as api from '../api'
import EvalResultsPanel from '../components/EvalResultsPanel.vue'
import type { EvalResults } from '../gen/EvalResults'
import type { ProblemDraft } from '../gen/ProblemDraft'
import type { RoundInfo } from '../gen/RoundInfo'
import { settle } from '../test/fixtures'
import { evalResults } from '../test/evalFixtures'
import { elementPlus } from '../test/ui'

vi.mock('../api', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../api')>()
  const { BACKEND_FUNCTIONS } = await import('../test/mockApi')
  return { ...actual, ...Object.fromEntries(BACKEND_FUNCTIONS.map((f) => [f, vi.fn()])) }
})

const el = (testid: string) => document.querySelector(`[data-testid="${testid}"]`) as HTMLElement | null
const text = (testid: string) => el(testid)?.textContent ?? ''

/** Rows of a table's body (the outer table only), as text. */
function rowsOf(testid: string): string[] {
  const body = document.querySelector(`[data-testid="${testid}"] > .el-table__inner-wrapper > .el-table__body-wrapper tbody`) as HTMLElement
  return [...body.children].filter((r) => r.classList.contains('el-table__row')).map((r) => r.textContent ?? '')
}

async function mountPanel(results: EvalResults = evalResults()) {
  const w = mount(EvalResultsPanel, {
    props: { results, trend: [] },
    global: { plugins: [elementPlus], stubs: { EChart: true } },
    attachTo: document.body,
  })
  await settle()
  return w
}

function draft(overrides: Partial<ProblemDraft> = {}): ProblemDraft {
  return {
    roundId: 2,
    source: '模拟评估二',
    indicatorId: 112,
    no: 12,
    indicator: '行政复议决定书网上公开',
    leadUnitIds: [4],
    leadUnits: ['区司法局'],
    description: '模拟评估二：指标12“行政复议决定书网上公开”失6.5分（满分15分）',
    requirement: '2024年复议决定书仅公开3件；公开栏目更新不及时',
    lost: 6.5,
    ...overrides,
  }
}

const problemRound: RoundInfo = {
  id: 9,
  name: '模拟评估二',
  kind: '模拟评估',
  startDate: null,
  endDate: null,
  team: '',
  note: '',
  units: [],
  problemCount: 1,
  commonCount: 0,
  partCount: 1,
  doneCount: 0,
  closedCount: 0,
  overdueCount: 0,
  createdAt: '2025-10-01T09:00:00+08:00',
}

afterEach(async () => {
  await settle()
  document.body.innerHTML = ''
  vi.clearAllMocks()
})

describe('评估结果', () => {
  it('shows the total and each aspect with the round before', async () => {
    await mountPanel()
    const total = text('card-total')
    expect(total).toContain('得分')
    expect(total).toContain('921.5')
    expect(total).toContain('/ 1000')
    expect(total).toContain('得分率 92.15%')
    expect(total).toContain('已评 98/100 项')
    expect(total).toContain('上一轮“模拟评估一” 880')
    expect(total).toContain('↑')
    expect(text('card-composite')).toContain('综合成绩权重未设置')
    expect(text('result-notes')).toContain('尚有 2 项指标未评分')

    const aspects = rowsOf('aspect-table')
    expect(aspects).toHaveLength(2)
    expect(aspects[0]).toContain('一、政府职能依法全面履行')
    expect(aspects[0]).toContain('181.5')
    expect(aspects[0]).toContain('18.5')
    expect(aspects[0]).toContain('90.75%')
    // 上一轮 with the direction of the change.
    expect(aspects[0]).toContain('170 ↑')
    expect(aspects[1]).toContain('三、严格规范公正文明执法')
    expect(aspects[1]).toContain('93.33%')
    expect(aspects[1]).toContain('142 ↓')
  })

  it('ranks the lost points with their lead units and reasons', async () => {
    await mountPanel()
    const rows = rowsOf('lost-ranking')
    expect(rows).toHaveLength(2)
    expect(rows[0]).toContain('行政复议决定书网上公开')
    expect(rows[0]).toContain('6.5')
    expect(rows[0]).toContain('区司法局')
    expect(rows[0]).toContain('2024年复议决定书仅公开3件；公开栏目更新不及时')
    expect(rows[1]).toContain('政务诚信建设')
    expect(rows[1]).toContain('未分解')
  })

  it('a triggered 否决项 flags the round without changing the score', async () => {
    await mountPanel(
      evalResults({
        flagged: true,
        vetoes: [{ vetoId: 1, text: '发生重大违法行政决策事件', note: '某街道征收决定被确认违法' }],
      }),
    )
    const alert = text('veto-alert')
    expect(alert).toContain('本轮触发否决项 1 项')
    expect(alert).toContain('得分未因此改变')
    expect(alert).toContain('发生重大违法行政决策事件：某街道征收决定被确认违法')
    expect(text('card-total')).toContain('921.5')
  })

  it('no alert when no 否决项 is triggered; 参考 scores say so', async () => {
    await mountPanel(evalResults({ reference: true, scoreLabel: '得分（参考）' }))
    expect(el('veto-alert')).toBeNull()
    expect(text('card-total')).toContain('得分（参考）')
  })

  it('生成整改问题 shows the drafts, then 写入整改台账 writes them', async () => {
    vi.mocked(api.deductionsForProblems).mockResolvedValue([
      draft(),
      draft({ indicatorId: 130, no: 30, indicator: '政务诚信建设', leadUnitIds: [], leadUnits: [], description: '模拟评估二：指标30“政务诚信建设”失4分（满分10分）', requirement: '拖欠中小企业账款未清零', lost: 4 }),
    ])
    vi.mocked(api.createProblemsFromDeductions).mockResolvedValue({ round: problemRound, created: [], already: 0, unassigned: ['指标30'] })
    await mountPanel()
    el('btn-to-problems')!.click()
    await settle()
    expect(api.deductionsForProblems).toHaveBeenCalledWith(2)
    expect(api.createProblemsFromDeductions).not.toHaveBeenCalled()
    const dialog = document.querySelector('.el-dialog') as HTMLElement
    expect(dialog.textContent).toContain('失6.5分（满分15分）')
    expect(dialog.textContent).toContain('2024年复议决定书仅公开3件；公开栏目更新不及时')
    expect(dialog.textContent).toContain('未分解')

    el('btn-write-problems')!.click()
    await settle()
    expect(api.createProblemsFromDeductions).toHaveBeenCalledWith(2)
    expect(document.body.textContent).toContain('已在整改台账“模拟评估二”中生成 0 个问题；指标30 未分解到牵头单位，未生成')
  })

  it('写入整改台账 is disabled when no deduction has a lead unit', async () => {
    vi.mocked(api.deductionsForProblems).mockResolvedValue([draft({ leadUnitIds: [], leadUnits: [] })])
    await mountPanel()
    el('btn-to-problems')!.click()
    await settle()
    const write = el('btn-write-problems') as HTMLButtonElement
    expect(write.disabled).toBe(true)
    write.click()
    await settle()
    expect(api.createProblemsFromDeductions).not.toHaveBeenCalled()
  })

  it('生成整改问题 is disabled when nothing lost points', async () => {
    await mountPanel(evalResults({ lostRanking: [] }))
    expect((el('btn-to-problems') as HTMLButtonElement).disabled).toBe(true)
  })
})
