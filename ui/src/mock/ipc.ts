// Dev-only stand-in for the Rust backend, installed by main.ts when VITE_MOCK_IPC=1
// (`npm run build:mock`, or `vite --mode mock`). Used for screenshots and browser e2e
// runs without Tauri. The production build never loads this module.
//
// URL switches: `?mock=empty` starts without any campaign (first-run wizard);
// `?mock=damaged` starts on the recovery screen (damaged data file, one backup).
// A picked path containing "error" makes the import preview refuse the file.
import { mockIPC } from '@tauri-apps/api/mocks'

import type { CommandName, ErrorKind } from '../gen/commands'

import nationalJson from '../../../assets/systems/national-2021-partial.json'
import type { AppStatus } from '../gen/AppStatus'
import type { CampaignInfo } from '../gen/CampaignInfo'
import type { IndicatorImportPreview } from '../gen/IndicatorImportPreview'
import type { IndicatorNode } from '../gen/IndicatorNode'
import type { IndicatorTree } from '../gen/IndicatorTree'
import type { NewCampaign } from '../gen/NewCampaign'
import type { SystemInfo } from '../gen/SystemInfo'
import type { AssignmentFilter } from '../gen/AssignmentFilter'
import type { CollectOptions } from '../gen/CollectOptions'
import type { RosterInput } from '../gen/RosterInput'
import type { RosterRule } from '../gen/RosterRule'
import type { TasksImportOptions } from '../gen/TasksImportOptions'
import type { UnitInput } from '../gen/UnitInput'
import type { RecoveryReport } from '../gen/RecoveryReport'
import type { RecoveryStatus } from '../gen/RecoveryStatus'
import { createUnitsStore } from './units'
import { createProblemsStore } from './problems'
import { createEvidenceStore } from './evidence'
import { createOverviewStore } from './overview'
import type { GateKind } from '../gen/GateKind'
import type { PhaseEventInput } from '../gen/PhaseEventInput'
import type { PhaseInput } from '../gen/PhaseInput'
import type { PhaseKey } from '../gen/PhaseKey'
import type { ArchivePlan } from '../gen/ArchivePlan'
import type { EvidenceAddOptions } from '../gen/EvidenceAddOptions'
import type { EvidenceAssign } from '../gen/EvidenceAssign'
import type { EvidenceEdit } from '../gen/EvidenceEdit'
import type { EvidenceFilter } from '../gen/EvidenceFilter'
import type { EvidenceReview } from '../gen/EvidenceReview'
import type { LetterSettings } from '../gen/LetterSettings'
import type { PartEdit } from '../gen/PartEdit'
import type { ProblemEdit } from '../gen/ProblemEdit'
import type { ProblemFilter } from '../gen/ProblemFilter'
import type { RemindOptions } from '../gen/RemindOptions'
import type { RoundInput } from '../gen/RoundInput'
import type { SelfAssessmentInput } from '../gen/SelfAssessmentInput'
import type { StatusChange } from '../gen/StatusChange'
import { DEMO_LEVEL_NAMES, demoRoots, demoSystemInfo, type DemoFile } from './demoSystem'

const national = nationalJson as unknown as DemoFile

interface StoredSystem {
  info: SystemInfo
  roots: IndicatorNode[]
}

