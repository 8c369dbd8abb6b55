// The one shape of every file flow in the UI, so each page and dialog keeps only what differs:
//
//   page:   pick a file → preview it → open the preview dialog         (usePreview)
//   dialog: apply → close → success message → tell the page           (useApply)
//   page:   pick where to save → write → success message              (usePickAndRun)
//
// Every failure is shown with showError: the backend's Chinese message as is, under a title
// that says which step did not happen. A cancelled pick does nothing.
import { ref, type Ref } from 'vue'
import { ElMessage } from 'element-plus'

import { showError } from '../errors'
import type { ImportIssue } from '../gen/ImportIssue'

export const PICK_FILE_FAILED = '无法打开文件选择窗口'
export const PICK_SAVE_FAILED = '无法打开保存窗口'

/** Runs a file/folder dialog; a dialog that cannot open is shown and counts as cancelled. */
export async function pickOrNull(pick: () => Promise<string | null>, errorTitle = PICK_FILE_FAILED): Promise<string | null> {
  try {
    return await pick()
  } catch (e) {
    await showError(e, errorTitle)
    return null
  }
}

/** How many issues are errors (the ones that block applying). */
export function countErrors(issues: ImportIssue[]): number {
  return issues.filter((i) => i.severity === 'error').length
}

export interface PreviewFlow<P, M> {
  /** Opens the dialog that picks the file (or folder) for `mode`; null when cancelled. */
  pick: (mode: M) => Promise<string | null>
  /** Title shown when the dialog cannot open (default 无法打开文件选择窗口). */
  pickErrorTitle?: string
  /** Reads the picked path into a preview; nothing is changed yet. */
  preview: (path: string) => Promise<P>
  /** Title shown when the file cannot be read, e.g. 无法读取单位名单. */
  previewErrorTitle: string
}

/**
 * Page side of an import: `start(mode)` picks, previews and opens the preview dialog.
 * Pages keep it as `const flow = reactive(usePreview(…))` and bind the dialog as
 * `v-if="flow.preview" :key="flow.key" v-model="flow.open" :path="flow.path" :preview="flow.preview"`;
 * `key` changes with every preview so the dialog starts afresh each time.
 */
export function usePreview<P, M = void>(flow: PreviewFlow<P, M>) {
  const busy = ref(false)
  const open = ref(false)
  const path = ref('')
  const preview = ref(null) as Ref<P | null>
  const key = ref(0)

  async function start(mode: M): Promise<void> {
    const picked = await pickOrNull(() => flow.pick(mode), flow.pickErrorTitle)
    if (!picked) return
    busy.value = true
    try {
      preview.value = await flow.preview(picked)
      path.value = picked
      key.value++
      open.value = true
    } catch (e) {
      await showError(e, flow.previewErrorTitle)
    } finally {
      busy.value = false
    }
  }

  return { busy, open, path, preview, key, start }
}

export interface ApplyFlow<R> {
  /** The dialog's v-model: closed once applying succeeded. */
  visible: Ref<boolean>
  apply: () => Promise<R>
  /** The success message for what was done. */
  success: (done: R) => string
  /** How long the success message stays, in ms (default 5000). */
  duration?: number
  /** Title shown when applying fails (default 导入失败); the dialog stays open. */
  errorTitle?: string
  /** Called after the success message, e.g. to emit('applied'). */
  done?: (result: R) => void
}

/** Dialog side of an import: `apply()` applies, closes, says what was done and reports it. */
export function useApply<R>(flow: ApplyFlow<R>) {
  const applying = ref(false)

  async function apply(): Promise<void> {
    applying.value = true
    try {
      const result = await flow.apply()
      flow.visible.value = false
      ElMessage.success({ message: flow.success(result), duration: flow.duration ?? 5000 })
      flow.done?.(result)
    } catch (e) {
      await showError(e, flow.errorTitle ?? '导入失败')
    } finally {
      applying.value = false
    }
  }

  return { applying, apply }
}

export interface PickAndRunFlow<R, M> {
  /** Asks where to save (or which folder) for `mode`; null when cancelled. */
  pick: (mode: M) => Promise<string | null>
  /** Title shown when the dialog cannot open (default 无法打开保存窗口). */
  pickErrorTitle?: string
  run: (path: string) => Promise<R>
  success: (done: R) => string
  duration?: number
  /** Title shown when writing fails, e.g. 导出失败. */
  errorTitle: string
}

/** Page side of an export: `start(mode)` picks the target, writes and says where. */
export function usePickAndRun<R, M = void>(flow: PickAndRunFlow<R, M>) {
  const busy = ref(false)

  async function start(mode: M): Promise<void> {
    const target = await pickOrNull(() => flow.pick(mode), flow.pickErrorTitle ?? PICK_SAVE_FAILED)
    if (!target) return
    busy.value = true
    try {
      const done = await flow.run(target)
      ElMessage.success({ message: flow.success(done), duration: flow.duration ?? 5000 })
    } catch (e) {
      await showError(e, flow.errorTitle)
    } finally {
      busy.value = false
    }
  }

  return { busy, start }
}
