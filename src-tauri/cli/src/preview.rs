//! The lines import and collect previews share: guessed, unknown and catch-all unit names, the
//! head line and conflicts of a collect, and the exit code of a plan that cannot be applied.

use serde::Serialize;
use shifan_core::units::{CatchAllUse, UnitGuess, UnknownUnit};

use crate::{Out, out};

/// A preview's (or an import's) output: exit code 1 when it cannot be applied.
pub(crate) fn checked<T: Serialize>(v: &T, text: String, can_apply: bool) -> Out {
    let mut o = out(v, text);
    o.failed = !can_apply;
    o
}

/// "\n[推测] “司法局” → “区司法局”（…）：工作表“Sheet1”第5行 G列" for each guess.
pub(crate) fn guess_lines(guesses: &[UnitGuess]) -> String {
    guesses
        .iter()
        .map(|g| {
            format!(
                "\n[推测] “{}” → “{}”（{}）：{}",
                g.written,
                g.unit_name,
                g.reason,
                g.places.join("、")
            )
        })
        .collect()
}

/// "\n[未知单位] “区新局”：…" for each unknown name; `with_kind`: with the kind it would be
/// created as ("（将新建，类别：…）").
pub(crate) fn unknown_lines(units: &[UnknownUnit], with_kind: bool) -> String {
    units
        .iter()
        .map(|u| {
            format!(
                "\n[未知单位] “{}”{}：{}",
                u.name,
                if with_kind {
                    format!("（将新建，类别：{}）", u.kind)
                } else {
                    String::new()
                },
                u.places.join("、")
            )
        })
        .collect()
}

/// "\n[统称] “各街道” → 乡镇街道（5 个单位）" for each catch-all.
pub(crate) fn catch_all_lines(catch_alls: &[CatchAllUse]) -> String {
    catch_alls
        .iter()
        .map(|c| {
            format!(
                "\n[统称] “{}” → {}（{} 个单位）",
                c.written, c.meaning, c.unit_count
            )
        })
        .collect()
}

/// The first line of a collect: "预览收回“各单位.zip”：3 个单位，5 处修改，1 处冲突（…）。"
/// (`what`: "个单位", "份评分表").
pub(crate) fn collect_head(
    preview: bool,
    source: &str,
    sheets: usize,
    what: &str,
    change_count: i64,
    conflict_count: i64,
) -> String {
    format!(
        "{}“{}”：{} {}，{} 处修改，{} 处冲突{}。",
        if preview { "预览收回" } else { "已收回" },
        source,
        sheets,
        what,
        change_count,
        conflict_count,
        if conflict_count > 0 {
            "（冲突项保留依法治区办现有内容，未覆盖）"
        } else {
            ""
        }
    )
}

/// "\n  [冲突] 指标 3 完成情况：导出时“…”，现为“…”，单位填“…”" (`item`: "指标 3", "问题 2";
/// `who`: "单位", "专家").
pub(crate) fn conflict_line(
    item: &str,
    field: &str,
    sent: &str,
    office: &str,
    who: &str,
    got: &str,
) -> String {
    let (sent, office, got) = (one_line(sent), one_line(office), one_line(got));
    format!("\n  [冲突] {item} {field}：导出时“{sent}”，现为“{office}”，{who}填“{got}”")
}

/// One change a collect takes: "\n  [修改] 问题 1 整改进展：“…” → “…”".
pub(crate) fn change_line(item: &str, field: &str, old: &str, new: &str) -> String {
    let show = |v: &str| {
        if v.trim().is_empty() {
            "（空）".to_string()
        } else {
            format!("“{}”", one_line(v))
        }
    };
    format!("\n  [修改] {item} {field}：{} → {}", show(old), show(new))
}

/// A cell's text on one line of the terminal: line breaks as spaces, at most 40 characters.
fn one_line(v: &str) -> String {
    let flat: String = v.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() > 40 {
        format!("{}…", flat.chars().take(40).collect::<String>())
    } else {
        flat
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn change_lines_show_each_value_on_one_line() {
        assert_eq!(
            change_line("问题 1", "整改进展", "", "已补审\n12件"),
            "\n  [修改] 问题 1 整改进展：（空） → “已补审 12件”"
        );
        assert!(change_line("指标 2", "自评说明", &"长".repeat(50), "").ends_with("…” → （空）"));
    }

    #[test]
    fn collect_lines_read_as_before() {
        assert_eq!(
            collect_head(true, "各单位.zip", 3, "个单位", 5, 1),
            "预览收回“各单位.zip”：3 个单位，5 处修改，1 处冲突（冲突项保留依法治区办现有内容，未覆盖）。"
        );
        assert_eq!(
            collect_head(false, "评分表", 2, "份评分表", 4, 0),
            "已收回“评分表”：2 份评分表，4 处修改，0 处冲突。"
        );
        assert_eq!(
            conflict_line("指标 3", "完成情况", "未开始", "进行中", "单位", "已完成"),
            "\n  [冲突] 指标 3 完成情况：导出时“未开始”，现为“进行中”，单位填“已完成”"
        );
    }

    #[test]
    fn name_lines_read_as_before() {
        let g = UnitGuess {
            written: "司法局".into(),
            unit_name: "区司法局".into(),
            reason: "省略了区名".into(),
            places: vec!["第3行 C列".into(), "第4行 C列".into()],
        };
        assert_eq!(
            guess_lines(&[g]),
            "\n[推测] “司法局” → “区司法局”（省略了区名）：第3行 C列、第4行 C列"
        );
        let u = UnknownUnit {
            name: "区新局".into(),
            kind: "其他".into(),
            places: vec!["第5行 C列".into()],
        };
        assert_eq!(
            unknown_lines(std::slice::from_ref(&u), false),
            "\n[未知单位] “区新局”：第5行 C列"
        );
        assert_eq!(
            unknown_lines(&[u], true),
            "\n[未知单位] “区新局”（将新建，类别：其他）：第5行 C列"
        );
        let c = CatchAllUse {
            written: "各街道".into(),
            meaning: "乡镇街道".into(),
            unit_count: 5,
            places: vec![],
        };
        assert_eq!(
            catch_all_lines(&[c]),
            "\n[统称] “各街道” → 乡镇街道（5 个单位）"
        );
    }

    #[test]
    fn a_plan_that_cannot_be_applied_exits_with_one() {
        assert!(checked(&1, String::new(), false).failed);
        assert!(!checked(&1, String::new(), true).failed);
    }
}
