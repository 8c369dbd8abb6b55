//! Collecting the filled per-unit sheets (收回各单位工作表): many at once, from a folder or a
//! zip. Each file is matched to its unit by the stamp, or by the unit name in the title or file
//! name when the stamp was lost. Each filled field is compared with what was sent (the export
//! snapshot) and with what is stored now: the unit's change is applied when the office did not
//! change the field since; when both changed, it is a conflict, reported and not applied.
//!
//! Sheets that come back wrong are never collected silently:
//! - a sheet whose stamp names one unit while its file name, title or 填报单位 line names another
//!   (a colleague's file filled in) is an error naming both units until the user says which unit
//!   it is for, or to leave it out ([`CollectChoice`], listed in `CollectPreview::mismatches`);
//! - several sheets of one unit (初稿 and 修改版, the original beside the returned copy) are all
//!   listed with their folders and times (`CollectPreview::duplicates`); the most recently
//!   modified one is collected (file time in a folder, the entry's time in a zip; the first one
//!   when the times are equal) unless the user chose another;
//! - rows the unit inserted (no 指标序号 of their own): text only in the columns the unit fills
//!   is joined to the same column of the indicator row above, shown as a change; text in any
//!   other column, or with no indicator row above, is listed as not collected. Both are named
//!   with their row in `CollectedSheet::inserted_rows` and the issues.
//!
//! Zip entries are read into memory only (never extracted), so names like "../x.xlsx" cannot
//! write anywhere (their folders are used for display only, without "..", "/" or drive letters);
//! names without the UTF-8 flag are decoded as GBK (Windows zip tools).

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use chrono::NaiveDateTime;
use rusqlite::{Connection, OptionalExtension, Transaction, params};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::unit_sheets::{
    Fill, FillField, STAMP_MARK, STATUSES, SentRow, TITLE_SUFFIX, UNIT_SHEET_COLUMNS, parse_stamp,
    stamp_key,
};
use super::{Assignment, assignment_id, load};
use crate::action::Action;
use crate::campaign;
use crate::error::{Error, Result};
use crate::model::{ImportIssue, MatchedBy, Severity};
use crate::pipeline::{ImportReport, Importer, Plan};
use crate::progress::Job;
use crate::sheet::layout::{Found, Issues, find_header, short};
use crate::sheet::merge::{self, Merge, Tally, merge_field};
use crate::sheet::stamp::{Meta, Source, TASK_SHEETS, gather_some, other_kind};
use crate::sheet::{Grid, display_name, read_tables_from_bytes};
use crate::text::parse_number_label;
use crate::units::{UnitInfo, norm};
use crate::workspace::Workspace;

/// What the user decided in the preview (none: every default applies).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct CollectOptions {
    /// At most one per file; files without a choice follow the defaults.
    #[serde(default)]
    pub choices: Vec<CollectChoice>,
}

/// "Collect this file for this unit", or "leave this file out".
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct CollectChoice {
    /// The file as the preview names it ([`CollectedSheet::file`], [`CollectCandidate::file`]),
    /// its path inside the chosen folder or zip ("收回/区财政局-创建任务工作表.xlsx", `/` or `\`),
    /// or its full path on disk.
    pub file: String,
    /// The unit to collect it for: one of the units the file names (see
    /// [`CollectMismatch::units`]). None: the unit it was recognised as, i.e. this file is the
    /// one collected among that unit's several sheets.
    #[serde(default)]
    #[ts(type = "number | null")]
    pub unit_id: Option<i64>,
    /// Leave the file out.
    #[serde(default)]
    pub skip: bool,
}

/// One field a unit filled differently from what was sent.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct CollectChange {
    #[ts(type = "number")]
    pub no: i64,
    pub indicator: String,
    pub field: String,
    pub old: String,
    pub new: String,
}

/// A field both the unit and the office changed since the export: not applied.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct CollectConflict {
    #[ts(type = "number")]
    pub no: i64,
    pub indicator: String,
    pub field: String,
    /// Value in the exported sheet.
    pub sent: String,
    /// Value the office holds now.
    pub office: String,
    /// Value the unit returned.
    pub unit: String,
}

/// One filled cell of a row the unit inserted (a row without 指标序号 of its own).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct CollectInsertedRow {
    pub sheet: String,
    /// 1-based row as Excel shows it.
    #[ts(type = "number")]
    pub row: u32,
    /// Column letter.
    pub col: String,
    /// The indicator of the data row above, when there is one.
    #[ts(type = "number | null")]
    pub below_indicator: Option<i64>,
    /// The column's header ("自评说明").
    pub field: String,
    pub text: String,
    /// Joined to this field of the indicator above (a new line at its end, shown among the
    /// changes); false: not collected.
    pub attached: bool,
}

/// What a unit reported for one indicator (as `Workspace::unit_reports` returns it).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UnitReportFill {
    pub status: String,
    pub explanation: String,
    pub evidence_dir: String,
    pub contact: String,
}

/// One returned file that is collected.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct CollectedSheet {
    /// As shown: the path inside the chosen folder ("收回/区财政局-创建任务工作表.xlsx"), or
    /// the zip's name and the path inside it ("各单位.zip/区财政局/区财政局-….xlsx").
    pub file: String,
    /// The path inside the chosen folder or zip.
    pub path: String,
    /// Its folder inside the chosen folder or zip ("收回"; empty at the top).
    pub folder: String,
    /// Last modified ("2025-09-05 17:30"): the file's time in a folder, the entry's in a zip.
    pub modified: Option<String>,
    #[ts(type = "number")]
    pub unit_id: i64,
    pub unit_name: String,
    /// Stamp (hidden stamp found), name (matched by the unit name) or choice (the file names
    /// several units and the user chose this one).
    pub matched_by: MatchedBy,
    /// Chinese label of `matched_by` ("按导出标记识别").
    pub matched_by_label: String,
    #[ts(type = "number | null")]
    pub revision: Option<i64>,
    #[ts(type = "number")]
    pub rows: i64,
    pub changes: Vec<CollectChange>,
    pub conflicts: Vec<CollectConflict>,
    /// Cells of rows the unit inserted, and what became of them.
    pub inserted_rows: Vec<CollectInsertedRow>,
}

/// One of several files of the same unit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct CollectCandidate {
    /// As in [`CollectedSheet::file`]; pass it back in [`CollectChoice::file`].
    pub file: String,
    pub path: String,
    pub folder: String,
    pub modified: Option<String>,
    #[ts(type = "number | null")]
    pub revision: Option<i64>,
    /// What collecting this one would do.
    #[ts(type = "number")]
    pub rows: i64,
    #[ts(type = "number")]
    pub changes: i64,
    #[ts(type = "number")]
    pub conflicts: i64,
}

