// Generated from the IPC surface declared in src-tauri/src/commands.rs, by `cargo test`
// (src-tauri/tests/commands.rs). Do not edit: change the declaration instead.

import type { AppStatus } from './AppStatus'
import type { ArchivePlan } from './ArchivePlan'
import type { ArchiveReport } from './ArchiveReport'
import type { Assignment } from './Assignment'
import type { AssignmentFilter } from './AssignmentFilter'
import type { BackupInfo } from './BackupInfo'
import type { BonusInput } from './BonusInput'
import type { BonusItem } from './BonusItem'
import type { CampaignInfo } from './CampaignInfo'
import type { CaseFile } from './CaseFile'
import type { CaseInput } from './CaseInput'
import type { CollectOptions } from './CollectOptions'
import type { CollectPreview } from './CollectPreview'
import type { CompletenessReport } from './CompletenessReport'
import type { Dashboard } from './Dashboard'
import type { DeductionProblems } from './DeductionProblems'
import type { DeductionRule } from './DeductionRule'
import type { EvalResults } from './EvalResults'
import type { EvalRound } from './EvalRound'
import type { EvalRoundInput } from './EvalRoundInput'
import type { EvidenceAddOptions } from './EvidenceAddOptions'
import type { EvidenceAddPreview } from './EvidenceAddPreview'
import type { EvidenceAssign } from './EvidenceAssign'
import type { EvidenceDetail } from './EvidenceDetail'
import type { EvidenceEdit } from './EvidenceEdit'
import type { EvidenceFile } from './EvidenceFile'
import type { EvidenceFilter } from './EvidenceFilter'
import type { EvidenceItem } from './EvidenceItem'
import type { EvidencePreview } from './EvidencePreview'
import type { EvidenceReview } from './EvidenceReview'
import type { EvidenceVerifyReport } from './EvidenceVerifyReport'
import type { Expert } from './Expert'
import type { ExpertAssignment } from './ExpertAssignment'
import type { ExpertInput } from './ExpertInput'
import type { GateKind } from './GateKind'
import type { GridRow } from './GridRow'
import type { HandoverManifest } from './HandoverManifest'
import type { HandoverReport } from './HandoverReport'
import type { HealthReport } from './HealthReport'
import type { IndicatorImportPreview } from './IndicatorImportPreview'
import type { IndicatorTree } from './IndicatorTree'
import type { LetterSettings } from './LetterSettings'
import type { LettersExport } from './LettersExport'
import type { MarkInput } from './MarkInput'
import type { ModelInput } from './ModelInput'
import type { NameChoice } from './NameChoice'
import type { NewCampaign } from './NewCampaign'
import type { OplogFilter } from './OplogFilter'
import type { OplogPage } from './OplogPage'
import type { PackageReport } from './PackageReport'
import type { PartEdit } from './PartEdit'
import type { Phase } from './Phase'
import type { PhaseEventInput } from './PhaseEventInput'
import type { PhaseInput } from './PhaseInput'
import type { PhaseKey } from './PhaseKey'
import type { PhaseMove } from './PhaseMove'
import type { PickInput } from './PickInput'
import type { Points } from './Points'
import type { PointsInput } from './PointsInput'
import type { ProblemDetail } from './ProblemDetail'
import type { ProblemDraft } from './ProblemDraft'
import type { ProblemEdit } from './ProblemEdit'
import type { ProblemFilter } from './ProblemFilter'
import type { ProblemInfo } from './ProblemInfo'
import type { ProblemInput } from './ProblemInput'
import type { ProblemSheetsExport } from './ProblemSheetsExport'
import type { ProblemsCollectPreview } from './ProblemsCollectPreview'
import type { ProblemsImportOptions } from './ProblemsImportOptions'
import type { ProblemsImportPreview } from './ProblemsImportPreview'
import type { RecoveryReport } from './RecoveryReport'
import type { RecoveryStatus } from './RecoveryStatus'
import type { RelinkResult } from './RelinkResult'
import type { RemindOptions } from './RemindOptions'
import type { RemindResult } from './RemindResult'
import type { ReportInfo } from './ReportInfo'
import type { RestorePreview } from './RestorePreview'
import type { RestoreReport } from './RestoreReport'
import type { RosterInput } from './RosterInput'
import type { RosterMember } from './RosterMember'
import type { RosterRule } from './RosterRule'
import type { RosterShortfall } from './RosterShortfall'
import type { RoundInfo } from './RoundInfo'
import type { RoundInput } from './RoundInput'
import type { RuleInput } from './RuleInput'
import type { ScaleImportOptions } from './ScaleImportOptions'
import type { ScaleImportPreview } from './ScaleImportPreview'
import type { ScoreCollectPreview } from './ScoreCollectPreview'
import type { ScoreGrid } from './ScoreGrid'
import type { ScoreSheetsExport } from './ScoreSheetsExport'
import type { ScoringModel } from './ScoringModel'
import type { SearchHit } from './SearchHit'
import type { SelfAssessment } from './SelfAssessment'
import type { SelfAssessmentInput } from './SelfAssessmentInput'
import type { StatusChange } from './StatusChange'
import type { SummaryImage } from './SummaryImage'
import type { SystemInfo } from './SystemInfo'
import type { TasksImportOptions } from './TasksImportOptions'
import type { TasksImportPreview } from './TasksImportPreview'
import type { TrendPoint } from './TrendPoint'
import type { UndoInfo } from './UndoInfo'
import type { UnitInfo } from './UnitInfo'
import type { UnitInput } from './UnitInput'
import type { UnitSheetsExport } from './UnitSheetsExport'
import type { UnitStanding } from './UnitStanding'
import type { UnitTaskSummary } from './UnitTaskSummary'
import type { UnitsImportPreview } from './UnitsImportPreview'
import type { VetoHit } from './VetoHit'
import type { VetoInput } from './VetoInput'
import type { VetoItem } from './VetoItem'
import { call, tracked } from '../ipc'

