//! Per-unit work sheets (各单位工作表): one workbook per unit listing only its indicators with its
//! role, the deadline and the evidence list, plus the columns the unit fills (完成情况 with a
//! dropdown, 自评说明, 佐证材料目录, 联系人). Locked columns are protected; an instruction row
//! explains how to fill in. A stamp identifies campaign, unit and export revision twice: in a
//! very hidden sheet and in a workbook-level defined name (LibreOffice and WPS keep both); the
//! title and file name carry the unit name for when both are lost. Every export stores a
//! snapshot of what was sent, so collecting can tell the unit's edits from the office's.

use std::path::Path;

use rusqlite::params;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use ts_rs::TS;

use super::Assignment;
use crate::action::Action;
use crate::campaign;
use crate::error::{Error, Result};
use crate::progress::Job;
use crate::sheet::layout::Column;
use crate::sheet::write::{Book, Style, wrapped_height};
use crate::units::UnitInfo;
use crate::workspace::Workspace;

/// Values of 完成情况.
pub const STATUSES: &[&str] = &["已完成", "推进中", "未启动", "不适用"];

/// Name of the very hidden stamp sheet and of the defined name.
pub const STAMP_SHEET: &str = "_shifan_stamp";
pub const STAMP_NAME: &str = "ShifanStamp";
pub const STAMP_MARK: &str = "SHIFAN-STAMP";

/// The per-unit sheet layout. The first seven columns are locked.
pub const UNIT_SHEET_COLUMNS: &[Column] = &[
    Column::new("no", "指标序号", &["三级指标序号", "序号", "指标编号"], 7.0),
    Column::new("aspect", "一级指标", &["方面", "一级"], 14.0),
    Column::new(
        "text",
        "指标内容",
        &["三级指标内容", "三级指标", "指标"],
        36.0,
    ),
    Column::new("role", "本单位职责", &["职责", "角色", "本单位角色"], 8.0),
    Column::new("lead", "牵头单位", &["牵头部门"], 14.0),
    Column::new("deadline", "完成时限", &["时限"], 12.0),
    Column::new(
        "evidence",
        "佐证材料清单",
        &["佐证材料要求", "佐证材料"],
        28.0,
    ),
    Column::new("status", "完成情况", &["进展情况", "完成状态"], 10.0).editable(),
    Column::new(
        "explanation",
        "自评说明",
        &["情况说明", "自评情况", "工作开展情况"],
        36.0,
    )
    .editable(),
    Column::new(
        "evidence_dir",
        "佐证材料目录",
        &["材料目录", "佐证目录"],
        24.0,
    )
    .editable(),
    Column::new("contact", "联系人", &["联络员", "填报人"], 14.0).editable(),
];

/// Index of a column of [`UNIT_SHEET_COLUMNS`] by key.
fn col_of(key: &str) -> u16 {
    UNIT_SHEET_COLUMNS
        .iter()
        .position(|c| c.key == key)
        .unwrap_or(0) as u16
}

fn width_of(key: &str) -> f64 {
    UNIT_SHEET_COLUMNS
        .iter()
        .find(|c| c.key == key)
        .map_or(10.0, |c| c.width)
}

/// Header row (0-based) of a per-unit sheet as written.
pub const HEADER_ROW: u32 = 2;

/// What an export of per-unit sheets produced.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct UnitSheetsExport {
    /// The folder or zip written.
    pub path: String,
    /// File names, one per unit.
    pub files: Vec<String>,
    #[ts(type = "number")]
    pub unit_count: i64,
}

/// One exported sheet in memory.
pub(crate) struct UnitSheet {
    pub unit_id: i64,
    pub revision: i64,
    pub file_name: String,
    pub bytes: Vec<u8>,
    pub rows: Vec<SentRow>,
}

/// What was sent for one indicator (the snapshot).
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct SentRow {
    pub indicator_id: i64,
    pub role: String,
    pub deadline: String,
    pub evidence: String,
    pub fill: Fill,
}

