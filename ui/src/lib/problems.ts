// Shared words and small helpers of the 问题整改 and 自查自纠 pages.
import type { ProblemInfo } from '../gen/ProblemInfo'

import { PROBLEM_STATUSES, ROUND_KINDS, SELF_RATINGS } from '../gen/vocabulary'

/** 整改状态 in order, 督察轮次的类型 and 自查评价: generated from the core's lists. */
export const STATUSES = PROBLEM_STATUSES
export { ROUND_KINDS }
export const RATINGS = SELF_RATINGS

/** Element Plus tag type of a status. */
export function statusType(s: string): 'info' | 'warning' | 'primary' | 'success' {
  switch (s) {
    case '整改中':
      return 'warning'
    case '已整改待核验':
      return 'primary'
    case '已销号':
      return 'success'
    default:
      return 'info'
  }
}

export function ratingType(r: string): 'success' | 'warning' | 'danger' | 'info' {
  switch (r) {
    case '达标':
      return 'success'
    case '基本达标':
      return 'warning'
    case '未达标':
      return 'danger'
    default:
      return 'info'
  }
}

/** "立行立改（2023-04-14）" / "长期坚持" / "2023年5月31日前". */
export function deadlineLabel(p: Pick<ProblemInfo, 'deadlineText' | 'deadlineDate' | 'deadlineKind'>): string {
  if (!p.deadlineText) return '未定'
  if (p.deadlineKind === 'immediate' && p.deadlineDate) return `${p.deadlineText}（按 ${p.deadlineDate} 计）`
  return p.deadlineText
}

/** Today as "2023-06-01" in local time. */
export function todayText(): string {
  const d = new Date()
  const p = (n: number) => String(n).padStart(2, '0')
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`
}

/** Copy text to the clipboard; false when the browser refused. */
export async function copyText(text: string): Promise<boolean> {
  try {
    if (navigator.clipboard?.writeText) {
      await navigator.clipboard.writeText(text)
      return true
    }
  } catch {
    // fall through to the old way
  }
  try {
    const area = document.createElement('textarea')
    area.value = text
    area.style.position = 'fixed'
    area.style.opacity = '0'
    document.body.appendChild(area)
    area.select()
    const ok = document.execCommand('copy')
    area.remove()
    return ok
  } catch {
    return false
  }
}
