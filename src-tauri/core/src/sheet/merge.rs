//! Collecting a returned sheet, field by field: what was sent in the exported sheet, what the
//! office holds now and what came back decide whether the returned value is taken, left as a
//! conflict, or changes nothing. One rule for every collect (任务工作表, 问题整改表, 评分表),
//! and the counts and log line every collect preview ends with.

use crate::model::{ImportIssue, Severity};

/// What becomes of one returned field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Merge {
    /// What came back is what was sent or what the office holds now: nothing to do.
    Unchanged,
    /// The office has not touched the field since it was sent: the returned value is taken.
    Take,
    /// Both the office (since the sheet was sent) and the returned sheet changed the field:
    /// the office's value is kept and the conflict listed.
    Conflict,
}

/// Decides one field from what was `sent`, what the office holds `now` and what was `got` back.
pub fn merge_field(sent: &str, now: &str, got: &str) -> Merge {
    if got == sent || got == now {
        Merge::Unchanged
    } else if now != sent {
        Merge::Conflict
    } else {
        Merge::Take
    }
}

/// Where an export remembers what it sent: the table of its rows, the column naming the row's
/// object (an indicator, a problem's unit part) beside `export_id`.
#[derive(Debug, Clone, Copy)]
pub struct SentRows {
    pub table: &'static str,
    pub key: &'static str,
}

pub const UNIT_TASK_ROWS: SentRows = SentRows {
    table: "unit_export_row",
    key: "indicator_id",
};
pub const PROBLEM_ROWS: SentRows = SentRows {
    table: "problem_export_row",
    key: "problem_unit_id",
};
pub const SCORE_ROWS: SentRows = SentRows {
    table: "eval_export_row",
    key: "indicator_id",
};

/// A returned value taken by a collect becomes what the export sent: the same unit's (or
/// expert's) corrected sheet, returned again, is then a change of its own first return and not
/// a conflict with it.
pub fn move_baseline(
    tx: &rusqlite::Transaction<'_>,
    rows: SentRows,
    export_id: i64,
    row: i64,
    column: &str,
    value: &dyn rusqlite::ToSql,
) -> rusqlite::Result<()> {
    tx.execute(
        &format!(
            "UPDATE {} SET {column} = ?1 WHERE export_id = ?2 AND {} = ?3",
            rows.table, rows.key
        ),
        rusqlite::params![value, export_id, row],
    )?;
    Ok(())
}

/// The totals of a collect preview.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tally {
    pub change_count: i64,
    pub conflict_count: i64,
    /// No issue is an error.
    pub can_apply: bool,
}

impl Tally {
    /// From each collected sheet's (changes, conflicts) and the preview's issues.
    pub fn of(sheets: impl IntoIterator<Item = (usize, usize)>, issues: &[ImportIssue]) -> Tally {
        let (changes, conflicts) = sheets
            .into_iter()
            .fold((0, 0), |(a, b), (c, d)| (a + c, b + d));
        Tally {
            change_count: changes as i64,
            conflict_count: conflicts as i64,
            can_apply: !issues.iter().any(|i| i.severity == Severity::Error),
        }
    }

    /// The 操作日志 line: "“各单位.zip”：3 个单位，5 处修改，1 处冲突未覆盖" (`what`:
    /// "个单位", "份评分表").
    pub fn detail(&self, source: &str, sheets: usize, what: &str) -> String {
        format!(
            "“{source}”：{sheets} {what}，{} 处修改，{} 处冲突未覆盖",
            self.change_count, self.conflict_count
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn returned_value_is_taken_only_when_the_office_left_it_alone() {
        assert_eq!(merge_field("a", "a", "a"), Merge::Unchanged);
        assert_eq!(merge_field("a", "a", "b"), Merge::Take);
        // The office changed it and the unit sent back the old value: nothing to do.
        assert_eq!(merge_field("a", "b", "a"), Merge::Unchanged);
        // Both made the same change.
        assert_eq!(merge_field("a", "b", "b"), Merge::Unchanged);
        assert_eq!(merge_field("a", "b", "c"), Merge::Conflict);
        assert_eq!(merge_field("", "", "新"), Merge::Take);
    }

    #[test]
    fn tally_counts_and_refuses_on_errors() {
        let warn = ImportIssue::about_file("f.xlsx", Severity::Warning, "w");
        let err = ImportIssue::about_file("f.xlsx", Severity::Error, "e");
        let t = Tally::of([(2, 1), (3, 0)], std::slice::from_ref(&warn));
        assert_eq!(
            (t.change_count, t.conflict_count, t.can_apply),
            (5, 1, true)
        );
        assert!(!Tally::of([(0, 0)], &[warn, err]).can_apply);
        assert_eq!(
            t.detail("各单位.zip", 2, "个单位"),
            "“各单位.zip”：2 个单位，5 处修改，1 处冲突未覆盖"
        );
    }
}