/// A unit with more than one returned sheet in this collect: only one is collected.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct CollectDuplicate {
    #[ts(type = "number")]
    pub unit_id: i64,
    pub unit_name: String,
    /// In the order of the folder or zip.
    pub files: Vec<CollectCandidate>,
    /// `file` of the one collected; None when none is (the user chose two).
    pub chosen: Option<String>,
    /// Why that one: "newest" (most recently modified), "first" (equal times: the first one),
    /// "choice" (the user's).
    pub reason: String,
    /// What the preview says about it ("默认收回最近修改的一份").
    pub reason_label: String,
}

/// A unit a returned file names, and where.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct CollectNamedUnit {
    #[ts(type = "number")]
    pub unit_id: i64,
    pub unit_name: String,
    /// "导出标记", "文件名", "标题", "填报单位".
    pub places: Vec<String>,
}

/// A returned file that names more than one unit (stamp, file name, title, 填报单位): collected
/// only for the unit the user chooses.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct CollectMismatch {
    pub file: String,
    pub path: String,
    pub folder: String,
    /// The stamp's unit first.
    pub units: Vec<CollectNamedUnit>,
    /// The unit chosen; None: not collected (not chosen yet, or left out).
    #[ts(type = "number | null")]
    pub chosen_unit_id: Option<i64>,
    /// The user chose to leave it out.
    pub skipped: bool,
}

/// What collecting would do.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct CollectPreview {
    pub source: String,
    pub sheets: Vec<CollectedSheet>,
    #[ts(type = "number")]
    pub change_count: i64,
    #[ts(type = "number")]
    pub conflict_count: i64,
    /// Units with several returned sheets.
    pub duplicates: Vec<CollectDuplicate>,
    /// Files naming several units.
    pub mismatches: Vec<CollectMismatch>,
    pub issues: Vec<ImportIssue>,
    pub can_apply: bool,
}

/// What the write needs: the new report of each (unit, indicator) a sheet changed.
pub struct CollectWork {
    campaign_id: i64,
    reports: Vec<ReportWrite>,
}

/// One unit's report for one indicator after collecting: the stored fill with the unit's
/// changes applied (conflicting fields keep the office's value).
struct ReportWrite {
    unit_id: i64,
    indicator_id: i64,
    /// The export the sheet came from (None when matched by name without any export).
    export_id: Option<i64>,
    fill: Fill,
    /// The fields taken from the sheet: the export's row moves to them, so the same unit's
    /// corrected sheet sent again is compared with its own first return.
    taken: Vec<FillField>,
}

/// The stamp text of a workbook: the stamp sheet, else the defined name.
fn find_stamp(grids: &[Grid], bytes: &[u8]) -> Option<String> {
    TASK_SHEETS.find(grids, bytes)
}

/// The unit one of `texts` names (the first that names one): the per-unit problem sheets
/// read their 填报单位 and title the same way.
pub(crate) fn unit_named_in<'a>(units: &'a [UnitInfo], texts: &[String]) -> Option<&'a UnitInfo> {
    texts.iter().find_map(|t| unit_by_name(units, t))
}

/// The unit whose name (or short name / alias, 3+ characters) appears in `text`; the longest
/// match wins.
fn unit_by_name<'a>(units: &'a [UnitInfo], text: &str) -> Option<&'a UnitInfo> {
    let t = norm(text);
    if t.is_empty() {
        return None;
    }
    let mut best: Option<(usize, &UnitInfo)> = None;
    for u in units {
        let names = std::iter::once(&u.name)
            .chain(std::iter::once(&u.short_name))
            .chain(u.aliases.iter());
        for n in names {
            let n = norm(n);
            let len = n.chars().count();
            if len >= 3 && t.contains(&n) && best.is_none_or(|(l, _)| len > l) {
                best = Some((len, u));
            }
        }
    }
    best.map(|(_, u)| u)
}

/// Text up to the first space (half- or full-width).
fn first_word(s: &str) -> &str {
    s.trim().split(char::is_whitespace).next().unwrap_or("")
}

/// The unit written on a "填报单位（盖章）：区审计局" line above the header, in the same cell or
/// the next filled one.
fn declared_unit(g: &Grid, header_row: usize) -> Option<String> {
    const KEY: &str = "填报单位";
    for r in 0..header_row.min(g.rows.len()) {
        let row = &g.rows[r];
        for (c, cell) in row.iter().enumerate() {
            if cell.merged_copy {
                continue;
            }
            let Some(i) = cell.text.find(KEY) else {
                continue;
            };
            let mut rest = cell.text[i + KEY.len()..].trim_start();
            for p in ["（盖章）", "(盖章)", "（章）", "：", ":"] {
                rest = rest.strip_prefix(p).unwrap_or(rest).trim_start();
            }
            let word = first_word(rest);
            if !word.is_empty() {
                return Some(word.to_string());
            }
            return row[c + 1..]
                .iter()
                .find(|x| !x.merged_copy && !x.text.trim().is_empty())
                .map(|x| first_word(&x.text).to_string());
        }
    }
    None
}

/// The sheet's title (the first filled row above the header that is not the instructions or a
/// 填报单位 line), up to "创建任务工作表" or a bracket.
fn title_of(g: &Grid, header_row: usize) -> Option<String> {
    for r in 0..header_row.min(g.rows.len()) {
        let Some(t) = g.rows[r]
            .iter()
            .find(|c| !c.text.trim().is_empty())
            .map(|c| c.text.trim())
        else {
            continue;
        };
        if t.starts_with("填写说明") || t.contains("填报单位") {
            continue;
        }
        let end = [t.find(TITLE_SUFFIX), t.find('（'), t.find('(')]
            .into_iter()
            .flatten()
            .min()
            .unwrap_or(t.len());
        return Some(t[..end].to_string());
    }
    None
}

fn snapshot(conn: &Connection, export_id: i64) -> Result<HashMap<i64, SentRow>> {
    let mut st = conn.prepare(
        "SELECT indicator_id, role, deadline, evidence, status, explanation, evidence_dir, contact
         FROM unit_export_row WHERE export_id = ?1",
    )?;
    let rows = st.query_map([export_id], |r| {
        Ok(SentRow {
            indicator_id: r.get(0)?,
            role: r.get(1)?,
            deadline: r.get(2)?,
            evidence: r.get(3)?,
            fill: Fill {
                status: r.get(4)?,
                explanation: r.get(5)?,
                evidence_dir: r.get(6)?,
                contact: r.get(7)?,
            },
        })
    })?;
    let mut m = HashMap::new();
    for r in rows {
        let r = r?;
        m.insert(r.indicator_id, r);
    }
    Ok(m)
}

