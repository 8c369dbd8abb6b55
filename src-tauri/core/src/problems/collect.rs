//! Collecting the filled per-unit 问题整改表 (收回问题整改表): many at once, from a folder, a zip
//! or one workbook (gathered by `sheet::stamp::gather`: zips read in memory only, GBK names,
//! symlinks skipped, encrypted and inflating entries refused). Each file is matched to its
//! round and unit by the stamp, or by the unit (and round) name in the title or file name
//! when the stamp was lost. Each filled field is compared with what was sent (the export
//! snapshot) and with what is stored now: the unit's change is applied when the office did not
//! change the field since; when both changed it is a conflict, reported and not applied. A
//! unit cannot 销号 (that is the office's, after checking); every change applied is recorded
//! in the problem's history as 收回问题整改表.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use rusqlite::{OptionalExtension, Transaction, params};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::unit_sheets::{PartField, PartFill, UNIT_PROBLEM_COLUMNS};
use super::{
    ProblemInfo, RoundInfo, STATUS_CLOSED, UNIT_STATUSES, load, operator, parse_status, rounds,
    set_part_status, set_part_text,
};
use crate::action::Action;
use crate::campaign;
use crate::error::Result;
use crate::model::{ImportIssue, MatchedBy, Severity};
use crate::pipeline::{ImportReport, Importer, Plan};
use crate::progress::Job;
use crate::sheet::layout::{Issues, find_header, short};
use crate::sheet::merge::{self, Merge, Tally, merge_field};
use crate::sheet::stamp::{PROBLEM_SHEETS, gather_some, other_kind};
use crate::sheet::{display_name, read_tables_from_bytes};
use crate::tasks::collect::unit_named_in as unit_by_name;
use crate::text::parse_number_label;
use crate::units::{UnitInfo, norm};
use crate::workspace::Workspace;

/// One field a unit filled differently from what was sent.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct PartChange {
    #[ts(type = "number")]
    pub seq: i64,
    pub problem: String,
    pub field: String,
    pub old: String,
    pub new: String,
}

/// A field both the unit and the office changed since the export: not applied.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct PartConflict {
    #[ts(type = "number")]
    pub seq: i64,
    pub problem: String,
    pub field: String,
    /// Value in the exported sheet.
    pub sent: String,
    /// Value the office holds now.
    pub office: String,
    /// Value the unit returned.
    pub unit: String,
}

/// One returned 问题整改表.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct CollectedProblemSheet {
    pub file: String,
    #[ts(type = "number")]
    pub round_id: i64,
    pub round_name: String,
    #[ts(type = "number")]
    pub unit_id: i64,
    pub unit_name: String,
    /// Stamp (hidden stamp found) or name (matched by the unit name).
    pub matched_by: MatchedBy,
    /// Chinese label of `matched_by` ("按导出标记识别").
    pub matched_by_label: String,
    #[ts(type = "number | null")]
    pub revision: Option<i64>,
    #[ts(type = "number")]
    pub rows: i64,
    pub changes: Vec<PartChange>,
    pub conflicts: Vec<PartConflict>,
}

/// What collecting would do.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ProblemsCollectPreview {
    pub source: String,
    pub sheets: Vec<CollectedProblemSheet>,
    #[ts(type = "number")]
    pub change_count: i64,
    #[ts(type = "number")]
    pub conflict_count: i64,
    pub issues: Vec<ImportIssue>,
    pub can_apply: bool,
}

/// One unit's part after collecting: the fields it changed.
struct PartWrite {
    problem_id: i64,
    unit_id: i64,
    /// The export row the sheet came from: it moves to what was collected, so the same
    /// unit's corrected sheet sent again is compared with its own first return.
    export_row: Option<(i64, i64)>,
    fields: Vec<(PartField, String)>,
    from: String,
}

/// What the write needs.
pub struct ProblemsCollectWork {
    parts: Vec<PartWrite>,
}

