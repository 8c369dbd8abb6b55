// Dev-only 单位 / 明白人 / 任务分解 data for the mock backend (screenshots, browser e2e).
// Made-up but plausible; assignments cover the demo system's leaves.
import type { ErrorKind } from '../gen/commands'
import type { Assignment } from '../gen/Assignment'
import type { AssignmentFilter } from '../gen/AssignmentFilter'
import type { CollectOptions } from '../gen/CollectOptions'
import type { CollectPreview } from '../gen/CollectPreview'
import type { RosterInput } from '../gen/RosterInput'
import type { RosterMember } from '../gen/RosterMember'
import type { RosterRule } from '../gen/RosterRule'
import type { RosterShortfall } from '../gen/RosterShortfall'
import type { TasksImportPreview } from '../gen/TasksImportPreview'
import type { UnitInfo } from '../gen/UnitInfo'
import type { UnitInput } from '../gen/UnitInput'
import type { UnitRef } from '../gen/UnitRef'
import type { UnitTaskSummary } from '../gen/UnitTaskSummary'
import type { UnitsImportPreview } from '../gen/UnitsImportPreview'
import { MATCHED_BY_LABELS } from '../gen/vocabulary'
import { demoFile } from './demoSystem'

const LAW = '行政执法单位'
const NON = '非行政执法单位'
const TOWN = '乡镇街道'

const UNIT_SEED: Array<[string, string, string]> = [
  ['区司法局', '司法局', LAW],
  ['区政府办公室', '区政府办', NON],
  ['区公安分局', '公安分局', LAW],
  ['区市场监管局', '市场监管局', LAW],
  ['区生态环境分局', '生态环境分局', LAW],
  ['区人社局', '人社局', LAW],
  ['区财政局', '财政局', NON],
  ['区教育局', '教育局', LAW],
  ['区卫健局', '卫健局', LAW],
  ['区应急管理局', '应急局', LAW],
  ['区政务服务中心', '政务中心', NON],
  ['区信访局', '信访局', NON],
  ['东城街道', '东城', TOWN],
  ['西城街道', '西城', TOWN],
  ['南郊街道', '南郊', TOWN],
]

/** As shifan_core::units::RosterRule::default(): 乡镇街道 count as 行政执法. */
const rule: RosterRule = { enforcement: 3, otherDept: 2, town: 3, other: 0 }

/** As RosterRule::required. */
function required(kind: string): number {
  if (kind === LAW) return rule.enforcement
  if (kind === NON) return rule.otherDept
  if (kind === TOWN) return rule.town
  return rule.other
}

const KINDS = [LAW, NON, TOWN, '其他']

function fail(kind: ErrorKind, message: string): never {
  throw { kind, message }
}

/** A unit's names by what they are: 名称, 简称, 别名. */
function namesOf(name: string, shortName: string, aliases: string[]): Array<[string, string]> {
  return [['名称', name], ...(shortName ? [['简称', shortName] as [string, string]] : []), ...aliases.map((a): [string, string] => ['别名', a])]
}

