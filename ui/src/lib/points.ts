// Checking the points a user typed before anything is sent. Element Plus's number box would
// clamp 13 to a max of 12 or round 8.255 to 8.26 without a word; the eval dialogs give it no
// max/precision and refuse such a value here instead, in Chinese, naming what was typed.
import { fmt } from './evalCharts'

export interface PointsRule {
  /** The largest value allowed (the indicator's 分值, 100 for a percentage …). */
  max?: number | null
  /** What the max is, after 超过: "该指标的分值" (default), "满分". */
  maxName?: string
  /** False: an empty box is allowed (the value is optional). */
  required?: boolean
}

/** Why `v` cannot be saved as `what`, as a Chinese sentence; null when it can. */
export function pointsProblem(v: number | null | undefined, what: string, rule: PointsRule = {}): string | null {
  if (v == null || !Number.isFinite(v)) return rule.required === false ? null : `请填写${what}：只能填数字，如 8 或 8.5。`
  if (v < 0) return `${what}不能为负数（填写的是 ${v}）。`
  if (Math.abs(Math.round(v * 100) - v * 100) > 1e-6) return `${what}最多两位小数（填写的是 ${v}）。`
  if (rule.max != null && v > rule.max) return `${what} ${v} 超过${rule.maxName ?? '该指标的分值'} ${fmt(rule.max)}，未保存。`
  return null
}
