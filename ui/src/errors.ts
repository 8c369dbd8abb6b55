// Showing backend errors: the message is complete Chinese text and is shown as is,
// newlines kept (see .shifan-error-box in style.css).
import { ElMessageBox } from 'element-plus'

import { toApiError } from './api'

export function errorMessage(e: unknown): string {
  return toApiError(e).message
}

export async function showError(e: unknown, title = '操作未完成'): Promise<void> {
  try {
    await ElMessageBox.alert(errorMessage(e), title, {
      type: 'error',
      confirmButtonText: '知道了',
      customClass: 'shifan-error-box',
    })
  } catch {
    // closed with Esc or the close button
  }
}
