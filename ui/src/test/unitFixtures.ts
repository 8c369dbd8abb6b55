// Units, roster and 任务分解 fixtures for component tests.
import type { Assignment } from '../gen/Assignment'
import type { CollectPreview } from '../gen/CollectPreview'
import type { RosterMember } from '../gen/RosterMember'
import type { TasksImportPreview } from '../gen/TasksImportPreview'
import type { UnitInfo } from '../gen/UnitInfo'
import type { UnitRef } from '../gen/UnitRef'
import type { UnitTaskSummary } from '../gen/UnitTaskSummary'
import { MATCHED_BY_LABELS } from '../gen/vocabulary'

export function unit(id: number, name: string, overrides: Partial<UnitInfo> = {}): UnitInfo {
  return {
    id,
    name,
    shortName: name.replace(/^区/, ''),
    aliases: [],
    kind: '行政执法单位',
    contact: '',
    phone: '',
    leader: '',
    note: '',
    rosterCount: 3,
    rosterRequired: 3,
    leadCount: 0,
    supportCount: 0,
    ...overrides,
  }
}

export const UNITS: UnitInfo[] = [
  unit(1, '区司法局', { leadCount: 2, supportCount: 1 }),
  unit(2, '区公安分局', { supportCount: 2 }),
  unit(3, '区市场监管局', { rosterCount: 2, supportCount: 1 }),
  unit(4, '区教育局', { kind: '非行政执法单位', rosterCount: 1, rosterRequired: 1, supportCount: 1 }),
  unit(5, '区财政局', { kind: '非行政执法单位', rosterRequired: 1, supportCount: 1 }),
]

const ref = (u: UnitInfo): UnitRef => ({ id: u.id, name: u.name })

export function assignment(no: number, overrides: Partial<Assignment> = {}): Assignment {
  return {
    indicatorId: no,
    no,
    text: `第 ${no} 项指标的内容`,
    path: ['一、政府职能依法全面履行', '（一）依法履行政府职能'],
    leads: [],
    supports: [],
    task: '',
    leader: '',
    deadlineText: '2025年9月底',
    deadlineDate: '2025-09-30',
    evidence: [],
    note: '',
    assigned: false,
    reports: [],
    ...overrides,
  }
}

export const ASSIGNMENTS: Assignment[] = [
  assignment(1, {
    text: '建立健全行政执法公示制度',
    deadlineText: '２０２５年１０月底前',
    leads: [ref(UNITS[0])],
    supports: UNITS.slice(1).map(ref),
    evidence: ['公示制度文件', '公示平台截图'],
    assigned: true,
    reports: [
      {
        unitId: 1,
        unitName: '区司法局',
        status: '已完成',
        explanation: '公示制度已印发',
        evidenceDir: '01-公示制度',
        contact: '王某',
        updatedAt: '2026-11-20 10:00:00',
      },
    ],
  }),
  assignment(2, {
    text: '行政复议案件按期办结',
    path: ['二、行政决策科学民主合法'],
    leads: [ref(UNITS[0])],
    supports: [ref(UNITS[1])],
    assigned: true,
  }),
  assignment(3, { text: '政务公开目录动态更新', path: ['二、行政决策科学民主合法'] }),
]

export const SUMMARY: UnitTaskSummary[] = [
  { unitId: 1, unitName: '区司法局', kind: '行政执法单位', leadCount: 2, supportCount: 0, text: '区司法局 牵头 2 项、参与 0 项' },
  { unitId: 2, unitName: '区公安分局', kind: '行政执法单位', leadCount: 0, supportCount: 2, text: '区公安分局 牵头 0 项、参与 2 项' },
]

export function member(id: number, unitId: number, name: string, overrides: Partial<RosterMember> = {}): RosterMember {
  const u = UNITS.find((x) => x.id === unitId)
  return {
    id,
    unitId,
    unitName: u?.name ?? '',
    name,
    title: '科长',
    officePhone: '0722-1234567',
    mobile: '13800000000',
    role: '明白人',
    ...overrides,
  }
}

export function tasksPreview(overrides: Partial<TasksImportPreview> = {}): TasksImportPreview {
  return {
    fileName: '任务分解表.xlsx',
    sheet: '任务分解',
    numberColumn: '工作表“任务分解”第2行 B列',
    rows: 100,
    created: 90,
    updated: 5,
    unchanged: 5,
    changes: [],
    guesses: [{ written: '司法局', unitName: '区司法局', reason: '简称相同', places: ['第5行 G列', '第9行 H列'] }],
    unknownUnits: [{ name: '区大数据中心', kind: '其他', places: ['第12行 H列'] }],
    catchAlls: [{ written: '各街道', meaning: '全部乡镇街道', unitCount: 8, places: ['第20行 H列'] }],
    chosen: [],
    matchedByText: [],
    ignoredColumns: [],
    notInFile: 0,
    issues: [],
    canApply: true,
    ...overrides,
  }
}

export function collectPreview(overrides: Partial<CollectPreview> = {}): CollectPreview {
  return {
    source: 'D:\\回收',
    sheets: [
      {
        file: '区公安分局.xlsx',
        path: '区公安分局.xlsx',
        folder: '',
        modified: '2025-09-03 16:45',
        unitId: 2,
        unitName: '区公安分局',
        matchedBy: 'stamp',
        matchedByLabel: MATCHED_BY_LABELS.stamp,
        revision: 3,
        rows: 2,
        changes: [{ no: 1, indicator: '建立健全行政执法公示制度', field: '完成情况', old: '', new: '已完成' }],
        conflicts: [
          { no: 2, indicator: '行政复议案件按期办结', field: '完成时限', sent: '2025年9月底', office: '2025年10月底', unit: '2025年12月底' },
        ],
        insertedRows: [],
      },
    ],
    changeCount: 1,
    conflictCount: 1,
    duplicates: [],
    mismatches: [],
    issues: [],
    canApply: true,
    ...overrides,
  }
}
