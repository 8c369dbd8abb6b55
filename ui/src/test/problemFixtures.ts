// Test data of the 问题整改 and 自查自纠 pages: a round of the 曾都区 专项督察 with a 共性
// problem of three units and two 个性 problems, one overdue.
import type { LetterSettings } from '../gen/LetterSettings'
import type { ProblemDetail } from '../gen/ProblemDetail'
import type { ProblemInfo } from '../gen/ProblemInfo'
import type { ProblemUnitInfo } from '../gen/ProblemUnitInfo'
import type { ProblemsImportPreview } from '../gen/ProblemsImportPreview'
import type { RemindResult } from '../gen/RemindResult'
import type { RoundInfo } from '../gen/RoundInfo'
import type { SelfAssessment } from '../gen/SelfAssessment'
import type { UnitStanding } from '../gen/UnitStanding'

export const ROUND: RoundInfo = {
  id: 1,
  name: '2023年曾都区法治政府建设示范创建专项督察',
  kind: '专项督察',
  startDate: '2023-04-10',
  endDate: '2023-04-14',
  team: '王晓明（组长）',
  note: '',
  units: [
    { id: 1, name: '区司法局' },
    { id: 2, name: '区财政局' },
  ],
  problemCount: 3,
  commonCount: 1,
  partCount: 5,
  doneCount: 1,
  closedCount: 1,
  overdueCount: 2,
  createdAt: '2023-04-20 09:00:00',
}

export function part(unitId: number, unitName: string, status: string, o: Partial<ProblemUnitInfo> = {}): ProblemUnitInfo {
  return {
    id: unitId * 10,
    unitId,
    unitName,
    status,
    measures: '',
    progress: '',
    completion: '',
    evidence: [],
    closedOn: status === '已销号' ? '2023-06-20' : null,
    closeNote: '',
    overdue: false,
    overdueDays: null,
    updatedAt: '2023-05-01 10:00:00',
    ...o,
  }
}

export function problem(o: Partial<ProblemInfo> = {}): ProblemInfo {
  return {
    id: 1,
    roundId: 1,
    roundName: ROUND.name,
    seq: 1,
    sourceNo: '1',
    kind: '共性',
    category: '',
    description: '部分行政规范性文件未经合法性审核即印发。',
    indicatorsText: '第15项',
    indicatorNos: [15],
    requirement: '对未经审核的文件进行补审。',
    deadlineText: '2023年4月30日前',
    deadlineDate: '2023-04-30',
    deadlineKind: 'date',
    note: '',
    units: [
      part(1, '区司法局', '待整改', { overdue: true, overdueDays: 32 }),
      part(2, '区财政局', '已销号'),
      part(3, '区人力资源和社会保障局', '整改中', { overdue: true, overdueDays: 32 }),
    ],
    status: '整改中',
    unitCount: 3,
    doneCount: 1,
    closedCount: 1,
    overdueCount: 2,
    overdueDays: 32,
    progressText: '1/3 已整改，1 个已销号',
    createdAt: '2023-04-20 09:00:00',
    updatedAt: '2023-05-01 10:00:00',
    ...o,
  }
}

export const PROBLEMS: ProblemInfo[] = [
  problem(),
  problem({
    id: 2,
    seq: 6,
    kind: '个性',
    description: '“双随机、一公开”抽查结果未录入监管平台。',
    indicatorNos: [9],
    indicatorsText: '第9项',
    deadlineText: '立行立改',
    deadlineDate: '2023-04-14',
    deadlineKind: 'immediate',
    units: [part(1, '区司法局', '已整改待核验')],
    status: '已整改待核验',
    unitCount: 1,
    doneCount: 1,
    closedCount: 0,
    overdueCount: 0,
    overdueDays: null,
    progressText: '已整改待核验',
  }),
  problem({
    id: 3,
    seq: 7,
    kind: '个性',
    description: '政务服务事项办事指南要素不全。',
    indicatorNos: [12],
    deadlineText: '长期坚持',
    deadlineDate: null,
    deadlineKind: 'standing',
    units: [part(4, '区市场监督管理局', '待整改')],
    status: '待整改',
    unitCount: 1,
    doneCount: 0,
    closedCount: 0,
    overdueCount: 0,
    overdueDays: null,
    progressText: '待整改',
  }),
]