/** Every command: its arguments and its result. */
export interface Commands {
  cancel_job: { args: { job: string }; result: boolean }
  recovery_status: { args: Record<string, never>; result: RecoveryStatus | null }
  apply_recovery: { args: { source: string }; result: RecoveryReport }
  apply_fresh_start: { args: Record<string, never>; result: RecoveryReport }
  app_status: { args: Record<string, never>; result: AppStatus }
  list_systems: { args: Record<string, never>; result: Array<SystemInfo> }
  create_campaign: { args: { input: NewCampaign }; result: CampaignInfo }
  switch_campaign: { args: { id: number }; result: CampaignInfo }
  set_campaign_system: { args: { systemId: number }; result: CampaignInfo }
  indicator_tree: { args: { systemId: number | null }; result: IndicatorTree }
  preview_indicator_import: { args: { path: string }; result: IndicatorImportPreview }
  apply_indicator_import: { args: { path: string; bind: boolean }; result: SystemInfo }
  export_indicators: { args: { path: string; systemId: number | null }; result: string }
  list_units: { args: Record<string, never>; result: Array<UnitInfo> }
  save_unit: { args: { input: UnitInput }; result: UnitInfo }
  delete_unit: { args: { id: number }; result: null }
  roster: { args: { unitId: number | null }; result: Array<RosterMember> }
  set_roster: { args: { unitId: number; members: Array<RosterInput> }; result: Array<RosterMember> }
  roster_check: { args: Record<string, never>; result: Array<RosterShortfall> }
  roster_rule: { args: Record<string, never>; result: RosterRule }
  set_roster_rule: { args: { rule: RosterRule }; result: RosterRule }
  list_assignments: { args: { filter: AssignmentFilter }; result: Array<Assignment> }
  unit_task_summary: { args: Record<string, never>; result: Array<UnitTaskSummary> }
  preview_units_import: { args: { path: string; choices: Array<NameChoice> }; result: UnitsImportPreview }
  apply_units_import: { args: { path: string; choices: Array<NameChoice> }; result: UnitsImportPreview }
  export_units: { args: { path: string }; result: string }
  preview_tasks_import: { args: { path: string; options: TasksImportOptions }; result: TasksImportPreview }
  apply_tasks_import: { args: { path: string; options: TasksImportOptions }; result: TasksImportPreview }
  export_tasks: { args: { path: string }; result: string }
  export_unit_sheets: { args: { target: string }; result: UnitSheetsExport }
  preview_collect: { args: { path: string; options: CollectOptions }; result: CollectPreview }
  apply_collect: { args: { path: string; options: CollectOptions }; result: CollectPreview }
  list_phases: { args: Record<string, never>; result: Array<Phase> }
  save_phases: { args: { input: Array<PhaseInput> }; result: Array<Phase> }
  plan_phases: { args: { applyMonth: string }; result: Array<Phase> }
  preview_phase_move: { args: { to: PhaseKey }; result: PhaseMove }
  apply_phase_move: { args: { to: PhaseKey; overrideReason: string | null }; result: Array<Phase> }
  set_phase_gates: { args: { to: PhaseKey; gates: Array<GateKind> }; result: Array<Phase> }
  save_phase_event: { args: { input: PhaseEventInput }; result: Array<Phase> }
  delete_phase_event: { args: { id: number }; result: Array<Phase> }
  dashboard: { args: Record<string, never>; result: Dashboard }
  export_report: { args: { path: string }; result: ReportInfo }
  export_summary_image: { args: { path: string }; result: SummaryImage }
  export_package: { args: { target: string }; result: PackageReport }
  preview_evidence_add: { args: { paths: Array<string>; options: EvidenceAddOptions }; result: EvidenceAddPreview }
  apply_evidence_add: { args: { paths: Array<string>; options: EvidenceAddOptions }; result: EvidenceAddPreview }
  list_evidence: { args: { filter: EvidenceFilter }; result: Array<EvidenceItem> }
  evidence_detail: { args: { id: number }; result: EvidenceDetail }
  update_evidence: { args: { id: number; edit: EvidenceEdit }; result: EvidenceItem }
  assign_evidence: { args: { input: EvidenceAssign }; result: number }
  unassign_evidence: { args: { input: EvidenceAssign }; result: number }
  review_evidence: { args: { input: EvidenceReview }; result: number }
  remove_evidence: { args: { ids: Array<number> }; result: number }
  evidence_completeness: { args: Record<string, never>; result: CompletenessReport }
  export_return_list: { args: { unitId: number; path: string }; result: string }
  verify_evidence: { args: Record<string, never>; result: EvidenceVerifyReport }
  relink_evidence: { args: { hash: string; path: string }; result: RelinkResult }
  archive_plan: { args: { level: number | null }; result: ArchivePlan }
  export_archive: { args: { target: string; plan: ArchivePlan }; result: ArchiveReport }
  evidence_file: { args: { id: number }; result: EvidenceFile }
  evidence_preview: { args: { id: number }; result: EvidencePreview }
  open_evidence: { args: { id: number }; result: string }
  search: { args: { query: string }; result: Array<SearchHit> }
  list_rounds: { args: Record<string, never>; result: Array<RoundInfo> }
  save_round: { args: { input: RoundInput }; result: RoundInfo }
  delete_round: { args: { id: number }; result: null }
  list_problems: { args: { filter: ProblemFilter }; result: Array<ProblemInfo> }
  problem_detail: { args: { id: number }; result: ProblemDetail }
  add_problem: { args: { input: ProblemInput }; result: ProblemInfo }
  edit_problem: { args: { edit: ProblemEdit }; result: ProblemInfo }
  edit_problem_part: { args: { edit: PartEdit }; result: ProblemInfo }
  set_problem_status: { args: { change: StatusChange }; result: ProblemInfo }
  problem_league: { args: { roundId: number | null }; result: Array<UnitStanding> }
  preview_problems_import: { args: { path: string; options: ProblemsImportOptions }; result: ProblemsImportPreview }
  apply_problems_import: { args: { path: string; options: ProblemsImportOptions }; result: ProblemsImportPreview }
  export_problems: { args: { roundId: number; path: string }; result: string }
  export_problem_sheets: { args: { roundId: number; target: string }; result: ProblemSheetsExport }
  preview_problems_collect: { args: { path: string }; result: ProblemsCollectPreview }
  apply_problems_collect: { args: { path: string }; result: ProblemsCollectPreview }
  letter_settings: { args: Record<string, never>; result: LetterSettings }
  set_letter_settings: { args: { settings: LetterSettings }; result: LetterSettings }
  export_letters: { args: { roundId: number; target: string }; result: LettersExport }
  remind: { args: { options: RemindOptions }; result: RemindResult }
  list_self_assessments: { args: Record<string, never>; result: Array<SelfAssessment> }
  save_self_assessment: { args: { input: SelfAssessmentInput }; result: SelfAssessment }
  eval_rounds: { args: Record<string, never>; result: Array<EvalRound> }
  save_eval_round: { args: { input: EvalRoundInput }; result: EvalRound }
  delete_eval_round: { args: { id: number }; result: null }
  eval_experts: { args: Record<string, never>; result: Array<Expert> }
  save_expert: { args: { input: ExpertInput }; result: Expert }
  delete_expert: { args: { id: number }; result: null }
  eval_assignments: { args: { roundId: number }; result: Array<ExpertAssignment> }
  assign_expert: { args: { roundId: number; expertId: number; indicatorIds: Array<number> }; result: ExpertAssignment }
  assign_expert_nos: { args: { roundId: number; expertId: number; nos: string }; result: ExpertAssignment }
  eval_grid: { args: { roundId: number }; result: ScoreGrid }
  save_mark: { args: { input: MarkInput }; result: GridRow }
  delete_mark: { args: { roundId: number; indicatorId: number; expertId: number | null }; result: null }
  pick_mark: { args: { input: PickInput }; result: GridRow }
  eval_results: { args: { roundId: number }; result: EvalResults }
  eval_trend: { args: Record<string, never>; result: Array<TrendPoint> }
  deductions_for_problems: { args: { roundId: number }; result: Array<ProblemDraft> }
  create_problems_from_deductions: { args: { roundId: number }; result: DeductionProblems }
  scoring_model: { args: Record<string, never>; result: ScoringModel }
  save_scoring_model: { args: { input: ModelInput }; result: ScoringModel }
  set_indicator_points: { args: { items: Array<PointsInput> }; result: ScoringModel }
  distribute_points: { args: { total: Points }; result: ScoringModel }
  distribute_heading_points: { args: Record<string, never>; result: ScoringModel }
  save_rules: { args: { indicatorId: number; rules: Array<RuleInput> }; result: Array<DeductionRule> }
  save_vetoes: { args: { items: Array<VetoInput> }; result: Array<VetoItem> }
  eval_veto_hits: { args: { roundId: number }; result: Array<VetoHit> }
  set_veto_hit: { args: { roundId: number; vetoId: number; hit: boolean; note: string }; result: Array<VetoHit> }
  eval_bonus: { args: { roundId: number }; result: Array<BonusItem> }
  save_bonus: { args: { input: BonusInput }; result: Array<BonusItem> }
  delete_bonus: { args: { id: number }; result: null }
  case_files: { args: { roundId: number }; result: Array<CaseFile> }
  save_case_file: { args: { input: CaseInput }; result: CaseFile }
  delete_case_file: { args: { id: number }; result: null }
  export_score_sheets: { args: { roundId: number; target: string }; result: ScoreSheetsExport }
  preview_score_collect: { args: { path: string }; result: ScoreCollectPreview }
  apply_score_collect: { args: { path: string }; result: ScoreCollectPreview }
  preview_scale_import: { args: { path: string; options: ScaleImportOptions }; result: ScaleImportPreview }
  apply_scale_import: { args: { path: string; options: ScaleImportOptions }; result: ScaleImportPreview }
  export_scale: { args: { path: string }; result: string }
  get_health: { args: Record<string, never>; result: HealthReport }
  check_data: { args: { full: boolean }; result: HealthReport }
  repair_data: { args: Record<string, never>; result: HealthReport }
  get_operator: { args: Record<string, never>; result: string }
  set_operator: { args: { name: string }; result: string }
  list_backups: { args: Record<string, never>; result: Array<BackupInfo> }
  backup_now: { args: Record<string, never>; result: BackupInfo }
  backup_to_folder: { args: { folder: string }; result: BackupInfo }
  preview_restore: { args: { source: string }; result: RestorePreview }
  apply_restore: { args: { source: string }; result: RestoreReport }
  preview_undo: { args: Record<string, never>; result: UndoInfo | null }
  apply_undo: { args: Record<string, never>; result: RestoreReport }
  export_handover: { args: { path: string }; result: HandoverManifest }
  preview_handover_import: { args: { path: string }; result: HandoverReport }
  apply_handover_import: { args: { path: string }; result: HandoverReport }
  list_oplog: { args: { filter: OplogFilter }; result: OplogPage }
  export_oplog: { args: { filter: OplogFilter; path: string }; result: string }
}

