//! Per-unit 问题整改表: one workbook per unit of a round listing only its problems (序号,
//! 问题类型, 问题描述, 所涉指标, 整改要求, 完成时限 — locked, grey) and the columns it fills
//! (整改措施, 整改进展, 完成情况 and 整改状态 with a dropdown of what a unit may report —
//! 销号 is the office's). Same round-trip rules as the 任务分解 per-unit sheets: a stamp
//! (campaign, round, unit, revision) in a very hidden sheet and a defined name
//! (`sheet::stamp::PROBLEM_SHEETS`), the unit name in the title and file name for when both
//! are lost, and a snapshot of what was sent per export revision so collecting tells the
//! unit's edits from the office's.

use std::path::Path;

use rusqlite::params;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::{ProblemInfo, ProblemUnitInfo, RoundInfo, UNIT_STATUSES, load, round_head};
use crate::action::Action;
use crate::campaign;
use crate::error::{Error, Result};
use crate::progress::Job;
use crate::sheet::layout::Column;
use crate::sheet::stamp::{PROBLEM_SHEETS, safe_file_name, write_bundle};
use crate::sheet::write::{Book, Style, wrapped_height};
use crate::workspace::Workspace;

/// The per-unit 问题整改表 layout. The first six columns are the office's and locked.
pub const UNIT_PROBLEM_COLUMNS: &[Column] = &[
    Column::new("seq", "序号", &["问题序号", "编号"], 6.0),
    Column::new("kind", "问题类型", &["类型"], 8.0),
    Column::new("description", "问题描述", &["问题", "存在问题"], 38.0),
    Column::new("indicators", "所涉指标", &["涉及指标"], 9.0),
    Column::new("requirement", "整改要求", &["整改意见", "整改目标"], 28.0),
    Column::new("deadline", "完成时限", &["整改时限", "时限"], 11.0),
    Column::new("measures", "整改措施", &["具体措施", "整改举措"], 28.0).editable(),
    Column::new("progress", "整改进展", &["进展情况", "整改进度"], 24.0).editable(),
    Column::new("completion", "完成情况", &["整改情况", "整改结果"], 16.0).editable(),
    Column::new("status", "整改状态", &["状态"], 12.0).editable(),
];

/// Header row (0-based) of a per-unit 问题整改表 as written.
pub const HEADER_ROW: u32 = 2;

pub(crate) const TITLE_SUFFIX: &str = "督察问题整改表";

/// What a unit fills in for one of its problems.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct PartFill {
    pub status: String,
    pub measures: String,
    pub progress: String,
    pub completion: String,
}

/// One column units fill.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PartField {
    Measures,
    Progress,
    Completion,
    Status,
}

impl PartField {
    pub const ALL: [PartField; 4] = [
        PartField::Measures,
        PartField::Progress,
        PartField::Completion,
        PartField::Status,
    ];

    /// The column key (also the history's field code).
    pub fn key(self) -> &'static str {
        match self {
            PartField::Measures => "measures",
            PartField::Progress => "progress",
            PartField::Completion => "completion",
            PartField::Status => "status",
        }
    }

    pub fn label(self) -> &'static str {
        UNIT_PROBLEM_COLUMNS
            .iter()
            .find(|c| c.key == self.key())
            .map(|c| c.header)
            .unwrap_or("")
    }
}

impl PartFill {
    pub fn of(u: &ProblemUnitInfo) -> PartFill {
        PartFill {
            status: u.status.clone(),
            measures: u.measures.clone(),
            progress: u.progress.clone(),
            completion: u.completion.clone(),
        }
    }

    pub fn get(&self, f: PartField) -> &str {
        match f {
            PartField::Measures => &self.measures,
            PartField::Progress => &self.progress,
            PartField::Completion => &self.completion,
            PartField::Status => &self.status,
        }
    }
}

/// What an export of per-unit 问题整改表 produced.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ProblemSheetsExport {
    /// The folder or zip written.
    pub path: String,
    pub files: Vec<String>,
    #[ts(type = "number")]
    pub unit_count: i64,
    #[ts(type = "number")]
    pub problem_count: i64,
}

