//! Collecting the filled per-unit sheets (收回各单位工作表): many at once, from a folder or a
//! zip. Each file is matched to its unit by the stamp, or by the unit name in the title or file
//! name when the stamp was lost. Each filled field is compared with what was sent (the export
//! snapshot) and with what is stored now: the unit's change is applied when the office did not
//! change the field since; when both changed, it is a conflict, reported and not applied.
//!
//! Zip entries are read into memory only (never extracted), so names like "../x.xlsx" cannot
//! write anywhere; names without the UTF-8 flag are decoded as GBK (Windows zip tools).

use std::collections::HashMap;
use std::io::{Cursor, Read};
use std::path::{Path, PathBuf};

use rusqlite::{OptionalExtension, Transaction, params};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::unit_sheets::{
    Fill, FillField, STAMP_MARK, STAMP_NAME, STATUSES, SentRow, UNIT_SHEET_COLUMNS, parse_stamp,
    stamp_key,
};
use super::{Assignment, assignment_id, load};
use crate::action::Action;
use crate::campaign;
use crate::error::{Error, Result};
use crate::model::{ImportIssue, Severity};
use crate::pipeline::{ImportReport, Importer, Plan};
use crate::progress::Job;
use crate::sheet::layout::{Issues, find_header, short};
use crate::sheet::{FileKind, Grid, display_name, read_file, read_tables_from_bytes, sniff};
use crate::text::parse_number_label;
use crate::units::{UnitInfo, norm};
use crate::workspace::Workspace;

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

/// What a unit reported for one indicator (as `Workspace::unit_reports` returns it).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UnitReportFill {
    pub status: String,
    pub explanation: String,
    pub evidence_dir: String,
    pub contact: String,
}

/// One returned file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct CollectedSheet {
    pub file: String,
    #[ts(type = "number")]
    pub unit_id: i64,
    pub unit_name: String,
    /// "stamp" (hidden stamp found) or "name" (matched by the unit name).
    pub matched_by: String,
    #[ts(type = "number | null")]
    pub revision: Option<i64>,
    #[ts(type = "number")]
    pub rows: i64,
    pub changes: Vec<CollectChange>,
    pub conflicts: Vec<CollectConflict>,
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
}