fn squash(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// What is stored and needed while collecting.
struct Ctx<'a> {
    conn: &'a Connection,
    campaign_id: i64,
    units: &'a [UnitInfo],
    by_no: HashMap<i64, &'a Assignment>,
}

impl Ctx<'_> {
    fn unit(&self, id: i64) -> Option<&UnitInfo> {
        self.units.iter().find(|u| u.id == id)
    }

    /// The latest export of a unit: (export id, revision).
    fn latest_export(&self, unit_id: i64) -> Result<Option<(i64, i64)>> {
        Ok(self
            .conn
            .query_row(
                "SELECT id, revision FROM unit_export WHERE unit_id = ?1 ORDER BY revision DESC LIMIT 1",
                [unit_id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?)
    }
}

/// A valid stamp of this campaign naming a known unit.
#[derive(Debug, Clone, Copy)]
struct Stamped {
    unit_id: i64,
    export_id: Option<i64>,
    revision: i64,
}

/// A returned file, read and recognised, before anything is chosen.
struct Returned {
    meta: Meta,
    grids: Vec<Grid>,
    /// The 任务清单 grid and its header.
    data: (usize, Found),
    stamp: Option<Stamped>,
    /// Units the file names, with where; the stamp's first.
    named: Vec<(i64, Vec<&'static str>)>,
    /// Found while recognising it (shown when it is collected).
    issues: Vec<ImportIssue>,
}

impl Returned {
    fn unit_ids(&self) -> Vec<i64> {
        self.named.iter().map(|(u, _)| *u).collect()
    }
}

/// Read one file and find which units it names. A file that cannot be collected gives its
/// issues (with at least one error).
fn identify(ctx: &Ctx<'_>, src: Source) -> Result<std::result::Result<Returned, Vec<ImportIssue>>> {
    let file = src.meta.label.clone();
    let mut issues = Issues::new(&file);
    let grids = match read_tables_from_bytes(&file, src.bytes.clone()) {
        Ok(g) => g,
        Err(e) => {
            return Ok(Err(vec![ImportIssue::about_file(
                &file,
                Severity::Error,
                e.to_string(),
            )]));
        }
    };
    let stamp_text = find_stamp(&grids, &src.bytes);
    // A file of another kind (a 问题整改表) picked by mistake.
    if let Some(k) = other_kind(&TASK_SHEETS, &grids, &src.bytes, stamp_text.is_some()) {
        issues.file(
            Severity::Error,
            &format!(
                "这是从示范创建工作台导出的{}，不是创建任务工作表，请在相应页面收回。",
                k.what
            ),
        );
        return Ok(Err(issues.list));
    }
    let mut stamped = None;
    if let Some((sc, su, sr, sk)) = stamp_text.and_then(|s| parse_stamp(&s)) {
        if sc != ctx.campaign_id {
            issues.file(
                Severity::Error,
                "该文件是从另一个创建项目导出的，不能收回到当前项目。",
            );
            return Ok(Err(issues.list));
        }
        if stamp_key(sc, su, sr) != sk {
            issues.file(
                Severity::Warning,
                "文件中的导出标记已损坏，改按单位名称识别。",
            );
        } else if ctx.unit(su).is_some() {
            let export_id = ctx
                .conn
                .query_row(
                    "SELECT id FROM unit_export WHERE unit_id = ?1 AND revision = ?2",
                    params![su, sr],
                    |r| r.get(0),
                )
                .optional()?;
            stamped = Some(Stamped {
                unit_id: su,
                export_id,
                revision: sr,
            });
        }
    }
    let data = grids
        .iter()
        .enumerate()
        .filter(|(_, g)| g.text(0, 0) != STAMP_MARK)
        .find_map(|(i, g)| {
            find_header(g, UNIT_SHEET_COLUMNS, &["no"])
                .filter(|h| FillField::ALL.iter().any(|f| h.col(f.key()).is_some()))
                .map(|h| (i, h))
        });
    // Where the file names a unit: the stamp, the 填报单位 line, the title, the file name.
    let mut named: Vec<(i64, Vec<&'static str>)> = Vec::new();
    let mut add = |id: i64, place: &'static str| match named.iter_mut().find(|(u, _)| *u == id) {
        Some((_, p)) => p.push(place),
        None => named.push((id, vec![place])),
    };
    if let Some(s) = stamped {
        add(s.unit_id, "导出标记");
    }
    if let Some((i, h)) = &data {
        let g = &grids[*i];
        if let Some(u) = declared_unit(g, h.row).and_then(|t| unit_by_name(ctx.units, &t)) {
            add(u.id, "填报单位");
        }
        if let Some(u) = title_of(g, h.row).and_then(|t| unit_by_name(ctx.units, &t)) {
            add(u.id, "标题");
        }
    }
    let stem = src
        .meta
        .base()
        .rsplit_once('.')
        .map_or(src.meta.base(), |(s, _)| s);
    if let Some(u) = unit_by_name(ctx.units, stem) {
        add(u.id, "文件名");
    }
    if named.is_empty() {
        issues.file(Severity::Error, "无法识别是哪个单位的工作表：没有导出标记，标题和文件名中也没有单位名称。请按原文件名报送。");
        return Ok(Err(issues.list));
    }
    let Some(data) = data else {
        issues.file(
            Severity::Error,
            "没有找到工作表的表头（需要“指标序号”列和“完成情况”等填报列）。",
        );
        return Ok(Err(issues.list));
    };
    Ok(Ok(Returned {
        meta: src.meta,
        grids,
        data,
        stamp: stamped,
        named,
        issues: issues.list,
    }))
}

/// What a returned sheet is compared with.
struct Basis {
    export_id: Option<i64>,
    revision: Option<i64>,
    matched_by: MatchedBy,
}

/// One sheet compared with what was sent and what is stored.
struct Compared {
    sheet: CollectedSheet,
    reports: Vec<ReportWrite>,
    issues: Vec<ImportIssue>,
}

/// A data row read, with the text of the rows inserted below it joined in.
struct DataRow<'a> {
    r: usize,
    no: i64,
    a: &'a Assignment,
    /// The fill-in columns present: (field, column, text).
    got: Vec<(FillField, usize, String)>,
}

fn compare(ctx: &Ctx<'_>, ret: &Returned, unit: &UnitInfo, basis: &Basis) -> Result<Compared> {
    let conn = ctx.conn;
    let file = &ret.meta.label;
    let mut issues = Issues::new(file);
    let (gi, h) = &ret.data;
    let g = &ret.grids[*gi];
    if basis.matched_by == MatchedBy::Name {
        issues.file(
            Severity::Warning,
            &format!("未找到导出标记（文件可能经过另存），已按单位名称识别为“{}”，并与最近一次导出比对。", unit.name),
        );
    }
    if let Some(r) = basis.revision {
        let latest: i64 = conn.query_row(
            "SELECT coalesce(max(revision), 0) FROM unit_export WHERE unit_id = ?1",
            [unit.id],
            |x| x.get(0),
        )?;
        if r < latest {
            issues.file(Severity::Warning, &format!("这是第 {r} 次导出的工作表，此后又导出过（最近为第 {latest} 次），将按第 {r} 次导出时的内容比对。"));
        }
    }
    for f in FillField::ALL {
        if h.col(f.key()).is_none() {
            issues.at(
                Severity::Warning,
                g,
                Some(h.row),
                None,
                &format!("缺少“{}”列，该栏未收回。", f.label()),
            );
        }
    }
    let sent = match basis.export_id {
        Some(e) => snapshot(conn, e)?,
        None => HashMap::new(),
    };
    let no_col = h.col("no").unwrap_or(0);
    let text_col = h.col("text");
    let fill_cols: Vec<(FillField, usize)> = FillField::ALL
        .iter()
        .filter_map(|f| h.col(f.key()).map(|c| (*f, c)))
        .collect();
    let mut sheet = CollectedSheet {
        file: file.clone(),
        path: ret.meta.path.clone(),
        folder: ret.meta.folder.clone(),
        modified: ret.meta.modified_text(),
        unit_id: unit.id,
        unit_name: unit.name.clone(),
        matched_by: basis.matched_by,
        matched_by_label: basis.matched_by.label().into(),
        revision: basis.revision,
        rows: 0,
        changes: Vec::new(),
        conflicts: Vec::new(),
        inserted_rows: Vec::new(),
    };
    let mut reports = Vec::new();
    let mut seen: HashMap<i64, usize> = HashMap::new();
    // The data row above, while the rows below it may continue it; None after a skipped row.
    let mut above: Option<DataRow> = None;
    // The indicator number written in the row above (collected or not), for the messages.
    let mut above_no: Option<i64> = None;
    for r in h.row + 1..g.rows.len() {
        if g.row_is_blank(r) {
            continue;
        }
        let raw = g.text(r, no_col);
        let inserted = raw.is_empty() || g.cell(r, no_col).is_some_and(|c| c.merged_copy);
        if inserted {
            inserted_row(
                g,
                h,
                r,
                &fill_cols,
                &mut above,
                above_no,
                &mut sheet,
                &mut issues,
            );
            continue;
        }
        if let Some(d) = above.take() {
            finish_row(
                ctx,
                &sent,
                unit,
                basis,
                g,
                d,
                &mut sheet,
                &mut reports,
                &mut issues,
            )?;
        }
        let Some(written) = parse_number_label(raw) else {
            issues.at(
                Severity::Warning,
                g,
                Some(r),
                Some(no_col),
                &format!("指标序号“{}”无法识别，已跳过该行。", short(raw)),
            );
            above_no = None;
            continue;
        };
        // The 指标内容 the sheet was sent with decides when the number was renumbered or a
        // running 序号 column was put in front of it.
        let no = match text_col
            .map(|c| g.text(r, c))
            .filter(|t| !t.trim().is_empty())
        {
            Some(t)
                if ctx
                    .by_no
                    .get(&written)
                    .is_none_or(|a| !same_text(t, &a.text)) =>
            {
                let by_text = ctx
                    .by_no
                    .values()
                    .filter(|a| same_text(t, &a.text))
                    .min_by_key(|a| a.no);
                match by_text {
                    Some(a) => {
                        issues.at(
                            Severity::Warning,
                            g,
                            Some(r),
                            Some(no_col),
                            &format!(
                                "指标序号“{}”与本行的指标内容不符，已按指标内容对应到指标 {}。",
                                short(raw),
                                a.no
                            ),
                        );
                        a.no
                    }
                    None => {
                        issues.at(
                            Severity::Warning,
                            g,
                            Some(r),
                            text_col,
                            &format!(
                                "本行的指标内容与指标 {written} 的内容不同，也不是其他指标的内容（可能是指标体系已更新，或改动了该栏），已按指标序号 {written} 收回，请核对。"
                            ),
                        );
                        written
                    }
                }
            }
            _ => written,
        };
        above_no = Some(no);
        if let Some(p) = seen.insert(no, r) {
            issues.at(
                Severity::Warning,
                g,
                Some(r),
                Some(no_col),
                &format!("指标 {no} 与第{}行重复，已跳过该行。", p + 1),
            );
            continue;
        }
        let Some(a) = ctx.by_no.get(&no).copied() else {
            issues.at(
                Severity::Warning,
                g,
                Some(r),
                Some(no_col),
                &format!("当前指标体系中没有序号为 {no} 的指标，已跳过该行。"),
            );
            continue;
        };
        if !a.leads.iter().chain(&a.supports).any(|u| u.id == unit.id) {
            issues.at(
                Severity::Warning,
                g,
                Some(r),
                Some(no_col),
                &if basis.matched_by == MatchedBy::Choice {
                    format!("指标 {no} 不是“{}”承担的任务，已跳过该行。", unit.name)
                } else {
                    format!("指标 {no} 已不再由“{}”承担，已跳过该行。", unit.name)
                },
            );
            continue;
        }
        if let Some(s) = sent.get(&a.indicator_id) {
            for (k, label, v) in [
                ("deadline", "完成时限", &s.deadline),
                ("evidence", "佐证材料清单", &s.evidence),
            ] {
                if let Some(col) = h.col(k)
                    && squash(g.text(r, col)) != squash(v)
                {
                    issues.at(
                        Severity::Warning,
                        g,
                        Some(r),
                        Some(col),
                        &format!("单位修改了锁定栏目“{label}”，已忽略该修改。"),
                    );
                }
            }
        }
        sheet.rows += 1;
        above = Some(DataRow {
            r,
            no,
            a,
            got: fill_cols
                .iter()
                .map(|(f, c)| (*f, *c, g.text(r, *c).to_string()))
                .collect(),
        });
    }
    if let Some(d) = above.take() {
        finish_row(
            ctx,
            &sent,
            unit,
            basis,
            g,
            d,
            &mut sheet,
            &mut reports,
            &mut issues,
        )?;
    }
    if sheet.rows == 0 {
        issues.file(Severity::Warning, "表中没有可收回的任务行。");
    }
    Ok(Compared {
        sheet,
        reports,
        issues: issues.list,
    })
}

/// A row without 指标序号 of its own (inserted by the unit, or below a merged 指标序号 cell):
/// text only in the fill-in columns continues the data row above; anything else is not
/// collected. Either way every filled cell is named.
#[allow(clippy::too_many_arguments)]
fn inserted_row(
    g: &Grid,
    h: &Found,
    r: usize,
    fill_cols: &[(FillField, usize)],
    above: &mut Option<DataRow>,
    above_no: Option<i64>,
    sheet: &mut CollectedSheet,
    issues: &mut Issues,
) {
    // The row's own text (not copies of a merged cell above).
    let cells: Vec<(usize, &str)> = g.rows[r]
        .iter()
        .enumerate()
        .filter(|(_, c)| !c.merged_copy && !c.text.trim().is_empty())
        .map(|(i, c)| (i, c.text.as_str()))
        .collect();
    if cells.is_empty() {
        return;
    }
    let field_of = |c: usize| fill_cols.iter().find(|(_, fc)| *fc == c).map(|(f, _)| *f);
    let header = |c: usize| {
        let t = g.text(h.row, c);
        if t.is_empty() {
            format!("{}列", g.col_label(c))
        } else {
            t.to_string()
        }
    };
    let only_fill = cells.iter().all(|(c, _)| field_of(*c).is_some());
    let below = above.as_ref().map(|d| d.no).or(above_no);
    let record = |sheet: &mut CollectedSheet, c: usize, text: &str, attached: bool| {
        sheet.inserted_rows.push(CollectInsertedRow {
            sheet: g.name.clone(),
            row: r as u32 + 1,
            col: g.col_label(c),
            below_indicator: below,
            field: header(c),
            text: text.to_string(),
            attached,
        });
    };
    let listed = |cells: &[(usize, &str)]| {
        cells
            .iter()
            .map(|(c, t)| format!("{}“{}”", header(*c), short(t)))
            .collect::<Vec<_>>()
            .join("、")
    };
    let data = above.as_mut().filter(|_| only_fill);
    let Some(d) = data else {
        let why = if !only_fill {
            "这一行没有指标序号（可能是单位插入的行），且在锁定栏目或表外列中有内容，无法确定属于哪个指标"
        } else if let Some(no) = below {
            &format!("这一行没有指标序号（可能是单位插入的行），上方的指标 {no} 未收回")
        } else {
            "这一行没有指标序号（可能是单位插入的行），上方没有指标行"
        };
        issues.at(
            Severity::Warning,
            g,
            Some(r),
            None,
            &format!("{why}，内容未收回：{}。", listed(&cells)),
        );
        for (c, t) in &cells {
            record(sheet, *c, t, false);
        }
        return;
    };
    let mut joined = Vec::new();
    let mut left = Vec::new();
    for (c, t) in &cells {
        let Some(f) = field_of(*c) else { continue };
        if f == FillField::Status {
            // One status per indicator: a second one cannot be joined.
            left.push((*c, *t));
            record(sheet, *c, t, false);
            continue;
        }
        if let Some((_, _, v)) = d.got.iter_mut().find(|(gf, _, _)| *gf == f) {
            if v.is_empty() {
                *v = t.to_string();
            } else {
                v.push('\n');
                v.push_str(t);
            }
        }
        joined.push((*c, *t));
        record(sheet, *c, t, true);
    }
    if !joined.is_empty() {
        issues.at(
            Severity::Warning,
            g,
            Some(r),
            None,
            &format!(
                "这一行没有指标序号（可能是单位插入的行），其内容已并入上方第{}行指标 {} 的同一栏（另起一行）：{}。",
                d.r + 1,
                d.no,
                listed(&joined)
            ),
        );
    }
    if !left.is_empty() {
        issues.at(
            Severity::Warning,
            g,
            Some(r),
            None,
            &format!(
                "这一行没有指标序号（可能是单位插入的行），每个指标只能有一个完成情况，内容未收回：{}。",
                listed(&left)
            ),
        );
    }
}

/// Compare one data row (with its inserted rows joined) and record its changes.
#[allow(clippy::too_many_arguments)]
fn finish_row(
    ctx: &Ctx<'_>,
    sent: &HashMap<i64, SentRow>,
    unit: &UnitInfo,
    basis: &Basis,
    g: &Grid,
    d: DataRow<'_>,
    sheet: &mut CollectedSheet,
    reports: &mut Vec<ReportWrite>,
    issues: &mut Issues,
) -> Result<()> {
    let a = d.a;
    let no = d.no;
    let now = super::unit_sheets::current_fill(ctx.conn, ctx.campaign_id, a.indicator_id, unit.id)?;
    let was = sent
        .get(&a.indicator_id)
        .map(|s| s.fill.clone())
        .unwrap_or_else(|| now.clone());
    let mut fill = now.clone();
    let mut taken = Vec::new();
    for (f, col, mut got) in d.got {
        if f == FillField::Status
            && let Some(s) = task_status(&got)
        {
            got = s.to_string();
        }
        if f == FillField::Status && !got.is_empty() && !STATUSES.contains(&got.as_str()) {
            issues.at(
                Severity::Warning,
                g,
                Some(d.r),
                Some(col),
                &format!(
                    "完成情况“{}”不是可选值（{}），已忽略。",
                    short(&got),
                    STATUSES.join("、")
                ),
            );
            continue;
        }
        match merge_field(was.get(f), now.get(f), &got) {
            Merge::Unchanged => continue,
            Merge::Conflict => {
                sheet.conflicts.push(CollectConflict {
                    no,
                    indicator: short(&a.text),
                    field: f.label().into(),
                    sent: was.get(f).to_string(),
                    office: now.get(f).to_string(),
                    unit: got,
                });
                continue;
            }
            Merge::Take => {}
        }
        sheet.changes.push(CollectChange {
            no,
            indicator: short(&a.text),
            field: f.label().into(),
            old: now.get(f).to_string(),
            new: got.clone(),
        });
        fill.set(f, got);
        taken.push(f);
    }
    if fill != now {
        reports.push(ReportWrite {
            unit_id: unit.id,
            indicator_id: a.indicator_id,
            export_id: basis.export_id,
            fill,
            taken,
        });
    }
    Ok(())
}

/// A 完成情况 as units write it: one of [`STATUSES`] give or take spaces and a full stop, or
/// a plain synonym ("完成", "已办结" → 已完成; "进行中" → 推进中; "未开始" → 未启动; "不涉及" →
/// 不适用). None when it is none of them.
fn task_status(raw: &str) -> Option<&'static str> {
    let t: String = raw
        .chars()
        .filter(|c| !c.is_whitespace() && !"。.，,;；!！".contains(*c))
        .collect();
    const SYNONYMS: &[(&str, &[&str])] = &[
        (
            "已完成",
            &[
                "已完成",
                "完成",
                "已办结",
                "办结",
                "全部完成",
                "已落实",
                "已全部完成",
            ],
        ),
        (
            "推进中",
            &[
                "推进中",
                "进行中",
                "正在推进",
                "正在进行",
                "持续推进",
                "部分完成",
                "正在落实",
            ],
        ),
        (
            "未启动",
            &["未启动", "未开始", "尚未启动", "尚未开始", "暂未启动"],
        ),
        ("不适用", &["不适用", "不涉及", "无此项", "本单位不涉及"]),
    ];
    SYNONYMS
        .iter()
        .find(|(_, ws)| ws.contains(&t.as_str()))
        .map(|(s, _)| *s)
}

