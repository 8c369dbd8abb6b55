// Showing backend errors: the message is complete Chinese text and is shown as is,
// newlines kept (see .shifan-error-box in style.css).
import { ElMessage, ElMessageBox } from 'element-plus'

import { toApiError } from './api'

export function errorMessage(e: unknown): string {
  return toApiError(e).message
}

export async function showError(e: unknown, title = '操作未完成'): Promise<void> {
  const err = toApiError(e)
  if (err.kind === 'cancelled') {
    // The user pressed 取消: not an error, just confirm nothing changed.
    ElMessage.info(err.message)
    return
  }
  try {
    await ElMessageBox.alert(err.message, title, {
      type: 'error',
      confirmButtonText: '知道了',
      customClass: 'shifan-error-box',
    })
  } catch {
    // closed with Esc or the close button
  }
}
