// Dev-only 督察 rounds, problems, 反馈函, 催办 and 自查 data for the mock backend (screenshots,
// browser e2e). Made-up but plausible, over the units and assignments of mock/units.ts.
import type { ErrorKind } from '../gen/commands'
import type { Assignment } from '../gen/Assignment'
import type { LetterSettings } from '../gen/LetterSettings'
import type { LettersExport } from '../gen/LettersExport'
import type { ProblemDetail } from '../gen/ProblemDetail'
import type { ProblemEvent } from '../gen/ProblemEvent'
import type { ProblemFilter } from '../gen/ProblemFilter'
import type { ProblemInfo } from '../gen/ProblemInfo'
import type { ProblemUnitInfo } from '../gen/ProblemUnitInfo'
import type { ProblemsCollectPreview } from '../gen/ProblemsCollectPreview'
import type { ProblemsImportPreview } from '../gen/ProblemsImportPreview'
import type { RemindOptions } from '../gen/RemindOptions'
import type { RemindResult } from '../gen/RemindResult'
import type { RoundInfo } from '../gen/RoundInfo'
import type { RoundInput } from '../gen/RoundInput'
import type { SelfAssessment } from '../gen/SelfAssessment'
import type { SelfAssessmentInput } from '../gen/SelfAssessmentInput'
import type { StatusChange } from '../gen/StatusChange'
import type { PartEdit } from '../gen/PartEdit'
import type { ProblemEdit } from '../gen/ProblemEdit'
import type { UnitInfo } from '../gen/UnitInfo'
import type { UnitStanding } from '../gen/UnitStanding'
import { MATCHED_BY_LABELS } from '../gen/vocabulary'

function fail(kind: ErrorKind, message: string): never {
  throw { kind, message }
}

