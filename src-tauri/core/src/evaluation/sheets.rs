//! 专家评分表: one workbook per expert of a round, listing the indicators assigned to them in
//! the shape of the 自查评分表 (work-documents.md §2): 序号 · 一级指标 · 三级指标 · 测评方式 ·
//! 分值 · 评分标准 · 评分责任单位, locked; then the columns the expert fills — 评估组评分 or 扣分
//! (or 评定等次 under grade scoring), 扣分理由, 采用的测评方式, 查阅的佐证材料, 备注 —
//! unlocked, the score cells limited to 0..分值. 小计 rows per 一级指标 and a 合计 row carry the
//! 分值. The same round-trip rules as the per-unit task sheets: a stamp (round, expert, export
//! revision, check key) in a very hidden sheet and a defined name, and a snapshot of every
//! exported row, so collecting can tell the expert's edits from the office's.

use std::collections::HashMap;
use std::path::Path;

use rusqlite::params;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::compute::{Grade, mark_points};
use super::model::{self, ScoringMethod};
use super::points::Points;
use super::{EntryKind, EvalRound, Expert, StoredMark, get_round};
use crate::action::Action;
use crate::error::{Error, Result};
use crate::progress::Job;
use crate::sheet::layout::Column;
use crate::sheet::write::{Book, Style, wrapped_height};
use crate::tasks::unit_sheets::safe_file_name;
use crate::workspace::Workspace;

/// The scoring sheet layout: the first seven columns are the office's (locked).
pub const SCORE_SHEET_COLUMNS: &[Column] = &[
    Column::new("no", "指标序号", &["序号", "三级指标序号", "指标编号"], 7.0),
    Column::new("aspect", "一级指标", &["方面", "一级"], 14.0),
    Column::new(
        "text",
        "三级指标",
        &["指标内容", "评估内容", "测评要点", "三级指标内容"],
        34.0,
    ),
    Column::new("methods", "测评方式", &["评估方式", "评测方式"], 14.0),
    Column::new("points", "分值", &["标准分", "满分"], 7.0),
    Column::new(
        "rule",
        "评分标准",
        &["扣分规则", "扣分标准", "考核标准"],
        28.0,
    ),
    Column::new("lead", "评分责任单位", &["牵头单位", "责任单位"], 14.0),
    Column::new(
        "score",
        "评估组评分",
        &["评分", "得分", "专家评分", "评估得分"],
        9.0,
    )
    .editable(),
    Column::new("deduction", "扣分", &["扣分值", "扣分数"], 7.0).editable(),
    Column::new("grade", "评定等次", &["等次"], 9.0).editable(),
    Column::new(
        "reason",
        "扣分理由",
        &["存在问题", "评估组意见", "扣分原因"],
        30.0,
    )
    .editable(),
    Column::new(
        "method",
        "采用的测评方式",
        &["本次测评方式", "实际测评方式"],
        14.0,
    )
    .editable(),
    Column::new(
        "evidence",
        "查阅的佐证材料",
        &["佐证材料目录", "查阅材料", "佐证材料"],
        20.0,
    )
    .editable(),
    Column::new("note", "备注", &[], 14.0).editable(),
];

/// Header row (0-based) of a scoring sheet as written.
pub const HEADER_ROW: u32 = 2;
/// Name of the data sheet.
pub const SHEET_NAME: &str = "评分表";
/// First cell of the stamp sheet, and the defined name.
pub const STAMP_MARK: &str = "SHIFAN-EVAL-STAMP";
pub const STAMP_NAME: &str = "ShifanEvalStamp";

pub(crate) fn col_of(key: &str) -> u16 {
    SCORE_SHEET_COLUMNS
        .iter()
        .position(|c| c.key == key)
        .unwrap_or(0) as u16
}

fn width_of(key: &str) -> f64 {
    SCORE_SHEET_COLUMNS
        .iter()
        .find(|c| c.key == key)
        .map_or(10.0, |c| c.width)
}

/// The stamp text of an expert's sheet.
pub fn stamp(campaign_id: i64, round_id: i64, expert_id: i64, revision: i64) -> String {
    format!(
        "c={campaign_id};round={round_id};e={expert_id};r={revision};k={}",
        stamp_key(campaign_id, round_id, expert_id, revision)
    )
}