/// What a unit fills in for one of its indicators (the editable columns).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Fill {
    /// 完成情况 (one of [`STATUSES`] or empty).
    pub status: String,
    /// 自评说明.
    pub explanation: String,
    /// 佐证材料目录.
    pub evidence_dir: String,
    /// 联系人.
    pub contact: String,
}

/// One editable column of the per-unit sheet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum FillField {
    Status,
    Explanation,
    EvidenceDir,
    Contact,
}

impl FillField {
    pub const ALL: [FillField; 4] = [
        FillField::Status,
        FillField::Explanation,
        FillField::EvidenceDir,
        FillField::Contact,
    ];

    /// The column key in [`UNIT_SHEET_COLUMNS`].
    pub fn key(self) -> &'static str {
        match self {
            FillField::Status => "status",
            FillField::Explanation => "explanation",
            FillField::EvidenceDir => "evidence_dir",
            FillField::Contact => "contact",
        }
    }

    /// The header as written (the layout's header text).
    pub fn label(self) -> &'static str {
        UNIT_SHEET_COLUMNS
            .iter()
            .find(|c| c.key == self.key())
            .map(|c| c.header)
            .unwrap_or("")
    }
}

impl Fill {
    pub fn get(&self, f: FillField) -> &str {
        match f {
            FillField::Status => &self.status,
            FillField::Explanation => &self.explanation,
            FillField::EvidenceDir => &self.evidence_dir,
            FillField::Contact => &self.contact,
        }
    }

    pub fn set(&mut self, f: FillField, v: String) {
        match f {
            FillField::Status => self.status = v,
            FillField::Explanation => self.explanation = v,
            FillField::EvidenceDir => self.evidence_dir = v,
            FillField::Contact => self.contact = v,
        }
    }
}

/// The stamp text: campaign, unit, revision and a check key.
pub fn stamp(campaign_id: i64, unit_id: i64, revision: i64) -> String {
    format!(
        "c={campaign_id};u={unit_id};r={revision};k={}",
        stamp_key(campaign_id, unit_id, revision)
    )
}

pub(crate) fn stamp_key(campaign_id: i64, unit_id: i64, revision: i64) -> String {
    let h = Sha256::digest(format!("shifan/{campaign_id}/{unit_id}/{revision}").as_bytes());
    format!("{:x}", h).chars().take(10).collect()
}

/// Parse a stamp text: (campaign, unit, revision, key).
pub fn parse_stamp(s: &str) -> Option<(i64, i64, i64, String)> {
    let s = s.trim().trim_matches('"');
    let mut c = None;
    let mut u = None;
    let mut r = None;
    let mut k = None;
    for part in s.split(';') {
        let (a, b) = part.split_once('=')?;
        match a.trim() {
            "c" => c = b.trim().parse().ok(),
            "u" => u = b.trim().parse().ok(),
            "r" => r = b.trim().parse().ok(),
            "k" => k = Some(b.trim().to_string()),
            _ => {}
        }
    }
    Some((c?, u?, r?, k?))
}

/// A file name Windows accepts.
pub fn safe_file_name(name: &str) -> String {
    let s: String = name
        .chars()
        .map(|c| {
            if "\\/:*?\"<>|".contains(c) || c.is_control() {
                '_'
            } else {
                c
            }
        })
        .collect();
    s.trim().trim_end_matches('.').to_string()
}

pub(crate) const TITLE_SUFFIX: &str = "创建任务工作表";

