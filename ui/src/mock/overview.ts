// The dev mock's 工作台总览: six phases of a campaign applying in 2023-05 (the 2023 district ran
// 7 推进会 and 7 专题培训), gates and their preview, and a dashboard with demo figures.
import type { IndicatorProgress } from '../gen/IndicatorProgress'
import type { Dashboard } from '../gen/Dashboard'
import type { GateKind } from '../gen/GateKind'
import type { Phase } from '../gen/Phase'
import type { PhaseEventInput } from '../gen/PhaseEventInput'
import type { PhaseInput } from '../gen/PhaseInput'
import type { PhaseKey } from '../gen/PhaseKey'
import type { PhaseMove } from '../gen/PhaseMove'

const PLAN: [PhaseKey, string, string, string][] = [
  ['mobilize', '宣传动员', '2022-09-01', '2022-10-31'],
  ['selfCheck', '自查自纠', '2022-11-01', '2022-12-31'],
  ['rectify', '整改提升', '2023-01-01', '2023-03-15'],
  ['mockEvaluation', '模拟评估', '2023-03-16', '2023-04-30'],
  ['apply', '集中申报', '2023-05-01', '2023-05-31'],
  ['acceptance', '迎接验收', '2023-06-01', '2023-08-31'],
]

const GATE_LABELS: Record<GateKind, string> = {
  openVeto: '否决项未消除',
  indicatorWithoutEvidence: '指标缺少已通过的佐证材料',
  overdueProblems: '仍有逾期问题',
}