/// Whether a returned 指标内容 cell is the indicator's text: the same but for spaces and line
/// breaks, or (16+ characters) a beginning of it, as a unit that shortened the cell leaves it.
fn same_text(cell: &str, text: &str) -> bool {
    let (a, b) = (squash(cell), squash(text));
    a == b || (a.chars().count() >= 16 && b.starts_with(&a))
}

/// "/"-separated, without "./" and surrounding spaces.
fn norm_path(s: &str) -> String {
    let s = s.trim().trim_matches('"').replace('\\', "/");
    s.trim_start_matches("./").to_string()
}

/// Whether a choice names this file: as shown, by its path inside the folder or zip, or by its
/// full path on disk.
fn names_file(choice: &str, meta: &Meta, root: Option<&Path>) -> bool {
    let c = norm_path(choice);
    if c == norm_path(&meta.label) || c == norm_path(&meta.path) {
        return true;
    }
    let (Some(root), Ok(abs)) = (root, std::path::absolute(choice.trim())) else {
        return false;
    };
    // A single workbook chosen as the source (not an entry of a zip): its own full path
    // names it.
    if !root.is_dir() {
        return meta.path == meta.label && std::path::absolute(root).is_ok_and(|r| r == abs);
    }
    std::path::absolute(root)
        .ok()
        .and_then(|r| {
            abs.strip_prefix(r)
                .ok()
                .map(|rel| norm_path(&rel.to_string_lossy()))
        })
        .is_some_and(|rel| rel == norm_path(&meta.path))
}