fn build(
    campaign: &str,
    unit: &str,
    stamp_text: &str,
    rows: &[(&Assignment, &SentRow)],
) -> Result<Book> {
    let mut book = Book::new(&format!("{unit}{TITLE_SUFFIX}"));
    {
        let mut ws = book.sheet("任务清单")?;
        let last = UNIT_SHEET_COLUMNS.len() as u16 - 1;
        ws.title(0, last, &format!("{unit}{TITLE_SUFFIX}（{campaign}）"))?;
        let text = format!(
            "填写说明：本表列出{unit}承担的全部指标。灰底栏目（指标序号至佐证材料清单）由依法治区办填写并已锁定，请勿修改；请在黄底栏目填写：“完成情况”从下拉列表选择（{}），“自评说明”写明工作开展情况，“佐证材料目录”逐行列出已准备的材料名称或编号，“联系人”填写姓名和电话。请勿增删行列、勿修改工作表名称，填好后按原文件名报送。",
            STATUSES.join("/")
        );
        ws.merged((1, 0), (1, last), &text, Style::Instruction)?;
        ws.row_height(1, 48.0)?;
        let header: Vec<(&str, f64)> = UNIT_SHEET_COLUMNS
            .iter()
            .map(|c| (c.header, c.width))
            .collect();
        ws.header(HEADER_ROW, &header)?;
        for (i, (a, s)) in rows.iter().enumerate() {
            let r = HEADER_ROW + 1 + i as u32;
            ws.number(r, col_of("no"), a.no as f64, Style::LockedCenter)?;
            let leads = a
                .leads
                .iter()
                .map(|u| u.name.as_str())
                .collect::<Vec<_>>()
                .join("、");
            let locked = [
                ("aspect", a.path.first().map(String::as_str).unwrap_or("")),
                ("text", a.text.as_str()),
                ("role", s.role.as_str()),
                ("lead", leads.as_str()),
                ("deadline", s.deadline.as_str()),
                ("evidence", s.evidence.as_str()),
            ];
            for (key, v) in locked {
                let style = if key == "role" {
                    Style::LockedCenter
                } else {
                    Style::Locked
                };
                ws.text(r, col_of(key), v, style)?;
            }
            for f in FillField::ALL {
                ws.text(r, col_of(f.key()), s.fill.get(f), Style::Input)?;
            }
            let h = wrapped_height(&a.text, width_of("text"))
                .max(wrapped_height(&s.evidence, width_of("evidence")));
            ws.row_height(r, h.min(300.0))?;
        }
        let last_row = HEADER_ROW + rows.len().max(1) as u32;
        ws.dropdown(
            (HEADER_ROW + 1, last_row),
            col_of(FillField::Status.key()),
            FillField::Status.label(),
            STATUSES,
        )?;
        ws.freeze_rows(HEADER_ROW + 1)?;
        ws.print_a4(true, HEADER_ROW, HEADER_ROW)?;
        ws.protect();
        ws.activate();
    }
    {
        let mut ws = book.sheet(STAMP_SHEET)?;
        ws.text(0, 0, STAMP_MARK, Style::Body)?;
        ws.text(0, 1, stamp_text, Style::Body)?;
        ws.text(1, 0, "unit", Style::Body)?;
        ws.text(1, 1, unit, Style::Body)?;
        ws.very_hidden();
    }
    book.define_text_name(STAMP_NAME, stamp_text)?;
    Ok(book)
}

/// Build the sheets of every unit with at least one assignment (next revision each).
pub(crate) fn build_all(ws: &Workspace, job: &Job) -> Result<Vec<UnitSheet>> {
    let conn = ws.store().conn();
    let c = campaign::active(conn)?;
    let all = super::load(conn, c.id, c.system_id)?;
    let units = ws.list_units()?;
    let busy: Vec<&UnitInfo> = units
        .iter()
        .filter(|u| u.lead_count + u.support_count > 0)
        .collect();
    let total = busy.len() as u64;
    let mut out = Vec::new();
    for (i, u) in busy.into_iter().enumerate() {
        job.check()?;
        job.report(i as u64, total, &format!("正在生成“{}”的工作表", u.name));
        let revision: i64 = conn.query_row(
            "SELECT coalesce(max(revision), 0) + 1 FROM unit_export WHERE unit_id = ?1",
            [u.id],
            |r| r.get(0),
        )?;
        let mut rows: Vec<(&Assignment, SentRow)> = Vec::new();
        for a in &all {
            let role = if a.leads.iter().any(|x| x.id == u.id) {
                "牵头"
            } else if a.supports.iter().any(|x| x.id == u.id) {
                "责任"
            } else {
                continue;
            };
            let fill = current_fill(conn, c.id, a.indicator_id, u.id)?;
            rows.push((
                a,
                SentRow {
                    indicator_id: a.indicator_id,
                    role: role.into(),
                    deadline: a.deadline_text.clone(),
                    evidence: a.evidence.join("\n"),
                    fill,
                },
            ));
        }
        let stamp_text = stamp(c.id, u.id, revision);
        let refs: Vec<(&Assignment, &SentRow)> = rows.iter().map(|(a, s)| (*a, s)).collect();
        let bytes = build(&c.name, &u.name, &stamp_text, &refs)?.to_bytes()?;
        out.push(UnitSheet {
            unit_id: u.id,
            revision,
            file_name: format!("{}-{TITLE_SUFFIX}.xlsx", safe_file_name(&u.name)),
            bytes,
            rows: rows.into_iter().map(|(_, s)| s).collect(),
        });
    }
    Ok(out)
}