/// One sheet in memory.
struct UnitSheet {
    unit_id: i64,
    revision: i64,
    file_name: String,
    bytes: Vec<u8>,
    /// (problem_unit id, what was sent).
    rows: Vec<(i64, PartFill)>,
}

fn col_of(key: &str) -> u16 {
    UNIT_PROBLEM_COLUMNS
        .iter()
        .position(|c| c.key == key)
        .unwrap_or(0) as u16
}

fn width_of(key: &str) -> f64 {
    UNIT_PROBLEM_COLUMNS
        .iter()
        .find(|c| c.key == key)
        .map_or(10.0, |c| c.width)
}

fn build(
    round: &RoundInfo,
    unit: &str,
    stamp_text: &str,
    rows: &[(&ProblemInfo, &ProblemUnitInfo)],
) -> Result<Book> {
    let mut book = Book::new(&format!("{unit}{TITLE_SUFFIX}"));
    {
        let mut ws = book.sheet("整改情况")?;
        let last = UNIT_PROBLEM_COLUMNS.len() as u16 - 1;
        ws.title(0, last, &format!("{unit}{TITLE_SUFFIX}（{}）", round.name))?;
        let text = format!(
            "填写说明：本表列出{unit}在“{}”中需要整改的全部问题。灰底栏目由依法治区办填写并已锁定，请勿修改；请在黄底栏目填写“整改措施”“整改进展”“完成情况”，“整改状态”从下拉列表选择（{}；销号由依法治区办核验后办理）。共性问题请写明本单位的整改情况。请勿增删行列、勿修改工作表名称，填好后按原文件名报送。",
            round.name,
            UNIT_STATUSES.join("/")
        );
        ws.merged((1, 0), (1, last), &text, Style::Instruction)?;
        ws.row_height(1, 48.0)?;
        let header: Vec<(&str, f64)> = UNIT_PROBLEM_COLUMNS
            .iter()
            .map(|c| (c.header, c.width))
            .collect();
        ws.header(HEADER_ROW, &header)?;
        for (i, (p, part)) in rows.iter().enumerate() {
            let r = HEADER_ROW + 1 + i as u32;
            ws.number(r, col_of("seq"), p.seq as f64, Style::LockedCenter)?;
            let kind = if p.kind == super::KIND_COMMON && p.units.len() > 1 {
                format!("{}（{}个单位）", p.kind, p.units.len())
            } else {
                p.kind.clone()
            };
            for (key, v, style) in [
                ("kind", kind.as_str(), Style::LockedCenter),
                ("description", p.description.as_str(), Style::Locked),
                (
                    "indicators",
                    p.indicators_text.as_str(),
                    Style::LockedCenter,
                ),
                ("requirement", p.requirement.as_str(), Style::Locked),
                ("deadline", p.deadline_text.as_str(), Style::LockedCenter),
            ] {
                ws.text(r, col_of(key), v, style)?;
            }
            let fill = PartFill::of(part);
            for f in PartField::ALL {
                ws.text(r, col_of(f.key()), fill.get(f), Style::Input)?;
            }
            let h = wrapped_height(&p.description, width_of("description"))
                .max(wrapped_height(&p.requirement, width_of("requirement")))
                .max(wrapped_height(&part.measures, width_of("measures")));
            ws.row_height(r, h.min(300.0))?;
        }
        let last_row = HEADER_ROW + rows.len().max(1) as u32;
        ws.dropdown(
            (HEADER_ROW + 1, last_row),
            col_of(PartField::Status.key()),
            PartField::Status.label(),
            UNIT_STATUSES,
        )?;
        ws.freeze_rows(HEADER_ROW + 1)?;
        ws.print_a4(true, HEADER_ROW, HEADER_ROW)?;
        ws.protect();
        ws.activate();
    }
    PROBLEM_SHEETS.write(&mut book, stamp_text, unit)?;
    Ok(book)
}

/// The file name of a unit's sheet.
pub(crate) fn file_name(unit: &str) -> String {
    format!("{}-{TITLE_SUFFIX}.xlsx", safe_file_name(unit))
}

