//! The closed lists the UI offers as choices (单位类别, 完成情况, 整改状态 …), declared once here
//! from the constants the core checks against, and the Chinese labels of the shared enums that
//! cross to TypeScript (how a sheet was matched, 错误/警告 …), generated into
//! `ui/src/gen/vocabulary.ts` by this module's test, like ts-rs writes the types: a list or a
//! label the UI shows can never drift from what the core accepts and says.

use serde::Serialize;

use crate::evaluation::{MarkSource, RoundKind};
use crate::evidence::completeness::CompletenessState;
use crate::evidence::store_check::ObjectFault;
use crate::model::{MatchedBy, Severity};
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
        "SELF_REVIEWS",
        "自查的审核结论 (`problems::selfcheck::REVIEWS`; none yet reads 待审核).",
        problems::selfcheck::REVIEWS,
    ),
    (
        "EVIDENCE_STATUSES",
        "佐证材料的审核状态 (`evidence::library::STATUSES`).",
        evidence::library::STATUSES,
    ),
];

/// A shared enum's Chinese labels: (TypeScript name, the ts-rs type it labels, what it is,
/// (value as it crosses to TypeScript, label) in declaration order).
pub type LabelMap = (
    &'static str,
    &'static str,
    &'static str,
    Vec<(String, &'static str)>,
);

/// The Chinese labels of the shared enums, from their `label()`.
pub fn label_maps() -> Vec<LabelMap> {
    vec![
        (
            "MATCHED_BY_LABELS",
            "MatchedBy",
            "How a returned sheet was matched to its unit or expert (`model::MatchedBy`).",
            pairs(&MatchedBy::ALL, MatchedBy::label),
        ),
        (
            "SEVERITY_LABELS",
            "Severity",
            "错误 / 警告 of a finding in a user's file (`model::Severity`).",
            pairs(&Severity::ALL, Severity::label),
        ),
        (
            "COMPLETENESS_STATE_LABELS",
            "CompletenessState",
            "How far an indicator's material is (`evidence::completeness::CompletenessState`).",
            pairs(&CompletenessState::ALL, CompletenessState::label),
        ),
        (
            "EVAL_ROUND_KIND_LABELS",
            "RoundKind",
            "模拟评估 or the official result (`evaluation::RoundKind`).",
            pairs(&RoundKind::ALL, RoundKind::label),
        ),
        (
            "MARK_SOURCE_LABELS",
            "MarkSource",
            "Where an expert's mark came from (`evaluation::MarkSource`).",
            pairs(&MarkSource::ALL, MarkSource::label),
        ),
        (
            "OBJECT_FAULT_LABELS",
            "ObjectFault",
            "What is wrong with a stored evidence file (`evidence::store_check::ObjectFault`).",
            pairs(&ObjectFault::ALL, ObjectFault::label),
        ),
    ]
}

/// Each value as serde names it (so as ts-rs types it) with its label.
fn pairs<T: Serialize + Copy>(
    all: &[T],
    label: impl Fn(T) -> &'static str,
) -> Vec<(String, &'static str)> {
    all.iter()
        .map(|v| {
            let key = serde_json::to_value(v)
                .ok()
                .and_then(|j| j.as_str().map(String::from))
                .unwrap_or_default();
            (key, label(*v))
        })
        .collect()
}

/// The generated `ui/src/gen/vocabulary.ts`.
pub fn typescript() -> String {
    let mut ts = String::from(
        "// Generated from src-tauri/core/src/vocabulary.rs by `cargo test`. Do not edit.\n",
    );
    let maps = label_maps();
    if !maps.is_empty() {
        ts.push('\n');
    }
    for (_, ty, _, _) in &maps {
        ts.push_str(&format!("import type {{ {ty} }} from './{ty}'\n"));
    }
    for (name, doc, values) in LISTS {
        let list: Vec<String> = values.iter().map(|v| format!("'{v}'")).collect();
        ts.push_str(&format!(
            "\n/** {doc} */\nexport const {name} = [{}] as const\n",
            list.join(", ")
        ));
    }
    for (name, ty, doc, pairs) in &maps {
        let entries: Vec<String> = pairs.iter().map(|(k, l)| format!("{k}: '{l}'")).collect();
        ts.push_str(&format!(
            "\n/** {doc} */\nexport const {name}: Readonly<Record<{ty}, string>> = {{ {} }}\n",
            entries.join(", ")
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
        // Every enum value is labelled under the name it crosses with, in Chinese.
        for (name, _, _, pairs) in super::label_maps() {
            let mut keys: Vec<&str> = pairs.iter().map(|(k, _)| k.as_str()).collect();
            keys.dedup();
            assert_eq!(keys.len(), pairs.len(), "{name}: distinct keys");
            for (k, l) in &pairs {
                assert!(
                    !k.is_empty() && k.chars().all(|c| c.is_ascii_alphanumeric()),
                    "{name}: {k:?}"
                );
                assert!(
                    !l.is_ascii() && !l.contains('\'') && !l.contains('\\'),
                    "{name}: {l}"
                );
            }
        }
        assert!(ts.contains(
            "export const MATCHED_BY_LABELS: Readonly<Record<MatchedBy, string>> = { stamp: '按导出标记识别', name: '按单位名称识别', title: '按标题识别', choice: '按您的选择' }"
        ));
        assert!(ts.contains("import type { MatchedBy } from './MatchedBy'"));
        let path =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../ui/src/gen/vocabulary.ts");
        std::fs::write(path, ts).expect("write vocabulary.ts");
    }
}
