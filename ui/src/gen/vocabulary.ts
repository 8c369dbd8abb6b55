// Generated from src-tauri/core/src/vocabulary.rs by `cargo test`. Do not edit.

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

/** 佐证材料的审核状态 (`evidence::library::STATUSES`). */
export const EVIDENCE_STATUSES = ['待审核', '已通过', '退回'] as const