/// "“区财政局”（导出标记）、“区审计局”（文件名、标题、填报单位）".
fn named_text(ctx: &Ctx<'_>, named: &[(i64, Vec<&'static str>)]) -> String {
    named
        .iter()
        .map(|(u, places)| {
            let name = ctx.unit(*u).map_or("", |x| x.name.as_str());
            format!("“{name}”（{}）", places.join("、"))
        })
        .collect::<Vec<_>>()
        .join("、")
}

/// A returned file with the unit it is collected for.
struct Resolved {
    /// Its place in the folder or zip.
    index: usize,
    ret: Returned,
    unit_id: i64,
    basis: Basis,
    /// The user named this file in a choice.
    picked: bool,
}

/// Which unit a recognised file is collected for: the one it names, or the one the user chose
/// when it names several (or none: left out, not chosen yet, or a wrong choice). Also the
/// issues about that, and the mismatch to list when it names several.
fn resolve_unit(
    ctx: &Ctx<'_>,
    ret: &Returned,
    choice: Option<&CollectChoice>,
) -> (Option<i64>, Vec<ImportIssue>, Option<CollectMismatch>) {
    let ids = ret.unit_ids();
    let several = ids.len() > 1;
    let name_of = |u: i64| ctx.unit(u).map_or(String::new(), |x| x.name.clone());
    let mut note = Issues::new(&ret.meta.label);
    let unit = match choice {
        Some(ch) if ch.skip => {
            note.file(Severity::Warning, "按您的选择，未收回该文件。");
            None
        }
        Some(CollectChoice {
            unit_id: Some(u), ..
        }) if !ids.contains(u) => {
            note.file(
                Severity::Error,
                &format!(
                    "所选单位“{}”与该文件不符：文件中写的单位是{}。请从这些单位中选择，或选择不收回。",
                    name_of(*u),
                    named_text(ctx, &ret.named)
                ),
            );
            None
        }
        Some(CollectChoice {
            unit_id: Some(u), ..
        }) => Some(*u),
        _ if !several => Some(ids[0]),
        _ => {
            let what = match (&ret.stamp, ret.named.split_first()) {
                (Some(_), Some(((stamp_unit, _), rest))) => format!(
                    "导出标记表明这是发给“{}”的工作表，但{}",
                    name_of(*stamp_unit),
                    rest.iter()
                        .map(|(u, p)| format!("{}写的是“{}”", p.join("、"), name_of(*u)))
                        .collect::<Vec<_>>()
                        .join("，")
                ),
                _ => format!("文件中写的单位不一致：{}", named_text(ctx, &ret.named)),
            };
            note.file(
                Severity::Error,
                &format!("{what}（可能是用其他单位的工作表填报的）。该文件暂不收回：请选择它属于哪个单位，或选择不收回；也可请单位用自己的工作表重新填报。"),
            );
            None
        }
    };
    if !several {
        return (unit, note.list, None);
    }
    if let Some(u) = unit {
        note.file(
            Severity::Warning,
            &format!(
                "文件中写的单位不一致（{}），按您的选择收回为“{}”的工作表。",
                named_text(ctx, &ret.named),
                name_of(u)
            ),
        );
    }
    let mismatch = CollectMismatch {
        file: ret.meta.label.clone(),
        path: ret.meta.path.clone(),
        folder: ret.meta.folder.clone(),
        units: ret
            .named
            .iter()
            .map(|(u, places)| CollectNamedUnit {
                unit_id: *u,
                unit_name: name_of(*u),
                places: places.iter().map(|p| p.to_string()).collect(),
            })
            .collect(),
        chosen_unit_id: unit,
        skipped: choice.is_some_and(|ch| ch.skip),
    };
    (unit, note.list, Some(mismatch))
}