/// A signature line under the table ("填报人：张三", "联系电话：…"), not a problem row.
/// Stricter than `layout::is_note_text` on purpose: a row a unit added without 序号 is named
/// in the preview, so "注重…" or "说明材料…" must not pass as a note and vanish; only "注："
/// and "说明：" with their colon do.
fn is_footer(t: &str) -> bool {
    [
        "填报人",
        "填表人",
        "联系人",
        "联系电话",
        "审核人",
        "负责人",
        "单位负责人",
        "日期",
        "填报日期",
        "备注",
        "注：",
        "说明：",
    ]
    .iter()
    .any(|w| t.starts_with(w))
}

fn squash(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

fn snapshot(conn: &rusqlite::Connection, export_id: i64) -> Result<HashMap<i64, PartFill>> {
    let mut st = conn.prepare(
        "SELECT problem_unit_id, status, measures, progress, completion
         FROM problem_export_row WHERE export_id = ?1",
    )?;
    let rows = st.query_map([export_id], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            PartFill {
                status: r.get(1)?,
                measures: r.get(2)?,
                progress: r.get(3)?,
                completion: r.get(4)?,
            },
        ))
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Where a returned file came from.
struct Source<'a> {
    round: &'a RoundInfo,
    unit: &'a UnitInfo,
    matched_by: MatchedBy,
    export_id: Option<i64>,
    revision: Option<i64>,
}