export type CommandName = keyof Commands

/** Long commands (progress window, 取消): the title the window shows. */
export const JOB_TITLES: Partial<Record<CommandName, string>> = {
  preview_indicator_import: '读取指标体系文件',
  apply_indicator_import: '导入指标体系',
  preview_units_import: '读取单位名单',
  apply_units_import: '导入单位名单',
  preview_tasks_import: '读取任务分解表',
  apply_tasks_import: '导入任务分解表',
  export_unit_sheets: '导出各单位工作表',
  preview_collect: '读取各单位交回的工作表',
  apply_collect: '收回各单位工作表',
  export_report: '生成创建工作进展情况报告',
  export_package: '生成申报材料包',
  preview_evidence_add: '清点佐证材料',
  apply_evidence_add: '添加佐证材料',
  verify_evidence: '校验证据库',
  export_archive: '导出案卷',
  preview_problems_import: '读取问题清单',
  apply_problems_import: '导入问题清单',
  export_problem_sheets: '导出各单位问题整改表',
  preview_problems_collect: '读取各单位交回的问题整改表',
  apply_problems_collect: '收回问题整改表',
  export_letters: '生成反馈函',
  export_score_sheets: '导出专家评分表',
  preview_score_collect: '读取专家交回的评分表',
  apply_score_collect: '收回专家评分表',
  preview_scale_import: '读取分值表',
  apply_scale_import: '导入分值表',
  backup_now: '备份',
  backup_to_folder: '备份到指定文件夹',
  apply_restore: '从备份恢复',
  apply_undo: '撤销上一次导入',
  export_handover: '导出交接文件',
  preview_handover_import: '校验交接文件',
  apply_handover_import: '导入交接文件',
}