/// What a file collected for `unit` is compared with: the export its stamp names when the
/// stamp is that unit's, else the unit's latest export.
fn basis_for(ctx: &Ctx<'_>, ret: &Returned, unit: i64) -> Result<Basis> {
    let several = ret.named.len() > 1;
    Ok(match ret.stamp {
        Some(s) if s.unit_id == unit => Basis {
            export_id: s.export_id,
            revision: Some(s.revision),
            matched_by: if several {
                MatchedBy::Choice
            } else {
                MatchedBy::Stamp
            },
        },
        _ => {
            let latest = ctx.latest_export(unit)?;
            Basis {
                export_id: latest.map(|l| l.0),
                revision: latest.map(|l| l.1),
                matched_by: if several {
                    MatchedBy::Choice
                } else {
                    MatchedBy::Name
                },
            }
        }
    })
}

/// Of several sheets of one unit, the one collected: the user's choice, else the most recently
/// modified, else (equal or unknown times) the first one; None when the user chose more than
/// one. With the listing for the preview and the issue that says so.
fn choose_one(
    unit: &UnitInfo,
    members: &[&Resolved],
    compared: &[Compared],
) -> (Option<usize>, CollectDuplicate, ImportIssue) {
    let picked: Vec<usize> = (0..members.len()).filter(|&m| members[m].picked).collect();
    let times: Vec<Option<NaiveDateTime>> = members.iter().map(|r| r.ret.meta.modified).collect();
    let newest = times.iter().max().copied().flatten();
    let at_newest: Vec<usize> = (0..members.len())
        .filter(|&m| newest.is_some() && times[m] == newest)
        .collect();
    let (chosen, reason) = match (picked.as_slice(), at_newest.as_slice()) {
        ([one], _) => (Some(*one), "choice"),
        ([], [one]) => (Some(*one), "newest"),
        ([], _) => (Some(at_newest.first().copied().unwrap_or(0)), "first"),
        _ => (None, "choice"),
    };
    let files: Vec<CollectCandidate> = members
        .iter()
        .zip(compared)
        .map(|(r, cmp)| CollectCandidate {
            file: r.ret.meta.label.clone(),
            path: r.ret.meta.path.clone(),
            folder: r.ret.meta.folder.clone(),
            modified: r.ret.meta.modified_text(),
            revision: cmp.sheet.revision,
            rows: cmp.sheet.rows,
            changes: cmp.sheet.changes.len() as i64,
            conflicts: cmp.sheet.conflicts.len() as i64,
        })
        .collect();
    let listing = files
        .iter()
        .map(|f| match &f.modified {
            Some(t) => format!("“{}”（修改于 {t}）", f.file),
            None => format!("“{}”", f.file),
        })
        .collect::<Vec<_>>()
        .join("、");
    let head = format!("“{}”有 {} 份工作表：{listing}。", unit.name, files.len());
    let chosen_file = chosen.map(|m| files[m].file.clone());
    let named = chosen_file.clone().unwrap_or_default();
    let (severity, message) = match (chosen, reason) {
        (Some(_), "newest") => (
            Severity::Warning,
            format!(
                "{head}默认收回最近修改的“{named}”，其余未收回；如需收回另一份，请在预览中选择。"
            ),
        ),
        (Some(_), "first") => (
            Severity::Warning,
            format!(
                "{head}无法按修改时间区分（时间相同或未记录），默认收回排在前面的“{named}”，其余未收回；请核对是否应收回另一份。"
            ),
        ),
        (Some(_), _) => (
            Severity::Warning,
            format!("{head}按您的选择收回“{named}”，其余未收回。"),
        ),
        (None, _) => (
            Severity::Error,
            format!(
                "{head}您选择了其中 {} 份，每个单位只能收回一份，请只选择一份。",
                picked.len()
            ),
        ),
    };
    let reason_label = match (chosen, reason) {
        (Some(_), "newest") => "默认收回最近修改的一份",
        (Some(_), "first") => "修改时间无法区分，默认收回排在前面的一份，请核对",
        (Some(_), _) => "按您的选择",
        (None, _) => "只能收回其中一份，请重新选择",
    };
    let about = chosen_file.clone().unwrap_or_else(|| files[0].file.clone());
    let issue = ImportIssue::about_file(&about, severity, message);
    let dup = CollectDuplicate {
        unit_id: unit.id,
        unit_name: unit.name.clone(),
        files,
        chosen: chosen_file,
        reason: reason.into(),
        reason_label: reason_label.into(),
    };
    (chosen, dup, issue)
}

