//! 收回专家评分表: the experts' filled scoring sheets, many at once, from a folder, a zip or one
//! workbook (read as the per-unit task sheets are: zip entries in memory only, GBK names,
//! symlinks skipped, encrypted and inflating entries refused). Each file is matched to its round
//! and expert by the stamp (or, when a program dropped the stamp, by the round and expert named
//! in its title), each row compared with what was sent (the export snapshot) and with what is
//! stored now: the expert's change is applied when the office did not change that field since;
//! when both changed, it is a conflict, reported and not applied.
//!
//! Scores are checked hard, because a wrong number here is a silent wrong result: text in a
//! score cell, a score above the 分值 or below zero, more than two decimals, a score and a
//! deduction that disagree, a locked 分值 or 三级指标 edited, an indicator not assigned to the
//! expert, the same expert's sheet twice, a sheet whose title names another expert — each is an
//! error with its file, sheet, row and column, and nothing is applied.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use rusqlite::{OptionalExtension, Transaction, params};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::compute::Grade;
use super::model::{self, DeductionRule};
use super::points::Points;
use super::sheets::{
    SCORE_SHEET_COLUMNS, STAMP_MARK, STAMP_NAME, SentRow, canonical, mark_canonical, parse_stamp,
    shown, snapshot, stamp_key,
};
use super::{EntryKind, Expert, MarkSource, StoredMark};
use crate::action::Action;
use crate::error::Result;
use crate::model::{ImportIssue, MatchedBy, Severity};
use crate::pipeline::{ImportReport, Importer, Plan};
use crate::progress::Job;
use crate::sheet::layout::{Found, Issues, find_header, is_total_text, short};
use crate::sheet::merge::{self, Merge, Tally, merge_field};
use crate::sheet::{Grid, display_name, read_tables_from_bytes};
use crate::text::parse_number_label;
use crate::workspace::Workspace;

/// One field an expert filled differently from what was sent.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ScoreChange {
    #[ts(type = "number")]
    pub no: i64,
    pub indicator: String,
    pub field: String,
    pub old: String,
    pub new: String,
}

/// A field both the expert and the office changed since the export: not applied.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ScoreConflict {
    #[ts(type = "number")]
    pub no: i64,
    pub indicator: String,
    pub field: String,
    pub sent: String,
    pub office: String,
    pub expert: String,
}

/// One returned scoring sheet.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct CollectedScoreSheet {
    pub file: String,
    #[ts(type = "number")]
    pub round_id: i64,
    pub round_name: String,
    #[ts(type = "number")]
    pub expert_id: i64,
    pub expert_name: String,
    /// By the export stamp, or by the round and expert named in the title.
    pub matched_by: MatchedBy,
    /// Chinese label of `matched_by` ("按导出标记识别").
    pub matched_by_label: String,
    #[ts(type = "number | null")]
    pub revision: Option<i64>,
    /// Indicator rows read.
    #[ts(type = "number")]
    pub rows: i64,
    /// Rows with a score, a deduction or a grade.
    #[ts(type = "number")]
    pub scored: i64,
    pub changes: Vec<ScoreChange>,
    pub conflicts: Vec<ScoreConflict>,
}

/// What collecting scoring sheets would do.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ScoreCollectPreview {
    pub source: String,
    pub sheets: Vec<CollectedScoreSheet>,
    #[ts(type = "number")]
    pub change_count: i64,
    #[ts(type = "number")]
    pub conflict_count: i64,
    pub issues: Vec<ImportIssue>,
    pub can_apply: bool,
}

