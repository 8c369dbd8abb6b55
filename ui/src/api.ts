// The one seam between the UI and the Rust side. Nothing else in ui/src imports
// @tauri-apps/api/core or @tauri-apps/plugin-dialog; components call these typed
// functions, and component tests mock this module.
import { Channel, invoke } from '@tauri-apps/api/core'
import { open, save } from '@tauri-apps/plugin-dialog'

import type { AppStatus } from './gen/AppStatus'
import type { BackupInfo } from './gen/BackupInfo'
import type { HandoverManifest } from './gen/HandoverManifest'
import type { HandoverReport } from './gen/HandoverReport'
import type { HealthReport } from './gen/HealthReport'
import type { OplogFilter } from './gen/OplogFilter'
import type { OplogPage } from './gen/OplogPage'
import type { RestorePreview } from './gen/RestorePreview'
import type { RestoreReport } from './gen/RestoreReport'
import type { UndoInfo } from './gen/UndoInfo'
import type { CampaignInfo } from './gen/CampaignInfo'
import type { IndicatorImportPreview } from './gen/IndicatorImportPreview'
import type { IndicatorTree } from './gen/IndicatorTree'
import type { NewCampaign } from './gen/NewCampaign'
import type { SystemInfo } from './gen/SystemInfo'
import type { Assignment } from './gen/Assignment'
import type { AssignmentFilter } from './gen/AssignmentFilter'
import type { CollectPreview } from './gen/CollectPreview'
import type { RosterInput } from './gen/RosterInput'
import type { RosterMember } from './gen/RosterMember'
import type { RosterShortfall } from './gen/RosterShortfall'
import type { TasksImportOptions } from './gen/TasksImportOptions'
import type { TasksImportPreview } from './gen/TasksImportPreview'
import type { UnitInfo } from './gen/UnitInfo'
import type { UnitInput } from './gen/UnitInput'
import type { UnitSheetsExport } from './gen/UnitSheetsExport'
import type { UnitTaskSummary } from './gen/UnitTaskSummary'
import type { UnitsImportPreview } from './gen/UnitsImportPreview'
import type { JobProgress } from './gen/JobProgress'
import { beginJob, endJob, updateJob } from './jobs'

/**
 * An error as the Rust shell sends it: `message` is complete Chinese text for the user
 * (it may span several lines naming file/sheet/row/column); show it as is.
 */
export class ApiError extends Error {
  readonly kind: string

  constructor(kind: string, message: string) {
    super(message)
    this.name = 'ApiError'
    this.kind = kind
  }
}

/** Turns whatever was thrown into an ApiError with a message fit to show. */
export function toApiError(e: unknown): ApiError {
  if (e instanceof ApiError) return e
  if (e && typeof e === 'object' && typeof (e as { message?: unknown }).message === 'string') {
    const kind = (e as { kind?: unknown }).kind
    const message = (e as { message: string }).message
    if (e instanceof Error && typeof kind !== 'string') {
      // A JavaScript error inside the UI or the IPC layer, not a message from the core.
      return new ApiError('ui', `界面程序出错：${message}`)
    }
    return new ApiError(typeof kind === 'string' ? kind : 'unknown', message)
  }
  if (typeof e === 'string') return new ApiError('unknown', e)
  return new ApiError('unknown', `发生未知错误：${String(e)}`)
}

async function call<T>(cmd: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(cmd, args)
  } catch (e) {
    throw toApiError(e)
  }
}

/**
 * A long command: it gets a job id (for `cancelJob`) and a channel for its progress, and the
 * global progress overlay shows it while it runs. A cancelled job rejects with kind
 * "cancelled" and has changed nothing.
 */
async function tracked<T>(title: string, cmd: string, args: Record<string, unknown>): Promise<T> {
  const job = beginJob(title)
  const progress = new Channel<JobProgress>()
  progress.onmessage = (p) => updateJob(job.id, p)
  try {
    return await call<T>(cmd, { ...args, job: job.id, progress })
  } finally {
    endJob(job.id)
  }
}

/** Asks a running job to stop; false when it already ended. */
export function cancelJob(id: string): Promise<boolean> {
  return call('cancel_job', { job: id })
}

/** True for the rejection of a job the user cancelled. */
export function isCancelled(e: unknown): boolean {
  return toApiError(e).kind === 'cancelled'
}

export function appStatus(): Promise<AppStatus> {
  return call('app_status')
}

export function listSystems(): Promise<SystemInfo[]> {
  return call('list_systems')
}

export function createCampaign(input: NewCampaign): Promise<CampaignInfo> {
  return call('create_campaign', { input })
}

