// Generated from src-tauri/core/src/vocabulary.rs by `cargo test`. Do not edit.

import type { MatchedBy } from './MatchedBy'
import type { Severity } from './Severity'
import type { CompletenessState } from './CompletenessState'
import type { RoundKind } from './RoundKind'
import type { MarkSource } from './MarkSource'
import type { ObjectFault } from './ObjectFault'

/** 单位类别 (`units::KINDS`; the database accepts only these). */
export const UNIT_KINDS = ['行政执法单位', '非行政执法单位', '乡镇街道', '其他'] as const

/** 完成情况 a unit reports on its sheet (`tasks::unit_sheets::STATUSES`). */
export const TASK_STATUSES = ['已完成', '推进中', '未启动', '不适用'] as const

/** 整改状态 in order (`problems::STATUSES`). */
export const PROBLEM_STATUSES = ['待整改', '整改中', '已整改待核验', '已销号'] as const

/** 督察轮次的类型 (`problems::ROUND_KINDS`). */
export const ROUND_KINDS = ['专项督察', '实地督查', '自查', '模拟评估', '其他'] as const

/** 自查评价 (`problems::selfcheck::RATINGS`). */
export const SELF_RATINGS = ['达标', '基本达标', '未达标', '不适用'] as const

/** 自查的审核结论 (`problems::selfcheck::REVIEWS`; none yet reads 待审核). */
export const SELF_REVIEWS = ['同意', '退回'] as const

/** 佐证材料的审核状态 (`evidence::library::STATUSES`). */
export const EVIDENCE_STATUSES = ['待审核', '已通过', '退回'] as const

/** How a returned sheet was matched to its unit or expert (`model::MatchedBy`). */
export const MATCHED_BY_LABELS: Readonly<Record<MatchedBy, string>> = { stamp: '按导出标记识别', name: '按单位名称识别', title: '按标题识别', choice: '按您的选择' }

/** 错误 / 警告 of a finding in a user's file (`model::Severity`). */
export const SEVERITY_LABELS: Readonly<Record<Severity, string>> = { error: '错误', warning: '警告' }

/** How far an indicator's material is (`evidence::completeness::CompletenessState`). */
export const COMPLETENESS_STATE_LABELS: Readonly<Record<CompletenessState, string>> = { none: '尚无材料', partial: '部分齐全', complete: '齐全' }

/** 模拟评估 or the official result (`evaluation::RoundKind`). */
export const EVAL_ROUND_KIND_LABELS: Readonly<Record<RoundKind, string>> = { mock: '模拟评估', official: '正式评估结果' }

/** Where an expert's mark came from (`evaluation::MarkSource`). */
export const MARK_SOURCE_LABELS: Readonly<Record<MarkSource, string>> = { app: '应用内录入', sheet: '评分表' }

/** What is wrong with a stored evidence file (`evidence::store_check::ObjectFault`). */
export const OBJECT_FAULT_LABELS: Readonly<Record<ObjectFault, string>> = { missing: '缺失', altered: '已被改动' }