impl ImportReport for ScoreCollectPreview {
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

/// A mark to store (None deletes it).
pub struct MarkWrite {
    round_id: i64,
    indicator_id: i64,
    expert_id: i64,
    mark: Option<StoredMark>,
    /// The export row the sheet came from and the (column, value) of each field taken: the row
    /// moves to them, so the same expert's corrected sheet sent again is compared with the
    /// expert's own first return.
    baseline: Option<(i64, Vec<(&'static str, String)>)>,
}

/// 收回专家评分表 (a folder, a zip or one workbook).
pub struct ScoreSheetsImport {
    pub path: PathBuf,
}

impl ScoreSheetsImport {
    pub fn new(path: impl Into<PathBuf>) -> Self {
        ScoreSheetsImport { path: path.into() }
    }
}

/// The editable fields compared one by one (the entry is the score/deduction/grade cells).
const TEXT_FIELDS: [(&str, &str); 4] = [
    ("reason", "扣分理由"),
    ("method", "采用的测评方式"),
    ("evidence", "查阅的佐证材料"),
    ("note", "备注"),
];

fn text_of<'a>(r: &'a SentRow, key: &str) -> &'a str {
    match key {
        "reason" => &r.reason,
        "method" => &r.method,
        "evidence" => &r.evidence,
        _ => &r.note,
    }
}

fn set_text(m: &mut StoredMark, key: &str, v: String) {
    match key {
        "reason" => m.reason = v,
        "method" => m.method = v,
        "evidence" => m.evidence = v,
        _ => m.note = v,
    }
}

fn squash(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// A number cell as points: a number, or text that is one. Err: the reason in Chinese.
fn cell_points(g: &Grid, r: usize, c: usize) -> Result<Option<Points>, String> {
    if g.uncalculated.contains(&(r, c)) {
        return Err(
            "是没有计算结果的公式，请在 Excel 中重新计算（或改为直接填写数值）后保存".into(),
        );
    }
    let Some(cell) = g.cell(r, c) else {
        return Ok(None);
    };
    if let Some(n) = cell.number {
        return Points::from_f64(n)
            .map(Some)
            .ok_or_else(|| format!("“{}”小数超过两位（最小单位为0.01分）", short(&cell.text)));
    }
    let t = cell.text.trim();
    if t.is_empty() {
        return Ok(None);
    }
    Points::parse(t)
        .map(Some)
        .map_err(|why| format!("“{}”{why}", short(t)))
}

/// A scoring cell as experts also write it: "扣2分" (in 扣分, or in 评分 meaning 分值 less 2),
/// "不扣分", "满分", and "/" or "—" for no score. Otherwise [`cell_points`]. The second value
/// says how a written form was read.
fn loose_points(
    g: &Grid,
    r: usize,
    c: usize,
    deduction: bool,
    max: Option<Points>,
) -> (Result<Option<Points>, String>, Option<String>) {
    let written = g.text(r, c).trim().to_string();
    let t: String = crate::text::to_half_width(&written)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    let label = if deduction { "扣分" } else { "评分" };
    match t.as_str() {
        "/" | "-" | "—" | "——" | "\\" => {
            return (
                Ok(None),
                Some(format!("{label}写作“{written}”，按未填写处理。")),
            );
        }
        "不扣分" | "未扣分" | "无扣分" if deduction => {
            return (Ok(Some(Points::default())), None);
        }
        "满分" | "不扣分" | "未扣分" if !deduction => {
            return match max {
                Some(m) => (Ok(Some(m)), None),
                None => (Err(format!("写作“{written}”，但该指标还没有分值")), None),
            };
        }
        _ => {}
    }
    if let Some(rest) = t.strip_prefix('扣') {
        let p = match Points::parse(rest) {
            Ok(p) => p,
            Err(why) => return (Err(format!("“{}”{why}", short(&written))), None),
        };
        if deduction {
            return (Ok(Some(p)), None);
        }
        return match max {
            Some(m) if p <= m => (
                Ok(Some(m - p)),
                Some(format!(
                    "评分写作“{written}”，按分值 {m} 减 {p} 记为 {} 分。",
                    m - p
                )),
            ),
            Some(m) => (Err(format!("“{written}”扣分超过该指标的分值 {m}")), None),
            None => (Err(format!("写作“{written}”，但该指标还没有分值")), None),
        };
    }
    (cell_points(g, r, c), None)
}

/// What the office holds now for (expert, indicator): the canonical entry and the texts.
struct Now {
    mark: Option<StoredMark>,
    row: SentRow,
}

struct Ctx<'a> {
    campaign_id: i64,
    rounds: Vec<super::EvalRound>,
    experts: Vec<Expert>,
    model: model::Model,
    leaves: Vec<crate::model::IndicatorLeaf>,
    rules: HashMap<i64, Vec<DeductionRule>>,
    conn: &'a rusqlite::Connection,
    marks: HashMap<i64, Vec<StoredMark>>,
    assigned: HashMap<i64, HashMap<i64, Vec<i64>>>,
}

impl Ctx<'_> {
    fn marks_of(&mut self, round_id: i64) -> Result<&Vec<StoredMark>> {
        if !self.marks.contains_key(&round_id) {
            let v = super::load_marks(self.conn, round_id)?;
            self.marks.insert(round_id, v);
        }
        Ok(self.marks.get(&round_id).map_or(&EMPTY, |v| v))
    }