/// Spreadsheet files of a folder or a zip: (display name, bytes). Also used to collect the
/// experts' scoring sheets (`evaluation::collect`).
pub(crate) fn gather(path: &Path, issues: &mut Vec<ImportIssue>) -> Result<Vec<(String, Vec<u8>)>> {
    let mut out = Vec::new();
    let meta = std::fs::metadata(path).map_err(|e| Error::io("读取", path, &e))?;
    if meta.is_dir() {
        let mut stack = vec![(path.to_path_buf(), 0)];
        while let Some((d, depth)) = stack.pop() {
            let rd = std::fs::read_dir(&d).map_err(|e| Error::io("读取文件夹", &d, &e))?;
            let mut entries: Vec<_> = rd.filter_map(|e| e.ok()).map(|e| e.path()).collect();
            entries.sort();
            for p in entries {
                let name = display_name(&p);
                if name.starts_with("~$") || name.starts_with('.') {
                    continue;
                }
                if p.is_dir() {
                    if depth < 3 {
                        stack.push((p, depth + 1));
                    }
                    continue;
                }
                let lower = name.to_lowercase();
                if SHEET_EXTENSIONS.iter().any(|e| lower.ends_with(e)) {
                    out.push((name, read_file(&p)?));
                }
            }
        }
        return Ok(out);
    }
    let bytes = read_file(path)?;
    let file = display_name(path);
    let lower = file.to_lowercase();
    match sniff(&bytes) {
        FileKind::Xlsx | FileKind::Xls | FileKind::Ods => return Ok(vec![(file, bytes)]),
        // Named like a workbook but something else (encrypted, a CSV, damaged): read as one,
        // so the reader says what it really is.
        _ if SHEET_EXTENSIONS.iter().any(|e| lower.ends_with(e)) => {
            return Ok(vec![(file, bytes)]);
        }
        FileKind::Unknown if bytes.starts_with(b"PK") => {}
        _ => {
            return Err(Error::BadFile(format!(
                "无法收回“{file}”：请选择存放各单位工作表的文件夹、一个 .zip 压缩包或一个 Excel 文件。"
            )));
        }
    }
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|e| Error::BadFile(format!("无法读取压缩包“{file}”：文件已损坏（{e}）。")))?;
    let mut total = 0u64;
    for i in 0..zip.len() {
        // Look at the entry before inflating or decrypting anything.
        let (encrypted, symlink, raw_name) = match zip.by_index_raw(i) {
            Ok(f) => (f.encrypted(), f.is_symlink(), f.name_raw().to_vec()),
            Err(_) => (false, false, Vec::new()),
        };
        if encrypted {
            return Err(Error::BadFile(format!(
                "无法读取压缩包“{file}”：其中的文件设置了密码（加密压缩）。请解压后直接选择文件夹，或重新压缩时不设密码。"
            )));
        }
        if symlink {
            issues.push(ImportIssue::about_file(
                &file,
                Severity::Warning,
                format!(
                    "压缩包“{file}”中的“{}”是符号链接（指向其他位置），已跳过。",
                    entry_name(&raw_name)
                ),
            ));
            continue;
        }
        let Ok(mut f) = zip.by_index(i) else {
            issues.push(ImportIssue::about_file(
                &file,
                Severity::Warning,
                format!("压缩包“{file}”中第 {} 个文件已损坏，已跳过。", i + 1),
            ));
            continue;
        };
        if f.is_dir() {
            continue;
        }
        let full = entry_name(f.name_raw());
        // Only the last path component is used, and only for display and name matching.
        let base = full.rsplit(['/', '\\']).next().unwrap_or("").to_string();
        if base.is_empty()
            || base.starts_with("~$")
            || base.starts_with('.')
            || full.starts_with("__MACOSX")
        {
            continue;
        }
        let lower = base.to_lowercase();
        if !SHEET_EXTENSIONS.iter().any(|e| lower.ends_with(e)) {
            continue;
        }
        const MAX: u64 = 50 * 1024 * 1024;
        let too_big = || {
            Error::BadFile(format!(
                "压缩包“{file}”中的“{base}”解压后过大（可能是异常或恶意文件），已拒绝读取。"
            ))
        };
        if f.size() > MAX || total + f.size() > 10 * MAX {
            return Err(too_big());
        }
        // The declared size may lie: count what really comes out.
        let mut buf = Vec::with_capacity(f.size().min(MAX) as usize);
        f.by_ref()
            .take(MAX + 1)
            .read_to_end(&mut buf)
            .map_err(|_| {
                Error::BadFile(format!(
                    "无法读取压缩包“{file}”中的“{base}”：文件已损坏，或解压后的大小与压缩包记录的不符（可能是异常或恶意文件）。"
                ))
            })?;
        total += buf.len() as u64;
        if buf.len() as u64 > MAX || total > 10 * MAX {
            return Err(too_big());
        }
        out.push((format!("{file}/{base}"), buf));
    }
    Ok(out)
}

/// File names a returned sheet may have.
const SHEET_EXTENSIONS: [&str; 5] = [".xlsx", ".xlsm", ".xls", ".ods", ".et"];

/// A zip entry's name: UTF-8, else GBK (Windows zip tools write GBK without the UTF-8 flag).
fn entry_name(raw: &[u8]) -> String {
    match std::str::from_utf8(raw) {
        Ok(s) => s.to_string(),
        Err(_) => encoding_rs::GBK.decode(raw).0.into_owned(),
    }
}

/// The stamp text of a workbook: the stamp sheet, else the defined name.
fn find_stamp(grids: &[Grid], bytes: &[u8]) -> Option<String> {
    for g in grids {
        for r in 0..g.rows.len().min(5) {
            if g.text(r, 0) == STAMP_MARK && !g.text(r, 1).is_empty() {
                return Some(g.text(r, 1).to_string());
            }
        }
    }
    crate::sheet::defined_name(bytes, STAMP_NAME)
}

/// The unit whose name (or short name / alias, 3+ characters) appears in one of `texts`;
/// the longest match wins.
fn unit_by_name<'a>(units: &'a [UnitInfo], texts: &[String]) -> Option<&'a UnitInfo> {
    let mut best: Option<(usize, &UnitInfo)> = None;
    for t in texts {
        let t = norm(t);
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
        if best.is_some() {
            break;
        }
    }
    best.map(|(_, u)| u)
}