/** The `kind` of an error the backend sends (`message` is the Chinese text to show). */
export type ErrorKind = 'invalid' | 'notFound' | 'badFile' | 'import' | 'io' | 'cancelled' | 'busy' | 'db' | 'damaged' | 'internal'

/** The wrapper functions below, by name (tests replace them). */
export const COMMAND_FUNCTIONS = [
  'cancelJob',
  'recoveryStatus',
  'applyRecovery',
  'applyFreshStart',
  'appStatus',
  'listSystems',
  'createCampaign',
  'switchCampaign',
  'setCampaignSystem',
  'indicatorTree',
  'previewIndicatorImport',
  'applyIndicatorImport',
  'exportIndicators',
  'listUnits',
  'saveUnit',
  'deleteUnit',
  'roster',
  'setRoster',
  'rosterCheck',
  'rosterRule',
  'setRosterRule',
  'listAssignments',
  'unitTaskSummary',
  'previewUnitsImport',
  'applyUnitsImport',
  'exportUnits',
  'previewTasksImport',
  'applyTasksImport',
  'exportTasks',
  'exportUnitSheets',
  'previewCollect',
  'applyCollect',
  'listPhases',
  'savePhases',
  'planPhases',
  'previewPhaseMove',
  'applyPhaseMove',
  'setPhaseGates',
  'savePhaseEvent',
  'deletePhaseEvent',
  'dashboard',
  'exportReport',
  'exportSummaryImage',
  'exportPackage',
  'previewEvidenceAdd',
  'applyEvidenceAdd',
  'listEvidence',
  'evidenceDetail',
  'updateEvidence',
  'assignEvidence',
  'unassignEvidence',
  'reviewEvidence',
  'removeEvidence',
  'evidenceCompleteness',
  'exportReturnList',
  'verifyEvidence',
  'relinkEvidence',
  'archivePlan',
  'exportArchive',
  'evidenceFile',
  'evidencePreview',
  'openEvidence',
  'search',
  'listRounds',
  'saveRound',
  'deleteRound',
  'listProblems',
  'problemDetail',
  'addProblem',
  'editProblem',
  'editProblemPart',
  'setProblemStatus',
  'problemLeague',
  'previewProblemsImport',
  'applyProblemsImport',
  'exportProblems',
  'exportProblemSheets',
  'previewProblemsCollect',
  'applyProblemsCollect',
  'letterSettings',
  'setLetterSettings',
  'exportLetters',
  'remind',
  'listSelfAssessments',
  'saveSelfAssessment',
  'evalRounds',
  'saveEvalRound',
  'deleteEvalRound',
  'evalExperts',
  'saveExpert',
  'deleteExpert',
  'evalAssignments',
  'assignExpert',
  'assignExpertNos',
  'evalGrid',
  'saveMark',
  'deleteMark',
  'pickMark',
  'evalResults',
  'evalTrend',
  'deductionsForProblems',
  'createProblemsFromDeductions',
  'scoringModel',
  'saveScoringModel',
  'setIndicatorPoints',
  'distributePoints',
  'distributeHeadingPoints',
  'saveRules',
  'saveVetoes',
  'evalVetoHits',
  'setVetoHit',
  'evalBonus',
  'saveBonus',
  'deleteBonus',
  'caseFiles',
  'saveCaseFile',
  'deleteCaseFile',
  'exportScoreSheets',
  'previewScoreCollect',
  'applyScoreCollect',
  'previewScaleImport',
  'applyScaleImport',
  'exportScale',
  'getHealth',
  'checkData',
  'repairData',
  'getOperator',
  'setOperator',
  'listBackups',
  'backupNow',
  'backupToFolder',
  'previewRestore',
  'applyRestore',
  'previewUndo',
  'applyUndo',
  'exportHandover',
  'previewHandoverImport',
  'applyHandoverImport',
  'listOplog',
  'exportOplog',
] as const

