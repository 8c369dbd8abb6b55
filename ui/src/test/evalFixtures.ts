// Test data for the 模拟评估 components: a round of a provincial system with 分值 (half
// points such as 10.5), two experts of a law school and the office, and what the engine would
// return for them. Every total below is what the engine computed; the UI only shows it.
import type { EvalResults } from '../gen/EvalResults'
import type { EvalRound } from '../gen/EvalRound'
import type { Expert } from '../gen/Expert'
import type { GridRow } from '../gen/GridRow'
import type { Mark } from '../gen/Mark'
import type { ScoreCollectPreview } from '../gen/ScoreCollectPreview'
import type { CollectedScoreSheet } from '../gen/CollectedScoreSheet'
import type { ScoreGrid } from '../gen/ScoreGrid'
import type { ScoringModel } from '../gen/ScoringModel'

export function evalRound(overrides: Partial<EvalRound> = {}): EvalRound {
  return {
    id: 1,
    name: '模拟评估一',
    kind: 'mock',
    position: 1,
    heldOn: '2025年9月',
    note: '',
    siteScore: null,
    siteNote: '',
    satisfaction: { rate: null, sample: null, method: '', period: '' },
    expertCount: 2,
    markCount: 3,
    createdAt: '2025-09-01T09:00:00+08:00',
    ...overrides,
  }
}

export const WANG: Expert = { id: 7, name: '王教授', org: '湖北大学法学院', field: '行政法学 教授', phone: '', note: '' }
export const LI: Expert = { id: 8, name: '李副教授', org: '湖北大学法学院', field: '宪法学 副教授', phone: '', note: '' }

export function mark(overrides: Partial<Mark> = {}): Mark {
  return {
    expertId: WANG.id,
    expertName: WANG.name,
    entry: 'score',
    value: 8,
    grade: null,
    rules: [],
    score: 8,
    deduction: 2,
    clamped: false,
    reason: '抽查10件，2件无合法性审核意见',
    method: '案卷评查',
    evidence: '2-5-17-01~04',
    note: '',
    source: 'app',
    updatedAt: '2025-09-10T10:00:00+08:00',
    ...overrides,
  }
}

export function gridRow(overrides: Partial<GridRow> = {}): GridRow {
  return {
    indicatorId: 101,
    no: 1,
    text: '行政规范性文件合法性审核全覆盖',
    aspect: '一、政府职能依法全面履行',
    methods: '材料查证、案卷评查',
    max: 10.5,
    rules: [],
    leads: [{ id: 1, name: '区司法局' }],
    assigned: [WANG.id],
    marks: [],
    pick: null,
    pickExpertId: null,
    score: null,
    source: 'none',
    sourceLabel: '未评分',
    differs: false,
    caseCount: 0,
    caseRate: null,
    ...overrides,
  }
}

/** Three indicators: one scored by 王教授, one two experts differ on, one nobody scored yet. */
export function scoreGrid(overrides: Partial<ScoreGrid> = {}): ScoreGrid {
  return {
    round: evalRound(),
    experts: [WANG, LI],
    method: 'points',
    gradeShares: { full: 100, basic: 60, fail: 0 },
    reference: false,
    label: '省级指标体系分值（合计 1000 分）',
    rows: [
      gridRow({
        marks: [mark({ value: 8, score: 8, deduction: 2.5 })],
        score: 8,
        source: 'expert',
        sourceLabel: '王教授评分',
      }),
      gridRow({
        indicatorId: 102,
        no: 2,
        text: '重大行政决策目录化管理',
        max: 20,
        leads: [{ id: 2, name: '区政府办' }],
        assigned: [WANG.id, LI.id],
        marks: [
          mark({ value: 18, score: 18, deduction: 2, reason: '目录未按时公开' }),
          mark({ expertId: LI.id, expertName: LI.name, value: 15, score: 15, deduction: 5, reason: '2项决策未经合法性审查', method: '网络检索' }),
        ],
        score: 16.5,
        source: 'unconfirmed',
        sourceLabel: '待确认（暂取平均）',
        differs: true,
      }),
      gridRow({
        indicatorId: 103,
        no: 3,
        text: '行政执法“三项制度”全面落实',
        aspect: '三、严格规范公正文明执法',
        max: 12,
        leads: [{ id: 3, name: '区市场监管局' }],
        assigned: [LI.id],
      }),
    ],
    ...overrides,
  }
}