function day(offset: number): string {
  const d = new Date(Date.now() + offset * 86400000)
  const p = (n: number) => String(n).padStart(2, '0')
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`
}

const TEXTS = [
  ['第15项', '部分行政规范性文件未经合法性审核即印发。', '对未经审核的文件进行补审，建立“一文一审”登记表。'],
  ['指标37、38', '行政执法“三项制度”落实不到位，部分执法案卷缺少法制审核意见。', '开展执法案卷评查，补齐法制审核意见。'],
  ['第66项', '政府信息主动公开不全面，部分栏目更新不及时。', '梳理主动公开事项清单，落实专人维护。'],
  ['第45项', '个别执法人员执法证件过期未及时换领。', '全面清理执法证件，限期换领。'],
  ['第5项', '权责清单未根据机构改革情况动态调整。', '对照机构改革方案调整权责清单。'],
  ['第9项', '“双随机、一公开”抽查结果未录入监管平台。', '抽查结果按时录入平台并公示。'],
  ['第18项', '信访事项办理超期，个别事项未在法定期限内答复。', '建立办理时限预警机制。'],
  ['第24项', '政府法律顾问参与重大事项论证记录不完整。', '完善法律顾问参与论证记录。'],
]
const STATUS_CYCLE = ['待整改', '整改中', '已整改待核验', '已销号', '整改中', '待整改']

export function createProblemsStore(units: () => UnitInfo[], assignments: () => Assignment[]) {
  const rounds: RoundInfo[] = []
  const problems: ProblemInfo[] = []
  const history = new Map<number, ProblemEvent[]>()
  const self = new Map<number, Partial<SelfAssessment>>()
  let eventId = 1
  let settings: LetterSettings = {
    docPrefix: '曾法办函',
    firstNumber: 5,
    title: '关于{督察名称}发现问题的反馈函',
    opening: '根据{项目名称}工作安排，{发文机关}于{督察时间}对你单位开展了{督察类型}。现将督察发现的问题反馈如下，请认真抓好整改落实。',
    requirements: '（一）提高思想认识，压实整改责任\n你单位要高度重视督察发现的问题。\n（二）按时报送整改情况\n请于{报送期限}前报送整改情况报告。',
    replyBy: '',
    contact: '王晓明',
    phone: '0722-3000001',
    office: '中共曾都区委全面依法治区委员会办公室',
    date: '',
  }

  function log(problemId: number, unitId: number | null, field: string, label: string, old: string, now: string, note = '', source = 'manual') {
    const list = history.get(problemId) ?? []
    list.unshift({
      id: eventId++,
      problemId,
      unitId,
      unitName: unitId == null ? null : (units().find((u) => u.id === unitId)?.name ?? null),
      at: `${day(0)} 10:00:00`,
      operator: '演示用户',
      field,
      fieldLabel: label,
      old,
      new: now,
      note,
      source,
      sourceLabel: source === 'import' ? '导入问题清单' : '手动修改',
    })
    history.set(problemId, list)
  }

  function judge(p: ProblemInfo) {
    const today = day(0)
    for (const u of p.units) {
      const open = u.status === '待整改' || u.status === '整改中'
      const late = open && p.deadlineDate != null && p.deadlineDate < today
      u.overdue = late
      u.overdueDays = late ? Math.round((Date.parse(today) - Date.parse(p.deadlineDate!)) / 86400000) : null
    }
    p.unitCount = p.units.length
    p.doneCount = p.units.filter((u) => u.status === '已整改待核验' || u.status === '已销号').length
    p.closedCount = p.units.filter((u) => u.status === '已销号').length
    p.overdueCount = p.units.filter((u) => u.overdue).length
    p.overdueDays = p.units.reduce<number | null>((m, u) => (u.overdueDays != null && (m == null || u.overdueDays > m) ? u.overdueDays : m), null)
    p.status = p.units.every((u) => u.status === '已销号')
      ? '已销号'
      : p.units.every((u) => u.status === '已销号' || u.status === '已整改待核验')
        ? '已整改待核验'
        : p.units.some((u) => u.status !== '待整改')
          ? '整改中'
          : '待整改'
    p.progressText = p.units.length > 1 ? `${p.doneCount}/${p.unitCount} 已整改` : p.status
  }

  function seed() {
    const us = units()
    rounds.push({
      id: 1,
      name: '2025年法治政府建设示范创建专项督察',
      kind: '专项督察',
      startDate: day(-62),
      endDate: day(-55),
      team: '王晓明（组长）、李丽华、张建国',
      note: '',
      units: us.map((u) => ({ id: u.id, name: u.name })),
      problemCount: 0,
      commonCount: 0,
      partCount: 0,
      doneCount: 0,
      closedCount: 0,
      overdueCount: 0,
      createdAt: `${day(-50)} 09:00:00`,
    })
    let id = 1
    for (let i = 0; i < 20; i++) {
      const [ind, desc, req] = TEXTS[i % TEXTS.length]
      const common = i < 4
      const parts = common ? us.filter((_, k) => (k + i) % 3 === 0).slice(0, 6) : [us[i % us.length]]
      const deadlines: Array<[string, string | null, string]> = [
        ['立行立改', day(-55), 'immediate'],
        [`${day(-20)}前`, day(-20), 'date'],
        [`${day(30)}前`, day(30), 'date'],
        ['长期坚持', null, 'standing'],
      ]
      const [deadlineText, deadlineDate, deadlineKind] = deadlines[i % deadlines.length]
      const p: ProblemInfo = {
        id: id++,
        roundId: 1,
        roundName: rounds[0].name,
        seq: i + 1,
        sourceNo: String(i + 1),
        kind: common ? '共性' : '个性',
        category: '',
        description: common ? desc : `${desc}（${parts[0].name}）`,
        indicatorsText: ind,
        indicatorNos: ind.match(/\d+/g)?.map(Number) ?? [],
        requirement: req,
        deadlineText,
        deadlineDate,
        deadlineKind,
        note: '',
        units: parts.map((u, k): ProblemUnitInfo => {
          const status = STATUS_CYCLE[(i + k) % STATUS_CYCLE.length]
          return {
            id: id * 100 + k,
            unitId: u.id,
            unitName: u.name,
            status,
            measures: status === '待整改' ? '' : '制定整改方案，明确责任科室和完成时限。',
            progress: status === '待整改' ? '' : '已完成自查，正在逐项整改。',
            completion: status === '已销号' ? '已完成整改' : '',
            evidence: [],
            closedOn: status === '已销号' ? day(-10) : null,
            closeNote: status === '已销号' ? '经核验，整改到位。' : '',
            overdue: false,
            overdueDays: null,
            updatedAt: `${day(-5)} 10:00:00`,
          }
        }),
        status: '',
        unitCount: 0,
        doneCount: 0,
        closedCount: 0,
        overdueCount: 0,
        overdueDays: null,
        progressText: '',
        createdAt: `${day(-50)} 09:00:00`,
        updatedAt: `${day(-5)} 10:00:00`,
      }
      problems.push(p)
      log(p.id, null, 'created', '新建问题', '', '“专项督察问题清单.xlsx”第' + (i + 4) + '行', '', 'import')
    }
  }

  function roundView(r: RoundInfo): RoundInfo {
    const mine = problems.filter((p) => p.roundId === r.id)
    mine.forEach(judge)
    return {
      ...r,
      problemCount: mine.length,
      commonCount: mine.filter((p) => p.kind === '共性').length,
      partCount: mine.reduce((n, p) => n + p.unitCount, 0),
      doneCount: mine.reduce((n, p) => n + p.doneCount, 0),
      closedCount: mine.reduce((n, p) => n + p.closedCount, 0),
      overdueCount: mine.reduce((n, p) => n + p.overdueCount, 0),
    }
  }

  function problemOf(id: number): ProblemInfo {
    const p = problems.find((x) => x.id === id) ?? fail('notFound', `问题（编号 ${id}）不存在。`)
    judge(p)
    return p
  }

  function list(f: ProblemFilter): ProblemInfo[] {
    problems.forEach(judge)
    return problems
      .filter((p) => f.roundId == null || p.roundId === f.roundId)
      .filter((p) => {
        const parts = f.unitId == null ? p.units : p.units.filter((u) => u.unitId === f.unitId)
        if (f.unitId != null && !parts.length) return false
        if (f.status && !parts.some((u) => u.status === f.status)) return false
        if (f.overdueOnly && !parts.some((u) => u.overdue)) return false
        if (f.indicatorNo != null && !p.indicatorNos.includes(f.indicatorNo)) return false
        if (f.search && !(p.description.includes(f.search) || p.units.some((u) => u.unitName.includes(f.search!)))) return false
        return true
      })
      .sort((a, b) => (b.overdueDays ?? 0) - (a.overdueDays ?? 0) || a.seq - b.seq)
  }

  function setStatus(c: StatusChange): ProblemInfo {
    const p = problemOf(c.problemId)
    if (c.status === '已销号' && !c.closedOn) fail('invalid', '销号需要填写销号日期。')
    for (const u of p.units.filter((x) => c.unitId == null || x.unitId === c.unitId)) {
      const old = u.status
      u.status = c.status
      u.closedOn = c.status === '已销号' ? (c.closedOn ?? null) : null
      u.closeNote = c.status === '已销号' ? (c.note ?? '') : ''
      const reopen = STATUS_CYCLE.indexOf(c.status) < STATUS_CYCLE.indexOf(old) || old === '已销号'
      log(p.id, u.unitId, c.status === '已销号' ? 'close' : reopen ? 'reopen' : 'status', c.status === '已销号' ? '销号' : reopen ? '重新打开' : '整改状态', old, c.status, c.note ?? '')
    }
    judge(p)
    return p
  }

  function league(roundId: number | null): UnitStanding[] {
    const rows = new Map<number, UnitStanding>()
    for (const p of list({ roundId: roundId ?? undefined })) {
      for (const u of p.units) {
        const s = rows.get(u.unitId) ?? { unitId: u.unitId, unitName: u.unitName, unitKind: '', total: 0, todo: 0, doing: 0, done: 0, closed: 0, open: 0, overdue: 0, doneRate: 0 }
        s.total++
        if (u.status === '待整改') s.todo++
        else if (u.status === '整改中') s.doing++
        else if (u.status === '已整改待核验') s.done++
        else s.closed++
        if (u.overdue) s.overdue++
        rows.set(u.unitId, s)
      }
    }
    return [...rows.values()]
      .map((s) => ({ ...s, open: s.todo + s.doing, doneRate: Math.round(((s.done + s.closed) * 1000) / s.total) / 10 }))
      .sort((a, b) => b.overdue - a.overdue || b.open - a.open)
  }

  function remind(o: RemindOptions): RemindResult {
    const ps = list({ roundId: o.roundId })
    const reminders = units()
      .filter((u) => o.unitId == null || u.id === o.unitId)
      .map((u) => {
        const mine = ps.flatMap((p) => p.units.filter((x) => x.unitId === u.id && (x.status === '待整改' || x.status === '整改中')).map((x) => ({ p, x })))
        const items = mine.filter(({ x }) => !o.overdueOnly || x.overdue)
        const overdue = mine.filter(({ x }) => x.overdue).length
        const lines = items.map(({ p, x }, i) => `${i + 1}.${x.overdue ? `【已逾期${x.overdueDays}天】` : ''}${p.description}（时限：${p.deadlineText}；${x.status}）`)
        return {
          unitId: u.id,
          unitName: u.name,
          openCount: mine.length,
          overdueCount: overdue,
          text: items.length
            ? `【催办】${u.name}：截至${day(0)}，你单位尚有${mine.length}个督察问题未完成整改，其中${overdue}个已逾期：\n${lines.join('\n')}\n请抓紧推进整改，及时报送整改进展和佐证材料。联系人：${settings.contact}，${settings.phone}。\n——${settings.office}`
            : `${u.name}：截至${day(0)}，你单位没有未完成整改的督察问题。`,
        }
      })
      .filter((r) => o.unitId != null || (o.overdueOnly ? r.overdueCount > 0 : r.openCount > 0))
    const late = reminders.filter((r) => r.overdueCount > 0)
    const combined = late.length
      ? `【催办】截至${day(0)}，以下${late.length}个单位的督察问题整改已超过时限：\n${late.map((r, i) => `${i + 1}.${r.unitName}：逾期${r.overdueCount}个（未完成共${r.openCount}个）`).join('\n')}\n请以上单位对照问题清单抓紧整改。\n——${settings.office}`
      : ''
    return { today: day(0), reminders, combined }
  }

  function importPreview(path: string): ProblemsImportPreview {
    const fileName = path.split(/[\\/]/).pop() ?? path
    const broken = /error/i.test(path)
    return {
      fileName,
      sheet: '问题清单',
      title: '2025年法治政府建设实地督查问题清单',
      period: '督查时间：2025年10月16日至20日',
      round: { id: null, name: '2025年法治政府建设实地督查', kind: '实地督查', startDate: '2025-10-16', endDate: '2025-10-20', isNew: true, namedBy: '标题' },
      problemCount: 3,
      commonCount: 1,
      singleCount: 2,
      partCount: 5,
      unitCount: 4,
      created: 3,
      updated: 0,
      unchanged: 0,
      notInFile: 0,
      problems: [
        { row: 4, sourceNo: '1', kind: '共性', category: '行政执法', description: '行政处罚自由裁量基准未细化。', indicators: [33], units: ['区司法局', '区市场监管局', '区应急管理局'], deadlineText: '2025年12月31日前', deadlineDate: '2025-12-31', change: '新增', changes: [] },
        { row: 5, sourceNo: '1', kind: '个性', category: '', description: '行政复议决定书未按规定公开。', indicators: [55], units: ['区司法局'], deadlineText: '11月底前', deadlineDate: '2025-11-30', change: '新增', changes: [] },
        { row: 6, sourceNo: '2', kind: '个性', category: '', description: '审计发现问题整改台账未及时更新。', indicators: [70], units: ['区财政局'], deadlineText: '立行立改', deadlineDate: '2025-10-20', change: '新增', changes: [] },
      ],
      guesses: [{ written: '市场监管局', unitName: '区市场监管局', reason: '去掉区县名称、“区/县”前缀或括号内文字后一致', places: ['工作表“问题清单”第4行 E列'] }],
      unknownUnits: [],
      chosen: [],
      catchAlls: [],
      deadlineNotes: [
        { written: '11月底前', date: '2025-11-30', meaning: '未写年份，按标题中的2025年', places: ['工作表“问题清单”第5行 G列'] },
        { written: '立行立改', date: '2025-10-20', meaning: '按督察结束日 2025-10-20 计，次日起逾期', places: ['工作表“问题清单”第6行 G列'] },
      ],
      issues: broken
        ? [{ severity: 'error', message: `“${fileName}”工作表“问题清单”第7行 E列：单位“区气象台”不在单位名单中。`, file: fileName, sheet: '问题清单', row: 7, col: 'E' }]
        : [],
      canApply: !broken,
    }
  }

  function collectPreview(path: string): ProblemsCollectPreview {
    const source = path.split(/[\\/]/).pop() ?? path
    return {
      source,
      sheets: [
        { file: `${source}/区司法局-督察问题整改表.xlsx`, roundId: 1, roundName: rounds[0]?.name ?? '', unitId: 1, unitName: '区司法局', matchedBy: 'stamp', matchedByLabel: MATCHED_BY_LABELS.stamp, revision: 1, rows: 3, changes: [{ seq: 1, problem: '部分行政规范性文件未经合法性审核即印发。', field: '整改措施', old: '', new: '逐件补审' }], conflicts: [] },
      ],
      changeCount: 1,
      conflictCount: 0,
      issues: [],
      canApply: true,
    }
  }

  function selfAssessments(): SelfAssessment[] {
    return assignments().map((a, i) => {
      const saved = self.get(a.no) ?? {}
      const derived = i % 7 === 3
      const rating = saved.rating ?? (i % 11 === 0 ? '' : ['达标', '基本达标', '达标', '未达标'][i % 4])
      return {
        indicatorId: a.indicatorId,
        no: a.no,
        text: a.text,
        path: a.path,
        maxScore: null,
        leadUnits: a.leads,
        rating,
        score: null,
        explanation: saved.explanation ?? (rating ? '对照指标要求逐项自查，相关工作已按计划推进。' : ''),
        evidence: saved.evidence ?? (rating ? ['工作方案', '工作台账'] : []),
        review: saved.review ?? (i % 5 === 1 ? '同意' : i % 5 === 0 ? '退回' : ''),
        reviewNote: saved.reviewNote ?? (i % 5 === 0 ? '请补充具体数据。' : ''),
        reviewedAt: null,
        updatedAt: null,
        fromReports: derived && !self.has(a.no) ? ['rating', 'explanation'] : [],
        reports: a.reports,
        openProblems: problems.filter((p) => p.indicatorNos.includes(a.no) && p.status !== '已销号').length,
      }
    })
  }

  seed()

  return {
    listRounds: () => rounds.map(roundView),
    saveRound(input: RoundInput): RoundInfo {
      if (!input.name.trim()) fail('invalid', '请填写督察轮次名称。')
      const units_ = units().filter((u) => input.unitIds.includes(u.id)).map((u) => ({ id: u.id, name: u.name }))
      if (input.id != null) {
        const r = rounds.find((x) => x.id === input.id) ?? fail('notFound', '督察轮次不存在。')
        Object.assign(r, { name: input.name, kind: input.kind || '专项督察', startDate: input.startDate, endDate: input.endDate, team: input.team, note: input.note, units: units_ })
        return roundView(r)
      }
      const r: RoundInfo = { id: rounds.length + 1, name: input.name, kind: input.kind || '专项督察', startDate: input.startDate, endDate: input.endDate, team: input.team, note: input.note, units: units_, problemCount: 0, commonCount: 0, partCount: 0, doneCount: 0, closedCount: 0, overdueCount: 0, createdAt: `${day(0)} 09:00:00` }
      rounds.push(r)
      return roundView(r)
    },
    listProblems: list,
    problemDetail: (id: number): ProblemDetail => ({ problem: problemOf(id), history: history.get(id) ?? [] }),
    setStatus,
    editPart(e: PartEdit): ProblemInfo {
      const p = problemOf(e.problemId)
      const u = p.units.find((x) => x.unitId === e.unitId) ?? fail('notFound', '该单位不是此问题的整改责任单位。')
      for (const [k, label] of [['measures', '整改措施'], ['progress', '整改进展'], ['completion', '完成情况']] as const) {
        const v = e[k]
        if (v != null && v !== u[k]) {
          log(p.id, u.unitId, k, label, u[k], v)
          u[k] = v
        }
      }
      if (e.evidence) u.evidence = e.evidence
      return p
    },
    editProblem(e: ProblemEdit): ProblemInfo {
      const p = problemOf(e.id)
      if (e.deadlineText != null && e.deadlineText !== p.deadlineText) {
        log(p.id, null, 'deadline', '完成时限', p.deadlineText, e.deadlineText, e.reason ?? '')
        p.deadlineText = e.deadlineText
      }
      if (e.description != null) p.description = e.description
      if (e.requirement != null) p.requirement = e.requirement
      return p
    },
    league,
    remind,
    importPreview,
    collectPreview,
    letterSettings: () => settings,
    setLetterSettings(s: LetterSettings): LetterSettings {
      if (!s.docPrefix.trim()) fail('invalid', '请填写发文字号的机关代字，例如“曾法办函”。')
      settings = { ...s }
      return settings
    },
    letters(roundId: number, target: string): LettersExport {
      const withProblems = units().filter((u) => problems.some((p) => p.roundId === roundId && p.units.some((x) => x.unitId === u.id)))
      return {
        path: target,
        letters: withProblems.map((u, i) => ({
          unitId: u.id,
          unitName: u.name,
          docNo: `${settings.docPrefix}〔${new Date().getFullYear()}〕${settings.firstNumber + i}号`,
          file: `${u.name}-督察问题反馈函.docx`,
          problemCount: problems.filter((p) => p.units.some((x) => x.unitId === u.id)).length,
        })),
      }
    },
    selfAssessments,
    saveSelfAssessment(input: SelfAssessmentInput): SelfAssessment {
      if (input.review === '退回' && !input.reviewNote?.trim()) fail('invalid', '退回时请写明退回理由。')
      const cur = self.get(input.no) ?? {}
      self.set(input.no, {
        ...cur,
        ...(input.rating != null ? { rating: input.rating } : {}),
        ...(input.explanation != null ? { explanation: input.explanation } : {}),
        ...(input.evidence != null ? { evidence: input.evidence } : {}),
        ...(input.review != null ? { review: input.review, reviewNote: input.reviewNote ?? '' } : {}),
      })
      return selfAssessments().find((a) => a.no === input.no) ?? fail('notFound', `没有第${input.no}项指标。`)
    },
  }
}