export function switchCampaign(id: number): Promise<CampaignInfo> {
  return call('switch_campaign', { id })
}

export function setCampaignSystem(systemId: number): Promise<CampaignInfo> {
  return call('set_campaign_system', { systemId })
}

/** `systemId` null means the active campaign's system. */
export function indicatorTree(systemId: number | null): Promise<IndicatorTree> {
  return call('indicator_tree', { systemId })
}

export function previewIndicatorImport(path: string): Promise<IndicatorImportPreview> {
  return tracked('读取指标体系文件', 'preview_indicator_import', { path })
}

/** `bind` also makes the imported system the active campaign's system. */
export function applyIndicatorImport(path: string, bind: boolean): Promise<SystemInfo> {
  return tracked('导入指标体系', 'apply_indicator_import', { path, bind })
}

/** Returns the path actually written. */
export function exportIndicators(path: string, systemId: number | null): Promise<string> {
  return call('export_indicators', { path, systemId })
}

// ---------------------------------------------------------------------------
// 单位 and 明白人

export function listUnits(): Promise<UnitInfo[]> {
  return call('list_units')
}

export function saveUnit(input: UnitInput): Promise<UnitInfo> {
  return call('save_unit', { input })
}

export function deleteUnit(id: number): Promise<null> {
  return call('delete_unit', { id })
}

/** `unitId` null means every unit's members. */
export function roster(unitId: number | null): Promise<RosterMember[]> {
  return call('roster', { unitId })
}

/** Replaces the roster of one unit. */
export function setRoster(unitId: number, members: RosterInput[]): Promise<RosterMember[]> {
  return call('set_roster', { unitId, members })
}

export function rosterCheck(): Promise<RosterShortfall[]> {
  return call('roster_check')
}

export function importUnitsPreview(path: string): Promise<UnitsImportPreview> {
  return tracked('读取单位名单', 'import_units_preview', { path })
}

export function applyUnitsImport(path: string): Promise<UnitsImportPreview> {
  return tracked('导入单位名单', 'apply_units_import', { path })
}

/** Returns the path actually written. */
export function exportUnits(path: string): Promise<string> {
  return call('export_units', { path })
}

// ---------------------------------------------------------------------------
// 任务分解

export function listAssignments(filter: AssignmentFilter): Promise<Assignment[]> {
  return call('list_assignments', { filter })
}

export function unitTaskSummary(): Promise<UnitTaskSummary[]> {
  return call('unit_task_summary')
}

export function previewTasksImport(path: string, options: TasksImportOptions): Promise<TasksImportPreview> {
  return tracked('读取任务分解表', 'preview_tasks_import', { path, options })
}

export function applyTasksImport(path: string, options: TasksImportOptions): Promise<TasksImportPreview> {
  return tracked('导入任务分解表', 'apply_tasks_import', { path, options })
}

/** Returns the path actually written. */
export function exportTasks(path: string): Promise<string> {
  return call('export_tasks', { path })
}

/** `target` is a folder, or a path ending in .zip. */
export function exportUnitSheets(target: string): Promise<UnitSheetsExport> {
  return tracked('导出各单位工作表', 'export_unit_sheets', { target })
}

/** `path` is a folder, a .zip or one .xlsx. */
export function previewCollect(path: string): Promise<CollectPreview> {
  return tracked('读取各单位交回的工作表', 'preview_collect', { path })
}

export function applyCollect(path: string): Promise<CollectPreview> {
  return tracked('收回各单位工作表', 'apply_collect', { path })
}

// ---------------------------------------------------------------------------
// Data safety: operator, backups, hand-over, 操作日志, integrity

export function getOperator(): Promise<string> {
  return call('get_operator')
}

export function setOperator(name: string): Promise<string> {
  return call('set_operator', { name })
}

export function getHealth(): Promise<HealthReport> {
  return call('get_health')
}

/** `full` also re-hashes every backup. */
export function checkData(full: boolean): Promise<HealthReport> {
  return call('check_data', { full })
}

export function repairData(): Promise<HealthReport> {
  return call('repair_data')
}

export function listBackups(): Promise<BackupInfo[]> {
  return call('list_backups')
}

export function backupNow(): Promise<BackupInfo> {
  return tracked('备份', 'backup_now', {})
}

export function backupToFolder(folder: string): Promise<BackupInfo> {
  return tracked('备份到指定文件夹', 'backup_to_folder', { folder })
}

/** `source`: a backup id or the path of a backup file. */
export function previewRestore(source: string): Promise<RestorePreview> {
  return call('preview_restore', { source })
}

export function restoreBackup(source: string): Promise<RestoreReport> {
  return tracked('从备份恢复', 'restore_backup', { source })
}