fn plan(
    ws: &Workspace,
    path: &Path,
    job: &Job,
) -> Result<Plan<ProblemsCollectPreview, ProblemsCollectWork>> {
    let conn = ws.store().conn();
    let c = campaign::active(conn)?;
    let units = ws.list_units()?;
    let all_rounds = rounds(conn, c.id, None, None)?;
    let mut problems_by_round: HashMap<i64, Vec<ProblemInfo>> = HashMap::new();
    let today = chrono::Local::now().date_naive();
    let mut file_issues: Vec<ImportIssue> = Vec::new();
    job.report(0, 0, &format!("正在读取“{}”", display_name(path)));
    let files = gather_some(path, &mut file_issues)?;
    job.check()?;
    let mut sheets: Vec<CollectedProblemSheet> = Vec::new();
    let mut parts: Vec<PartWrite> = Vec::new();
    let mut all_issues = file_issues;
    let mut done: HashMap<(i64, i64), String> = HashMap::new();
    let total = files.len() as u64;
    for (i, src) in files.into_iter().enumerate() {
        let (file, bytes) = (src.meta.label, src.bytes);
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
        let stamp_text = PROBLEM_SHEETS.find(&grids, &bytes);
        if let Some(k) = other_kind(&PROBLEM_SHEETS, &grids, &bytes, stamp_text.is_some()) {
            issues.file(
                Severity::Error,
                &format!(
                    "这是从示范创建工作台导出的{}，不是问题整改表，请在相应页面收回。",
                    k.what
                ),
            );
            all_issues.extend(issues.list);
            continue;
        }
        let data = grids
            .iter()
            .filter(|g| !PROBLEM_SHEETS.is_stamp_sheet(g))
            .find_map(|g| {
                find_header(g, UNIT_PROBLEM_COLUMNS, &["seq"])
                    .filter(|h| PartField::ALL.iter().any(|f| h.col(f.key()).is_some()))
                    .map(|h| (g, h))
            });
        // Which round, which unit, which export.
        let mut source: Option<Source<'_>> = None;
        if let Some((values, key)) = stamp_text.as_deref().and_then(|s| PROBLEM_SHEETS.parse(s)) {
            let (sc, sg, su, sr) = (values[0], values[1], values[2], values[3]);
            if sc != c.id {
                issues.file(
                    Severity::Error,
                    "该文件是从另一个创建项目导出的，不能收回到当前项目。",
                );
                all_issues.extend(issues.list);
                continue;
            }
            if PROBLEM_SHEETS.key(&values) != key {
                issues.file(
                    Severity::Warning,
                    "文件中的导出标记已损坏，改按单位名称识别。",
                );
            } else {
                let round = all_rounds.iter().find(|r| r.id == sg);
                let unit = units.iter().find(|u| u.id == su);
                match (round, unit) {
                    (Some(round), Some(unit)) => {
                        let export_id = conn
                            .query_row(
                                "SELECT id FROM problem_export WHERE round_id = ?1 AND unit_id = ?2 AND revision = ?3",
                                params![sg, su, sr],
                                |r| r.get(0),
                            )
                            .optional()?;
                        source = Some(Source {
                            round,
                            unit,
                            matched_by: MatchedBy::Stamp,
                            export_id,
                            revision: Some(sr),
                        });
                    }
                    (None, _) => {
                        issues.file(Severity::Error, "导出该文件的督察轮次已不存在，无法收回。");
                        all_issues.extend(issues.list);
                        continue;
                    }
                    (_, None) => {
                        issues.file(
                            Severity::Warning,
                            "导出标记中的单位已不在单位名单中，改按单位名称识别。",
                        );
                    }
                }
            }
        }
        if source.is_none() {
            let mut texts: Vec<String> = Vec::new();
            if let Some((g, _)) = &data {
                texts.push(g.text(0, 0).to_string());
            }
            let base = file.rsplit('/').next().unwrap_or(&file).to_string();
            texts.push(base.clone());
            if let Some(unit) = unit_by_name(&units, &texts) {
                // The round named in the title, else the latest round the unit has problems in.
                let title = norm(&texts.join(" "));
                let named = all_rounds
                    .iter()
                    .filter(|r| title.contains(&norm(&r.name)))
                    .max_by_key(|r| r.name.chars().count());
                let latest_export: Option<(i64, i64, i64)> = conn
                    .query_row(
                        "SELECT id, round_id, revision FROM problem_export WHERE unit_id = ?1
                         AND (?2 IS NULL OR round_id = ?2) ORDER BY id DESC LIMIT 1",
                        params![unit.id, named.map(|r| r.id)],
                        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
                    )
                    .optional()?;
                let round = named.or_else(|| {
                    latest_export.and_then(|(_, rid, _)| all_rounds.iter().find(|r| r.id == rid))
                });
                if let Some(round) = round {
                    issues.file(
                        Severity::Warning,
                        &format!(
                            "未找到导出标记（文件可能经过另存），已按名称识别为“{}”在“{}”中的问题整改表，并与最近一次导出比对。",
                            unit.name, round.name
                        ),
                    );
                    let latest = latest_export.filter(|(_, rid, _)| *rid == round.id);
                    source = Some(Source {
                        round,
                        unit,
                        matched_by: MatchedBy::Name,
                        export_id: latest.map(|l| l.0),
                        revision: latest.map(|l| l.2),
                    });
                }
            }
        }
        let Some(src) = source else {
            issues.file(Severity::Error, "无法识别是哪个单位、哪次督察的问题整改表：没有导出标记，标题和文件名中也没有单位名称。请按原文件名报送。");
            all_issues.extend(issues.list);
            continue;
        };
        if let Some(prev) = done.get(&(src.round.id, src.unit.id)) {
            issues.file(
                Severity::Warning,
                &format!("与“{prev}”同属“{}”，已跳过本文件。", src.unit.name),
            );
            all_issues.extend(issues.list);
            continue;
        }
        let Some((g, h)) = data else {
            issues.file(
                Severity::Error,
                "没有找到问题整改表的表头（需要“序号”列和“整改措施”等填报列）。",
            );
            all_issues.extend(issues.list);
            continue;
        };
        done.insert((src.round.id, src.unit.id), file.clone());
        if let Some(r) = src.revision {
            let latest: i64 = conn.query_row(
                "SELECT coalesce(max(revision), 0) FROM problem_export WHERE round_id = ?1 AND unit_id = ?2",
                params![src.round.id, src.unit.id],
                |x| x.get(0),
            )?;
            if r < latest {
                issues.file(Severity::Warning, &format!("这是第 {r} 次导出的问题整改表，此后又导出过（最近为第 {latest} 次），将按第 {r} 次导出时的内容比对。"));
            }
        }
        for f in PartField::ALL {
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
        let sent = match src.export_id {
            Some(e) => snapshot(conn, e)?,
            None => HashMap::new(),
        };
        let problems = match problems_by_round.get(&src.round.id) {
            Some(p) => p,
            None => {
                let p = load(conn, c.id, Some(src.round.id), today)?;
                problems_by_round.entry(src.round.id).or_insert(p)
            }
        };
        let by_seq: HashMap<i64, &ProblemInfo> = problems.iter().map(|p| (p.seq, p)).collect();
        let seq_col = h.col("seq").unwrap_or(0);
        let mut sheet = CollectedProblemSheet {
            file: file.clone(),
            round_id: src.round.id,
            round_name: src.round.name.clone(),
            unit_id: src.unit.id,
            unit_name: src.unit.name.clone(),
            matched_by: src.matched_by,
            matched_by_label: src.matched_by.label().into(),
            revision: src.revision,
            rows: 0,
            changes: Vec::new(),
            conflicts: Vec::new(),
        };
        let mut seen: HashMap<i64, usize> = HashMap::new();
        for r in h.row + 1..g.rows.len() {
            if g.row_is_blank(r) {
                continue;
            }
            let raw = g.text(r, seq_col);
            let Some(seq) = parse_number_label(raw) else {
                if raw.is_empty() {
                    // A row the unit added: what it wrote there cannot reach any problem.
                    let filled = PartField::ALL.iter().find_map(|f| {
                        let col = h.col(f.key())?;
                        let t = g.text(r, col).trim();
                        (!t.is_empty() && !is_footer(t)).then_some(col)
                    });
                    if let Some(col) = filled {
                        issues.at(
                            Severity::Warning,
                            g,
                            Some(r),
                            Some(col),
                            "这一行没有序号，对应不到问题，该行填写的内容未收回；请把内容写入相应问题的行。",
                        );
                    }
                } else {
                    issues.at(
                        Severity::Warning,
                        g,
                        Some(r),
                        Some(seq_col),
                        &format!("序号“{}”无法识别，已跳过该行。", short(raw)),
                    );
                }
                continue;
            };
            if let Some(p) = seen.insert(seq, r) {
                issues.at(
                    Severity::Warning,
                    g,
                    Some(r),
                    Some(seq_col),
                    &format!("问题 {seq} 与第{}行重复，已跳过该行。", p + 1),
                );
                continue;
            }
            let Some(p) = by_seq.get(&seq) else {
                issues.at(
                    Severity::Warning,
                    g,
                    Some(r),
                    Some(seq_col),
                    &format!(
                        "“{}”中没有序号为 {seq} 的问题，已跳过该行。",
                        src.round.name
                    ),
                );
                continue;
            };
            let Some(part) = p.units.iter().find(|u| u.unit_id == src.unit.id) else {
                issues.at(
                    Severity::Warning,
                    g,
                    Some(r),
                    Some(seq_col),
                    &format!("问题 {seq} 已不再由“{}”整改，已跳过该行。", src.unit.name),
                );
                continue;
            };
            sheet.rows += 1;
            if let Some(col) = h.col("description")
                && squash(g.text(r, col)) != squash(&p.description)
                && sent.contains_key(&part.id)
            {
                issues.at(
                    Severity::Warning,
                    g,
                    Some(r),
                    Some(col),
                    "单位修改了锁定栏目“问题描述”，已忽略该修改。",
                );
            }
            let now = PartFill::of(part);
            let was = sent.get(&part.id).cloned().unwrap_or_else(|| now.clone());
            let mut fields: Vec<(PartField, String)> = Vec::new();
            for f in PartField::ALL {
                let Some(col) = h.col(f.key()) else { continue };
                let mut got = g.text(r, col).to_string();
                if f == PartField::Status && !got.is_empty() {
                    let parsed = parse_status(&got);
                    // A status left as it was sent says nothing, whatever the office did since.
                    if parsed.is_some_and(|s| s == was.get(f) || s == now.get(f)) {
                        continue;
                    }
                    if now.get(f) == STATUS_CLOSED && parsed.is_some() {
                        issues.at(
                            Severity::Warning,
                            g,
                            Some(r),
                            Some(col),
                            &format!(
                                "问题 {seq} 已由依法治区办销号，单位填写的整改状态“{}”未采用；如需重新整改，请在问题台账中重新打开。",
                                short(&got)
                            ),
                        );
                        continue;
                    }
                    match parsed {
                        Some(s) if s == STATUS_CLOSED => {
                            issues.at(
                                Severity::Warning,
                                g,
                                Some(r),
                                Some(col),
                                "销号由依法治区办核验后办理，单位填写的“已销号”未采用。",
                            );
                            continue;
                        }
                        Some(s) if UNIT_STATUSES.contains(&s) => got = s.to_string(),
                        _ => {
                            issues.at(
                                Severity::Warning,
                                g,
                                Some(r),
                                Some(col),
                                &format!(
                                    "整改状态“{}”不是可选值（{}），已忽略。",
                                    short(&got),
                                    UNIT_STATUSES.join("、")
                                ),
                            );
                            continue;
                        }
                    }
                }
                // An emptied status keeps what is stored.
                if f == PartField::Status && got.is_empty() {
                    continue;
                }
                match merge_field(was.get(f), now.get(f), &got) {
                    Merge::Unchanged => continue,
                    Merge::Conflict => {
                        sheet.conflicts.push(PartConflict {
                            seq,
                            problem: short(&p.description),
                            field: f.label().into(),
                            sent: was.get(f).to_string(),
                            office: now.get(f).to_string(),
                            unit: got,
                        });
                        continue;
                    }
                    Merge::Take => {}
                }
                sheet.changes.push(PartChange {
                    seq,
                    problem: short(&p.description),
                    field: f.label().into(),
                    old: now.get(f).to_string(),
                    new: got.clone(),
                });
                fields.push((f, got));
            }
            if !fields.is_empty() {
                parts.push(PartWrite {
                    problem_id: p.id,
                    unit_id: src.unit.id,
                    export_row: src
                        .export_id
                        .filter(|_| sent.contains_key(&part.id))
                        .map(|e| (e, part.id)),
                    fields,
                    from: format!(
                        "“{}”第{}行",
                        file.rsplit('/').next().unwrap_or(&file),
                        r + 1
                    ),
                });
            }
        }
        if sheet.rows == 0 {
            issues.file(Severity::Warning, "表中没有可收回的问题行。");
        }
        all_issues.extend(issues.list);
        sheets.push(sheet);
    }
    job.report(total, total, "核对完成");
    let counts = sheets.iter().map(|s| (s.changes.len(), s.conflicts.len()));
    let tally = Tally::of(counts, &all_issues);
    let source = display_name(path);
    let detail = tally.detail(&source, sheets.len(), "个单位");
    let preview = ProblemsCollectPreview {
        source,
        sheets,
        change_count: tally.change_count,
        conflict_count: tally.conflict_count,
        issues: all_issues,
        can_apply: tally.can_apply,
    };
    Ok(Plan {
        preview,
        work: ProblemsCollectWork { parts },
        detail,
    })
}

/// 收回问题整改表: returned per-unit sheets (a folder, a zip or one workbook). The units'
/// changes are applied and recorded; conflicts are left as the office has them.
pub struct ProblemsCollect {
    pub path: PathBuf,
}

impl ProblemsCollect {
    pub fn new(path: impl Into<PathBuf>) -> Self {
        ProblemsCollect { path: path.into() }
    }
}

impl ImportReport for ProblemsCollectPreview {
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

impl Importer for ProblemsCollect {
    type Preview = ProblemsCollectPreview;
    type Work = ProblemsCollectWork;
    type Output = ProblemsCollectPreview;
    const ACTION: Action = Action::CollectProblemSheets;

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
        let who = operator(tx)?;
        let at = crate::store::now();
        for p in &work.parts {
            for (f, v) in &p.fields {
                if let Some((export_id, part_id)) = p.export_row {
                    merge::move_baseline(tx, merge::PROBLEM_ROWS, export_id, part_id, f.key(), v)?;
                }
                if *f == PartField::Status {
                    set_part_status(
                        tx,
                        &who,
                        &at,
                        p.problem_id,
                        p.unit_id,
                        v,
                        None,
                        &p.from,
                        "collect",
                    )?;
                } else {
                    set_part_text(
                        tx,
                        &who,
                        &at,
                        p.problem_id,
                        p.unit_id,
                        f.key(),
                        v,
                        "collect",
                    )?;
                }
            }
        }
        Ok(preview)
    }
}