    fn assigned_to(&mut self, round_id: i64, expert_id: i64) -> Result<Vec<i64>> {
        if !self.assigned.contains_key(&round_id) {
            let v = super::assignments(self.conn, round_id)?;
            self.assigned.insert(round_id, v);
        }
        Ok(self
            .assigned
            .get(&round_id)
            .and_then(|m| m.get(&expert_id))
            .cloned()
            .unwrap_or_default())
    }

    fn now(
        &mut self,
        round_id: i64,
        expert_id: i64,
        leaf: &crate::model::IndicatorLeaf,
    ) -> Result<Now> {
        let max = self.model.max_of(leaf);
        let specs: Vec<_> = self
            .rules
            .get(&leaf.id)
            .map(|v| v.iter().map(DeductionRule::spec).collect())
            .unwrap_or_default();
        let shares = self.model.grade_shares;
        let mark = self
            .marks_of(round_id)?
            .iter()
            .find(|m| m.indicator_id == leaf.id && m.expert_id == Some(expert_id))
            .cloned();
        let row = SentRow {
            indicator_id: leaf.id,
            points: max,
            text: leaf.text.clone(),
            entry: mark
                .as_ref()
                .map(|m| mark_canonical(m, max, &specs, &shares))
                .unwrap_or_default(),
            reason: mark.as_ref().map(|m| m.reason.clone()).unwrap_or_default(),
            method: mark.as_ref().map(|m| m.method.clone()).unwrap_or_default(),
            evidence: mark
                .as_ref()
                .map(|m| m.evidence.clone())
                .unwrap_or_default(),
            note: mark.as_ref().map(|m| m.note.clone()).unwrap_or_default(),
        };
        Ok(Now { mark, row })
    }
}

static EMPTY: Vec<StoredMark> = Vec::new();

/// The round and expert a title or file name names (when the stamp is gone).
fn by_title(ctx: &Ctx<'_>, texts: &[String]) -> Option<(usize, usize)> {
    for t in texts {
        let round = ctx
            .rounds
            .iter()
            .enumerate()
            .filter(|(_, r)| t.contains(&r.name))
            .max_by_key(|(_, r)| r.name.chars().count())
            .map(|(i, _)| i);
        let experts: Vec<usize> = ctx
            .experts
            .iter()
            .enumerate()
            .filter(|(_, e)| t.contains(&e.name))
            .map(|(i, _)| i)
            .collect();
        if let (Some(r), [e]) = (round, experts.as_slice()) {
            return Some((r, *e));
        }
    }
    None
}