/** The last import 撤销 would take back, or null when there is none. */
export function undoInfo(): Promise<UndoInfo | null> {
  return call('undo_info')
}

/** Restores the backup taken just before the last import. */
export function undoLastImport(): Promise<RestoreReport> {
  return tracked('撤销上一次导入', 'undo_last_import', {})
}

export function exportHandover(path: string): Promise<HandoverManifest> {
  return tracked('导出交接文件', 'export_handover', { path })
}

export function previewHandover(path: string): Promise<HandoverReport> {
  return tracked('校验交接文件', 'preview_handover', { path })
}

export function importHandover(path: string): Promise<HandoverReport> {
  return tracked('导入交接文件', 'import_handover', { path })
}

export function listOplog(filter: OplogFilter): Promise<OplogPage> {
  return call('list_oplog', { filter })
}

/** Returns the path actually written. */
export function exportOplog(filter: OplogFilter, path: string): Promise<string> {
  return call('export_oplog', { filter, path })
}

// ---------------------------------------------------------------------------
// File dialogs

export interface FileFilter {
  name: string
  extensions: string[]
}

export const INDICATOR_IMPORT_FILTERS: FileFilter[] = [
  { name: '指标体系文件', extensions: ['xlsx', 'xls', 'xlsm', 'ods', 'docx'] },
]

export const INDICATOR_EXPORT_FILTERS: FileFilter[] = [
  { name: 'Excel 工作簿', extensions: ['xlsx'] },
]

export const INDICATOR_EXPORT_DEFAULT_NAME = '指标体系表.xlsx'

export const SHEET_IMPORT_FILTERS: FileFilter[] = [
  { name: 'Excel 工作簿', extensions: ['xlsx', 'xls', 'xlsm', 'ods'] },
]

export const XLSX_FILTERS: FileFilter[] = [{ name: 'Excel 工作簿', extensions: ['xlsx'] }]

export const ZIP_FILTERS: FileFilter[] = [{ name: 'ZIP 压缩包', extensions: ['zip'] }]

export const COLLECT_FILTERS: FileFilter[] = [
  { name: '各单位工作表（压缩包或工作簿）', extensions: ['zip', 'xlsx'] },
]

export const TASKS_EXPORT_DEFAULT_NAME = '任务分解表.xlsx'
export const UNITS_EXPORT_DEFAULT_NAME = '单位名单.xlsx'
export const UNIT_SHEETS_ZIP_DEFAULT_NAME = '各单位工作表.zip'

export const HANDOVER_FILTERS: FileFilter[] = [{ name: '示范创建工作台交接文件', extensions: ['shifan'] }]

export const BACKUP_FILE_FILTERS: FileFilter[] = [{ name: '备份文件', extensions: ['db'] }]

/**
 * Test seam for end-to-end tests. WebDriver (tauri-driver) cannot drive native file
 * dialogs, so a test sets `window.__SHIFAN_TEST_PICK__ = ['C:\\path\\a.xlsx', ...]`
 * through executeScript. While that array is non-empty, every pick shifts its first
 * element and returns it (a `null` element means "the user cancelled") instead of
 * opening a dialog. Normal use never sets it, so the native dialog opens.
 */
function takeTestPick(): { path: string | null } | undefined {
  const queue = typeof window !== 'undefined' ? window.__SHIFAN_TEST_PICK__ : undefined
  if (Array.isArray(queue) && queue.length > 0) {
    const next = queue.shift()
    return { path: typeof next === 'string' && next !== '' ? next : null }
  }
  return undefined
}

/** Asks for one existing file; null when the user cancels. */
export async function pickOpenFile(filters: FileFilter[]): Promise<string | null> {
  const seam = takeTestPick()
  if (seam) return seam.path
  try {
    const picked = await open({ multiple: false, directory: false, filters })
    return typeof picked === 'string' ? picked : null
  } catch (e) {
    throw toApiError(e)
  }
}

/** Asks where to save; null when the user cancels. */
export async function pickSavePath(defaultName: string, filters: FileFilter[]): Promise<string | null> {
  const seam = takeTestPick()
  if (seam) return seam.path
  try {
    return await save({ defaultPath: defaultName, filters })
  } catch (e) {
    throw toApiError(e)
  }
}

/** Asks for a folder; null when the user cancels. */
export async function pickFolder(): Promise<string | null> {
  const seam = takeTestPick()
  if (seam) return seam.path
  try {
    const picked = await open({ multiple: false, directory: true })
    return typeof picked === 'string' ? picked : null
  } catch (e) {
    throw toApiError(e)
  }
}