fn snapshot(conn: &rusqlite::Connection, export_id: i64) -> Result<HashMap<i64, SentRow>> {
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

fn plan(ws: &Workspace, path: &Path, job: &Job) -> Result<Plan<CollectPreview, CollectWork>> {
    let conn = ws.store().conn();
    let c = campaign::active(conn)?;
    let units = ws.list_units()?;
    let all: Vec<Assignment> = load(conn, c.id, c.system_id)?;
    let by_no: HashMap<i64, &Assignment> = all.iter().map(|a| (a.no, a)).collect();
    let mut file_issues: Vec<ImportIssue> = Vec::new();
    job.report(0, 0, &format!("正在读取“{}”", display_name(path)));
    let files = gather(path, &mut file_issues)?;
    job.check()?;
    if files.is_empty() {
        return Err(Error::BadFile(format!(
            "“{}”中没有找到 Excel 文件（.xlsx/.xls/.ods）。",
            display_name(path)
        )));
    }
    let mut sheets: Vec<CollectedSheet> = Vec::new();
    let mut reports: Vec<ReportWrite> = Vec::new();
    let mut all_issues = file_issues;
    let mut done_units: HashMap<i64, String> = HashMap::new();
    let total = files.len() as u64;
    for (i, (file, bytes)) in files.into_iter().enumerate() {
        job.check()?;
        job.report(i as u64, total, &format!("正在核对“{file}”"));
        let mut issues = Issues::new(&file);
        let grids = match read_tables_from_bytes(&file, bytes.clone()) {
            Ok(g) => g,
            Err(e) => {
                all_issues.push(ImportIssue::about_file(
                    &file,
                    Severity::Error,
                    e.to_string(),
                ));
                continue;
            }
        };
        // Which unit, which export.
        let stamp = find_stamp(&grids, &bytes).and_then(|s| parse_stamp(&s));
        let mut matched_by = "stamp";
        let mut unit: Option<&UnitInfo> = None;
        let mut export_id: Option<i64> = None;
        let mut revision = None;
        if let Some((sc, su, sr, sk)) = &stamp {
            if *sc != c.id {
                issues.file(
                    Severity::Error,
                    "该文件是从另一个创建项目导出的，不能收回到当前项目。",
                );
                all_issues.extend(issues.list);
                continue;
            }
            if stamp_key(*sc, *su, *sr) != *sk {
                issues.file(
                    Severity::Warning,
                    "文件中的导出标记已损坏，改按单位名称识别。",
                );
            } else {
                unit = units.iter().find(|u| u.id == *su);
                export_id = conn
                    .query_row(
                        "SELECT id FROM unit_export WHERE unit_id = ?1 AND revision = ?2",
                        params![su, sr],
                        |r| r.get(0),
                    )
                    .optional()?;
                revision = Some(*sr);
            }
        }
        let data = grids
            .iter()
            .filter(|g| g.text(0, 0) != STAMP_MARK)
            .find_map(|g| {
                find_header(g, UNIT_SHEET_COLUMNS, &["no"])
                    .filter(|h| FillField::ALL.iter().any(|f| h.col(f.key()).is_some()))
                    .map(|h| (g, h))
            });
        if unit.is_none() {
            matched_by = "name";
            let mut texts: Vec<String> = Vec::new();
            if let Some((g, _)) = &data {
                texts.push(g.text(0, 0).to_string());
            }
            texts.push(file.rsplit('/').next().unwrap_or(&file).to_string());
            unit = unit_by_name(&units, &texts);
            if let Some(u) = unit {
                let latest: Option<(i64, i64)> = conn
                    .query_row(
                        "SELECT id, revision FROM unit_export WHERE unit_id = ?1 ORDER BY revision DESC LIMIT 1",
                        [u.id],
                        |r| Ok((r.get(0)?, r.get(1)?)),
                    )
                    .optional()?;
                export_id = latest.map(|l| l.0);
                revision = latest.map(|l| l.1);
                issues.file(
                    Severity::Warning,
                    &format!("未找到导出标记（文件可能经过另存），已按单位名称识别为“{}”，并与最近一次导出比对。", u.name),
                );
            }
        }
        let Some(unit) = unit else {
            issues.file(Severity::Error, "无法识别是哪个单位的工作表：没有导出标记，标题和文件名中也没有单位名称。请按原文件名报送。");
            all_issues.extend(issues.list);
            continue;
        };
        if let Some(prev) = done_units.get(&unit.id) {
            issues.file(
                Severity::Warning,
                &format!("与“{prev}”同属“{}”，已跳过本文件。", unit.name),
            );
            all_issues.extend(issues.list);
            continue;
        }
        let Some((g, h)) = data else {
            issues.file(
                Severity::Error,
                "没有找到工作表的表头（需要“指标序号”列和“完成情况”等填报列）。",
            );
            all_issues.extend(issues.list);
            continue;
        };
        done_units.insert(unit.id, file.clone());
        if let Some(r) = revision {
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
            let label = f.label();
            if h.col(f.key()).is_none() {
                issues.at(
                    Severity::Warning,
                    g,
                    Some(h.row),
                    None,
                    &format!("缺少“{label}”列，该栏未收回。"),
                );
            }
        }
        let sent = match export_id {
            Some(e) => snapshot(conn, e)?,
            None => HashMap::new(),
        };
        let no_col = h.col("no").unwrap_or(0);
        let mut sheet = CollectedSheet {
            file: file.clone(),
            unit_id: unit.id,
            unit_name: unit.name.clone(),
            matched_by: matched_by.into(),
            revision,
            rows: 0,
            changes: Vec::new(),
            conflicts: Vec::new(),
        };
        let mut seen: HashMap<i64, usize> = HashMap::new();
        for r in h.row + 1..g.rows.len() {
            if g.row_is_blank(r) {
                continue;
            }
            let raw = g.text(r, no_col);
            let Some(no) = parse_number_label(raw) else {
                if !raw.is_empty() {
                    issues.at(
                        Severity::Warning,
                        g,
                        Some(r),
                        Some(no_col),
                        &format!("指标序号“{}”无法识别，已跳过该行。", short(raw)),
                    );
                }
                continue;
            };
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
            let Some(a) = by_no.get(&no) else {
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
                    &format!("指标 {no} 已不再由“{}”承担，已跳过该行。", unit.name),
                );
                continue;
            }
            sheet.rows += 1;
            let now = super::unit_sheets::current_fill(conn, c.id, a.indicator_id, unit.id)?;
            let was = sent
                .get(&a.indicator_id)
                .map(|s| s.fill.clone())
                .unwrap_or_else(|| now.clone());
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
            let mut fill = now.clone();
            for f in FillField::ALL {
                let Some(col) = h.col(f.key()) else { continue };
                let got = g.text(r, col).to_string();
                if f == FillField::Status && !got.is_empty() && !STATUSES.contains(&got.as_str()) {
                    issues.at(
                        Severity::Warning,
                        g,
                        Some(r),
                        Some(col),
                        &format!(
                            "完成情况“{}”不是可选值（{}），已忽略。",
                            short(&got),
                            STATUSES.join("、")
                        ),
                    );
                    continue;
                }
                if got == was.get(f) || got == now.get(f) {
                    continue;
                }
                if now.get(f) != was.get(f) {
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
                sheet.changes.push(CollectChange {
                    no,
                    indicator: short(&a.text),
                    field: f.label().into(),
                    old: now.get(f).to_string(),
                    new: got.clone(),
                });
                fill.set(f, got);
            }
            if fill != now {
                reports.push(ReportWrite {
                    unit_id: unit.id,
                    indicator_id: a.indicator_id,
                    export_id,
                    fill,
                });
            }
        }
        if sheet.rows == 0 {
            issues.file(Severity::Warning, "表中没有可收回的任务行。");
        }
        all_issues.extend(issues.list);
        sheets.push(sheet);
    }
    job.report(total, total, "核对完成");
    let change_count = sheets.iter().map(|s| s.changes.len() as i64).sum();
    let conflict_count = sheets.iter().map(|s| s.conflicts.len() as i64).sum();
    let can_apply = !all_issues.iter().any(|i| i.severity == Severity::Error);
    let preview = CollectPreview {
        source: display_name(path),
        sheets,
        change_count,
        conflict_count,
        issues: all_issues,
        can_apply,
    };
    let detail = format!(
        "“{}”：{} 个单位，{} 处修改，{} 处冲突未覆盖",
        preview.source,
        preview.sheets.len(),
        preview.change_count,
        preview.conflict_count
    );
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
}

impl CollectImport {
    pub fn new(path: impl Into<PathBuf>) -> Self {
        CollectImport { path: path.into() }
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
        plan(ws, &self.path, job)
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