pub(crate) fn stamp_key(campaign_id: i64, round_id: i64, expert_id: i64, revision: i64) -> String {
    crate::sheet::stamp::check_key(&format!(
        "shifan-eval/{campaign_id}/{round_id}/{expert_id}/{revision}"
    ))
}

/// (campaign, round, expert, revision, key) of a stamp text.
pub fn parse_stamp(s: &str) -> Option<(i64, i64, i64, i64, String)> {
    use crate::sheet::stamp::{fields, number, text};
    let f = fields(s)?;
    Some((
        number(&f, "c")?,
        number(&f, "round")?,
        number(&f, "e")?,
        number(&f, "r")?,
        text(&f, "k")?.to_string(),
    ))
}

/// What the scoring cells of a row say, compared as one field: "" (nothing), "s:10.5" (a score,
/// or 分值 minus a deduction) or "g:basic" (a grade).
pub(crate) fn canonical(score: Option<Points>, grade: Option<Grade>) -> String {
    match (score, grade) {
        (Some(s), _) => format!("s:{s}"),
        (None, Some(g)) => format!("g:{}", g.code()),
        (None, None) => String::new(),
    }
}

/// How a canonical entry reads to the office ("8.5 分", "基本达标", "（空）").
pub(crate) fn shown(canonical: &str) -> String {
    if let Some(s) = canonical.strip_prefix("s:") {
        format!("{s}分")
    } else if let Some(g) = canonical.strip_prefix("g:") {
        Grade::from_code(g).map_or(g.to_string(), |g| g.label().to_string())
    } else {
        "（空）".to_string()
    }
}

/// One row as exported (the snapshot).
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct SentRow {
    pub indicator_id: i64,
    pub points: Option<Points>,
    pub text: String,
    pub entry: String,
    pub reason: String,
    pub method: String,
    pub evidence: String,
    pub note: String,
}

/// The canonical entry of a stored mark under `max` (see [`canonical`]).
pub(crate) fn mark_canonical(
    m: &StoredMark,
    max: Option<Points>,
    rules: &[super::compute::RuleSpec],
    shares: &super::compute::GradeShares,
) -> String {
    match (m.entry, max) {
        (EntryKind::Grade, _) => canonical(None, m.grade),
        (_, Some(max)) => canonical(
            Some(mark_points(&m.entry(), max, rules, shares).score),
            None,
        ),
        (_, None) => String::new(),
    }
}

/// What an export wrote.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ScoreSheetsExport {
    pub path: String,
    pub files: Vec<String>,
    #[ts(type = "number")]
    pub expert_count: i64,
}

struct ExpertSheet {
    expert_id: i64,
    revision: i64,
    file_name: String,
    bytes: Vec<u8>,
    rows: Vec<SentRow>,
}

/// One indicator row to write.
struct Line<'a> {
    no: i64,
    aspect: &'a str,
    text: &'a str,
    methods: &'a str,
    points: Option<Points>,
    rule: String,
    lead: String,
    mark: Option<&'a StoredMark>,
    /// The mark's worth (deduction of rules) under the 分值.
    deduction: Option<Points>,
}