/** 取消正在进行的操作（在两步之间停止，不做任何修改）。 */
export function cancelJob(job: string): Promise<boolean> {
  return call('cancel_job', { job })
}

/** 数据文件损坏或不见了时：原因和可用于恢复的备份；数据文件夹正常打开时为 null。 */
export function recoveryStatus(): Promise<RecoveryStatus | null> {
  return call('recovery_status', {})
}

/** 从备份（编号或备份文件路径）恢复损坏的数据文件夹，损坏的文件改名保留。 */
export function applyRecovery(source: string): Promise<RecoveryReport> {
  return call('apply_recovery', { source })
}

/** 不恢复备份，以空白数据重新开始（损坏的文件改名保留，备份都还在）。 */
export function applyFreshStart(): Promise<RecoveryReport> {
  return call('apply_fresh_start', {})
}

/** 数据文件夹与当前创建项目。 */
export function appStatus(): Promise<AppStatus> {
  return call('app_status', {})
}

export function listSystems(): Promise<Array<SystemInfo>> {
  return call('list_systems', {})
}

/** May import `input.systemFile`, so it runs off the UI thread like every command. */
export function createCampaign(input: NewCampaign): Promise<CampaignInfo> {
  return call('create_campaign', { input })
}

export function switchCampaign(id: number): Promise<CampaignInfo> {
  return call('switch_campaign', { id })
}

export function setCampaignSystem(systemId: number): Promise<CampaignInfo> {
  return call('set_campaign_system', { systemId })
}

/** `systemId` null: the active campaign's system. */
export function indicatorTree(systemId: number | null): Promise<IndicatorTree> {
  return call('indicator_tree', { systemId })
}

export function previewIndicatorImport(path: string): Promise<IndicatorImportPreview> {
  return tracked('preview_indicator_import', { path })
}

/** `bind` also makes the imported system the active campaign's system. */
export function applyIndicatorImport(path: string, bind: boolean): Promise<SystemInfo> {
  return tracked('apply_indicator_import', { path, bind })
}

/** Returns the path actually written. */
export function exportIndicators(path: string, systemId: number | null): Promise<string> {
  return call('export_indicators', { path, systemId })
}

export function listUnits(): Promise<Array<UnitInfo>> {
  return call('list_units', {})
}

export function saveUnit(input: UnitInput): Promise<UnitInfo> {
  return call('save_unit', { input })
}

export function deleteUnit(id: number): Promise<null> {
  return call('delete_unit', { id })
}

/** `unitId` null: every unit's members. */
export function roster(unitId: number | null): Promise<Array<RosterMember>> {
  return call('roster', { unitId })
}

/** Replaces the roster of one unit. */
export function setRoster(unitId: number, members: Array<RosterInput>): Promise<Array<RosterMember>> {
  return call('set_roster', { unitId, members })
}

export function rosterCheck(): Promise<Array<RosterShortfall>> {
  return call('roster_check', {})
}

/** The 明白人 rule of the active campaign (members required per kind). */
export function rosterRule(): Promise<RosterRule> {
  return call('roster_rule', {})
}

export function setRosterRule(rule: RosterRule): Promise<RosterRule> {
  return call('set_roster_rule', { rule })
}

export function listAssignments(filter: AssignmentFilter): Promise<Array<Assignment>> {
  return call('list_assignments', { filter })
}

export function unitTaskSummary(): Promise<Array<UnitTaskSummary>> {
  return call('unit_task_summary', {})
}

/** `choices`: the user's choice for each name that did not match exactly. */
export function previewUnitsImport(path: string, choices: Array<NameChoice>): Promise<UnitsImportPreview> {
  return tracked('preview_units_import', { path, choices })
}

export function applyUnitsImport(path: string, choices: Array<NameChoice>): Promise<UnitsImportPreview> {
  return tracked('apply_units_import', { path, choices })
}

export function exportUnits(path: string): Promise<string> {
  return call('export_units', { path })
}

export function previewTasksImport(path: string, options: TasksImportOptions): Promise<TasksImportPreview> {
  return tracked('preview_tasks_import', { path, options })
}

export function applyTasksImport(path: string, options: TasksImportOptions): Promise<TasksImportPreview> {
  return tracked('apply_tasks_import', { path, options })
}

export function exportTasks(path: string): Promise<string> {
  return call('export_tasks', { path })
}

/** `target` is a folder (one .xlsx per unit) or a path ending in .zip. */
export function exportUnitSheets(target: string): Promise<UnitSheetsExport> {
  return tracked('export_unit_sheets', { target })
}