/// The unit's current report for an indicator.
pub(crate) fn current_fill(
    conn: &rusqlite::Connection,
    campaign_id: i64,
    indicator_id: i64,
    unit_id: i64,
) -> Result<Fill> {
    use rusqlite::OptionalExtension;
    // Called once per row of every sheet: the statement is prepared once per connection.
    let v = conn
        .prepare_cached(
            "SELECT r.status, r.explanation, r.evidence_dir, r.contact FROM unit_report r
             JOIN assignment a ON a.id = r.assignment_id
             WHERE a.campaign_id = ?1 AND a.indicator_id = ?2 AND r.unit_id = ?3",
        )?
        .query_row(params![campaign_id, indicator_id, unit_id], |r| {
            Ok(Fill {
                status: r.get(0)?,
                explanation: r.get(1)?,
                evidence_dir: r.get(2)?,
                contact: r.get(3)?,
            })
        })
        .optional()?;
    Ok(v.unwrap_or_default())
}

impl Workspace {
    /// Write one work sheet per unit into the folder `target`, or into one zip when `target`
    /// ends in .zip; record each export revision and a snapshot of what was sent. The files
    /// appear all or none; the revisions are recorded only once they are on disk.
    ///
    /// Reports each unit; a cancel (checked until the files are written) or an error leaves the
    /// target as it was.
    pub fn export_unit_sheets(&mut self, target: &Path, job: &Job) -> Result<UnitSheetsExport> {
        let c = campaign::active(self.store().conn())?;
        let sheets = build_all(self, job)?;
        if sheets.is_empty() {
            return Err(Error::Invalid(
                "还没有任何单位承担任务，请先导入或填写任务分解表。".into(),
            ));
        }
        let total = sheets.len() as u64;
        let files: Vec<(String, Vec<u8>)> = sheets
            .iter()
            .map(|s| (s.file_name.clone(), s.bytes.clone()))
            .collect();
        crate::sheet::stamp::save_bundle(target, &files, job)?;
        job.report(total, total, "导出完成");
        let files: Vec<String> = sheets.iter().map(|s| s.file_name.clone()).collect();
        let detail = format!("{} 个单位，保存到“{}”", sheets.len(), target.display());
        let now = crate::store::now();
        self.store_mut().write(Action::ExportUnitSheets, |_| detail, |tx| {
            for s in &sheets {
                tx.execute(
                    "INSERT INTO unit_export (campaign_id, unit_id, revision, file_name, exported_at) VALUES (?1, ?2, ?3, ?4, ?5)",
                    params![c.id, s.unit_id, s.revision, s.file_name, now],
                )?;
                let eid = tx.last_insert_rowid();
                for r in &s.rows {
                    tx.execute(
                        "INSERT INTO unit_export_row (export_id, indicator_id, role, deadline, evidence, status, explanation, evidence_dir, contact)
                         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                        params![
                            eid,
                            r.indicator_id,
                            r.role,
                            r.deadline,
                            r.evidence,
                            r.fill.status,
                            r.fill.explanation,
                            r.fill.evidence_dir,
                            r.fill.contact
                        ],
                    )?;
                }
            }
            Ok(())
        })?;
        Ok(UnitSheetsExport {
            path: target.display().to_string(),
            unit_count: files.len() as i64,
            files,
        })
    }
}