function now(): string {
  const d = new Date()
  const p = (n: number) => String(n).padStart(2, '0')
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}:00+08:00`
}

function fail(kind: ErrorKind, message: string): never {
  throw { kind, message }
}

function fileNameOf(path: string): string {
  return path.split(/[\\/]/).pop() ?? path
}

function mockRecovery(): RecoveryStatus {
  const dir = 'C:\\Users\\演示用户\\AppData\\Roaming\\cn.gov.shifan\\data'
  const id = '20261123-093000-120-daily'
  return {
    dataDir: dir,
    dbPath: `${dir}\\shifan.db`,
    state: 'damaged',
    message: `数据文件 shifan.db 已损坏（“${dir}\\shifan.db”，结构检查未通过，可能是复制中断、U 盘拔出或断电造成的）。备份文件夹中有 1 份备份，最新的完好备份是 2026-11-23 09:30:00 的“每日自动备份”（编号 ${id}；内容：曾都区法治政府建设示范创建（省级））。`,
    backups: [
      {
        id,
        dbFile: `${id}.db`,
        createdAt: '2026-11-23 09:30:00',
        reason: 'daily',
        reasonLabel: '每日自动备份',
        appVersion: '0.1.0',
        operator: '张三',
        size: 143360,
        sha256: '',
        summary: {
          campaigns: ['曾都区法治政府建设示范创建（省级）'],
          counts: [{ table: 'unit', label: '责任单位', count: 20 }],
          schemaVersion: 4,
          lastChangeId: 12,
          lastChangeAt: '2026-11-23 09:20:00',
        },
        evidence: [],
        path: `${dir}\\backups\\${id}.db`,
        keptBecause: '最近 10 份之一',
      },
    ],
    damagedBackups: [],
    newestGood: id,
    keptFiles: [],
  }
}

export function installMockIpc(): void {
  const mode = new URLSearchParams(window.location.search).get('mock')
  const empty = mode === 'empty'
  let damaged = mode === 'damaged'
  const systems: StoredSystem[] = [{ info: demoSystemInfo(), roots: demoRoots() }]
  const campaigns: CampaignInfo[] = []
  let activeId: number | null = null

  const systemOf = (id: number) => systems.find((s) => s.info.id === id) ?? fail('notFound', `指标体系（编号 ${id}）不存在。`)
  const active = () => campaigns.find((c) => c.id === activeId) ?? null
  const view = (c: CampaignInfo): CampaignInfo => {
    const sys = systemOf(c.systemId).info
    return { ...c, systemName: sys.name, systemIsDemo: sys.isDemo, active: c.id === activeId }
  }

  function preview(path: string): IndicatorImportPreview {
    const fileName = fileNameOf(path)
    const broken = /error/i.test(path)
    const roots = demoRoots(national, 0)
    const existing = systems.find((s) => s.info.name === national.name && s.info.version === national.version)
    return {
      fileName,
      source: '工作表“指标体系”',
      name: national.name,
      version: national.version,
      levelNames: DEMO_LEVEL_NAMES,
      roots,
      leafCount: 3,
      branchCounts: [1, 1],
      issues: [
        {
          severity: 'warning',
          message: `${fileName}，工作表“指标体系”，第 6 行：三级指标只有第 1—3 项，缺少第 4—100 项，请核对官方文本。`,
          file: fileName,
          sheet: '指标体系',
          row: 6,
          col: 'A',
        },
        ...(broken
          ? [
              {
                severity: 'error' as const,
                message: `${fileName}，工作表“指标体系”，第 3 行 C 列：指标内容为空。\n请补全后重新导入。`,
                file: fileName,
                sheet: '指标体系',
                row: 3,
                col: 'C',
              },
            ]
          : []),
      ],
      canApply: !broken,
      existingSystemId: existing ? existing.info.id : null,
    }
  }

  function importSystem(path: string): SystemInfo {
    const p = preview(path)
    if (!p.canApply) fail('import', `文件“${p.fileName}”有错误，未导入。`)
    const existing = systems.find((s) => s.info.id === p.existingSystemId)
    const info: SystemInfo = {
      id: existing ? existing.info.id : Math.max(...systems.map((s) => s.info.id)) + 1,
      key: `${national.name}-${national.version}`,
      name: national.name,
      version: national.version,
      issuer: national.issuer,
      isDemo: false,
      embedded: false,
      levelNames: DEMO_LEVEL_NAMES,
      leafCount: p.leafCount,
      branchCount: 2,
      importedFrom: p.fileName,
      importedAt: now(),
    }
    const roots = demoRoots(national, 1000 * info.id)
    if (existing) Object.assign(existing, { info, roots })
    else systems.push({ info, roots })
    return info
  }

  function create(input: NewCampaign): CampaignInfo {
    const district = (input.district ?? '').trim()
    if (!district) fail('invalid', '请填写区（县）名称。')
    const sys = input.systemFile ? importSystem(input.systemFile) : systems.find((s) => s.info.key === (input.systemKey ?? 'demo'))?.info
    if (!sys) fail('notFound', `指标体系“${input.systemKey}”不存在。`)
    const level = input.level ?? '省级'
    const c: CampaignInfo = {
      id: campaigns.length + 1,
      name: input.name?.trim() || `${district}法治政府建设示范创建`,
      district,
      level,
      systemId: sys.id,
      systemName: sys.name,
      systemIsDemo: sys.isDemo,
      createdAt: now(),
      active: true,
    }
    campaigns.push(c)
    activeId = c.id
    return view(c)
  }

  if (!empty) {
    create({ district: '曾都区', level: '省级', systemKey: 'demo' })
  }

  const u = createUnitsStore()
  const pr = createProblemsStore(
    () => u.units,
    () => u.listAssignments({ aspect: null, unitId: null, unassignedOnly: false }),
  )
  const ev = createEvidenceStore(
    () => u.units,
    () => u.listAssignments({ aspect: null, unitId: null, unassignedOnly: false }),
  )
  const ov = createOverviewStore()
  const hasCampaign = () => active() ?? fail('notFound', '尚未创建创建项目。')

  mockIPC((cmd, payload) => {
    const args = (payload ?? {}) as Record<string, unknown>
    // Typed: a case naming a command the backend does not declare fails to compile.
    switch (cmd as CommandName | 'plugin:dialog|open' | 'plugin:dialog|save') {
      case 'recovery_status':
        return damaged ? mockRecovery() : null
      case 'apply_recovery':
      case 'apply_fresh_start':
        damaged = false
        return {
          restored: null,
          kept: ['C:\\Users\\演示用户\\AppData\\Roaming\\cn.gov.shifan\\data\\shifan.db.damaged-20261123-100500'],
          message: '数据文件 shifan.db 已损坏，已从备份恢复数据。损坏的文件已改名保存为“shifan.db.damaged-20261123-100500”，留在数据文件夹中，没有删除。',
        } satisfies RecoveryReport
      case 'app_status': {
        if (damaged) fail('damaged', '数据文件 shifan.db 已损坏，请先在启动页面从备份恢复。')
        const a = active()
        const status: AppStatus = {
          dataDir: 'C:\\Users\\演示用户\\AppData\\Roaming\\cn.gov.shifan\\data',
          active: a ? view(a) : null,
          campaigns: campaigns.map(view),
        }
        return status
      }
      case 'list_systems':
        return systems.map((s) => s.info)
      case 'create_campaign':
        return create(args.input as NewCampaign)
      case 'switch_campaign': {
        const c = campaigns.find((x) => x.id === args.id) ?? fail('notFound', '创建项目不存在。')
        activeId = c.id
        return view(c)
      }
      case 'set_campaign_system': {
        const c = active() ?? fail('notFound', '尚未创建创建项目。')
        c.systemId = systemOf(args.systemId as number).info.id
        return view(c)
      }
      case 'indicator_tree': {
        const id = (args.systemId as number | null) ?? active()?.systemId ?? fail('notFound', '尚未创建创建项目。')
        const s = systemOf(id)
        const tree: IndicatorTree = { system: s.info, roots: s.roots }
        return tree
      }
      case 'preview_indicator_import':
        return preview(args.path as string)
      case 'apply_indicator_import': {
        const info = importSystem(args.path as string)
        const c = active()
        if (args.bind && c) c.systemId = info.id
        return info
      }
      case 'export_indicators':
        return args.path
      case 'list_units':
        hasCampaign()
        return u.units
      case 'save_unit':
        hasCampaign()
        return u.saveUnit(args.input as UnitInput)
      case 'delete_unit':
        hasCampaign()
        return u.deleteUnit(args.id as number)
      case 'roster':
        return u.roster.filter((m) => args.unitId == null || m.unitId === args.unitId)
      case 'set_roster':
        return u.setRoster(args.unitId as number, args.members as RosterInput[])
      case 'roster_check':
        return u.rosterCheck()
      case 'roster_rule':
        return u.rosterRule()
      case 'set_roster_rule':
        return u.setRosterRule(args.rule as RosterRule)
      case 'list_assignments':
        hasCampaign()
        return u.listAssignments(args.filter as AssignmentFilter)
      case 'unit_task_summary':
        return u.summary()
      case 'preview_tasks_import':
      case 'apply_tasks_import':
        return u.tasksPreview(fileNameOf(args.path as string), (args.options as TasksImportOptions).strict)
      case 'preview_units_import':
      case 'apply_units_import':
        return u.unitsPreview(fileNameOf(args.path as string))
      case 'preview_collect':
      case 'apply_collect':
        return u.collectPreview(args.path as string, args.options as CollectOptions | undefined)
      case 'export_units':
      case 'export_tasks':
        return args.path
      case 'export_unit_sheets':
        return { path: args.target, files: u.units.map((x) => `${x.name}.xlsx`), unitCount: u.units.length }
      case 'list_rounds':
        hasCampaign()
        return pr.listRounds()
      case 'save_round':
        return pr.saveRound(args.input as RoundInput)
      case 'delete_round':
        return null
      case 'list_problems':
        hasCampaign()
        return pr.listProblems(args.filter as ProblemFilter)
      case 'problem_detail':
        return pr.problemDetail(args.id as number)
      case 'add_problem':
        return fail('invalid', '演示后端不支持新增问题。')
      case 'edit_problem':
        return pr.editProblem(args.edit as ProblemEdit)
      case 'edit_problem_part':
        return pr.editPart(args.edit as PartEdit)
      case 'set_problem_status':
        return pr.setStatus(args.change as StatusChange)
      case 'problem_league':
        return pr.league((args.roundId as number | null) ?? null)
      case 'preview_problems_import':
      case 'apply_problems_import':
        return pr.importPreview(args.path as string)
      case 'export_problems':
        return args.path
      case 'export_problem_sheets':
        return { path: args.target, files: u.units.map((x) => `${x.name}-督察问题整改表.xlsx`), unitCount: u.units.length, problemCount: 20 }
      case 'preview_problems_collect':
      case 'apply_problems_collect':
        return pr.collectPreview(args.path as string)
      case 'letter_settings':
        return pr.letterSettings()
      case 'set_letter_settings':
        return pr.setLetterSettings(args.settings as LetterSettings)
      case 'export_letters':
        return pr.letters(args.roundId as number, args.target as string)
      case 'remind':
        return pr.remind(args.options as RemindOptions)
      case 'list_self_assessments':
        hasCampaign()
        return pr.selfAssessments()
      case 'save_self_assessment':
        return pr.saveSelfAssessment(args.input as SelfAssessmentInput)
      case 'preview_evidence_add':
      case 'apply_evidence_add':
        hasCampaign()
        return ev.addPreview(args.paths as string[], args.options as EvidenceAddOptions, cmd === 'apply_evidence_add')
      case 'list_evidence':
        hasCampaign()
        return ev.list(args.filter as EvidenceFilter)
      case 'evidence_detail':
        return ev.detail(args.id as number)
      case 'update_evidence':
        return ev.update(args.id as number, args.edit as EvidenceEdit)
      case 'assign_evidence':
        return ev.assign(args.input as EvidenceAssign)
      case 'unassign_evidence':
        return ev.assign(args.input as EvidenceAssign, true)
      case 'review_evidence':
        return ev.review(args.input as EvidenceReview)
      case 'remove_evidence':
        return ev.remove(args.ids as number[])
      case 'evidence_completeness':
        hasCampaign()
        return ev.completeness()
      case 'export_return_list':
        return args.path
      case 'verify_evidence':
        return ev.verify()
      case 'relink_evidence':
        return { hash: args.hash, items: 1, message: '已重新关联 1 份材料的文件。' }
      case 'archive_plan':
        return ev.archivePlan()
      case 'export_archive':
        return ev.exportArchive(args.target as string, args.plan as ArchivePlan)
      case 'evidence_file':
        return ev.file(args.id as number)
      case 'evidence_preview':
        return ev.preview(args.id as number)
      case 'open_evidence':
        return `C:\\Users\\演示\\AppData\\Local\\Temp\\示范创建工作台-查看副本\\${args.id}-材料`
      case 'search':
        return ev.search(args.query as string)
      case 'list_phases':
      case 'plan_phases':
        return ov.list()
      case 'save_phases':
        return ov.save(args.input as PhaseInput[])
      case 'preview_phase_move':
        return ov.previewMove(args.to as PhaseKey)
      case 'apply_phase_move':
        return ov.applyMove(args.to as PhaseKey)
      case 'set_phase_gates':
        return ov.setGates(args.to as PhaseKey, args.gates as GateKind[])
      case 'save_phase_event':
        return ov.saveEvent(args.input as PhaseEventInput)
      case 'delete_phase_event':
        return ov.deleteEvent(args.id as number)
      case 'dashboard': {
        const c = hasCampaign()
        return ov.dashboard(c.name, c.district)
      }
      case 'export_report':
        return { path: args.path, today: '2023-04-15', sections: ['一、总体进展', '二、各方面进展', '三、各单位整改情况', '四、主要风险', '五、逾期问题'], charts: 2 }
      case 'export_summary_image':
        return { path: args.path, width: 1080, height: 1920, figures: 6 }
      case 'export_package':
        return { target: args.target, entries: [], warnings: [], summary: `已导出申报材料包：${args.target as string}` }
      case 'plugin:dialog|open': {
        const o = (args.options ?? {}) as { multiple?: boolean; directory?: boolean }
        // 添加佐证材料 picks several files: one unit's zip as Windows makes it.
        if (o.multiple) return ['C:\\Users\\演示用户\\Downloads\\区司法局.zip']
        if (o.directory && /evidence/.test(location.hash)) return 'C:\\Users\\演示用户\\Downloads\\区公安分局佐证材料'
        return 'C:\\Users\\演示用户\\Documents\\市县法治政府建设示范指标体系.xlsx'
      }
      case 'plugin:dialog|save':
        return 'C:\\Users\\演示用户\\Documents\\指标体系表.xlsx'
      default:
        fail('internal', `演示后端不支持命令 ${cmd}。`)
    }
  })
}