export function detail(p: ProblemInfo = PROBLEMS[0]): ProblemDetail {
  return {
    problem: p,
    history: [
      { id: 2, problemId: p.id, unitId: 2, unitName: '区财政局', at: '2023-06-20 10:00:00', operator: '张三', field: 'close', fieldLabel: '销号', old: '已整改待核验', new: '已销号（2023-06-20）', note: '核验通过', source: 'manual', sourceLabel: '手动修改' },
      { id: 1, problemId: p.id, unitId: null, unitName: null, at: '2023-04-20 09:00:00', operator: '张三', field: 'created', fieldLabel: '新建问题', old: '', new: '“问题清单.xlsx”第4行', note: '', source: 'import', sourceLabel: '导入问题清单' },
    ],
  }
}

export const LEAGUE: UnitStanding[] = [
  { unitId: 1, unitName: '区司法局', unitKind: '行政执法单位', total: 2, todo: 1, doing: 0, done: 1, closed: 0, open: 1, overdue: 1, doneRate: 50 },
  { unitId: 2, unitName: '区财政局', unitKind: '行政执法单位', total: 1, todo: 0, doing: 0, done: 0, closed: 1, open: 0, overdue: 0, doneRate: 100 },
]

export function importPreview(o: Partial<ProblemsImportPreview> = {}): ProblemsImportPreview {
  return {
    fileName: '问题清单.xlsx',
    sheet: '问题清单',
    title: '2023年曾都区法治政府建设示范创建专项督察问题清单',
    period: '督察时间：2023年4月10日至4月14日',
    round: { id: null, name: ROUND.name, kind: '专项督察', startDate: '2023-04-10', endDate: '2023-04-14', isNew: true, namedBy: '标题' },
    problemCount: 11,
    commonCount: 4,
    singleCount: 7,
    partCount: 20,
    unitCount: 16,
    created: 11,
    updated: 0,
    unchanged: 0,
    notInFile: 0,
    problems: [
      { row: 4, sourceNo: '1', kind: '共性', category: '', description: '部分行政规范性文件未经合法性审核即印发。', indicators: [15], units: ['区司法局', '区财政局'], deadlineText: '2023年4月30日前', deadlineDate: '2023-04-30', change: '新增', changes: [] },
    ],
    guesses: [{ written: '曾都区信访局', unitName: '区信访局', reason: '去掉区县名称、“区/县”前缀或括号内文字后一致', places: ['工作表“问题清单”第13行 E列'] }],
    unknownUnits: [],
    chosen: [],
    catchAlls: [{ written: '各街道', meaning: '全部乡镇街道', unitCount: 4, places: ['工作表“问题清单”第6行 E列'] }],
    deadlineNotes: [{ written: '5月底前', date: '2023-05-31', meaning: '未写年份，按标题中的2023年', places: ['工作表“问题清单”第6行 G列'] }],
    issues: [],
    canApply: true,
    ...o,
  }
}

export const REMIND: RemindResult = {
  today: '2023-05-10',
  reminders: [
    { unitId: 1, unitName: '区司法局', openCount: 3, overdueCount: 2, text: '【催办】区司法局：截至2023年5月10日，你单位尚有3个督察问题未完成整改，其中2个已逾期：\n1.【已逾期26天】抽查结果未录入监管平台。（时限：立行立改；待整改）' },
  ],
  combined: '【催办】截至2023年5月10日，以下1个单位的督察问题整改已超过时限：\n1.区司法局：逾期2个（未完成共3个）',
}

export const LETTERS: LetterSettings = {
  docPrefix: '曾法办函',
  firstNumber: 5,
  title: '关于{督察名称}发现问题的反馈函',
  opening: '根据工作安排……',
  requirements: '（一）压实整改责任',
  replyBy: '',
  contact: '王晓明',
  phone: '0722-3000001',
  office: '中共曾都区委全面依法治区委员会办公室',
  date: '',
}

export function assessment(no: number, o: Partial<SelfAssessment> = {}): SelfAssessment {
  return {
    indicatorId: 1000 + no,
    no,
    text: `第${no}项指标内容`,
    path: ['一、政府职能依法全面履行'],
    maxScore: null,
    leadUnits: [{ id: 1, name: '区司法局' }],
    rating: '达标',
    score: null,
    explanation: '已按要求落实。',
    evidence: ['工作方案'],
    review: '',
    reviewNote: '',
    reviewedAt: null,
    updatedAt: null,
    fromReports: [],
    reports: [],
    openProblems: 0,
    ...o,
  }
}