fn build_all(ws: &Workspace, round_id: i64, job: &Job) -> Result<(RoundInfo, Vec<UnitSheet>, i64)> {
    let conn = ws.store().conn();
    let c = campaign::active(conn)?;
    let round = round_head(conn, c.id, round_id)?;
    let problems = load(
        conn,
        c.id,
        Some(round_id),
        chrono::Local::now().date_naive(),
    )?;
    // Units in list order.
    let units = ws.list_units()?;
    let mut out = Vec::new();
    let busy: Vec<_> = units
        .iter()
        .filter(|u| {
            problems
                .iter()
                .any(|p| p.units.iter().any(|x| x.unit_id == u.id))
        })
        .collect();
    let total = busy.len() as u64;
    for (i, u) in busy.into_iter().enumerate() {
        job.check()?;
        job.report(
            i as u64,
            total,
            &format!("正在生成“{}”的问题整改表", u.name),
        );
        let revision: i64 = conn.query_row(
            "SELECT coalesce(max(revision), 0) + 1 FROM problem_export WHERE round_id = ?1 AND unit_id = ?2",
            params![round_id, u.id],
            |r| r.get(0),
        )?;
        let rows: Vec<(&ProblemInfo, &ProblemUnitInfo)> = problems
            .iter()
            .filter_map(|p| p.units.iter().find(|x| x.unit_id == u.id).map(|x| (p, x)))
            .collect();
        let stamp_text = PROBLEM_SHEETS.text(&[c.id, round_id, u.id, revision]);
        let bytes = build(&round, &u.name, &stamp_text, &rows)?.to_bytes()?;
        out.push(UnitSheet {
            unit_id: u.id,
            revision,
            file_name: file_name(&u.name),
            bytes,
            rows: rows.iter().map(|(_, x)| (x.id, PartFill::of(x))).collect(),
        });
    }
    Ok((round, out, problems.len() as i64))
}

impl Workspace {
    /// Write one 问题整改表 per unit of a round into the folder `target`, or into one zip when
    /// `target` ends in .zip; record each export revision and a snapshot of what was sent. The
    /// files appear all or none; the revisions are recorded only once they are on disk. A
    /// cancel (checked until the files are written) or an error leaves the target as it was.
    pub fn export_problem_sheets(
        &mut self,
        round_id: i64,
        target: &Path,
        job: &Job,
    ) -> Result<ProblemSheetsExport> {
        let (round, sheets, problem_count) = build_all(self, round_id, job)?;
        if sheets.is_empty() {
            return Err(Error::Invalid(format!(
                "督察轮次“{}”还没有问题，请先导入问题清单。",
                round.name
            )));
        }
        let files: Vec<(String, Vec<u8>)> = sheets
            .iter()
            .map(|s| (s.file_name.clone(), s.bytes.clone()))
            .collect();
        write_bundle(target, &files, job)?;
        let total = sheets.len() as u64;
        job.report(total, total, "导出完成");
        let detail = format!(
            "“{}”：{} 个单位，保存到“{}”",
            round.name,
            sheets.len(),
            target.display()
        );
        let now = crate::store::now();
        self.store_mut()
            .write(Action::ExportProblemSheets, |_| detail, |tx| {
                let mut row = tx.prepare_cached(
                    "INSERT INTO problem_export_row (export_id, problem_unit_id, status, measures, progress, completion)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                )?;
                for s in &sheets {
                    tx.execute(
                        "INSERT INTO problem_export (round_id, unit_id, revision, file_name, exported_at)
                         VALUES (?1, ?2, ?3, ?4, ?5)",
                        params![round_id, s.unit_id, s.revision, s.file_name, now],
                    )?;
                    let eid = tx.last_insert_rowid();
                    for (pu, f) in &s.rows {
                        row.execute(params![eid, pu, f.status, f.measures, f.progress, f.completion])?;
                    }
                }
                Ok(())
            })?;
        Ok(ProblemSheetsExport {
            path: target.display().to_string(),
            unit_count: sheets.len() as i64,
            files: sheets.into_iter().map(|s| s.file_name).collect(),
            problem_count,
        })
    }
}