/** `path` is a folder, a .zip or one returned .xlsx; `options` the user's choices in the preview (which of a unit's several sheets, which unit a file naming several is for). */
export function previewCollect(path: string, options: CollectOptions): Promise<CollectPreview> {
  return tracked('preview_collect', { path, options })
}

export function applyCollect(path: string, options: CollectOptions): Promise<CollectPreview> {
  return tracked('apply_collect', { path, options })
}

export function listPhases(): Promise<Array<Phase>> {
  return call('list_phases', {})
}

export function savePhases(input: Array<PhaseInput>): Promise<Array<Phase>> {
  return call('save_phases', { input })
}

/** Planned dates of every phase from M, the month the 申报 window opens ("2023-05"). */
export function planPhases(applyMonth: string): Promise<Array<Phase>> {
  return call('plan_phases', { applyMonth })
}

/** Which configured gates entering `to` meets today. */
export function previewPhaseMove(to: PhaseKey): Promise<PhaseMove> {
  return call('preview_phase_move', { to })
}

/** `overrideReason` enters past failing gates (logged with the reasons). */
export function applyPhaseMove(to: PhaseKey, overrideReason: string | null): Promise<Array<Phase>> {
  return call('apply_phase_move', { to, overrideReason })
}

export function setPhaseGates(to: PhaseKey, gates: Array<GateKind>): Promise<Array<Phase>> {
  return call('set_phase_gates', { to, gates })
}

export function savePhaseEvent(input: PhaseEventInput): Promise<Array<Phase>> {
  return call('save_phase_event', { input })
}

export function deletePhaseEvent(id: number): Promise<Array<Phase>> {
  return call('delete_phase_event', { id })
}

/** The figures judged on today; a module with nothing stored gives null. */
export function dashboard(): Promise<Dashboard> {
  return call('dashboard', {})
}

export function exportReport(path: string): Promise<ReportInfo> {
  return tracked('export_report', { path })
}

export function exportSummaryImage(path: string): Promise<SummaryImage> {
  return call('export_summary_image', { path })
}

/** `target`: a folder or a path ending in .zip. */
export function exportPackage(target: string): Promise<PackageReport> {
  return tracked('export_package', { target })
}

/** `paths`: files, folders and zips dropped or picked. Reads names and sizes (hashing only possible duplicates); nothing is stored. */
export function previewEvidenceAdd(paths: Array<string>, options: EvidenceAddOptions): Promise<EvidenceAddPreview> {
  return tracked('preview_evidence_add', { paths, options })
}

/** Copies the content into the evidence store (both cores), then records items and sources in one transaction. */
export function applyEvidenceAdd(paths: Array<string>, options: EvidenceAddOptions): Promise<EvidenceAddPreview> {
  return tracked('apply_evidence_add', { paths, options })
}

/** `filter.queue`: the 待归类 queue. */
export function listEvidence(filter: EvidenceFilter): Promise<Array<EvidenceItem>> {
  return call('list_evidence', { filter })
}

export function evidenceDetail(id: number): Promise<EvidenceDetail> {
  return call('evidence_detail', { id })
}

export function updateEvidence(id: number, edit: EvidenceEdit): Promise<EvidenceItem> {
  return call('update_evidence', { id, edit })
}

/** 归类 many items at once; returns how many changed. */
export function assignEvidence(input: EvidenceAssign): Promise<number> {
  return call('assign_evidence', { input })
}

export function unassignEvidence(input: EvidenceAssign): Promise<number> {
  return call('unassign_evidence', { input })
}

/** 审核: approve, return (with a reason) or reset; returns how many changed. */
export function reviewEvidence(input: EvidenceReview): Promise<number> {
  return call('review_evidence', { input })
}

export function removeEvidence(ids: Array<number>): Promise<number> {
  return call('remove_evidence', { ids })
}

export function evidenceCompleteness(): Promise<CompletenessReport> {
  return call('evidence_completeness', {})
}

/** Returns the path actually written. */
export function exportReturnList(unitId: number, path: string): Promise<string> {
  return call('export_return_list', { unitId, path })
}

export function verifyEvidence(): Promise<EvidenceVerifyReport> {
  return tracked('verify_evidence', {})
}

/** `path` must hold the original content (same content hash). */
export function relinkEvidence(hash: string, path: string): Promise<RelinkResult> {
  return call('relink_evidence', { hash, path })
}

/** The default volumes; `level` null: the deepest heading level giving at most 41. */
export function archivePlan(level: number | null): Promise<ArchivePlan> {
  return call('archive_plan', { level })
}

/** `target`: a folder (new, empty, or an earlier archive) or a path ending in .zip. */
export function exportArchive(target: string, plan: ArchivePlan): Promise<ArchiveReport> {
  return tracked('export_archive', { target, plan })
}

/** An item's file for the viewer: its path (always inside the evidence store) and MIME type. */
export function evidenceFile(id: number): Promise<EvidenceFile> {
  return call('evidence_file', { id })
}

/** What the drawer shows of an item: an image or a PDF itself, or why not. */
export function evidencePreview(id: number): Promise<EvidencePreview> {
  return call('evidence_preview', { id })
}

/** Opens a read-only copy of the item under its own name with the system's program; returns the copy's path. */
export function openEvidence(id: number): Promise<string> {
  return call('open_evidence', { id })
}

/** Indicators, units and evidence by any part of their text. */
export function search(query: string): Promise<Array<SearchHit>> {
  return call('search', { query })
}

