// The one seam between the UI and the Rust side. Components import from here: the command
// wrappers (generated from the Rust declaration into gen/commands.ts), errors, and the file
// dialogs. Nothing else in ui/src imports @tauri-apps/plugin-dialog; component tests mock this
// module.
import { open, save } from '@tauri-apps/plugin-dialog'

import { ApiError, toApiError } from './ipc'

export * from './gen/commands'
export { ApiError, toApiError }

/** True for the rejection of a job the user cancelled. */
export function isCancelled(e: unknown): boolean {
  return toApiError(e).kind === 'cancelled'
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

export const EVIDENCE_FILTERS: FileFilter[] = [
  { name: '佐证材料（文件或压缩包）', extensions: ['pdf', 'jpg', 'jpeg', 'png', 'gif', 'bmp', 'tif', 'tiff', 'doc', 'docx', 'xls', 'xlsx', 'ofd', 'zip', 'rar', '7z'] },
  { name: '所有文件', extensions: ['*'] },
]

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

/** Asks for one or more existing files; an empty list when the user cancels. */
export async function pickOpenFiles(filters: FileFilter[]): Promise<string[]> {
  const seam = takeTestPick()
  if (seam) return seam.path ? [seam.path] : []
  try {
    const picked = await open({ multiple: true, directory: false, filters })
    if (Array.isArray(picked)) return picked.filter((p): p is string => typeof p === 'string')
    return typeof picked === 'string' ? [picked] : []
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

/** What a drag over the window is doing: files entering, dropped (with their paths), or leaving. */
export type FileDrag = { kind: 'enter' } | { kind: 'leave' } | { kind: 'drop'; paths: string[] }

/**
 * Listens for files dragged from Explorer onto the window (Tauri's drag-drop event, which
 * gives real paths); returns the function that stops listening. Outside the desktop shell
 * (the browser dev mock) nothing is dragged in and the listener is a no-op.
 */
export async function onFileDrag(cb: (d: FileDrag) => void): Promise<() => void> {
  if (!('__TAURI_INTERNALS__' in window)) return () => {}
  const { getCurrentWebview } = await import('@tauri-apps/api/webview')
  return getCurrentWebview().onDragDropEvent((e) => {
    const p = e.payload
    if (p.type === 'enter') cb({ kind: 'enter' })
    else if (p.type === 'leave') cb({ kind: 'leave' })
    else if (p.type === 'drop') cb(p.paths.length ? { kind: 'drop', paths: p.paths } : { kind: 'leave' })
  })
}
