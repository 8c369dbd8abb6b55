//! The closed lists the UI offers as choices (单位类别, 完成情况, 整改状态 …), declared once here
//! from the constants the core checks against, and generated into `ui/src/gen/vocabulary.ts`
//! by this module's test, like ts-rs writes the types: a list the UI shows can never drift from
//! what the database accepts.

use crate::{evidence, problems, tasks, units};

/// (TypeScript name, what it is, the values in the order the UI lists them).
pub const LISTS: &[(&str, &str, &[&str])] = &[
    (
        "UNIT_KINDS",
        "单位类别 (`units::KINDS`; the database accepts only these).",
        units::KINDS,
    ),
    (
        "TASK_STATUSES",
        "完成情况 a unit reports on its sheet (`tasks::unit_sheets::STATUSES`).",
        tasks::unit_sheets::STATUSES,
    ),
    (
        "PROBLEM_STATUSES",
        "整改状态 in order (`problems::STATUSES`).",
        problems::STATUSES,
    ),
    (
        "ROUND_KINDS",
        "督察轮次的类型 (`problems::ROUND_KINDS`).",
        problems::ROUND_KINDS,
    ),
    (
        "SELF_RATINGS",
        "自查评价 (`problems::selfcheck::RATINGS`).",
        problems::selfcheck::RATINGS,
    ),
    (
        "EVIDENCE_STATUSES",
        "佐证材料的审核状态 (`evidence::library::STATUSES`).",
        evidence::library::STATUSES,
    ),
];

/// The generated `ui/src/gen/vocabulary.ts`.
pub fn typescript() -> String {
    let mut ts = String::from(
        "// Generated from src-tauri/core/src/vocabulary.rs by `cargo test`. Do not edit.\n",
    );
    for (name, doc, values) in LISTS {
        let list: Vec<String> = values.iter().map(|v| format!("'{v}'")).collect();
        ts.push_str(&format!(
            "\n/** {doc} */\nexport const {name} = [{}] as const\n",
            list.join(", ")
        ));
    }
    ts
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_closed_lists_are_generated_for_the_ui() {
        let ts = super::typescript();
        assert!(ts.contains(
            "export const UNIT_KINDS = ['行政执法单位', '非行政执法单位', '乡镇街道', '其他'] as const"
        ));
        // No value can break out of its quotes.
        for (_, _, values) in super::LISTS {
            assert!(
                values
                    .iter()
                    .all(|v| !v.contains('\'') && !v.contains('\\'))
            );
        }
        let path =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../ui/src/gen/vocabulary.ts");
        std::fs::write(path, ts).expect("write vocabulary.ts");
    }
}