fn plan(
    ws: &Workspace,
    path: &Path,
    job: &Job,
) -> Result<Plan<ScoreCollectPreview, Vec<MarkWrite>>> {
    let conn = ws.store().conn();
    let c = crate::campaign::active(conn)?;
    let mut ctx = Ctx {
        campaign_id: c.id,
        rounds: super::list_rounds(conn, c.id)?,
        experts: super::list_experts(conn, c.id)?,
        model: model::load(conn)?,
        leaves: super::campaign_leaves(conn)?,
        rules: model::all_rules(conn, c.id)?,
        conn,
        marks: HashMap::new(),
        assigned: HashMap::new(),
    };
    let by_no: HashMap<i64, usize> = ctx
        .leaves
        .iter()
        .enumerate()
        .map(|(i, l)| (l.no, i))
        .collect();
    let mut all_issues: Vec<ImportIssue> = Vec::new();
    job.report(0, 0, &format!("正在读取“{}”", display_name(path)));
    let files = crate::sheet::stamp::gather_some(path, &mut all_issues)?;
    job.check()?;
    let mut sheets: Vec<CollectedScoreSheet> = Vec::new();
    let mut writes: Vec<MarkWrite> = Vec::new();
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
        let data: Option<(&Grid, Found)> = grids
            .iter()
            .filter(|g| !crate::sheet::stamp::is_stamp_sheet(g))
            .find_map(|g| {
                find_header(g, SCORE_SHEET_COLUMNS, &["no"])
                    .filter(|h| {
                        ["score", "deduction", "grade"]
                            .iter()
                            .any(|k| h.col(k).is_some())
                    })
                    .map(|h| (g, h))
            });
        let title: String = data
            .as_ref()
            .map(|(g, _)| g.text(0, 0).to_string())
            .unwrap_or_default();
        let base = file.rsplit('/').next().unwrap_or(&file).to_string();
        // Which round, which expert, which export.
        let raw_stamp = crate::sheet::stamp::find(&grids, &bytes, STAMP_MARK, STAMP_NAME);
        let mut matched_by = MatchedBy::Stamp;
        let (round_idx, expert_idx, revision) = match raw_stamp.as_deref().map(parse_stamp) {
            Some(Some((sc, sr, se, rev, key))) => {
                if sc != c.id {
                    issues.file(
                        Severity::Error,
                        "该评分表是从另一个创建项目导出的，不能收回到当前项目。",
                    );
                    all_issues.extend(issues.list);
                    continue;
                }
                if stamp_key(sc, sr, se, rev) != key {
                    issues.file(Severity::Error, "评分表中的导出标记已被改动，无法确认是哪位专家、哪一轮的评分表。请使用依法治区办导出的原文件填写。");
                    all_issues.extend(issues.list);
                    continue;
                }
                let Some(ri) = ctx.rounds.iter().position(|r| r.id == sr) else {
                    issues.file(
                        Severity::Error,
                        &format!("评分表所属的评估轮次（编号 {sr}）已不存在。"),
                    );
                    all_issues.extend(issues.list);
                    continue;
                };
                let Some(ei) = ctx.experts.iter().position(|e| e.id == se) else {
                    issues.file(
                        Severity::Error,
                        &format!("评分表所属的专家（编号 {se}）已不在专家组中。"),
                    );
                    all_issues.extend(issues.list);
                    continue;
                };
                (ri, ei, Some(rev))
            }
            Some(None) => {
                issues.file(Severity::Error, "评分表中的导出标记无法识别（已损坏），无法确认是哪位专家的评分表。请使用依法治区办导出的原文件填写。");
                all_issues.extend(issues.list);
                continue;
            }
            None => {
                matched_by = MatchedBy::Title;
                match by_title(&ctx, &[title.clone(), base.clone()]) {
                    Some((ri, ei)) => {
                        issues.file(
                            Severity::Warning,
                            &format!(
                                "未找到导出标记（文件可能经过另存），已按标题识别为“{}”“{}”的评分表，并与最近一次导出比对。",
                                ctx.rounds[ri].name, ctx.experts[ei].name
                            ),
                        );
                        (ri, ei, None)
                    }
                    None => {
                        issues.file(Severity::Error, "无法识别是哪一轮、哪位专家的评分表：没有导出标记，标题和文件名中也没有评估轮次和专家姓名。请使用依法治区办导出的评分表。");
                        all_issues.extend(issues.list);
                        continue;
                    }
                }
            }
        };
        let round = ctx.rounds[round_idx].clone();
        let expert = ctx.experts[expert_idx].clone();
        // The title names the expert the stamp says (a sheet passed to another expert and
        // re-titled, or a stamp copied into another file, is refused).
        if matched_by == MatchedBy::Stamp
            && !title.is_empty()
            && !title.contains(&expert.name)
            && let Some(other) = ctx
                .experts
                .iter()
                .find(|e| e.id != expert.id && title.contains(&e.name))
        {
            issues.file(
                Severity::Error,
                &format!(
                    "标题写的是“{}”，但导出标记表明这是“{}”的评分表：请确认专家后使用其本人的评分表。",
                    other.name, expert.name
                ),
            );
            all_issues.extend(issues.list);
            continue;
        }
        if let Some(prev) = done.get(&(round.id, expert.id)) {
            issues.file(
                Severity::Error,
                &format!(
                    "与“{prev}”同为“{}”在“{}”的评分表，请只保留一份后再收回。",
                    expert.name, round.name
                ),
            );
            all_issues.extend(issues.list);
            continue;
        }
        done.insert((round.id, expert.id), file.clone());
        let Some((g, h)) = data else {
            issues.file(
                Severity::Error,
                "没有找到评分表的表头（需要“指标序号”列和“评估组评分”“扣分”或“评定等次”列）。",
            );
            all_issues.extend(issues.list);
            continue;
        };
        // The export it came from.
        let export: Option<(i64, i64)> = match revision {
            Some(rev) => conn
                .query_row(
                    "SELECT id, revision FROM eval_export WHERE round_id = ?1 AND expert_id = ?2 AND revision = ?3",
                    params![round.id, expert.id, rev],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .optional()?,
            None => conn
                .query_row(
                    "SELECT id, revision FROM eval_export WHERE round_id = ?1 AND expert_id = ?2 ORDER BY revision DESC LIMIT 1",
                    params![round.id, expert.id],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .optional()?,
        };
        let latest: i64 = conn.query_row(
            "SELECT coalesce(max(revision), 0) FROM eval_export WHERE round_id = ?1 AND expert_id = ?2",
            params![round.id, expert.id],
            |r| r.get(0),
        )?;
        let revision = revision.or(export.map(|e| e.1));
        if let Some(r) = revision
            && r < latest
        {
            issues.file(Severity::Warning, &format!("这是第 {r} 次导出的评分表，此后又导出过（最近为第 {latest} 次），将按第 {r} 次导出时的内容比对。"));
        }
        let sent: HashMap<i64, SentRow> = match export {
            Some((id, _)) => snapshot(conn, id)?,
            None => HashMap::new(),
        };
        let mine = ctx.assigned_to(round.id, expert.id)?;
        let mut sheet = CollectedScoreSheet {
            file: file.clone(),
            round_id: round.id,
            round_name: round.name.clone(),
            expert_id: expert.id,
            expert_name: expert.name.clone(),
            matched_by,
            matched_by_label: matched_by.label().into(),
            revision,
            rows: 0,
            scored: 0,
            changes: Vec::new(),
            conflicts: Vec::new(),
        };
        let col = |k: &str| h.col(k);
        let no_col = col("no").unwrap_or(0);
        let mut seen: HashMap<i64, usize> = HashMap::new();
        for r in h.row + 1..g.rows.len() {
            if g.row_is_blank(r) {
                continue;
            }
            let raw = g.text(r, no_col);
            let scoring_cells = ["score", "deduction", "grade"]
                .iter()
                .filter_map(|k| col(k))
                .any(|c| !g.text(r, c).is_empty());
            if is_total_text(raw) {
                continue;
            }
            let Some(no) = parse_number_label(raw) else {
                if scoring_cells {
                    issues.at(
                        Severity::Error,
                        g,
                        Some(r),
                        Some(no_col),
                        &format!(
                            "指标序号“{}”无法识别，该行的评分无法对应到指标。",
                            short(raw)
                        ),
                    );
                } else if !raw.is_empty() {
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
                    Severity::Error,
                    g,
                    Some(r),
                    Some(no_col),
                    &format!("指标 {no} 与第{}行重复，请只保留一行。", p + 1),
                );
                continue;
            }
            let Some(&li) = by_no.get(&no) else {
                issues.at(
                    Severity::Error,
                    g,
                    Some(r),
                    Some(no_col),
                    &format!("当前指标体系中没有序号为 {no} 的指标。"),
                );
                continue;
            };
            let leaf = ctx.leaves[li].clone();
            if !mine.contains(&leaf.id) {
                issues.at(
                    Severity::Error,
                    g,
                    Some(r),
                    Some(no_col),
                    &format!("指标 {no} 没有分配给“{}”评分。", expert.name),
                );
                continue;
            }
            sheet.rows += 1;
            let now = ctx.now(round.id, expert.id, &leaf)?;
            let was = sent
                .get(&leaf.id)
                .cloned()
                .unwrap_or_else(|| now.row.clone());
            let max = ctx.model.max_of(&leaf);
            // Locked columns: the 分值 and the indicator text must be as sent.
            let mut locked_ok = true;
            if let Some(pc) = col("points") {
                let got = cell_points(g, r, pc).ok().flatten();
                let raw_pts = g.text(r, pc);
                let expected = was.points;
                let same = match expected {
                    Some(e) => got == Some(e),
                    None => got.is_none(),
                };
                if !same {
                    issues.at(
                        Severity::Error,
                        g,
                        Some(r),
                        Some(pc),
                        &format!(
                            "锁定栏目“分值”被改为“{}”（导出时为 {}），不能修改；请使用导出的原文件重新填写。",
                            short(raw_pts),
                            expected.map_or("未设分值".to_string(), |e| e.to_string())
                        ),
                    );
                    locked_ok = false;
                }
            }
            if let Some(tc) = col("text")
                && squash(g.text(r, tc)) != squash(&was.text)
            {
                issues.at(Severity::Error, g, Some(r), Some(tc), "锁定栏目“三级指标”被修改，无法确认评的是哪项指标；请使用导出的原文件重新填写。");
                locked_ok = false;
            }
            if was.points != max {
                issues.at(
                    Severity::Warning,
                    g,
                    Some(r),
                    None,
                    &format!(
                        "指标 {no} 的分值在导出后由 {} 改为 {}，评分按现行分值核对。",
                        was.points.map_or("未设".to_string(), |p| p.to_string()),
                        max.map_or("未设".to_string(), |p| p.to_string())
                    ),
                );
            }
            // The scoring cells.
            let mut bad = !locked_ok;
            let mut read = |key: &str, label: &str, issues: &mut Issues| -> Option<Points> {
                let c = col(key)?;
                let (parsed, said) = loose_points(g, r, c, key == "deduction", max);
                if let Some(said) = said {
                    issues.at(Severity::Warning, g, Some(r), Some(c), &said);
                }
                match parsed {
                    Ok(None) => None,
                    Ok(Some(p)) => {
                        if p.is_negative() {
                            issues.at(
                                Severity::Error,
                                g,
                                Some(r),
                                Some(c),
                                &format!("{label} {p} 不能为负数。"),
                            );
                            bad = true;
                            None
                        } else if max.is_none() {
                            issues.at(
                                Severity::Error,
                                g,
                                Some(r),
                                Some(c),
                                &format!("指标 {no} 还没有分值，不能评分。"),
                            );
                            bad = true;
                            None
                        } else if let Some(m) = max
                            && p > m
                        {
                            issues.at(
                                Severity::Error,
                                g,
                                Some(r),
                                Some(c),
                                &format!("{label} {p} 超过该指标的分值 {m}。"),
                            );
                            bad = true;
                            None
                        } else {
                            Some(p)
                        }
                    }
                    Err(why) => {
                        issues.at(
                            Severity::Error,
                            g,
                            Some(r),
                            Some(c),
                            &format!("{label}{why}，应填写数字。"),
                        );
                        bad = true;
                        None
                    }
                }
            };
            let score = read("score", "评分", &mut issues);
            let deduction = read("deduction", "扣分", &mut issues);
            let grade = match col("grade") {
                Some(c) if !g.text(r, c).is_empty() => match Grade::from_label(g.text(r, c)) {
                    Some(x) => Some(x),
                    None => {
                        issues.at(
                            Severity::Error,
                            g,
                            Some(r),
                            Some(c),
                            &format!(
                                "评定等次“{}”不是可选值（{}）。",
                                short(g.text(r, c)),
                                Grade::LABELS.join("、")
                            ),
                        );
                        bad = true;
                        None
                    }
                },
                _ => None,
            };
            if bad {
                continue;
            }
            let max_v = max.unwrap_or_default();
            let from_grade = grade.map(|gr| max_v.percent(ctx.model.grade_shares.of(gr)));
            let numeric = match (score, deduction) {
                (Some(s), Some(d)) if s + d != max_v => {
                    issues.at(
                        Severity::Error,
                        g,
                        Some(r),
                        col("deduction"),
                        &format!("评分 {s} 与扣分 {d} 之和不等于分值 {max_v}，请只填写其中一项。"),
                    );
                    continue;
                }
                (Some(s), _) => Some(s),
                (None, Some(d)) => Some(max_v - d),
                (None, None) => None,
            };
            if let (Some(n), Some(fg), Some(gr)) = (numeric, from_grade, grade)
                && n != fg
            {
                issues.at(
                    Severity::Error,
                    g,
                    Some(r),
                    col("grade"),
                    &format!(
                        "同时填写了等次“{}”（折合 {fg} 分）和分数 {n}，两者不一致，请只填写一项。",
                        gr.label()
                    ),
                );
                continue;
            }
            let got_entry = if numeric.is_some() {
                canonical(numeric, None)
            } else {
                canonical(None, grade)
            };
            let texts: Vec<(&str, &str, String)> = TEXT_FIELDS
                .iter()
                .map(|(k, label)| {
                    let v = col(k)
                        .map(|c| g.text(r, c).to_string())
                        .unwrap_or_else(|| text_of(&was, k).to_string());
                    (*k, *label, v)
                })
                .collect();
            if got_entry.is_empty() && texts.iter().any(|t| !t.2.trim().is_empty()) {
                issues.at(Severity::Error, g, Some(r), col("score").or(col("grade")), &format!(
                    "指标 {no} 填写了文字但没有评分：满分请在“评估组评分”填写 {max_v}，有扣分请填写“扣分”。"
                ));
                continue;
            }
            if !got_entry.is_empty() {
                sheet.scored += 1;
            }
            // Field by field against what was sent and what the office holds now.
            let mut mark = now.mark.clone().unwrap_or(StoredMark {
                id: 0,
                indicator_id: leaf.id,
                expert_id: Some(expert.id),
                entry: EntryKind::Score,
                value: None,
                grade: None,
                rules: Vec::new(),
                reason: String::new(),
                method: String::new(),
                evidence: String::new(),
                note: String::new(),
                source: MarkSource::Sheet,
                updated_at: String::new(),
            });
            let mut changed = false;
            let mut taken: Vec<(&'static str, String)> = Vec::new();
            let indicator = short(&leaf.text);
            let fields: Vec<(&str, String, String, String)> = std::iter::once((
                "评分",
                was.entry.clone(),
                now.row.entry.clone(),
                got_entry.clone(),
            ))
            .chain(texts.iter().map(|(k, label, v)| {
                (
                    *label,
                    text_of(&was, k).to_string(),
                    text_of(&now.row, k).to_string(),
                    v.clone(),
                )
            }))
            .collect();
            for (label, sent_v, now_v, got_v) in fields {
                let merge = merge_field(&sent_v, &now_v, &got_v);
                if merge == Merge::Unchanged {
                    continue;
                }
                let show = |v: &str| {
                    if label == "评分" {
                        shown(v)
                    } else {
                        v.to_string()
                    }
                };
                if merge == Merge::Conflict {
                    sheet.conflicts.push(ScoreConflict {
                        no,
                        indicator: indicator.clone(),
                        field: label.into(),
                        sent: show(&sent_v),
                        office: show(&now_v),
                        expert: show(&got_v),
                    });
                    continue;
                }
                sheet.changes.push(ScoreChange {
                    no,
                    indicator: indicator.clone(),
                    field: label.into(),
                    old: show(&now_v),
                    new: show(&got_v),
                });
                changed = true;
                if label == "评分" {
                    taken.push(("entry", got_v.clone()));
                    mark.rules.clear();
                    mark.grade = None;
                    if let Some(s) = score {
                        mark.entry = EntryKind::Score;
                        mark.value = Some(s);
                    } else if let Some(d) = deduction {
                        mark.entry = EntryKind::Deduction;
                        mark.value = Some(d);
                    } else if let Some(gr) = grade {
                        mark.entry = EntryKind::Grade;
                        mark.value = None;
                        mark.grade = Some(gr);
                    } else {
                        mark.value = None;
                        mark.entry = EntryKind::Score;
                    }
                } else if let Some((k, _, _)) = texts.iter().find(|t| t.1 == label) {
                    taken.push((k, got_v.clone()));
                    set_text(&mut mark, k, got_v.trim().to_string());
                }
            }
            if changed {
                mark.source = MarkSource::Sheet;
                let keep = mark.value.is_some()
                    || mark.grade.is_some()
                    || (mark.entry == EntryKind::Rules && !mark.rules.is_empty());
                writes.push(MarkWrite {
                    round_id: round.id,
                    indicator_id: leaf.id,
                    expert_id: expert.id,
                    mark: keep.then_some(mark),
                    baseline: export
                        .filter(|_| sent.contains_key(&leaf.id))
                        .map(|(id, _)| (id, taken)),
                });
            }
        }
        if sheet.rows == 0 {
            issues.file(Severity::Warning, "表中没有可收回的评分行。");
        }
        all_issues.extend(issues.list);
        sheets.push(sheet);
    }
    job.report(total, total, "核对完成");
    let counts = sheets.iter().map(|s| (s.changes.len(), s.conflicts.len()));
    let tally = Tally::of(counts, &all_issues);
    let source = display_name(path);
    let detail = tally.detail(&source, sheets.len(), "份评分表");
    let preview = ScoreCollectPreview {
        source,
        sheets,
        change_count: tally.change_count,
        conflict_count: tally.conflict_count,
        issues: all_issues,
        can_apply: tally.can_apply,
    };
    let _ = ctx.campaign_id;
    Ok(Plan {
        preview,
        work: writes,
        detail,
    })
}

impl Importer for ScoreSheetsImport {
    type Preview = ScoreCollectPreview;
    type Work = Vec<MarkWrite>;
    type Output = ScoreCollectPreview;
    const ACTION: Action = Action::CollectScoreSheets;

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
        for w in &work {
            match &w.mark {
                Some(m) => super::put_mark(tx, w.round_id, m, &now)?,
                None => {
                    super::delete_mark_row(tx, w.round_id, w.indicator_id, Some(w.expert_id))?;
                }
            }
            if let Some((export_id, fields)) = &w.baseline {
                for (col, v) in fields {
                    merge::move_baseline(
                        tx,
                        merge::SCORE_ROWS,
                        *export_id,
                        w.indicator_id,
                        col,
                        v,
                    )?;
                }
            }
        }
        Ok(preview)
    }
}