export function createUnitsStore() {
  const units: UnitInfo[] = UNIT_SEED.map(([name, shortName, kind], i) => ({
    id: i + 1,
    name,
    shortName,
    aliases: [],
    kind,
    contact: '',
    phone: '',
    leader: '',
    note: '',
    rosterCount: 0,
    rosterRequired: required(kind),
    leadCount: 0,
    supportCount: 0,
  }))
  const surnames = '王李张刘陈杨黄赵周吴徐孙胡朱高林何郭马罗'
  const given = ['建国', '丽娟', '志强', '海燕', '晓明', '红梅', '国平', '小兵']
  let memberId = 1
  const roster: RosterMember[] = []
  units.forEach((u, i) => {
    // A few units fall short of the rule so the shortfall alert has something to say.
    const n = i === 3 || i === 8 ? 2 : u.rosterRequired + (i % 2)
    for (let k = 0; k < n; k++) {
      roster.push({
        id: memberId++,
        unitId: u.id,
        unitName: u.name,
        name: surnames[(i * 3 + k) % surnames.length] + given[(i + k) % given.length],
        title: ['副局长', '科长', '科员', '副主任'][k % 4],
        officePhone: `0722-33${String(10 + i).padStart(2, '0')}${k}0`,
        mobile: `139${String(7000000 + i * 131 + k * 7).padStart(8, '0')}`,
        role: ['分管领导', '负责人', '联络员', '明白人'][k % 4],
      })
    }
  })

  const ref = (u: UnitInfo): UnitRef => ({ id: u.id, name: u.name })
  const assignments: Assignment[] = []
  let leafIndex = 0
  for (const l1 of demoFile.levels) {
    for (const l2 of l1.children) {
      for (const ind of l2.indicators) {
        const i = leafIndex++
        const assigned = i % 9 !== 8
        const lead = units[i % 12]
        const supports = assigned
          ? units.filter((u, k) => u.id !== lead.id && (k + i) % 4 === 0).slice(0, 1 + (i % 6))
          : []
        assignments.push({
          indicatorId: 1000 + ind.no,
          no: ind.no,
          text: ind.text,
          path: [`${l1.code}、${l1.name}`, `${l2.code}${l2.name}`],
          leads: assigned ? [ref(lead)] : [],
          supports: supports.map(ref),
          task: '',
          leader: '',
          deadlineText: assigned ? ['2025年6月底', '2025年9月底', '长期坚持'][i % 3] : '',
          deadlineDate: null,
          evidence: assigned ? ['相关制度文件', '工作台账', '会议纪要'].slice(0, 1 + (i % 3)) : [],
          note: '',
          assigned,
          reports: [],
        })
      }
    }
  }

  function refreshCounts() {
    for (const u of units) {
      u.rosterCount = roster.filter((m) => m.unitId === u.id).length
      u.leadCount = assignments.filter((a) => a.leads.some((r) => r.id === u.id)).length
      u.supportCount = assignments.filter((a) => a.supports.some((r) => r.id === u.id)).length
    }
  }
  refreshCounts()

  function listAssignments(f: AssignmentFilter): Assignment[] {
    return assignments.filter(
      (a) =>
        (f.aspect == null || a.path[0] === f.aspect) &&
        (f.unitId == null || [...a.leads, ...a.supports].some((u) => u.id === f.unitId)) &&
        (!f.unassignedOnly || !a.assigned),
    )
  }

  function summary(): UnitTaskSummary[] {
    return units
      .filter((u) => u.leadCount + u.supportCount > 0)
      .map((u) => ({
        unitId: u.id,
        unitName: u.name,
        kind: u.kind,
        leadCount: u.leadCount,
        supportCount: u.supportCount,
        text: `${u.name} 牵头 ${u.leadCount} 项、参与 ${u.supportCount} 项`,
      }))
  }

  function rosterRule(): RosterRule {
    return { ...rule }
  }

  function setRosterRule(next: RosterRule): RosterRule {
    for (const n of [next.enforcement, next.otherDept, next.town, next.other]) {
      if (!Number.isInteger(n) || n < 0 || n > 99) fail('invalid', `明白人人数“${n}”无效，应为 0 到 99 之间的整数。`)
    }
    Object.assign(rule, next)
    for (const u of units) u.rosterRequired = required(u.kind)
    return { ...rule }
  }

  function rosterCheck(): RosterShortfall[] {
    return units
      .filter((u) => u.rosterCount < u.rosterRequired)
      .map((u) => ({
        unitId: u.id,
        unitName: u.name,
        kind: u.kind,
        count: u.rosterCount,
        required: u.rosterRequired,
        missing: u.rosterRequired - u.rosterCount,
      }))
  }

  function setRoster(unitId: number, members: RosterInput[]): RosterMember[] {
    const u = units.find((x) => x.id === unitId)
    if (!u) throw { kind: 'notFound', message: `单位（编号 ${unitId}）不存在。` }
    for (let i = roster.length - 1; i >= 0; i--) if (roster[i].unitId === unitId) roster.splice(i, 1)
    for (const m of members) roster.push({ ...m, id: memberId++, unitId, unitName: u.name })
    refreshCounts()
    return roster.filter((m) => m.unitId === unitId)
  }

  /** As Workspace::save_unit: a name, 简称 or 别名 leads to one unit only. */
  function saveUnit(input: UnitInput): UnitInfo {
    const name = input.name.trim()
    if (!name) fail('invalid', '请填写单位名称。')
    if (!KINDS.includes(input.kind)) fail('invalid', `单位类别“${input.kind}”无效，只能是：${KINDS.join('、')}。`)
    const shortName = input.shortName.trim()
    const aliases = input.aliases.map((a) => a.trim()).filter((a, i, all) => a && a !== name && all.indexOf(a) === i)
    const mine = namesOf(name, shortName, aliases)
    for (const e of units.filter((x) => x.id !== input.id)) {
      for (const [theirWhat, t] of namesOf(e.name, e.shortName, e.aliases)) {
        const hit = mine.find(([, m]) => m === t)
        if (!hit) continue
        if (hit[0] === '名称' && theirWhat === '名称') fail('invalid', `单位“${e.name}”已存在。`)
        fail(
          'invalid',
          `“${hit[1]}”已是单位“${e.name}”的${theirWhat}，不能再作为“${name}”的${hit[0]}。同一写法只能指一个单位，请改用其他写法。`,
        )
      }
    }
    const fields = {
      name,
      shortName,
      aliases,
      kind: input.kind,
      contact: input.contact.trim(),
      phone: input.phone.trim(),
      leader: input.leader.trim(),
      note: input.note.trim(),
      rosterRequired: required(input.kind),
    }
    let u: UnitInfo
    if (input.id != null) {
      u = units.find((x) => x.id === input.id) ?? fail('notFound', `单位（编号 ${input.id}）不存在。`)
      Object.assign(u, fields)
      for (const m of roster) if (m.unitId === u.id) m.unitName = name
      for (const a of assignments) for (const r of [...a.leads, ...a.supports]) if (r.id === u.id) r.name = name
    } else {
      u = { id: Math.max(0, ...units.map((x) => x.id)) + 1, ...fields, rosterCount: 0, leadCount: 0, supportCount: 0 }
      units.push(u)
    }
    refreshCounts()
    return u
  }

  /** As Workspace::delete_unit: refused while the unit has tasks; its roster goes with it. */
  function deleteUnit(id: number): null {
    const u = units.find((x) => x.id === id) ?? fail('notFound', `单位（编号 ${id}）不存在。`)
    if (u.leadCount + u.supportCount > 0) {
      fail(
        'invalid',
        `单位“${u.name}”仍承担 ${u.leadCount + u.supportCount} 项任务（牵头 ${u.leadCount} 项、参与 ${u.supportCount} 项），请先在任务分解中调整后再删除。`,
      )
    }
    units.splice(units.indexOf(u), 1)
    for (let i = roster.length - 1; i >= 0; i--) if (roster[i].unitId === id) roster.splice(i, 1)
    return null
  }

  function tasksPreview(fileName: string, strict: boolean): TasksImportPreview {
    return {
      fileName,
      sheet: '任务分解',
      numberColumn: '工作表“任务分解”第2行 B列',
      rows: assignments.length,
      created: 0,
      updated: 6,
      unchanged: assignments.length - 6,
      changes: [],
      guesses: strict ? [] : [{ written: '市场局', unitName: '区市场监管局', reason: '与简称“市场监管局”相近', places: ['第7行 G列'] }],
      unknownUnits: [{ name: '区大数据中心', kind: NON, places: ['第15行 H列'] }],
      catchAlls: [{ written: '各街道', meaning: '全部乡镇街道', unitCount: 3, places: ['第21行 H列', '第30行 H列'] }],
      chosen: [],
      matchedByText: [],
      ignoredColumns: [],
      notInFile: 0,
      issues: strict
        ? [{ severity: 'error', message: '第7行 G列：“市场局”不是单位名单中的名称（严格模式不接受猜测）。', file: fileName, sheet: '任务分解', row: 7, col: 'G' }]
        : [{ severity: 'warning', message: '第15行 H列：“区大数据中心”不在单位名单中，将不会分配。', file: fileName, sheet: '任务分解', row: 15, col: 'H' }],
      canApply: !strict,
    }
  }

  /**
   * A collect with what comes back wrong: a colleague's file (stamp 区财政局, names 区审计局 … here
   * 区信访局), two returns of 区司法局 (初稿 and 修改版), rows 区公安分局 inserted. `options` are
   * followed as the core does: the newest return unless another is chosen; the colleague's file
   * blocks until its unit is chosen or it is left out.
   */
  function collectPreview(source: string, options?: CollectOptions): CollectPreview {
    const id = (name: string) => units.find((x) => x.name === name)?.id ?? 0
    const choices = options?.choices ?? []
    const choiceFor = (file: string) => choices.find((c) => c.file === file)
    const draft = '区司法局-创建任务工作表.xlsx'
    const final = '收回/区司法局-创建任务工作表_修改版.xlsx'
    const sfjFile = choiceFor(draft) ? draft : final
    const colleague = '区信访局-创建任务工作表.xlsx'
    const pick = choiceFor(colleague)
    const colleagueUnit = pick?.skip ? null : (pick?.unitId ?? null)
    const change = (i: number, field: string, v: string) => ({
      no: assignments[i].no,
      indicator: assignments[i].text,
      field,
      old: '',
      new: v,
    })
    const sheets: CollectPreview['sheets'] = [
      {
        file: '区公安分局.xlsx',
        path: '区公安分局.xlsx',
        folder: '',
        modified: '2025-09-03 16:45',
        unitId: id('区公安分局'),
        unitName: '区公安分局',
        matchedBy: 'stamp',
        matchedByLabel: MATCHED_BY_LABELS.stamp,
        revision: 2,
        rows: 12,
        changes: [
          change(2, '完成情况', '已完成'),
          change(2, '自评说明', '已建立行政执法公示平台\n补充说明：9月底前完成验收。'),
          change(3, '佐证材料目录', '1.工作方案\n2.工作台账\n3.现场照片'),
          ...[5, 6, 7, 8, 9, 10].map((i) => change(i, '完成情况', '推进中')),
        ],
        conflicts: [
          { no: assignments[4].no, indicator: assignments[4].text, field: '完成时限', sent: '2025年9月底', office: '2025年10月底', unit: '2025年12月底' },
        ],
        insertedRows: [
          { sheet: '任务清单', row: 6, col: 'I', belowIndicator: assignments[2].no, field: '自评说明', text: '补充说明：9月底前完成验收。', attached: true },
          { sheet: '任务清单', row: 8, col: 'J', belowIndicator: assignments[3].no, field: '佐证材料目录', text: '2.工作台账', attached: true },
          { sheet: '任务清单', row: 9, col: 'J', belowIndicator: assignments[3].no, field: '佐证材料目录', text: '3.现场照片', attached: true },
        ],
      },
      {
        file: sfjFile,
        path: sfjFile,
        folder: sfjFile === final ? '收回' : '',
        modified: sfjFile === final ? '2025-09-05 17:30' : '2025-09-01 09:00',
        unitId: id('区司法局'),
        unitName: '区司法局',
        matchedBy: 'stamp',
        matchedByLabel: MATCHED_BY_LABELS.stamp,
        revision: 2,
        rows: 9,
        changes: sfjFile === final ? [0, 1, 2, 3].map((i) => change(i, '完成情况', '已完成')) : [change(0, '完成情况', '推进中')],
        conflicts: [],
        insertedRows: [],
      },
      {
        file: '区教育局.xlsx',
        path: '区教育局.xlsx',
        folder: '',
        modified: '2025-09-02 10:12',
        unitId: id('区教育局'),
        unitName: '区教育局',
        matchedBy: 'name',
        matchedByLabel: MATCHED_BY_LABELS.name,
        revision: null,
        rows: 8,
        changes: [],
        conflicts: [],
        insertedRows: [],
      },
    ]
    if (colleagueUnit != null) {
      sheets.push({
        file: colleague,
        path: colleague,
        folder: '',
        modified: '2025-09-04 08:30',
        unitId: colleagueUnit,
        unitName: units.find((x) => x.id === colleagueUnit)?.name ?? '',
        matchedBy: 'choice',
        matchedByLabel: MATCHED_BY_LABELS.choice,
        revision: 2,
        rows: 6,
        changes: [0, 1].map((i) => change(i, '自评说明', '已按要求落实')),
        conflicts: [],
        insertedRows: [],
      })
    }
    const issues: CollectPreview['issues'] = []
    if (colleagueUnit == null && !pick?.skip) {
      issues.push({
        severity: 'error',
        message: `“${colleague}”：导出标记表明这是发给“区财政局”的工作表，但填报单位、标题、文件名写的是“区信访局”（可能是用其他单位的工作表填报的）。该文件暂不收回：请选择它属于哪个单位，或选择不收回；也可请单位用自己的工作表重新填报。`,
        file: colleague,
        sheet: null,
        row: null,
        col: null,
      })
    }
    issues.push({
      severity: 'warning',
      message: `“区司法局”有 2 份工作表：“${draft}”（修改于 2025-09-01 09:00）、“${final}”（修改于 2025-09-05 17:30）。${
        sfjFile === final ? `默认收回最近修改的“${final}”` : `按您的选择收回“${draft}”`
      }，其余未收回。`,
      file: sfjFile,
      sheet: null,
      row: null,
      col: null,
    })
    for (const r of sheets[0].insertedRows) {
      issues.push({
        severity: 'warning',
        message: `“区公安分局.xlsx”工作表“任务清单”第${r.row}行：这一行没有指标序号（可能是单位插入的行），其内容已并入上方指标 ${r.belowIndicator} 的同一栏（另起一行）：${r.field}“${r.text}”。`,
        file: '区公安分局.xlsx',
        sheet: '任务清单',
        row: r.row,
        col: null,
      })
    }
    const changeCount = sheets.reduce((n, s) => n + s.changes.length, 0)
    return {
      source,
      sheets,
      changeCount,
      conflictCount: 1,
      duplicates: [
        {
          unitId: id('区司法局'),
          unitName: '区司法局',
          files: [
            { file: draft, path: draft, folder: '', modified: '2025-09-01 09:00', revision: 2, rows: 9, changes: 1, conflicts: 0 },
            { file: final, path: final, folder: '收回', modified: '2025-09-05 17:30', revision: 2, rows: 9, changes: 4, conflicts: 0 },
          ],
          chosen: sfjFile,
          reason: sfjFile === final ? 'newest' : 'choice',
          reasonLabel: sfjFile === final ? '默认收回最近修改的一份' : '按您的选择',
        },
      ],
      mismatches: [
        {
          file: colleague,
          path: colleague,
          folder: '',
          units: [
            { unitId: id('区财政局'), unitName: '区财政局', places: ['导出标记'] },
            { unitId: id('区信访局'), unitName: '区信访局', places: ['填报单位', '标题', '文件名'] },
          ],
          chosenUnitId: colleagueUnit,
          skipped: pick?.skip ?? false,
        },
      ],
      issues,
      canApply: !issues.some((i) => i.severity === 'error'),
    }
  }

  function unitsPreview(fileName: string): UnitsImportPreview {
    return {
      fileName,
      created: ['区大数据中心'],
      updated: [{ name: '区信访局', changes: ['类别：非行政执法单位 → 行政执法单位'] }],
      unchanged: units.length - 1,
      rosterUnits: 2,
      rosterMembers: 6,
      guesses: [],
      unknownUnits: [],
      chosen: [],
      ignoredColumns: [],
      issues: [],
      canApply: true,
    }
  }

  return {
    units,
    roster,
    listAssignments,
    summary,
    rosterCheck,
    rosterRule,
    setRosterRule,
    setRoster,
    saveUnit,
    deleteUnit,
    tasksPreview,
    collectPreview,
    unitsPreview,
  }
}