export function listRounds(): Promise<Array<RoundInfo>> {
  return call('list_rounds', {})
}

/** New when `input.id` is null. */
export function saveRound(input: RoundInput): Promise<RoundInfo> {
  return call('save_round', { input })
}

export function deleteRound(id: number): Promise<null> {
  return call('delete_round', { id })
}

/** 逾期 first; `filter.today` null: today. */
export function listProblems(filter: ProblemFilter): Promise<Array<ProblemInfo>> {
  return call('list_problems', { filter })
}

/** A problem with its history, newest first. */
export function problemDetail(id: number): Promise<ProblemDetail> {
  return call('problem_detail', { id })
}

export function addProblem(input: ProblemInput): Promise<ProblemInfo> {
  return call('add_problem', { input })
}

export function editProblem(edit: ProblemEdit): Promise<ProblemInfo> {
  return call('edit_problem', { edit })
}

/** 整改措施 / 整改进展 / 完成情况 / evidence of one unit's part. */
export function editProblemPart(edit: PartEdit): Promise<ProblemInfo> {
  return call('edit_problem_part', { edit })
}

/** Status of one unit's part (or of every part); 已销号 with its date; reopening recorded. */
export function setProblemStatus(change: StatusChange): Promise<ProblemInfo> {
  return call('set_problem_status', { change })
}

/** `roundId` null: every round. */
export function problemLeague(roundId: number | null): Promise<Array<UnitStanding>> {
  return call('problem_league', { roundId })
}

export function previewProblemsImport(path: string, options: ProblemsImportOptions): Promise<ProblemsImportPreview> {
  return tracked('preview_problems_import', { path, options })
}

export function applyProblemsImport(path: string, options: ProblemsImportOptions): Promise<ProblemsImportPreview> {
  return tracked('apply_problems_import', { path, options })
}

/** The 反馈意见整改表 of a round; returns the path written. */
export function exportProblems(roundId: number, path: string): Promise<string> {
  return call('export_problems', { roundId, path })
}

/** `target` is a folder (one .xlsx per unit) or a path ending in .zip. */
export function exportProblemSheets(roundId: number, target: string): Promise<ProblemSheetsExport> {
  return tracked('export_problem_sheets', { roundId, target })
}

export function previewProblemsCollect(path: string): Promise<ProblemsCollectPreview> {
  return tracked('preview_problems_collect', { path })
}

export function applyProblemsCollect(path: string): Promise<ProblemsCollectPreview> {
  return tracked('apply_problems_collect', { path })
}

export function letterSettings(): Promise<LetterSettings> {
  return call('letter_settings', {})
}

export function setLetterSettings(settings: LetterSettings): Promise<LetterSettings> {
  return call('set_letter_settings', { settings })
}

/** One .docx per unit into a folder, or a path ending in .zip. */
export function exportLetters(roundId: number, target: string): Promise<LettersExport> {
  return tracked('export_letters', { roundId, target })
}

/** 催办 messages ready to paste. */
export function remind(options: RemindOptions): Promise<RemindResult> {
  return call('remind', { options })
}

export function listSelfAssessments(): Promise<Array<SelfAssessment>> {
  return call('list_self_assessments', {})
}

export function saveSelfAssessment(input: SelfAssessmentInput): Promise<SelfAssessment> {
  return call('save_self_assessment', { input })
}

export function evalRounds(): Promise<Array<EvalRound>> {
  return call('eval_rounds', {})
}

/** `input.id` null: a new round. */
export function saveEvalRound(input: EvalRoundInput): Promise<EvalRound> {
  return call('save_eval_round', { input })
}

export function deleteEvalRound(id: number): Promise<null> {
  return call('delete_eval_round', { id })
}

export function evalExperts(): Promise<Array<Expert>> {
  return call('eval_experts', {})
}

export function saveExpert(input: ExpertInput): Promise<Expert> {
  return call('save_expert', { input })
}

export function deleteExpert(id: number): Promise<null> {
  return call('delete_expert', { id })
}

export function evalAssignments(roundId: number): Promise<Array<ExpertAssignment>> {
  return call('eval_assignments', { roundId })
}

/** Replaces the indicators the expert scores in the round. */
export function assignExpert(roundId: number, expertId: number, indicatorIds: Array<number>): Promise<ExpertAssignment> {
  return call('assign_expert', { roundId, expertId, indicatorIds })
}

/** The same by indicator numbers as the office writes them ("1-40,55", "全部"). */
export function assignExpertNos(roundId: number, expertId: number, nos: string): Promise<ExpertAssignment> {
  return call('assign_expert_nos', { roundId, expertId, nos })
}

/** Per indicator, the experts' marks side by side. */
export function evalGrid(roundId: number): Promise<ScoreGrid> {
  return call('eval_grid', { roundId })
}

/** `input.expertId` null: the office's own mark. Returns the indicator's row again. */
export function saveMark(input: MarkInput): Promise<GridRow> {
  return call('save_mark', { input })
}

export function deleteMark(roundId: number, indicatorId: number, expertId: number | null): Promise<null> {
  return call('delete_mark', { roundId, indicatorId, expertId })
}

export function pickMark(input: PickInput): Promise<GridRow> {
  return call('pick_mark', { input })
}

export function evalResults(roundId: number): Promise<EvalResults> {
  return call('eval_results', { roundId })
}

export function evalTrend(): Promise<Array<TrendPoint>> {
  return call('eval_trend', {})
}