export function scoreSheet(overrides: Partial<CollectedScoreSheet> = {}): CollectedScoreSheet {
  return {
    file: '模拟评估一-王教授-专家评分表.xlsx',
    roundId: 1,
    roundName: '模拟评估一',
    expertId: WANG.id,
    expertName: WANG.name,
    matchedBy: 'stamp',
    matchedByLabel: '按导出标记识别',
    revision: 1,
    rows: 40,
    scored: 38,
    changes: [],
    conflicts: [],
    ...overrides,
  }
}

export function scoreCollectPreview(overrides: Partial<ScoreCollectPreview> = {}): ScoreCollectPreview {
  return { source: 'D:\\收回评分表', sheets: [], changeCount: 0, conflictCount: 0, issues: [], canApply: true, ...overrides }
}

export function evalResults(overrides: Partial<EvalResults> = {}): EvalResults {
  return {
    round: evalRound({ id: 2, name: '模拟评估二', position: 2 }),
    reference: false,
    label: '省级指标体系分值（合计 1000 分）',
    scoreLabel: '得分',
    total: { score: 921.5, max: 1000, lost: 78.5, maxAll: 1000, rate: 92.15, scored: 98, count: 100 },
    aspects: [
      {
        label: '一、政府职能依法全面履行',
        score: 181.5,
        max: 200,
        lost: 18.5,
        maxAll: 200,
        rate: 90.75,
        scored: 20,
        count: 20,
        prevScore: 170,
        indicators: [],
      },
      {
        label: '三、严格规范公正文明执法',
        score: 140,
        max: 150,
        lost: 10,
        maxAll: 150,
        rate: 93.33,
        scored: 15,
        count: 15,
        prevScore: 142,
        indicators: [],
      },
    ],
    bonus: { items: [], raw: 0, applied: 0, cap: null },
    totalWithBonus: 921.5,
    composite: { parts: [], total: null, note: '综合成绩权重未设置（官方权重未公布）' },
    vetoes: [],
    flagged: false,
    lostRanking: [
      {
        indicatorId: 112,
        no: 12,
        text: '行政复议决定书网上公开',
        aspect: '五、行政权力制约和监督',
        max: 15,
        lost: 6.5,
        leads: [{ id: 4, name: '区司法局' }],
        reasons: ['2024年复议决定书仅公开3件', '公开栏目更新不及时'],
        prevLost: 8,
      },
      {
        indicatorId: 130,
        no: 30,
        text: '政务诚信建设',
        aspect: '一、政府职能依法全面履行',
        max: 10,
        lost: 4,
        leads: [],
        reasons: ['拖欠中小企业账款未清零'],
        prevLost: 4,
      },
    ],
    byUnit: [{ unitId: 4, unitName: '区司法局', lost: 6.5, indicators: 1, max: 15 }],
    unconfirmed: 0,
    withoutPoints: 0,
    previous: { roundId: 1, name: '模拟评估一', total: { score: 880, max: 1000, lost: 120, maxAll: 1000, rate: 88, scored: 100, count: 100 } },
    notes: ['尚有 2 项指标未评分'],
    ...overrides,
  }
}

export function scoringModel(overrides: Partial<ScoringModel> = {}): ScoringModel {
  return {
    pointsSource: 'system',
    method: 'points',
    gradeShares: { full: 100, basic: 60, fail: 0 },
    bonusCap: null,
    weights: { written: null, site: null, satisfaction: null },
    systemHasPoints: true,
    reference: false,
    label: '省级指标体系分值',
    systemTotal: 1000,
    officeTotal: 0,
    missing: 0,
    indicators: [],
    vetoes: [
      { id: 1, text: '发生重大违法行政决策事件', indicatorId: null, indicatorNo: null, note: '' },
      { id: 2, text: '行政机关负责人出庭应诉率低于 90%', indicatorId: null, indicatorNo: null, note: '' },
    ],
    headingGroups: 0,
    headingNotes: [],
    ...overrides,
  }
}