fn plan(
    ws: &Workspace,
    path: &Path,
    options: &CollectOptions,
    job: &Job,
) -> Result<Plan<CollectPreview, CollectWork>> {
    let conn = ws.store().conn();
    let c = campaign::active(conn)?;
    let units = ws.list_units()?;
    let all: Vec<Assignment> = load(conn, c.id, c.system_id)?;
    let ctx = Ctx {
        conn,
        campaign_id: c.id,
        units: &units,
        by_no: all.iter().map(|a| (a.no, a)).collect(),
    };
    let source = display_name(path);
    let root = Some(path);
    let mut gathered: Vec<ImportIssue> = Vec::new();
    job.report(0, 0, &format!("正在读取“{source}”"));
    let files = gather_some(path, &mut gathered)?;
    job.check()?;

    // Read and recognise every file. Issues are kept per file, shown in the order of the
    // folder or zip.
    let total = files.len() as u64;
    let mut per_file: Vec<Vec<ImportIssue>> = vec![Vec::new(); files.len()];
    let mut choice_used = vec![false; options.choices.len()];
    let mut returned: Vec<(usize, Returned)> = Vec::new();
    for (i, src) in files.into_iter().enumerate() {
        job.check()?;
        job.report(i as u64, total, &format!("正在核对“{}”", src.meta.label));
        for (k, ch) in options.choices.iter().enumerate() {
            choice_used[k] |= names_file(&ch.file, &src.meta, root);
        }
        match identify(&ctx, src)? {
            Ok(r) => returned.push((i, r)),
            Err(list) => per_file[i] = list,
        }
    }
    job.report(total, total, "核对完成");

    // Which unit each file is for.
    let mut mismatches: Vec<CollectMismatch> = Vec::new();
    let mut resolved: Vec<Resolved> = Vec::new();
    for (index, ret) in returned {
        let choice = options
            .choices
            .iter()
            .find(|ch| names_file(&ch.file, &ret.meta, root));
        let (unit, note, mismatch) = resolve_unit(&ctx, &ret, choice);
        mismatches.extend(mismatch);
        let Some(unit_id) = unit else {
            per_file[index] = ret.issues.iter().cloned().chain(note).collect();
            continue;
        };
        per_file[index] = note;
        resolved.push(Resolved {
            index,
            basis: basis_for(&ctx, &ret, unit_id)?,
            ret,
            unit_id,
            picked: choice.is_some(),
        });
    }

    // One sheet per unit: the files of each unit, in the order of its first file.
    let mut groups: Vec<(i64, Vec<&Resolved>)> = Vec::new();
    for r in &resolved {
        match groups.iter_mut().find(|(u, _)| *u == r.unit_id) {
            Some((_, v)) => v.push(r),
            None => groups.push((r.unit_id, vec![r])),
        }
    }
    let mut duplicates: Vec<CollectDuplicate> = Vec::new();
    let mut collected: Vec<(usize, Compared)> = Vec::new();
    for (unit_id, members) in groups {
        let Some(unit) = ctx.unit(unit_id) else {
            continue;
        };
        let mut compared = Vec::new();
        for r in &members {
            compared.push(compare(&ctx, &r.ret, unit, &r.basis)?);
        }
        let (chosen, dup) = if members.len() == 1 {
            (Some(0), None)
        } else {
            let (chosen, dup, issue) = choose_one(unit, &members, &compared);
            duplicates.push(dup);
            (chosen, Some(issue))
        };
        let Some(m) = chosen else {
            per_file[members[0].index].extend(dup);
            continue;
        };
        let r = members[m];
        let cmp = compared.swap_remove(m);
        let note = std::mem::take(&mut per_file[r.index]);
        per_file[r.index] = r
            .ret
            .issues
            .iter()
            .cloned()
            .chain(note)
            .chain(cmp.issues.iter().cloned())
            .chain(dup)
            .collect();
        collected.push((r.index, cmp));
    }
    collected.sort_by_key(|(i, _)| *i);

    let mut issues = gathered;
    issues.extend(per_file.into_iter().flatten());
    for (ch, used) in options.choices.iter().zip(choice_used) {
        if !used {
            issues.push(ImportIssue::about_file(
                &source,
                Severity::Error,
                format!(
                    "“{source}”中没有找到所选的文件“{}”。请按预览中显示的文件名（含文件夹）选择。",
                    ch.file
                ),
            ));
        }
    }
    let mut sheets = Vec::new();
    let mut reports = Vec::new();
    for (_, cmp) in collected {
        sheets.push(cmp.sheet);
        reports.extend(cmp.reports);
    }
    let counts = sheets.iter().map(|s| (s.changes.len(), s.conflicts.len()));
    let tally = Tally::of(counts, &issues);
    let detail = tally.detail(&source, sheets.len(), "个单位");
    let preview = CollectPreview {
        source,
        sheets,
        change_count: tally.change_count,
        conflict_count: tally.conflict_count,
        duplicates,
        mismatches,
        issues,
        can_apply: tally.can_apply,
    };
    Ok(Plan {
        preview,
        work: CollectWork {
            campaign_id: c.id,
            reports,
        },
        detail,
    })
}