/** Drafts for the 整改台账 (inserted by the problem ledger once it exists). */
export function deductionsForProblems(roundId: number): Promise<Array<ProblemDraft>> {
  return call('deductions_for_problems', { roundId })
}

/** 扣分生成问题: the deductions written into the 整改台账 (a round of kind 模拟评估). */
export function createProblemsFromDeductions(roundId: number): Promise<DeductionProblems> {
  return call('create_problems_from_deductions', { roundId })
}

export function scoringModel(): Promise<ScoringModel> {
  return call('scoring_model', {})
}

export function saveScoringModel(input: ModelInput): Promise<ScoringModel> {
  return call('save_scoring_model', { input })
}

export function setIndicatorPoints(items: Array<PointsInput>): Promise<ScoringModel> {
  return call('set_indicator_points', { items })
}

export function distributePoints(total: Points): Promise<ScoringModel> {
  return call('distribute_points', { total })
}

/** The office scale from the 分值 of the system's headings (a group's points spread over its indicators). */
export function distributeHeadingPoints(): Promise<ScoringModel> {
  return call('distribute_heading_points', {})
}

export function saveRules(indicatorId: number, rules: Array<RuleInput>): Promise<Array<DeductionRule>> {
  return call('save_rules', { indicatorId, rules })
}

export function saveVetoes(items: Array<VetoInput>): Promise<Array<VetoItem>> {
  return call('save_vetoes', { items })
}

export function evalVetoHits(roundId: number): Promise<Array<VetoHit>> {
  return call('eval_veto_hits', { roundId })
}

export function setVetoHit(roundId: number, vetoId: number, hit: boolean, note: string): Promise<Array<VetoHit>> {
  return call('set_veto_hit', { roundId, vetoId, hit, note })
}

export function evalBonus(roundId: number): Promise<Array<BonusItem>> {
  return call('eval_bonus', { roundId })
}

export function saveBonus(input: BonusInput): Promise<Array<BonusItem>> {
  return call('save_bonus', { input })
}

export function deleteBonus(id: number): Promise<null> {
  return call('delete_bonus', { id })
}

export function caseFiles(roundId: number): Promise<Array<CaseFile>> {
  return call('case_files', { roundId })
}

export function saveCaseFile(input: CaseInput): Promise<CaseFile> {
  return call('save_case_file', { input })
}

export function deleteCaseFile(id: number): Promise<null> {
  return call('delete_case_file', { id })
}

/** `target` is a folder (one .xlsx per expert) or a path ending in .zip. */
export function exportScoreSheets(roundId: number, target: string): Promise<ScoreSheetsExport> {
  return tracked('export_score_sheets', { roundId, target })
}

/** `path` is a folder, a .zip or one returned .xlsx. */
export function previewScoreCollect(path: string): Promise<ScoreCollectPreview> {
  return tracked('preview_score_collect', { path })
}

export function applyScoreCollect(path: string): Promise<ScoreCollectPreview> {
  return tracked('apply_score_collect', { path })
}

export function previewScaleImport(path: string, options: ScaleImportOptions): Promise<ScaleImportPreview> {
  return tracked('preview_scale_import', { path, options })
}

export function applyScaleImport(path: string, options: ScaleImportOptions): Promise<ScaleImportPreview> {
  return tracked('apply_scale_import', { path, options })
}

export function exportScale(path: string): Promise<string> {
  return call('export_scale', { path })
}

/** Result of the quick check made when the data folder was opened (or of the last check). */
export function getHealth(): Promise<HealthReport> {
  return call('get_health', {})
}

/** `full`: also re-hash every backup. */
export function checkData(full: boolean): Promise<HealthReport> {
  return call('check_data', { full })
}

export function repairData(): Promise<HealthReport> {
  return call('repair_data', {})
}

export function getOperator(): Promise<string> {
  return call('get_operator', {})
}

export function setOperator(name: string): Promise<string> {
  return call('set_operator', { name })
}

export function listBackups(): Promise<Array<BackupInfo>> {
  return call('list_backups', {})
}

export function backupNow(): Promise<BackupInfo> {
  return tracked('backup_now', {})
}

/** Back up into a folder the user picked (e.g. a USB disk). */
export function backupToFolder(folder: string): Promise<BackupInfo> {
  return tracked('backup_to_folder', { folder })
}

/** `source`: a backup id from `list_backups`, or the path of a backup file. */
export function previewRestore(source: string): Promise<RestorePreview> {
  return call('preview_restore', { source })
}

export function applyRestore(source: string): Promise<RestoreReport> {
  return tracked('apply_restore', { source })
}

/** The last import that 撤销 would take back, or null. */
export function previewUndo(): Promise<UndoInfo | null> {
  return call('preview_undo', {})
}

export function applyUndo(): Promise<RestoreReport> {
  return tracked('apply_undo', {})
}

export function exportHandover(path: string): Promise<HandoverManifest> {
  return tracked('export_handover', { path })
}

export function previewHandoverImport(path: string): Promise<HandoverReport> {
  return tracked('preview_handover_import', { path })
}

export function applyHandoverImport(path: string): Promise<HandoverReport> {
  return tracked('apply_handover_import', { path })
}

export function listOplog(filter: OplogFilter): Promise<OplogPage> {
  return call('list_oplog', { filter })
}

/** Returns the path actually written. */
export function exportOplog(filter: OplogFilter, path: string): Promise<string> {
  return call('export_oplog', { filter, path })
}
