// Small helpers of the 佐证材料 page: statuses, sizes and indicator labels as users read them.
import type { EvidenceMatch } from '../gen/EvidenceMatch'

export { EVIDENCE_STATUSES } from '../gen/vocabulary'
export const EVIDENCE_CATEGORIES = ['记录', '审核', '公示'] as const
export const EVIDENCE_METHODS = ['材料查证', '网络检索', '案卷评查'] as const

export function statusType(status: string): 'success' | 'danger' | 'warning' | 'info' {
  if (status === '已通过') return 'success'
  if (status === '退回') return 'danger'
  if (status === '待审核') return 'warning'
  return 'info'
}

/** 1.2 MB, 340 KB, 12 B. */
export function formatSize(bytes: number): string {
  if (bytes >= 1024 * 1024 * 1024) return `${(bytes / 1024 / 1024 / 1024).toFixed(1)} GB`
  if (bytes >= 1024 * 1024) return `${(bytes / 1024 / 1024).toFixed(1)} MB`
  if (bytes >= 1024) return `${Math.round(bytes / 1024)} KB`
  return `${bytes} B`
}

/** "指标27、指标31". */
export function indicatorsLabel(matches: EvidenceMatch[]): string {
  return matches.map((m) => `指标${m.no}`).join('、')
}

/** What the classifier's verdict means. */
export function verdictLabel(verdict: string): string {
  switch (verdict) {
    case 'sure':
      return '已识别'
    case 'ambiguous':
      return '有歧义'
    case 'none':
      return '待归类'
    case 'given':
      return '按所选指标'
    case 'answer':
      return '补报退回材料'
    default:
      return verdict
  }
}

/** What happens to a file of the drop. */
export function fileStateLabel(state: string): string {
  switch (state) {
    case 'new':
      return '新增'
    case 'known':
      return '已有（增加来源）'
    case 'repeat':
      return '本次重复'
    case 'failed':
      return '无法读取'
    default:
      return state
  }
}

export function fileStateType(state: string): 'success' | 'danger' | 'warning' | 'info' {
  if (state === 'new') return 'success'
  if (state === 'failed') return 'danger'
  if (state === 'known' || state === 'repeat') return 'warning'
  return 'info'
}

/** How the unit of a dropped group was found. */
export function unitFromLabel(from: string): string {
  switch (from) {
    case 'given':
      return '按所选单位'
    case 'exact':
      return '按名称识别'
    case 'guess':
      return '按相近名称推断'
    case 'none':
      return '未识别单位'
    default:
      return from
  }
}