/// 收回各单位工作表: returned per-unit sheets (a folder, a zip or one workbook). The unit's
/// changes are applied; conflicts are left as the office has them.
pub struct CollectImport {
    pub path: PathBuf,
    pub options: CollectOptions,
}

impl CollectImport {
    /// Every default: the newest of several sheets of a unit, no file naming several units.
    pub fn new(path: impl Into<PathBuf>) -> Self {
        CollectImport {
            path: path.into(),
            options: CollectOptions::default(),
        }
    }

    /// With the user's choices.
    pub fn with(path: impl Into<PathBuf>, options: CollectOptions) -> Self {
        CollectImport {
            path: path.into(),
            options,
        }
    }
}

impl ImportReport for CollectPreview {
    fn file_name(&self) -> &str {
        &self.source
    }
    fn issues(&self) -> &[ImportIssue] {
        &self.issues
    }
    fn can_apply(&self) -> bool {
        self.can_apply
    }
}

impl Importer for CollectImport {
    type Preview = CollectPreview;
    type Work = CollectWork;
    type Output = CollectPreview;
    const ACTION: Action = Action::CollectUnitSheets;

    fn source(&self) -> &Path {
        &self.path
    }

    fn plan(&self, ws: &Workspace, job: &Job) -> Result<Plan<Self::Preview, Self::Work>> {
        plan(ws, &self.path, &self.options, job)
    }

    fn write(
        &self,
        tx: &Transaction<'_>,
        preview: Self::Preview,
        work: Self::Work,
    ) -> Result<Self::Output> {
        let now = crate::store::now();
        for r in &work.reports {
            let aid = assignment_id(tx, work.campaign_id, r.indicator_id)?
                .ok_or_else(|| Error::Db("任务分解记录不存在。".into()))?;
            tx.execute(
                "INSERT INTO unit_report (assignment_id, unit_id, status, explanation, evidence_dir, contact, export_id, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
                 ON CONFLICT(assignment_id, unit_id) DO UPDATE SET status = excluded.status,
                   explanation = excluded.explanation, evidence_dir = excluded.evidence_dir,
                   contact = excluded.contact, export_id = excluded.export_id,
                   updated_at = excluded.updated_at",
                params![
                    aid,
                    r.unit_id,
                    r.fill.status,
                    r.fill.explanation,
                    r.fill.evidence_dir,
                    r.fill.contact,
                    r.export_id,
                    now
                ],
            )?;
            if let Some(export_id) = r.export_id {
                for f in &r.taken {
                    let v = r.fill.get(*f);
                    merge::move_baseline(
                        tx,
                        merge::UNIT_TASK_ROWS,
                        export_id,
                        r.indicator_id,
                        f.key(),
                        &v,
                    )?;
                }
            }
        }
        Ok(preview)
    }
}

impl Workspace {
    /// What a unit reported for each of its indicators: (indicator no, report).
    pub fn unit_reports(&self, unit_id: i64) -> Result<Vec<(i64, UnitReportFill)>> {
        let conn = self.store().conn();
        let c = campaign::active(conn)?;
        let mut out = Vec::new();
        for a in load(conn, c.id, c.system_id)? {
            if a.leads.iter().chain(&a.supports).any(|u| u.id == unit_id) {
                let f = super::unit_sheets::current_fill(conn, c.id, a.indicator_id, unit_id)?;
                out.push((
                    a.no,
                    UnitReportFill {
                        status: f.status,
                        explanation: f.explanation,
                        evidence_dir: f.evidence_dir,
                        contact: f.contact,
                    },
                ));
            }
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_status_written_loosely_is_read_as_the_closed_list_has_it() {
        use super::task_status;
        for (written, want) in [
            ("已完成。", Some("已完成")),
            ("已 完成", Some("已完成")),
            ("完成", Some("已完成")),
            ("已办结", Some("已完成")),
            ("进行中", Some("推进中")),
            ("未开始", Some("未启动")),
            ("不涉及", Some("不适用")),
            ("差不多", None),
        ] {
            assert_eq!(task_status(written), want, "{written}");
        }
    }
}
