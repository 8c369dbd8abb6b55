//! The 反馈意见整改表 of a round (.xlsx): 序号、问题类型、问题描述、所涉指标、整改责任单位、
//! 整改要求、完成时限, and 整改措施、整改进展、完成情况、整改状态 — written from the same layout
//! the importer reads ([`PROBLEM_COLUMNS`]), so an exported table imports back as it was.
//! A4 landscape, the header repeated on every page and frozen, 问题类型 merged over its blocks,
//! CJK-aware widths and row heights, a dropdown on 整改状态. A 共性 problem is one row: its
//! units' 整改措施/进展 are listed "单位：…" one per line, its status with its progress.

use std::path::{Path, PathBuf};

use super::import::PROBLEM_COLUMNS;
use super::{Fields, KIND_COMMON, ProblemInfo, RoundInfo, STATUSES, load_fields, round_head};
use crate::campaign;
use crate::error::{Error, Result};
use crate::sheet::layout::Column;
use crate::sheet::write::{Book, Style, wrapped_height};
use crate::workspace::Workspace;

/// The columns of the 反馈意见整改表, in order (问题类别 only when some problem has one).
const FEEDBACK_KEYS: &[&str] = &[
    "seq",
    "kind",
    "category",
    "description",
    "indicators",
    "units",
    "requirement",
    "deadline",
    "measures",
    "progress",
    "completion",
    "status",
];

fn column(key: &str) -> Option<&'static Column> {
    PROBLEM_COLUMNS.iter().find(|c| c.key == key)
}

/// What one unit-filled field of a problem reads in one cell: the text for one unit, else
/// "单位：…" per unit that wrote something.
fn per_unit(p: &ProblemInfo, get: impl Fn(&super::ProblemUnitInfo) -> &str) -> String {
    if p.units.len() == 1 {
        return get(&p.units[0]).to_string();
    }
    p.units
        .iter()
        .filter(|u| !get(u).is_empty())
        .map(|u| format!("{}：{}", u.unit_name, get(u)))
        .collect::<Vec<_>>()
        .join("\n")
}

fn status_cell(p: &ProblemInfo) -> String {
    if p.units.len() > 1 {
        format!("{}（{}）", p.status, p.progress_text)
    } else {
        p.status.clone()
    }
}

/// The 反馈意见整改表 workbook of a round.
pub(crate) fn feedback_book(round: &RoundInfo, problems: &[ProblemInfo]) -> Result<Book> {
    let with_category = problems.iter().any(|p| !p.category.is_empty());
    let cols: Vec<&Column> = FEEDBACK_KEYS
        .iter()
        .filter(|k| with_category || **k != "category")
        .filter_map(|k| column(k))
        .collect();
    let at = |key: &str| cols.iter().position(|c| c.key == key).unwrap_or(0) as u16;
    let mut book = Book::new(&format!("{}反馈意见整改表", round.name));
    {
        let mut ws = book.sheet("反馈意见整改表")?;
        let last = cols.len() as u16 - 1;
        ws.title(0, last, &format!("{}反馈意见整改表", round.name))?;
        let common = problems.iter().filter(|p| p.kind == KIND_COMMON).count();
        let period = match (&round.start_date, &round.end_date) {
            (Some(a), Some(b)) if a != b => format!("督察时间：{a} 至 {b}；"),
            (Some(a), _) => format!("督察时间：{a}；"),
            _ => String::new(),
        };
        let mut units: Vec<i64> = problems
            .iter()
            .flat_map(|p| p.units.iter().map(|u| u.unit_id))
            .collect();
        units.sort_unstable();
        units.dedup();
        ws.merged(
            (1, 0),
            (1, last),
            &format!(
                "{period}共 {} 个问题（共性 {common} 个、个性 {} 个），涉及 {} 个单位。",
                problems.len(),
                problems.len() - common,
                units.len()
            ),
            Style::Note,
        )?;
        ws.row_height(1, 20.0)?;
        let header: Vec<(&str, f64)> = cols.iter().map(|c| (c.header, c.width)).collect();
        ws.header(2, &header)?;
        let first = 3u32;
        let mut kinds: Vec<(Option<String>, String)> = Vec::with_capacity(problems.len());
        for (i, p) in problems.iter().enumerate() {
            let r = first + i as u32;
            ws.number(r, at("seq"), p.seq as f64, Style::Center)?;
            kinds.push((Some(p.kind.clone()), p.kind.clone()));
            if with_category {
                ws.text(r, at("category"), &p.category, Style::Center)?;
            }
            let units = p
                .units
                .iter()
                .map(|u| u.unit_name.as_str())
                .collect::<Vec<_>>()
                .join("、");
            let indicators = if p.indicators_text.is_empty() {
                p.indicator_nos
                    .iter()
                    .map(|n| format!("第{n}项"))
                    .collect::<Vec<_>>()
                    .join("、")
            } else {
                p.indicators_text.clone()
            };
            let measures = per_unit(p, |u| &u.measures);
            let progress = per_unit(p, |u| &u.progress);
            let completion = per_unit(p, |u| &u.completion);
            let status = status_cell(p);
            let cells: [(&str, &str, Style); 9] = [
                ("description", &p.description, Style::Body),
                ("indicators", &indicators, Style::Center),
                ("units", &units, Style::Body),
                ("requirement", &p.requirement, Style::Body),
                ("deadline", &p.deadline_text, Style::Center),
                ("measures", &measures, Style::Body),
                ("progress", &progress, Style::Body),
                ("completion", &completion, Style::Body),
                ("status", &status, Style::Center),
            ];
            let mut height: f64 = 20.0;
            for (key, text, style) in cells {
                let c = at(key);
                ws.text(r, c, text, style)?;
                if !text.is_empty() {
                    height = height.max(wrapped_height(text, cols[c as usize].width));
                }
            }
            ws.row_height(r, height.min(300.0))?;
        }
        ws.merge_runs(at("kind"), first, &kinds)?;
        let last_row = first + problems.len().max(1) as u32 - 1;
        ws.dropdown((first, last_row), at("status"), "整改状态", STATUSES)?;
        ws.freeze_rows(first)?;
        ws.print_a4(true, 2, 2)?;
        ws.activate();
    }
    Ok(book)
}