fn build(
    campaign: &str,
    round: &EvalRound,
    expert: &Expert,
    method: ScoringMethod,
    stamp_text: &str,
    lines: &[Line<'_>],
) -> Result<Book> {
    let who = if expert.org.is_empty() {
        expert.name.clone()
    } else {
        format!("{}，{}", expert.name, expert.org)
    };
    let mut book = Book::new(&format!("{}评分表", expert.name));
    {
        let mut ws = book.sheet(SHEET_NAME)?;
        let last = SCORE_SHEET_COLUMNS.len() as u16 - 1;
        ws.title(0, last, &format!("{}专家评分表（{who}）", round.name))?;
        let how = match method {
            ScoringMethod::Points => {
                "在“评估组评分”填写得分，或在“扣分”填写扣分数（填一项即可，不超过分值，最多两位小数）"
            }
            ScoringMethod::Grade => {
                "在“评定等次”下拉选择达标/基本达标/未达标（也可直接填写“评估组评分”）"
            }
        };
        let text = format!(
            "填写说明：{campaign}。本表列出分配给{}评分的指标。灰底栏目由依法治区办填写并已锁定，请勿修改；请{how}；有扣分的请写明“扣分理由”，并填写“采用的测评方式”（{}等）和“查阅的佐证材料”。请勿增删行列、勿修改工作表名称，填好后按原文件名交回。",
            expert.name,
            super::METHODS[..5].join("、")
        );
        ws.merged((1, 0), (1, last), &text, Style::Instruction)?;
        ws.row_height(1, 48.0)?;
        let header: Vec<(&str, f64)> = SCORE_SHEET_COLUMNS
            .iter()
            .map(|c| (c.header, c.width))
            .collect();
        ws.header(HEADER_ROW, &header)?;
        let mut r = HEADER_ROW + 1;
        let mut i = 0;
        let mut total = Points::ZERO;
        while i < lines.len() {
            let aspect = lines[i].aspect;
            let mut subtotal = Points::ZERO;
            while i < lines.len() && lines[i].aspect == aspect {
                let l = &lines[i];
                ws.number(r, col_of("no"), l.no as f64, Style::LockedCenter)?;
                for (key, v) in [
                    ("aspect", l.aspect),
                    ("text", l.text),
                    ("methods", l.methods),
                    ("rule", l.rule.as_str()),
                    ("lead", l.lead.as_str()),
                ] {
                    ws.text(r, col_of(key), v, Style::Locked)?;
                }
                match l.points {
                    Some(p) => ws.number(r, col_of("points"), p.to_f64(), Style::LockedCenter)?,
                    None => ws.text(r, col_of("points"), "未设分值", Style::LockedCenter)?,
                }
                subtotal += l.points.unwrap_or_default();
                // What the expert (or the office) already gave, in the cell it was given in.
                let m = l.mark;
                let (score, deduction, grade) = match m.map(|m| m.entry) {
                    Some(EntryKind::Score) => (m.and_then(|m| m.value), None, None),
                    Some(EntryKind::Deduction) => (None, m.and_then(|m| m.value), None),
                    Some(EntryKind::Rules) => (None, l.deduction, None),
                    Some(EntryKind::Grade) => (None, None, m.and_then(|m| m.grade)),
                    None => (None, None, None),
                };
                for (key, v) in [("score", score), ("deduction", deduction)] {
                    match v {
                        Some(p) => ws.number(r, col_of(key), p.to_f64(), Style::Input)?,
                        None => ws.blank(r, col_of(key), Style::Input)?,
                    }
                    if let Some(max) = l.points {
                        let title = if key == "score" {
                            "评估组评分"
                        } else {
                            "扣分"
                        };
                        ws.number_range(r, col_of(key), (0.0, max.to_f64()), title)?;
                    }
                }
                ws.text(
                    r,
                    col_of("grade"),
                    grade.map(Grade::label).unwrap_or(""),
                    Style::Input,
                )?;
                for (key, v) in [
                    ("reason", m.map(|m| m.reason.as_str())),
                    ("method", m.map(|m| m.method.as_str())),
                    ("evidence", m.map(|m| m.evidence.as_str())),
                    ("note", m.map(|m| m.note.as_str())),
                ] {
                    ws.text(r, col_of(key), v.unwrap_or(""), Style::Input)?;
                }
                let h = wrapped_height(l.text, width_of("text"))
                    .max(wrapped_height(&l.rule, width_of("rule")));
                ws.row_height(r, h.min(300.0))?;
                r += 1;
                i += 1;
            }
            ws.text(r, col_of("no"), "小计", Style::LockedCenter)?;
            ws.text(r, col_of("aspect"), aspect, Style::Locked)?;
            ws.number(r, col_of("points"), subtotal.to_f64(), Style::LockedCenter)?;
            for c in 0..=last {
                if ![col_of("no"), col_of("aspect"), col_of("points")].contains(&c) {
                    ws.blank(r, c, Style::Locked)?;
                }
            }
            total += subtotal;
            r += 1;
        }
        ws.text(r, col_of("no"), "合计", Style::LockedCenter)?;
        ws.number(r, col_of("points"), total.to_f64(), Style::LockedCenter)?;
        for c in 0..=last {
            if ![col_of("no"), col_of("points")].contains(&c) {
                ws.blank(r, c, Style::Locked)?;
            }
        }
        ws.dropdown(
            (HEADER_ROW + 1, r.max(HEADER_ROW + 1)),
            col_of("grade"),
            "评定等次",
            &Grade::LABELS,
        )?;
        ws.freeze_rows(HEADER_ROW + 1)?;
        ws.print_a4(true, HEADER_ROW, HEADER_ROW)?;
        ws.protect();
        ws.activate();
    }
    crate::sheet::stamp::write(
        &mut book,
        STAMP_MARK,
        STAMP_NAME,
        stamp_text,
        &[("round", &round.name), ("expert", &expert.name)],
    )?;
    Ok(book)
}

fn build_all(ws: &Workspace, round_id: i64, job: &Job) -> Result<(EvalRound, Vec<ExpertSheet>)> {
    let conn = ws.store().conn();
    let round = get_round(conn, round_id)?;
    let c = crate::campaign::active(conn)?;
    let m = model::load(conn)?;
    let rules = model::all_rules(conn, c.id)?;
    let leaves = super::campaign_leaves(conn)?;
    let leads = super::results::leads(conn, c.id)?;
    let marks = super::load_marks(conn, round_id)?;
    let assigned = super::assignments(conn, round_id)?;
    let experts: Vec<Expert> = super::list_experts(conn, c.id)?
        .into_iter()
        .filter(|e| assigned.get(&e.id).is_some_and(|v| !v.is_empty()))
        .collect();
    let total = experts.len() as u64;
    let mut names: HashMap<String, usize> = HashMap::new();
    let mut out = Vec::new();
    for (k, e) in experts.iter().enumerate() {
        job.check()?;
        job.report(k as u64, total, &format!("正在生成“{}”的评分表", e.name));
        let revision: i64 = conn.query_row(
            "SELECT coalesce(max(revision), 0) + 1 FROM eval_export WHERE round_id = ?1 AND expert_id = ?2",
            params![round_id, e.id],
            |r| r.get(0),
        )?;
        let mine = assigned.get(&e.id).cloned().unwrap_or_default();
        let mut lines = Vec::new();
        let mut sent = Vec::new();
        for l in leaves.iter().filter(|l| mine.contains(&l.id)) {
            let max = m.max_of(l);
            let specs: Vec<_> = rules
                .get(&l.id)
                .map(|v| v.iter().map(|r| r.spec()).collect())
                .unwrap_or_default();
            let rule_text = rules
                .get(&l.id)
                .map(|v| {
                    v.iter()
                        .map(|r| r.text.as_str())
                        .collect::<Vec<_>>()
                        .join("\n")
                })
                .unwrap_or_default();
            let mark = marks
                .iter()
                .find(|x| x.indicator_id == l.id && x.expert_id == Some(e.id));
            let deduction = match (mark, max) {
                (Some(mk), Some(max)) => {
                    Some(mark_points(&mk.entry(), max, &specs, &m.grade_shares).deduction)
                }
                _ => None,
            };
            sent.push(SentRow {
                indicator_id: l.id,
                points: max,
                text: l.text.clone(),
                entry: mark
                    .map(|mk| mark_canonical(mk, max, &specs, &m.grade_shares))
                    .unwrap_or_default(),
                reason: mark.map(|x| x.reason.clone()).unwrap_or_default(),
                method: mark.map(|x| x.method.clone()).unwrap_or_default(),
                evidence: mark.map(|x| x.evidence.clone()).unwrap_or_default(),
                note: mark.map(|x| x.note.clone()).unwrap_or_default(),
            });
            lines.push(Line {
                no: l.no,
                aspect: l.path.first().map(String::as_str).unwrap_or("全部指标"),
                text: &l.text,
                methods: l.methods.as_deref().unwrap_or(""),
                points: max,
                rule: rule_text,
                lead: leads
                    .get(&l.id)
                    .map(|v| {
                        v.iter()
                            .map(|u| u.name.as_str())
                            .collect::<Vec<_>>()
                            .join("、")
                    })
                    .unwrap_or_default(),
                mark,
                deduction,
            });
        }
        let stamp_text = stamp(c.id, round_id, e.id, revision);
        let bytes = build(&c.name, &round, e, m.method, &stamp_text, &lines)?.to_bytes()?;
        let base = safe_file_name(&format!("{}-{}-评分表", round.name, e.name));
        let n = names.entry(base.clone()).or_insert(0);
        *n += 1;
        let file_name = if *n == 1 {
            format!("{base}.xlsx")
        } else {
            format!("{base}-{}.xlsx", e.id)
        };
        out.push(ExpertSheet {
            expert_id: e.id,
            revision,
            file_name,
            bytes,
            rows: sent,
        });
    }
    Ok((round, out))
}

impl Workspace {
    /// 导出专家评分表: one workbook per expert with indicators to score in the round, into the
    /// folder `target` or one zip when it ends in .zip; each export revision and what was sent
    /// are recorded once the files are on disk. A cancel or an error leaves the target as it was.
    pub fn export_score_sheets(
        &mut self,
        round_id: i64,
        target: &Path,
        job: &Job,
    ) -> Result<ScoreSheetsExport> {
        let (round, sheets) = build_all(self, round_id, job)?;
        if sheets.is_empty() {
            return Err(Error::Invalid(format!(
                "“{}”还没有为任何专家分配评分指标，请先在“专家与分工”中分配。",
                round.name
            )));
        }
        let files: Vec<(String, Vec<u8>)> = sheets
            .iter()
            .map(|s| (s.file_name.clone(), s.bytes.clone()))
            .collect();
        crate::sheet::stamp::write_bundle(target, &files, job)?;
        job.report(files.len() as u64, files.len() as u64, "导出完成");
        let detail = format!(
            "“{}”：{} 位专家的评分表，保存到“{}”",
            round.name,
            sheets.len(),
            target.display()
        );
        let now = crate::store::now();
        self.store_mut()
            .write(Action::ExportScoreSheets, |_| detail, |tx| {
                for s in &sheets {
                    tx.execute(
                        "INSERT INTO eval_export (round_id, expert_id, revision, file_name, exported_at)
                         VALUES (?1, ?2, ?3, ?4, ?5)",
                        params![round_id, s.expert_id, s.revision, s.file_name, now],
                    )?;
                    let eid = tx.last_insert_rowid();
                    for r in &s.rows {
                        tx.execute(
                            "INSERT INTO eval_export_row (export_id, indicator_id, points, text, entry,
                               reason, method, evidence, note)
                             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                            params![
                                eid,
                                r.indicator_id,
                                r.points.map(Points::hundredths),
                                r.text,
                                r.entry,
                                r.reason,
                                r.method,
                                r.evidence,
                                r.note
                            ],
                        )?;
                    }
                }
                Ok(())
            })?;
        Ok(ScoreSheetsExport {
            path: target.display().to_string(),
            expert_count: sheets.len() as i64,
            files: sheets.into_iter().map(|s| s.file_name).collect(),
        })
    }
}

/// The snapshot of one export.
pub(crate) fn snapshot(
    conn: &rusqlite::Connection,
    export_id: i64,
) -> Result<HashMap<i64, SentRow>> {
    let mut st = conn.prepare(
        "SELECT indicator_id, points, text, entry, reason, method, evidence, note
         FROM eval_export_row WHERE export_id = ?1",
    )?;
    let rows = st.query_map([export_id], |r| {
        Ok(SentRow {
            indicator_id: r.get(0)?,
            points: r.get::<_, Option<i64>>(1)?.map(Points::from_hundredths),
            text: r.get(2)?,
            entry: r.get(3)?,
            reason: r.get(4)?,
            method: r.get(5)?,
            evidence: r.get(6)?,
            note: r.get(7)?,
        })
    })?;
    let mut m = HashMap::new();
    for r in rows {
        let r = r?;
        m.insert(r.indicator_id, r);
    }
    Ok(m)
}