export function createOverviewStore() {
  let nextId = 1
  const phases: Phase[] = PLAN.map(([key, label, start, end], i) => ({
    key,
    label,
    plannedStart: start,
    plannedEnd: end,
    actualStart: i <= 3 ? start : null,
    actualEnd: i < 3 ? end : null,
    note: '',
    current: key === 'mockEvaluation',
    events: [],
    gates: key === 'apply' ? ['openVeto', 'indicatorWithoutEvidence', 'overdueProblems'] : [],
  }))
  const months = ['2022-09', '2022-11', '2023-01', '2023-02', '2023-03', '2023-04', '2023-04']
  const phaseOfMonth = (m: string): PhaseKey => (m < '2022-11' ? 'mobilize' : m < '2023-01' ? 'selfCheck' : m < '2023-03' ? 'rectify' : 'mockEvaluation')
  const cn = ['一', '二', '三', '四', '五', '六', '七']
  months.forEach((m, i) => {
    const p = phases.find((x) => x.key === phaseOfMonth(m))!
    p.events.push({ id: nextId++, phase: p.key, kind: '推进会', date: `${m}-1${i % 9}`, title: `第${cn[i]}次创建工作推进会`, attendees: '区委依法治区办、各成员单位分管领导', file: '', note: '' })
    p.events.push({ id: nextId++, phase: p.key, kind: '专题培训', date: `${m}-2${i % 9}`, title: `第${cn[i]}期法治政府建设专题培训`, attendees: '各单位法治工作明白人', file: '', note: '' })
  })

  const list = () => phases.map((p) => ({ ...p, events: [...p.events].sort((a, b) => a.date.localeCompare(b.date)) }))
  const find = (key: PhaseKey) => phases.find((p) => p.key === key)!

  function previewMove(to: PhaseKey): PhaseMove {
    const p = find(to)
    const reasons: Record<GateKind, string> = {
      openVeto: '第一次模拟评估触发否决项 1 项',
      indicatorWithoutEvidence: '指标 12、15 等 8 项尚无已通过的佐证材料',
      overdueProblems: '3 个问题已逾期未整改',
    }
    const failures = p.gates.map((g) => ({ gate: g, label: GATE_LABELS[g], reason: reasons[g] }))
    return { to, failures, canEnter: failures.length === 0 }
  }
  function applyMove(to: PhaseKey): Phase[] {
    const today = '2023-04-15'
    for (const p of phases) {
      if (p.current) {
        p.current = false
        p.actualEnd ??= today
      }
    }
    const p = find(to)
    p.current = true
    p.actualStart ??= today
    return list()
  }
  function save(input: PhaseInput[]): Phase[] {
    for (const i of input) Object.assign(find(i.key), i)
    return list()
  }
  function setGates(to: PhaseKey, gates: GateKind[]): Phase[] {
    find(to).gates = gates
    return list()
  }
  function saveEvent(input: PhaseEventInput): Phase[] {
    for (const p of phases) p.events = p.events.filter((e) => e.id !== input.id)
    find(input.phase).events.push({ ...input, id: input.id ?? nextId++ })
    return list()
  }
  function deleteEvent(id: number): Phase[] {
    for (const p of phases) p.events = p.events.filter((e) => e.id !== id)
    return list()
  }

  function dashboard(campaignName: string, district: string): Dashboard {
    return {
      campaignName,
      district,
      today: '2023-04-15',
      phase: list().find((p) => p.current) ?? null,
      indicatorCount: 100,
      assigned: { done: 96, total: 100, percent: 96 },
      evidence: { complete: { done: 71, total: 100, percent: 71 }, partial: 18, none: 11, items: 1264, approved: 980, pending: 212, returned: 72, queue: 36 },
      selfCheck: { done: 100, total: 100, percent: 100 },
      problems: { total: 86, open: 23, overdue: 3, overdueParts: 4, done: 63 },
      evaluation: {
        roundId: 1,
        roundName: '第一次模拟评估',
        scoreLabel: '得分（参考）',
        score: 842.5,
        max: 1000,
        maxAll: 1000,
        rate: 84.3,
        scored: 100,
        count: 100,
        totalWithBonus: 846.5,
        vetoes: ['发生重大行政执法过错并造成恶劣社会影响'],
        flagged: true,
      },
      aspects: [
        '一、政府职能依法全面履行',
        '二、依法行政制度体系完善',
        '三、重大行政决策科学民主合法',
        '四、行政执法严格规范公正文明',
        '五、突发事件应对依法有力',
        '六、社会矛盾纠纷依法有效化解',
        '七、行政权力制约和监督',
        '八、法治政府建设科技保障',
      ].map((aspect, i) => ({
        aspect,
        indicators: 12 + (i % 3),
        assigned: 11 + (i % 3),
        evidenceComplete: 8 + (i % 4),
        selfChecked: 12 + (i % 3),
        openProblems: (i * 7) % 5,
        score: null,
        max: null,
        rate: null,
      })),
      indicators: Array.from({ length: 100 }, (_, i) => {
        const no = i + 1
        const state = no % 7 === 0 ? 'none' : no % 3 === 0 ? 'partial' : 'complete'
        return {
          indicatorId: 1000 + no,
          no,
          text: `演示指标第 ${no} 项的考核内容`,
          aspect: ['一、政府职能依法全面履行', '二、依法行政制度体系完善', '三、重大行政决策科学民主合法', '四、行政执法严格规范公正文明'][i % 4],
          leads: no % 25 === 0 ? [] : [['区司法局', '区市场监管局', '区政府办公室', '区人社局'][no % 4]],
          evidence: state,
          evidenceLabel: { none: '尚无材料', partial: '部分齐全', complete: '齐全' }[state],
          selfRating: no % 9 === 0 ? '' : '达标',
          openProblems: no % 11 === 0 ? 2 : 0,
          score: no % 13 === 0 ? 6 : 10,
          max: 10,
        } satisfies IndicatorProgress
      }),
      units: [
        ['区市场监管局', 3, 5],
        ['区城管执法局', 1, 4],
        ['区生态环境分局', 1, 2],
        ['区司法局', 0, 2],
        ['区人社局', 0, 1],
      ].map(([unitName, overdue, open], i) => ({
        unitId: i + 1,
        unitName: unitName as string,
        unitKind: '区直部门',
        total: 12,
        todo: (open as number) - 1,
        doing: 1,
        done: 12 - (open as number) - 2,
        closed: 2,
        open: open as number,
        overdue: overdue as number,
        doneRate: Math.round(((12 - (open as number)) / 12) * 1000) / 10,
      })),
      risks: [
        { indicatorId: 12, no: 12, text: '行政规范性文件合法性审核机制健全', aspect: '二、依法行政制度体系完善', max: 10, lost: 4, leads: [{ id: 4, name: '区司法局' }], reasons: ['未见审核台账'], prevLost: null },
        { indicatorId: 31, no: 31, text: '行政执法“三项制度”全面落实', aspect: '四、行政执法严格规范公正文明', max: 12, lost: 3.5, leads: [{ id: 1, name: '区市场监管局' }], reasons: ['公示信息不全'], prevLost: null },
      ],
      notes: ['3 个问题已逾期', '触发否决项 1 项'],
    }
  }

  return { list, previewMove, applyMove, save, setGates, saveEvent, deleteEvent, dashboard }
}