impl Workspace {
    /// Write the 反馈意见整改表 of a round to `path` (.xlsx, crash-safe). Returns the path.
    pub fn export_problems(&self, round_id: i64, path: &Path) -> Result<PathBuf> {
        let conn = self.store().conn();
        let c = campaign::active(conn)?;
        let round = round_head(conn, c.id, round_id)?;
        let problems = load_fields(
            conn,
            c.id,
            Some(round_id),
            chrono::Local::now().date_naive(),
            Fields::Printed,
        )?;
        if problems.is_empty() {
            return Err(Error::Invalid(format!(
                "督察轮次“{}”还没有问题，请先导入问题清单或新增问题。",
                round.name
            )));
        }
        let book = feedback_book(&round, &problems)?;
        crate::sheet::write::drop_elsewhere(problems);
        book.save(path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What the 反馈意见整改表 prints of a problem.
    fn printed(p: &ProblemInfo) -> String {
        let parts: Vec<String> = p
            .units
            .iter()
            .map(|u| {
                format!(
                    "{}|{}|{}|{}|{}",
                    u.unit_name, u.status, u.measures, u.progress, u.completion
                )
            })
            .collect();
        format!(
            "{}|{}|{}|{}|{}|{:?}|{}|{}|{}|{}|{:?}",
            p.seq,
            p.kind,
            p.category,
            p.description,
            p.indicators_text,
            if p.indicators_text.is_empty() {
                p.indicator_nos.clone()
            } else {
                Vec::new()
            },
            p.requirement,
            p.deadline_text,
            p.status,
            p.progress_text,
            parts
        )
    }

    #[test]
    fn the_printed_load_reads_everything_the_sheet_prints() {
        let d = tempfile::tempdir().expect("dir");
        let mut ws = Workspace::open(d.path()).expect("open");
        crate::demo::create(&mut ws).expect("demo");
        // A problem whose 所涉指标 text was cleared keeps its links: the sheet prints those.
        let blanked = ws
            .store_mut()
            .write(
                crate::action::Action::EditProblem,
                |_| String::new(),
                |tx| {
                    let id: i64 = tx.query_row(
                        "SELECT p.id FROM problem p JOIN problem_indicator pi ON pi.problem_id = p.id
                         LIMIT 1",
                        [],
                        |r| r.get(0),
                    )?;
                    tx.execute("UPDATE problem SET indicators_text = '' WHERE id = ?1", [id])?;
                    Ok(id)
                },
            )
            .expect("blank");
        let conn = ws.store().conn();
        let c = campaign::active(conn).expect("campaign");
        let today = chrono::NaiveDate::from_ymd_opt(2023, 6, 1).expect("day");
        let all = super::super::load(conn, c.id, None, today).expect("all");
        let slim = load_fields(conn, c.id, None, today, Fields::Printed).expect("printed");
        assert!(all.len() > 10, "the demo has problems");
        assert_eq!(
            all.iter().map(printed).collect::<Vec<_>>(),
            slim.iter().map(printed).collect::<Vec<_>>()
        );
        let p = slim.iter().find(|p| p.id == blanked).expect("blanked");
        assert!(!p.indicator_nos.is_empty(), "its numbers are read");
    }
}
