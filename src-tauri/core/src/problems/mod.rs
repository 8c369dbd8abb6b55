//! 督察轮次 (Round) and 问题 (Problem): the 问题清单/整改台账 of a campaign.
//!
//! A round (专项督察, 实地督查, 自查, 模拟评估 …) has a name, dates, the units inspected and the
//! team. Each problem it found has a 类型 (共性/个性), a description, the indicators it touches,
//! the responsible units, 整改要求 and 完成时限; each responsible unit's part is tracked on its
//! own (整改措施, 整改进展, 完成情况, proof, status 待整改 → 整改中 → 已整改待核验 → 已销号), so a
//! 共性 problem given to 18 units is shown as one problem with its progress ("12/18 已整改")
//! while every unit closes its own part. 逾期 is computed from the deadline and a given day
//! (see `deadline`). Every change — status, text, deadline, 销号, reopening — is kept in
//! `problem_event`, the history the user sees; nothing is overwritten silently.
//!
//! Submodules: `deadline` (完成时限 and 逾期), `import` (an office's 问题清单, [`ProblemsImport`]),
//! `export` (the 反馈意见整改表 of a round), `unit_sheets` and `collect` (per-unit 问题整改表
//! out and back, [`ProblemsCollect`]), `letters` (the one-to-one 督察问题反馈函), `remind` (催办
//! messages), `selfcheck` (自查 self-assessments per indicator).

pub mod collect;
pub mod deadline;
pub(crate) mod demo;
pub mod export;
pub mod import;
pub mod letters;
pub mod remind;
pub mod selfcheck;
pub mod unit_sheets;

pub use collect::ProblemsCollect;
pub use import::ProblemsImport;

use std::collections::HashMap;

use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension, Transaction, params};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::action::Action;
use crate::campaign;
use crate::error::{Error, Result};
use crate::sheet::layout::short;
use crate::tasks::{UnitRef, date_text};
use crate::workspace::Workspace;
use deadline::{DeadlineContext, days_overdue};

/// 整改状态, in order.
pub const STATUS_TODO: &str = "待整改";
pub const STATUS_DOING: &str = "整改中";
pub const STATUS_DONE: &str = "已整改待核验";
pub const STATUS_CLOSED: &str = "已销号";
pub const STATUSES: &[&str] = &[STATUS_TODO, STATUS_DOING, STATUS_DONE, STATUS_CLOSED];
/// What a unit may report on its sheet (销号 is the office's).
pub const UNIT_STATUSES: &[&str] = &[STATUS_TODO, STATUS_DOING, STATUS_DONE];

/// 问题类型.
pub const KIND_COMMON: &str = "共性";
pub const KIND_SINGLE: &str = "个性";

/// Kinds of round.
pub const ROUND_KINDS: &[&str] = &["专项督察", "实地督查", "自查", "模拟评估", "其他"];

/// A status as offices write it, to ours: 未启动/未整改 → 待整改; 正在整改/部分整改/推进中 →
/// 整改中; 已整改/已完成 → 已整改待核验; 已销号/已核验 → 已销号. None for anything else.
pub fn parse_status(raw: &str) -> Option<&'static str> {
    let t: String = raw.chars().filter(|c| !c.is_whitespace()).collect();
    if t.is_empty() {
        return None;
    }
    if STATUSES.contains(&t.as_str()) {
        return STATUSES.iter().copied().find(|s| *s == t);
    }
    let starts = |ws: &[&str]| ws.iter().any(|w| t.starts_with(w));
    if starts(&["已销号", "销号", "已核验", "核验通过"]) {
        Some(STATUS_CLOSED)
    } else if starts(&[
        "已整改",
        "已完成",
        "整改完成",
        "完成整改",
        "待核验",
        "已办结",
    ]) {
        Some(STATUS_DONE)
    } else if starts(&[
        "整改中",
        "正在整改",
        "部分整改",
        "推进中",
        "持续整改",
        "长期坚持",
    ]) {
        Some(STATUS_DOING)
    } else if starts(&["待整改", "未整改", "未启动", "未开始", "尚未整改"]) {
        Some(STATUS_TODO)
    } else {
        None
    }
}

fn status_rank(s: &str) -> usize {
    STATUSES.iter().position(|x| *x == s).unwrap_or(0)
}

// ---------------------------------------------------------------------------------------------
// DTOs

/// 督察轮次: one round of inspection of a campaign.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct RoundInfo {
    #[ts(type = "number")]
    pub id: i64,
    pub name: String,
    /// 专项督察 / 实地督查 / 自查 / 模拟评估 / 其他.
    pub kind: String,
    /// "2023-04-10".
    pub start_date: Option<String>,
    pub end_date: Option<String>,
    /// 督察组成员.
    pub team: String,
    pub note: String,
    /// 被督察单位.
    pub units: Vec<UnitRef>,
    #[ts(type = "number")]
    pub problem_count: i64,
    #[ts(type = "number")]
    pub common_count: i64,
    /// Units' parts of the problems (a 共性 problem of 18 units counts 18).
    #[ts(type = "number")]
    pub part_count: i64,
    /// Parts 已整改待核验 or 已销号.
    #[ts(type = "number")]
    pub done_count: i64,
    #[ts(type = "number")]
    pub closed_count: i64,
    /// Parts 逾期 today.
    #[ts(type = "number")]
    pub overdue_count: i64,
    pub created_at: String,
}

/// Input of "保存督察轮次" (new when `id` is None).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct RoundInput {
    #[ts(type = "number | null")]
    #[serde(default)]
    pub id: Option<i64>,
    pub name: String,
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub start_date: Option<String>,
    #[serde(default)]
    pub end_date: Option<String>,
    #[serde(default)]
    pub team: String,
    #[serde(default)]
    pub note: String,
    #[ts(type = "Array<number>")]
    #[serde(default)]
    pub unit_ids: Vec<i64>,
}

/// One responsible unit's part of a problem.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ProblemUnitInfo {
    #[ts(type = "number")]
    pub id: i64,
    #[ts(type = "number")]
    pub unit_id: i64,
    pub unit_name: String,
    /// 待整改 / 整改中 / 已整改待核验 / 已销号.
    pub status: String,
    /// 整改措施.
    pub measures: String,
    /// 整改进展.
    pub progress: String,
    /// 完成情况.
    pub completion: String,
    /// Linked evidence (ids or names), one per entry.
    pub evidence: Vec<String>,
    /// 销号 date and note.
    pub closed_on: Option<String>,
    pub close_note: String,
    pub overdue: bool,
    #[ts(type = "number | null")]
    pub overdue_days: Option<i64>,
    pub updated_at: String,
}

/// 问题: one problem of a round, with every responsible unit's part.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ProblemInfo {
    #[ts(type = "number")]
    pub id: i64,
    #[ts(type = "number")]
    pub round_id: i64,
    pub round_name: String,
    /// 序号 within the round (1, 2, 3 … across blocks).
    #[ts(type = "number")]
    pub seq: i64,
    /// 序号 as written in the imported list ("3", restarting per block).
    pub source_no: String,
    /// 共性 / 个性.
    pub kind: String,
    /// 类别 ("行政执法").
    pub category: String,
    pub description: String,
    /// 所涉指标 as written, and the indicator numbers read from it.
    pub indicators_text: String,
    #[ts(type = "Array<number>")]
    pub indicator_nos: Vec<i64>,
    /// 整改要求.
    pub requirement: String,
    /// 完成时限 as written; the date it means ("立行立改": the round's last day); its kind
    /// ("date", "immediate", "standing", "text", "none").
    pub deadline_text: String,
    pub deadline_date: Option<String>,
    pub deadline_kind: String,
    pub note: String,
    pub units: Vec<ProblemUnitInfo>,
    /// The problem as a whole: 已销号 when every part is, 已整改待核验 when every part is done,
    /// 整改中 when any part has moved, else 待整改.
    pub status: String,
    #[ts(type = "number")]
    pub unit_count: i64,
    /// Parts 已整改待核验 or 已销号.
    #[ts(type = "number")]
    pub done_count: i64,
    #[ts(type = "number")]
    pub closed_count: i64,
    #[ts(type = "number")]
    pub overdue_count: i64,
    /// Most days overdue of any part.
    #[ts(type = "number | null")]
    pub overdue_days: Option<i64>,
    /// "12/18 已整改" for a 共性 problem, the status for one unit.
    pub progress_text: String,
    pub created_at: String,
    pub updated_at: String,
}

/// Filters of the problem ledger; every field optional.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ProblemFilter {
    #[ts(optional, type = "number")]
    #[serde(default)]
    pub round_id: Option<i64>,
    /// One of the four statuses (of the unit's part when `unit_id` is set, else of any part).
    #[ts(optional)]
    #[serde(default)]
    pub status: Option<String>,
    #[ts(optional, type = "number")]
    #[serde(default)]
    pub unit_id: Option<i64>,
    /// Indicator number.
    #[ts(optional, type = "number")]
    #[serde(default)]
    pub indicator_no: Option<i64>,
    /// 共性 / 个性.
    #[ts(optional)]
    #[serde(default)]
    pub kind: Option<String>,
    #[ts(optional)]
    #[serde(default)]
    pub overdue_only: Option<bool>,
    /// Text in the description, requirement, units, indicators or measures.
    #[ts(optional)]
    #[serde(default)]
    pub search: Option<String>,
    /// The day 逾期 is judged on ("2023-06-01"); today when absent.
    #[ts(optional)]
    #[serde(default)]
    pub today: Option<String>,
}

/// One entry of a problem's history.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ProblemEvent {
    #[ts(type = "number")]
    pub id: i64,
    #[ts(type = "number")]
    pub problem_id: i64,
    /// The unit whose part changed (None: the problem itself).
    #[ts(type = "number | null")]
    pub unit_id: Option<i64>,
    pub unit_name: Option<String>,
    pub at: String,
    pub operator: String,
    /// Stable code ("status", "close", "reopen", "deadline" …) and its Chinese label.
    pub field: String,
    pub field_label: String,
    pub old: String,
    pub new: String,
    pub note: String,
    /// "import", "manual", "collect" and its label (导入问题清单 / 手动修改 / 收回问题整改表).
    pub source: String,
    pub source_label: String,
}

/// A problem with its history, newest first (the drawer of the ledger).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ProblemDetail {
    pub problem: ProblemInfo,
    pub history: Vec<ProblemEvent>,
}

/// A new problem typed in by the office.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ProblemInput {
    #[ts(type = "number")]
    pub round_id: i64,
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub category: String,
    pub description: String,
    #[serde(default)]
    pub indicators_text: String,
    #[ts(type = "Array<number>")]
    pub unit_ids: Vec<i64>,
    #[serde(default)]
    pub requirement: String,
    #[serde(default)]
    pub deadline_text: String,
    #[serde(default)]
    pub note: String,
}

/// A change of a problem's text (fields left out stay as they are). Each changed field is
/// recorded in the history with its old and new value.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ProblemEdit {
    #[ts(type = "number")]
    pub id: i64,
    #[ts(optional)]
    #[serde(default)]
    pub kind: Option<String>,
    #[ts(optional)]
    #[serde(default)]
    pub category: Option<String>,
    #[ts(optional)]
    #[serde(default)]
    pub description: Option<String>,
    #[ts(optional)]
    #[serde(default)]
    pub indicators_text: Option<String>,
    #[ts(optional)]
    #[serde(default)]
    pub requirement: Option<String>,
    #[ts(optional)]
    #[serde(default)]
    pub deadline_text: Option<String>,
    #[ts(optional)]
    #[serde(default)]
    pub note: Option<String>,
    /// Responsible units: units added get a part 待整改; a unit can be taken off only while its
    /// part is untouched (待整改, nothing filled).
    #[ts(optional, type = "Array<number>")]
    #[serde(default)]
    pub unit_ids: Option<Vec<i64>>,
    /// Why (kept with each history entry).
    #[ts(optional)]
    #[serde(default)]
    pub reason: Option<String>,
}

/// A change of one unit's part (整改措施, 整改进展, 完成情况, evidence).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct PartEdit {
    #[ts(type = "number")]
    pub problem_id: i64,
    #[ts(type = "number")]
    pub unit_id: i64,
    #[ts(optional)]
    #[serde(default)]
    pub measures: Option<String>,
    #[ts(optional)]
    #[serde(default)]
    pub progress: Option<String>,
    #[ts(optional)]
    #[serde(default)]
    pub completion: Option<String>,
    #[ts(optional)]
    #[serde(default)]
    pub evidence: Option<Vec<String>>,
}

/// A status change of one unit's part, or of every part (`unit_id` None). 已销号 needs the
/// 销号 date (`closed_on`); leaving 已销号 (or going back from 已整改待核验) is a reopening and is
/// recorded as one.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct StatusChange {
    #[ts(type = "number")]
    pub problem_id: i64,
    #[ts(optional, type = "number")]
    #[serde(default)]
    pub unit_id: Option<i64>,
    pub status: String,
    /// 销号日期 ("2023-06-30"), required for 已销号.
    #[ts(optional)]
    #[serde(default)]
    pub closed_on: Option<String>,
    /// 销号说明, or why it was reopened.
    #[ts(optional)]
    #[serde(default)]
    pub note: Option<String>,
}

/// One unit in the league table of a round (or of every round).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct UnitStanding {
    #[ts(type = "number")]
    pub unit_id: i64,
    pub unit_name: String,
    pub unit_kind: String,
    #[ts(type = "number")]
    pub total: i64,
    #[ts(type = "number")]
    pub todo: i64,
    #[ts(type = "number")]
    pub doing: i64,
    #[ts(type = "number")]
    pub done: i64,
    #[ts(type = "number")]
    pub closed: i64,
    /// 待整改 + 整改中.
    #[ts(type = "number")]
    pub open: i64,
    #[ts(type = "number")]
    pub overdue: i64,
    /// Share done (已整改待核验 or 已销号), 0–100.
    pub done_rate: f64,
}

// ---------------------------------------------------------------------------------------------
// Reading

/// The day `filter.today` names, else today.
pub fn today_of(s: Option<&str>) -> Result<NaiveDate> {
    match s.map(str::trim).filter(|s| !s.is_empty()) {
        Some(s) => parse_day(s)
            .ok_or_else(|| Error::Invalid(format!("日期“{s}”无效，请写作“2023-06-01”。"))),
        None => Ok(chrono::Local::now().date_naive()),
    }
}

/// "2023-06-01" (also 2023/6/1, 2023.6.1, 2023年6月1日).
pub fn parse_day(s: &str) -> Option<NaiveDate> {
    let t = crate::text::to_half_width(s.trim());
    if let Ok(d) = NaiveDate::parse_from_str(&t, "%Y-%m-%d") {
        return Some(d);
    }
    let nums: Vec<u32> = t
        .split(|c: char| !c.is_ascii_digit())
        .filter(|p| !p.is_empty())
        .filter_map(|p| p.parse().ok())
        .collect();
    match nums.as_slice() {
        [y, m, d] if (2000..=2100).contains(y) => NaiveDate::from_ymd_opt(*y as i32, *m, *d),
        _ => None,
    }
}

fn day_of(s: &Option<String>) -> Option<NaiveDate> {
    s.as_deref().and_then(parse_day)
}

/// The stored row of a problem (before its parts are attached).
struct Row {
    info: ProblemInfo,
}

/// Which fields of the problems [`load_fields`] reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Fields {
    /// Everything.
    All,
    /// What the 反馈意见整改表 prints: no 备注, source number, timestamps, round name, the
    /// parts' evidence and 销号 details, and the official numbers of the indicators only where
    /// no 所涉指标 text was kept (which the sheet prints instead). A 20 000-problem export spends
    /// most of its load allocating those.
    Printed,
}

/// Every problem of the campaign (or of one round), with its parts, judged on `today`.
pub(crate) fn load(
    conn: &Connection,
    campaign_id: i64,
    round_id: Option<i64>,
    today: NaiveDate,
) -> Result<Vec<ProblemInfo>> {
    load_fields(conn, campaign_id, round_id, today, Fields::All)
}

/// As [`load`], reading only `fields`; what is left out reads empty.
pub(crate) fn load_fields(
    conn: &Connection,
    campaign_id: i64,
    round_id: Option<i64>,
    today: NaiveDate,
    fields: Fields,
) -> Result<Vec<ProblemInfo>> {
    let all = fields == Fields::All;
    // A column that `fields` leaves out is read as its empty value: one query shape.
    let col = |c: &'static str, empty: &'static str| if all { c } else { empty };
    let mut rows: Vec<Row> = Vec::new();
    let mut index: HashMap<i64, usize> = HashMap::new();
    {
        let mut st = conn.prepare_cached(&format!(
            "SELECT p.id, p.round_id, {}, p.seq, {}, p.kind, p.category, p.description,
                    p.indicators_text, p.requirement, p.deadline_text, p.deadline_date,
                    p.deadline_kind, {}, {}, {}
             FROM problem p JOIN round r ON r.id = p.round_id
             WHERE p.round_id IN (SELECT id FROM round WHERE campaign_id = ?1 AND (?2 IS NULL OR id = ?2))",
            col("r.name", "''"),
            col("p.source_no", "''"),
            col("p.note", "''"),
            col("p.created_at", "''"),
            col("p.updated_at", "''"),
        ))?;
        // Read in index order and sorted here: SQLite's sorter would copy every problem's
        // text once more (20 000 problems: a third of an export).
        let q = st.query_map(params![campaign_id, round_id], |r| {
            Ok(ProblemInfo {
                id: r.get(0)?,
                round_id: r.get(1)?,
                round_name: r.get(2)?,
                seq: r.get(3)?,
                source_no: r.get(4)?,
                kind: r.get(5)?,
                category: r.get(6)?,
                description: r.get(7)?,
                indicators_text: r.get(8)?,
                indicator_nos: Vec::new(),
                requirement: r.get(9)?,
                deadline_text: r.get(10)?,
                deadline_date: r.get(11)?,
                deadline_kind: r.get(12)?,
                note: r.get(13)?,
                units: Vec::new(),
                status: String::new(),
                unit_count: 0,
                done_count: 0,
                closed_count: 0,
                overdue_count: 0,
                overdue_days: None,
                progress_text: String::new(),
                created_at: r.get(14)?,
                updated_at: r.get(15)?,
            })
        })?;
        for p in q {
            rows.push(Row { info: p? });
        }
        rows.sort_by_key(|r| (r.info.round_id, r.info.seq));
        for (i, r) in rows.iter().enumerate() {
            index.insert(r.info.id, i);
        }
    }
    {
        let mut st = conn.prepare_cached(&format!(
            "SELECT pu.problem_id, pu.id, pu.unit_id, u.name, pu.status, pu.measures, pu.progress,
                    pu.completion, {}, {}, {}, {},
                    pu.position
             FROM problem p JOIN problem_unit pu ON pu.problem_id = p.id
             JOIN unit u ON u.id = pu.unit_id
             WHERE p.round_id IN (SELECT id FROM round WHERE campaign_id = ?1 AND (?2 IS NULL OR id = ?2))",
            col("pu.evidence", "''"),
            col("pu.closed_on", "NULL"),
            col("pu.close_note", "''"),
            col("pu.updated_at", "''"),
        ))?;
        let q = st.query_map(params![campaign_id, round_id], |r| {
            let evidence: String = r.get(8)?;
            Ok((
                r.get::<_, i64>(0)?,
                ProblemUnitInfo {
                    id: r.get(1)?,
                    unit_id: r.get(2)?,
                    unit_name: r.get(3)?,
                    status: r.get(4)?,
                    measures: r.get(5)?,
                    progress: r.get(6)?,
                    completion: r.get(7)?,
                    evidence: lines(&evidence),
                    closed_on: r.get(9)?,
                    close_note: r.get(10)?,
                    overdue: false,
                    overdue_days: None,
                    updated_at: r.get(11)?,
                },
                r.get::<_, i64>(12)?,
            ))
        })?;
        let mut order: Vec<Vec<(i64, i64)>> = vec![Vec::new(); rows.len()];
        for x in q {
            let (pid, part, position) = x?;
            if let Some(i) = index.get(&pid) {
                order[*i].push((position, part.id));
                rows[*i].info.units.push(part);
            }
        }
        // Each problem's units in their order (position, then as added).
        for (row, keys) in rows.iter_mut().zip(order) {
            if keys.windows(2).any(|w| w[0] > w[1]) {
                let mut parts: Vec<((i64, i64), ProblemUnitInfo)> =
                    keys.into_iter().zip(row.info.units.drain(..)).collect();
                parts.sort_by_key(|(k, _)| *k);
                row.info.units = parts.into_iter().map(|(_, p)| p).collect();
            }
        }
    }
    {
        let mut st = conn.prepare_cached(&format!(
            "SELECT pi.problem_id, i.no FROM problem p
             JOIN problem_indicator pi ON pi.problem_id = p.id
             JOIN indicator i ON i.id = pi.indicator_id
             WHERE p.round_id IN (SELECT id FROM round WHERE campaign_id = ?1 AND (?2 IS NULL OR id = ?2))
               AND i.no IS NOT NULL{}",
            col("", " AND p.indicators_text = ''"),
        ))?;
        let q = st.query_map(params![campaign_id, round_id], |r| {
            Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?))
        })?;
        for x in q {
            let (pid, no) = x?;
            if let Some(i) = index.get(&pid) {
                rows[*i].info.indicator_nos.push(no);
            }
        }
        for r in &mut rows {
            r.info.indicator_nos.sort_unstable();
        }
    }
    Ok(rows
        .into_iter()
        .map(|r| {
            let mut p = r.info;
            judge(&mut p, today);
            p
        })
        .collect())
}

/// Fill the computed fields of a problem (status, counts, 逾期) for `today`.
fn judge(p: &mut ProblemInfo, today: NaiveDate) {
    let deadline = day_of(&p.deadline_date);
    for u in &mut p.units {
        u.overdue_days = days_overdue(deadline, &u.status, today);
        u.overdue = u.overdue_days.is_some();
    }
    p.unit_count = p.units.len() as i64;
    p.done_count = p
        .units
        .iter()
        .filter(|u| u.status == STATUS_DONE || u.status == STATUS_CLOSED)
        .count() as i64;
    p.closed_count = p.units.iter().filter(|u| u.status == STATUS_CLOSED).count() as i64;
    p.overdue_count = p.units.iter().filter(|u| u.overdue).count() as i64;
    p.overdue_days = p.units.iter().filter_map(|u| u.overdue_days).max();
    p.status = aggregate_status(&p.units).to_string();
    p.progress_text = if p.units.len() > 1 {
        let mut s = format!("{}/{} 已整改", p.done_count, p.unit_count);
        if p.closed_count > 0 {
            s.push_str(&format!("，{} 个已销号", p.closed_count));
        }
        s
    } else {
        p.status.clone()
    };
}

fn aggregate_status(parts: &[ProblemUnitInfo]) -> &'static str {
    if parts.is_empty() {
        return STATUS_TODO;
    }
    if parts.iter().all(|u| u.status == STATUS_CLOSED) {
        STATUS_CLOSED
    } else if parts
        .iter()
        .all(|u| u.status == STATUS_DONE || u.status == STATUS_CLOSED)
    {
        STATUS_DONE
    } else if parts.iter().any(|u| u.status != STATUS_TODO) {
        STATUS_DOING
    } else {
        STATUS_TODO
    }
}

pub(crate) fn lines(s: &str) -> Vec<String> {
    s.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect()
}

/// Whether `p` passes `f` (the unit's part when a unit is given).
fn matches(p: &ProblemInfo, f: &ProblemFilter) -> bool {
    let parts: Vec<&ProblemUnitInfo> = match f.unit_id {
        Some(u) => p.units.iter().filter(|x| x.unit_id == u).collect(),
        None => p.units.iter().collect(),
    };
    if f.unit_id.is_some() && parts.is_empty() {
        return false;
    }
    if let Some(s) = f.status.as_deref().filter(|s| !s.is_empty())
        && !parts.iter().any(|x| x.status == s)
    {
        return false;
    }
    if f.overdue_only == Some(true) && !parts.iter().any(|x| x.overdue) {
        return false;
    }
    if let Some(no) = f.indicator_no
        && !p.indicator_nos.contains(&no)
    {
        return false;
    }
    if let Some(k) = f.kind.as_deref().filter(|s| !s.is_empty())
        && p.kind != k
    {
        return false;
    }
    if let Some(q) = f.search.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        let hay = |s: &str| s.contains(q);
        if !(hay(&p.description)
            || hay(&p.requirement)
            || hay(&p.indicators_text)
            || hay(&p.category)
            || hay(&p.round_name)
            || p.units.iter().any(|u| {
                hay(&u.unit_name) || hay(&u.measures) || hay(&u.progress) || hay(&u.completion)
            }))
        {
            return false;
        }
    }
    true
}

/// Overdue first (most days first), then open before done, then round and 序号.
fn ledger_order(a: &ProblemInfo, b: &ProblemInfo) -> std::cmp::Ordering {
    let open = |p: &ProblemInfo| p.status == STATUS_DONE || p.status == STATUS_CLOSED;
    b.overdue_days
        .unwrap_or(0)
        .cmp(&a.overdue_days.unwrap_or(0))
        .then(open(a).cmp(&open(b)))
        .then(a.round_id.cmp(&b.round_id))
        .then(a.seq.cmp(&b.seq))
}

fn check_status(s: &str) -> Result<&'static str> {
    STATUSES.iter().copied().find(|x| *x == s).ok_or_else(|| {
        Error::Invalid(format!(
            "整改状态“{s}”无效，只能是{}。",
            STATUSES.join("、")
        ))
    })
}

/// The rounds of a campaign (or only round `only`); with the problem counts as of `today`
/// when `today` is given.
pub(crate) fn rounds(
    conn: &Connection,
    campaign_id: i64,
    today: Option<NaiveDate>,
    only: Option<i64>,
) -> Result<Vec<RoundInfo>> {
    let mut st = conn.prepare(
        "SELECT id, name, kind, start_date, end_date, team, note, created_at FROM round
         WHERE campaign_id = ?1 AND (?2 IS NULL OR id = ?2) ORDER BY id",
    )?;
    let mut out: Vec<RoundInfo> = st
        .query_map(params![campaign_id, only], |r| {
            Ok(RoundInfo {
                id: r.get(0)?,
                name: r.get(1)?,
                kind: r.get(2)?,
                start_date: r.get(3)?,
                end_date: r.get(4)?,
                team: r.get(5)?,
                note: r.get(6)?,
                units: Vec::new(),
                problem_count: 0,
                common_count: 0,
                part_count: 0,
                done_count: 0,
                closed_count: 0,
                overdue_count: 0,
                created_at: r.get(7)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    let mut units = conn.prepare(
        "SELECT ru.round_id, u.id, u.name FROM round_unit ru JOIN unit u ON u.id = ru.unit_id
         JOIN round r ON r.id = ru.round_id WHERE r.campaign_id = ?1 ORDER BY u.position, u.id",
    )?;
    let mut by_round: HashMap<i64, Vec<UnitRef>> = HashMap::new();
    for x in units.query_map([campaign_id], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            UnitRef {
                id: r.get(1)?,
                name: r.get(2)?,
            },
        ))
    })? {
        let (rid, u) = x?;
        by_round.entry(rid).or_default().push(u);
    }
    let all = match today {
        Some(t) => load(conn, campaign_id, only, t)?,
        None => Vec::new(),
    };
    for r in &mut out {
        r.units = by_round.remove(&r.id).unwrap_or_default();
        for p in all.iter().filter(|p| p.round_id == r.id) {
            r.problem_count += 1;
            if p.kind == KIND_COMMON {
                r.common_count += 1;
            }
            r.part_count += p.unit_count;
            r.done_count += p.done_count;
            r.closed_count += p.closed_count;
            r.overdue_count += p.overdue_count;
        }
    }
    Ok(out)
}

/// One round with its counts.
pub(crate) fn round_of(conn: &Connection, campaign_id: i64, id: i64) -> Result<RoundInfo> {
    rounds(
        conn,
        campaign_id,
        Some(chrono::Local::now().date_naive()),
        Some(id),
    )?
    .into_iter()
    .find(|r| r.id == id)
    .ok_or_else(|| Error::NotFound(format!("督察轮次（编号 {id}）不存在。")))
}

/// One round without its counts (name, dates, units).
pub(crate) fn round_head(conn: &Connection, campaign_id: i64, id: i64) -> Result<RoundInfo> {
    rounds(conn, campaign_id, None, Some(id))?
        .into_iter()
        .find(|r| r.id == id)
        .ok_or_else(|| Error::NotFound(format!("督察轮次（编号 {id}）不存在。")))
}

/// The deadline context of a round: its dates and the year of its start (or of its name).
pub(crate) fn round_context(r: &RoundInfo) -> DeadlineContext {
    let start = day_of(&r.start_date);
    let end = day_of(&r.end_date);
    let year = start
        .map(|d| (chrono::Datelike::year(&d), "督察轮次"))
        .or_else(|| deadline::year_in(&r.name).map(|y| (y, "督察轮次名称")));
    DeadlineContext {
        year,
        round_start: start,
        round_end: end,
        today: Some(chrono::Local::now().date_naive()),
    }
}

// ---------------------------------------------------------------------------------------------
// Writing: the history and the helpers every change uses.

/// Labels of the history's field codes.
pub fn field_label(code: &str) -> &'static str {
    match code {
        "created" => "新建问题",
        "status" => "整改状态",
        "reopen" => "重新打开",
        "close" => "销号",
        "description" => "问题描述",
        "requirement" => "整改要求",
        "deadline" => "完成时限",
        "kind" => "问题类型",
        "category" => "问题类别",
        "indicators" => "所涉指标",
        "units" => "整改责任单位",
        "measures" => "整改措施",
        "progress" => "整改进展",
        "completion" => "完成情况",
        "evidence" => "佐证材料",
        "note" => "备注",
        _ => "其他",
    }
}

pub fn source_label(code: &str) -> &'static str {
    match code {
        "import" => "导入问题清单",
        "collect" => "收回问题整改表",
        "demo" => "演示数据",
        _ => "手动修改",
    }
}

/// Who is recorded as making the change (设置 → 操作人).
pub(crate) fn operator(tx: &Transaction<'_>) -> Result<String> {
    Ok(tx
        .query_row(
            "SELECT value FROM setting WHERE key = 'operator'",
            [],
            |r| r.get(0),
        )
        .optional()?
        .unwrap_or_else(|| "未设置".to_string()))
}

/// One history entry.
pub(crate) struct Event<'a> {
    pub problem_id: i64,
    pub unit_id: Option<i64>,
    pub field: &'a str,
    pub old: &'a str,
    pub new: &'a str,
    pub note: &'a str,
    pub source: &'a str,
}

pub(crate) fn record(tx: &Transaction<'_>, who: &str, at: &str, e: &Event<'_>) -> Result<()> {
    tx.prepare_cached(
        "INSERT INTO problem_event (problem_id, unit_id, at, operator, field, old, new, note, source)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?
    .execute(params![
        e.problem_id,
        e.unit_id,
        at,
        who,
        e.field,
        e.old,
        e.new,
        e.note,
        e.source
    ])?;
    Ok(())
}

/// Set the indicators of a problem from the numbers of `nos` (unknown numbers are skipped).
pub(crate) fn set_indicators(tx: &Transaction<'_>, problem_id: i64, ids: &[i64]) -> Result<()> {
    tx.prepare_cached("DELETE FROM problem_indicator WHERE problem_id = ?1")?
        .execute([problem_id])?;
    let mut ins = tx.prepare_cached(
        "INSERT OR IGNORE INTO problem_indicator (problem_id, indicator_id) VALUES (?1, ?2)",
    )?;
    for id in ids {
        ins.execute(params![problem_id, id])?;
    }
    Ok(())
}

/// The indicators a 所涉指标 text typed by hand links (numbers and places in the tree, as the
/// import reads them); one it cannot find is refused, naming it as typed.
fn linked_indicators(conn: &Connection, system_id: i64, text: &str) -> Result<Vec<i64>> {
    let found = crate::indicators::refs::IndicatorIndex::load(conn, system_id)?.resolve(text);
    if !found.unknown.is_empty() {
        return Err(Error::Invalid(format!(
            "当前指标体系中没有序号为 {} 的指标。",
            found.unknown.join("、")
        )));
    }
    Ok(found.links.into_iter().map(|l| l.0).collect())
}

/// Set a unit's status, with the 销号 date and note, recording the change in the history.
/// Returns whether anything changed.
#[allow(clippy::too_many_arguments)]
pub(crate) fn set_part_status(
    tx: &Transaction<'_>,
    who: &str,
    at: &str,
    problem_id: i64,
    unit_id: i64,
    status: &str,
    closed_on: Option<&str>,
    note: &str,
    source: &str,
) -> Result<bool> {
    let (old, old_closed): (String, Option<String>) = tx
        .prepare_cached(
            "SELECT status, closed_on FROM problem_unit WHERE problem_id = ?1 AND unit_id = ?2",
        )?
        .query_row(params![problem_id, unit_id], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?
        .ok_or_else(|| Error::NotFound("该单位不是此问题的整改责任单位。".into()))?;
    if old == status && (status != STATUS_CLOSED || old_closed.as_deref() == closed_on) {
        return Ok(false);
    }
    let (closed, close_note) = if status == STATUS_CLOSED {
        (closed_on.map(str::to_string), note.to_string())
    } else {
        (None, String::new())
    };
    tx.prepare_cached(
        "UPDATE problem_unit SET status = ?1, closed_on = ?2, close_note = ?3, updated_at = ?4
         WHERE problem_id = ?5 AND unit_id = ?6",
    )?
    .execute(params![status, closed, close_note, at, problem_id, unit_id])?;
    let field = if status == STATUS_CLOSED {
        "close"
    } else if status_rank(status) < status_rank(&old) {
        "reopen"
    } else {
        "status"
    };
    let new = match (status == STATUS_CLOSED, closed_on) {
        (true, Some(d)) => format!("{STATUS_CLOSED}（{d}）"),
        _ => status.to_string(),
    };
    record(
        tx,
        who,
        at,
        &Event {
            problem_id,
            unit_id: Some(unit_id),
            field,
            old: &old,
            new: &new,
            note,
            source,
        },
    )?;
    touch(tx, problem_id, at)?;
    Ok(true)
}

pub(crate) fn touch(tx: &Transaction<'_>, problem_id: i64, at: &str) -> Result<()> {
    tx.prepare_cached("UPDATE problem SET updated_at = ?1 WHERE id = ?2")?
        .execute(params![at, problem_id])?;
    Ok(())
}

/// Set one text field of a unit's part, recording the change. Returns whether it changed.
#[allow(clippy::too_many_arguments)]
pub(crate) fn set_part_text(
    tx: &Transaction<'_>,
    who: &str,
    at: &str,
    problem_id: i64,
    unit_id: i64,
    field: &str,
    value: &str,
    source: &str,
) -> Result<bool> {
    let col = match field {
        "measures" => "measures",
        "progress" => "progress",
        "completion" => "completion",
        "evidence" => "evidence",
        _ => return Err(Error::Invalid(format!("不能修改“{field}”。"))),
    };
    let old: String = tx
        .prepare_cached(&format!(
            "SELECT {col} FROM problem_unit WHERE problem_id = ?1 AND unit_id = ?2"
        ))?
        .query_row(params![problem_id, unit_id], |r| r.get(0))
        .optional()?
        .ok_or_else(|| Error::NotFound("该单位不是此问题的整改责任单位。".into()))?;
    if old == value {
        return Ok(false);
    }
    tx.prepare_cached(&format!(
        "UPDATE problem_unit SET {col} = ?1, updated_at = ?2 WHERE problem_id = ?3 AND unit_id = ?4"
    ))?
    .execute(params![value, at, problem_id, unit_id])?;
    record(
        tx,
        who,
        at,
        &Event {
            problem_id,
            unit_id: Some(unit_id),
            field,
            old: &old,
            new: value,
            note: "",
            source,
        },
    )?;
    touch(tx, problem_id, at)?;
    Ok(true)
}

/// How many problems name the unit (a unit with problems cannot be deleted).
pub(crate) fn parts_of_unit(conn: &Connection, unit_id: i64) -> Result<i64> {
    Ok(conn.query_row(
        "SELECT count(*) FROM problem_unit WHERE unit_id = ?1",
        [unit_id],
        |r| r.get(0),
    )?)
}

fn validate_round(input: &RoundInput) -> Result<RoundInput> {
    let mut r = input.clone();
    r.name = r.name.trim().to_string();
    if r.name.is_empty() {
        return Err(Error::Invalid(
            "请填写督察轮次名称，例如“2023年专项督察”。".into(),
        ));
    }
    if r.name.chars().count() > 80 {
        return Err(Error::Invalid(
            "督察轮次名称过长（不超过 80 个字）。".into(),
        ));
    }
    r.kind = r.kind.trim().to_string();
    if r.kind.is_empty() {
        r.kind = guess_round_kind(&r.name).to_string();
    }
    if !ROUND_KINDS.contains(&r.kind.as_str()) {
        return Err(Error::Invalid(format!(
            "轮次类型“{}”无效，只能是{}。",
            r.kind,
            ROUND_KINDS.join("、")
        )));
    }
    for (what, d) in [
        ("开始日期", &mut r.start_date),
        ("结束日期", &mut r.end_date),
    ] {
        match d.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            None => *d = None,
            Some(s) => match parse_day(s) {
                Some(day) => *d = date_text(Some(day)),
                None => {
                    return Err(Error::Invalid(format!(
                        "{what}“{s}”无效，请写作“2023-04-10”。"
                    )));
                }
            },
        }
    }
    if let (Some(a), Some(b)) = (&r.start_date, &r.end_date)
        && b < a
    {
        return Err(Error::Invalid("结束日期早于开始日期。".into()));
    }
    Ok(r)
}

/// The kind of round a name suggests ("……专项督察" → 专项督察).
pub fn guess_round_kind(name: &str) -> &'static str {
    if name.contains("实地") || name.contains("督查") {
        "实地督查"
    } else if name.contains("督察") {
        "专项督察"
    } else if name.contains("模拟") || name.contains("评估") {
        "模拟评估"
    } else if name.contains("自查") {
        "自查"
    } else {
        "其他"
    }
}

/// Insert a round (inside a write); returns its id.
pub(crate) fn insert_round(tx: &Transaction<'_>, campaign_id: i64, r: &RoundInput) -> Result<i64> {
    tx.execute(
        "INSERT INTO round (campaign_id, name, kind, start_date, end_date, team, note, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![
            campaign_id,
            r.name,
            r.kind,
            r.start_date,
            r.end_date,
            r.team,
            r.note,
            crate::store::now()
        ],
    )?;
    let id = tx.last_insert_rowid();
    for u in &r.unit_ids {
        tx.execute(
            "INSERT OR IGNORE INTO round_unit (round_id, unit_id) VALUES (?1, ?2)",
            params![id, u],
        )?;
    }
    Ok(id)
}

/// A round of the campaign by number or exact name.
pub(crate) fn find_round(conn: &Connection, campaign_id: i64, key: &str) -> Result<Option<i64>> {
    let key = key.trim();
    if let Ok(id) = key.parse::<i64>() {
        let found: Option<i64> = conn
            .query_row(
                "SELECT id FROM round WHERE campaign_id = ?1 AND id = ?2",
                params![campaign_id, id],
                |r| r.get(0),
            )
            .optional()?;
        if found.is_some() {
            return Ok(found);
        }
    }
    Ok(conn
        .query_row(
            "SELECT id FROM round WHERE campaign_id = ?1 AND name = ?2",
            params![campaign_id, key],
            |r| r.get(0),
        )
        .optional()?)
}

fn campaign_units(conn: &Connection, campaign_id: i64) -> Result<HashMap<i64, String>> {
    let mut st = conn.prepare("SELECT id, name FROM unit WHERE campaign_id = ?1")?;
    let m = st
        .query_map([campaign_id], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<HashMap<i64, String>>>()?;
    Ok(m)
}

fn normalize_kind(kind: &str, units: usize) -> Result<&'static str> {
    match kind.trim() {
        "" => Ok(if units > 1 { KIND_COMMON } else { KIND_SINGLE }),
        k if k.contains(KIND_COMMON) => Ok(KIND_COMMON),
        k if k.contains(KIND_SINGLE) => Ok(KIND_SINGLE),
        k => Err(Error::Invalid(format!(
            "问题类型“{k}”无效，只能是共性或个性。"
        ))),
    }
}

// ---------------------------------------------------------------------------------------------
// The Workspace doors.

impl Workspace {
    /// The rounds of the active campaign with their counts (逾期 as of today).
    pub fn list_rounds(&self) -> Result<Vec<RoundInfo>> {
        let conn = self.store().conn();
        let c = campaign::active(conn)?;
        rounds(conn, c.id, Some(chrono::Local::now().date_naive()), None)
    }

    /// A round by number or exact name.
    pub fn round_by_key(&self, key: &str) -> Result<RoundInfo> {
        let conn = self.store().conn();
        let c = campaign::active(conn)?;
        let id = find_round(conn, c.id, key)?
            .ok_or_else(|| Error::NotFound(format!("没有名为（或编号为）“{key}”的督察轮次。")))?;
        round_of(conn, c.id, id)
    }

    /// Create or change a round.
    pub fn save_round(&mut self, input: &RoundInput) -> Result<RoundInfo> {
        let conn = self.store().conn();
        let c = campaign::active(conn)?;
        let r = validate_round(input)?;
        let units = campaign_units(conn, c.id)?;
        if let Some(bad) = r.unit_ids.iter().find(|u| !units.contains_key(u)) {
            return Err(Error::NotFound(format!(
                "单位（编号 {bad}）不在当前项目中。"
            )));
        }
        let same_name: Option<i64> = conn
            .query_row(
                "SELECT id FROM round WHERE campaign_id = ?1 AND name = ?2",
                params![c.id, r.name],
                |x| x.get(0),
            )
            .optional()?;
        if same_name.is_some_and(|other| Some(other) != r.id) {
            return Err(Error::Invalid(format!("督察轮次“{}”已存在。", r.name)));
        }
        let name = r.name.clone();
        let id = match r.id {
            None => self.store_mut().write(
                Action::AddRound,
                |_| name,
                |tx| insert_round(tx, c.id, &r),
            )?,
            Some(id) => {
                round_of(self.store().conn(), c.id, id)?;
                self.store_mut().write(Action::EditRound, |_| name, |tx| {
                    tx.execute(
                        "UPDATE round SET name = ?1, kind = ?2, start_date = ?3, end_date = ?4,
                           team = ?5, note = ?6 WHERE id = ?7",
                        params![r.name, r.kind, r.start_date, r.end_date, r.team, r.note, id],
                    )?;
                    // Units named in problems stay inspected.
                    tx.execute(
                        "DELETE FROM round_unit WHERE round_id = ?1 AND unit_id NOT IN (
                           SELECT pu.unit_id FROM problem_unit pu JOIN problem p ON p.id = pu.problem_id
                           WHERE p.round_id = ?1)",
                        [id],
                    )?;
                    for u in &r.unit_ids {
                        tx.execute(
                            "INSERT OR IGNORE INTO round_unit (round_id, unit_id) VALUES (?1, ?2)",
                            params![id, u],
                        )?;
                    }
                    Ok(id)
                })?
            }
        };
        round_of(self.store().conn(), c.id, id)
    }

    /// Delete a round that has no problems.
    pub fn delete_round(&mut self, id: i64) -> Result<()> {
        let conn = self.store().conn();
        let c = campaign::active(conn)?;
        let r = round_of(conn, c.id, id)?;
        if r.problem_count > 0 {
            return Err(Error::Invalid(format!(
                "督察轮次“{}”下有 {} 个问题，不能删除。",
                r.name, r.problem_count
            )));
        }
        let name = r.name.clone();
        self.store_mut().write(
            Action::DeleteRound,
            |_| name,
            |tx| {
                tx.execute("DELETE FROM round WHERE id = ?1", [id])?;
                Ok(())
            },
        )
    }

    /// A unit of the active campaign by number, name, 简称 or 别名 (a unique guess is accepted).
    pub fn unit_by_key(&self, key: &str) -> Result<crate::units::UnitInfo> {
        let conn = self.store().conn();
        let c = campaign::active(conn)?;
        let units = crate::units::list(conn, c.id)?;
        let key = key.trim();
        if let Ok(id) = key.parse::<i64>()
            && let Some(u) = units.iter().find(|u| u.id == id)
        {
            return Ok(u.clone());
        }
        let dir = crate::units::Directory::load(conn, c.id, &c.district)?;
        let id = match dir.resolve(key) {
            crate::units::NameMatch::Exact(id) | crate::units::NameMatch::Guess(id, _) => Some(id),
            _ => None,
        };
        id.and_then(|id| units.into_iter().find(|u| u.id == id))
            .ok_or_else(|| Error::NotFound(format!("单位名单中没有“{key}”。")))
    }

    /// The problem ledger, filtered, 逾期 first.
    pub fn list_problems(&self, filter: &ProblemFilter) -> Result<Vec<ProblemInfo>> {
        let conn = self.store().conn();
        let c = campaign::active(conn)?;
        if let Some(s) = filter.status.as_deref().filter(|s| !s.is_empty()) {
            check_status(s)?;
        }
        let today = today_of(filter.today.as_deref())?;
        let mut v: Vec<ProblemInfo> = load(conn, c.id, filter.round_id, today)?
            .into_iter()
            .filter(|p| matches(p, filter))
            .collect();
        v.sort_by(ledger_order);
        Ok(v)
    }

    /// One problem with its history, newest first.
    pub fn problem_detail(&self, id: i64, today: Option<&str>) -> Result<ProblemDetail> {
        let conn = self.store().conn();
        let c = campaign::active(conn)?;
        let today = today_of(today)?;
        let round_id: i64 = conn
            .query_row(
                "SELECT p.round_id FROM problem p JOIN round r ON r.id = p.round_id
                 WHERE p.id = ?1 AND r.campaign_id = ?2",
                params![id, c.id],
                |r| r.get(0),
            )
            .optional()?
            .ok_or_else(|| Error::NotFound(format!("问题（编号 {id}）不存在。")))?;
        let problem = load(conn, c.id, Some(round_id), today)?
            .into_iter()
            .find(|p| p.id == id)
            .ok_or_else(|| Error::NotFound(format!("问题（编号 {id}）不存在。")))?;
        let mut st = conn.prepare(
            "SELECT e.id, e.problem_id, e.unit_id, u.name, e.at, e.operator, e.field, e.old, e.new,
                    e.note, e.source
             FROM problem_event e LEFT JOIN unit u ON u.id = e.unit_id
             WHERE e.problem_id = ?1 ORDER BY e.id DESC",
        )?;
        let history = st
            .query_map([id], |r| {
                let field: String = r.get(6)?;
                let source: String = r.get(10)?;
                Ok(ProblemEvent {
                    id: r.get(0)?,
                    problem_id: r.get(1)?,
                    unit_id: r.get(2)?,
                    unit_name: r.get(3)?,
                    at: r.get(4)?,
                    operator: r.get(5)?,
                    field_label: field_label(&field).to_string(),
                    field,
                    old: r.get(7)?,
                    new: r.get(8)?,
                    note: r.get(9)?,
                    source_label: source_label(&source).to_string(),
                    source,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(ProblemDetail { problem, history })
    }

    fn problem_now(&self, id: i64) -> Result<ProblemInfo> {
        Ok(self.problem_detail(id, None)?.problem)
    }

    /// Add a problem to a round by hand.
    pub fn add_problem(&mut self, input: &ProblemInput) -> Result<ProblemInfo> {
        let conn = self.store().conn();
        let c = campaign::active(conn)?;
        let round = round_of(conn, c.id, input.round_id)?;
        let description = input.description.trim().to_string();
        if description.is_empty() {
            return Err(Error::Invalid("请填写问题描述。".into()));
        }
        let units = campaign_units(conn, c.id)?;
        let mut unit_ids: Vec<i64> = Vec::new();
        for u in &input.unit_ids {
            if !units.contains_key(u) {
                return Err(Error::NotFound(format!("单位（编号 {u}）不在当前项目中。")));
            }
            if !unit_ids.contains(u) {
                unit_ids.push(*u);
            }
        }
        if unit_ids.is_empty() {
            return Err(Error::Invalid("请至少选择一个整改责任单位。".into()));
        }
        let kind = normalize_kind(&input.kind, unit_ids.len())?;
        let ind_ids = linked_indicators(conn, c.system_id, &input.indicators_text)?;
        let d = deadline::parse(&input.deadline_text, None, &round_context(&round));
        let detail = format!("{}：{}", round.name, short(&description));
        let id = self.store_mut().write(Action::AddProblem, |_| detail, |tx| {
            let who = operator(tx)?;
            let at = crate::store::now();
            let seq: i64 = tx.query_row(
                "SELECT coalesce(max(seq), 0) + 1 FROM problem WHERE round_id = ?1",
                [round.id],
                |r| r.get(0),
            )?;
            tx.execute(
                "INSERT INTO problem (round_id, seq, kind, category, source_no, description,
                   indicators_text, requirement, deadline_text, deadline_date, deadline_kind, note,
                   created_at, updated_at)
                 VALUES (?1, ?2, ?3, ?4, '', ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?12)",
                params![
                    round.id,
                    seq,
                    kind,
                    input.category.trim(),
                    description,
                    input.indicators_text.trim(),
                    input.requirement.trim(),
                    d.text,
                    d.date_text(),
                    d.kind.code(),
                    input.note.trim(),
                    at
                ],
            )?;
            let pid = tx.last_insert_rowid();
            set_indicators(tx, pid, &ind_ids)?;
            for (i, u) in unit_ids.iter().enumerate() {
                tx.execute(
                    "INSERT INTO problem_unit (problem_id, unit_id, position, updated_at) VALUES (?1, ?2, ?3, ?4)",
                    params![pid, u, i as i64, at],
                )?;
                tx.execute(
                    "INSERT OR IGNORE INTO round_unit (round_id, unit_id) VALUES (?1, ?2)",
                    params![round.id, u],
                )?;
            }
            record(
                tx,
                &who,
                &at,
                &Event {
                    problem_id: pid,
                    unit_id: None,
                    field: "created",
                    old: "",
                    new: "手动新增",
                    note: "",
                    source: "manual",
                },
            )?;
            Ok(pid)
        })?;
        self.problem_now(id)
    }

    /// Change a problem's text, deadline or units; every changed field is kept in the history.
    pub fn edit_problem(&mut self, edit: &ProblemEdit) -> Result<ProblemInfo> {
        let before = self.problem_now(edit.id)?;
        let conn = self.store().conn();
        let c = campaign::active(conn)?;
        let round = round_of(conn, c.id, before.round_id)?;
        let reason = edit.reason.clone().unwrap_or_default();
        let mut changes: Vec<(&str, String, String)> = Vec::new();
        let text = |v: &Option<String>| v.as_ref().map(|s| s.trim().to_string());
        if let Some(d) = text(&edit.description) {
            if d.is_empty() {
                return Err(Error::Invalid("问题描述不能为空。".into()));
            }
            changes.push(("description", before.description.clone(), d));
        }
        if let Some(v) = text(&edit.requirement) {
            changes.push(("requirement", before.requirement.clone(), v));
        }
        if let Some(v) = text(&edit.category) {
            changes.push(("category", before.category.clone(), v));
        }
        if let Some(v) = text(&edit.note) {
            changes.push(("note", before.note.clone(), v));
        }
        if let Some(v) = text(&edit.kind) {
            let k = normalize_kind(&v, before.units.len())?;
            changes.push(("kind", before.kind.clone(), k.to_string()));
        }
        let mut ind_ids: Option<Vec<i64>> = None;
        if let Some(v) = text(&edit.indicators_text) {
            ind_ids = Some(linked_indicators(conn, c.system_id, &v)?);
            changes.push(("indicators", before.indicators_text.clone(), v));
        }
        let mut deadline = None;
        if let Some(v) = text(&edit.deadline_text) {
            let d = deadline::parse(&v, None, &round_context(&round));
            changes.push(("deadline", before.deadline_text.clone(), v));
            deadline = Some(d);
        }
        // Units: additions and untouched removals.
        let mut add_units: Vec<i64> = Vec::new();
        let mut remove_units: Vec<i64> = Vec::new();
        if let Some(ids) = &edit.unit_ids {
            let units = campaign_units(conn, c.id)?;
            for u in ids {
                if !units.contains_key(u) {
                    return Err(Error::NotFound(format!("单位（编号 {u}）不在当前项目中。")));
                }
                if !before.units.iter().any(|x| x.unit_id == *u) && !add_units.contains(u) {
                    add_units.push(*u);
                }
            }
            for part in &before.units {
                if !ids.contains(&part.unit_id) {
                    let touched = part.status != STATUS_TODO
                        || !part.measures.is_empty()
                        || !part.progress.is_empty()
                        || !part.completion.is_empty()
                        || !part.evidence.is_empty();
                    if touched {
                        return Err(Error::Invalid(format!(
                            "“{}”已有整改记录（{}），不能从整改责任单位中移除。",
                            part.unit_name, part.status
                        )));
                    }
                    remove_units.push(part.unit_id);
                }
            }
            if ids.is_empty() {
                return Err(Error::Invalid("请至少保留一个整改责任单位。".into()));
            }
        }
        changes.retain(|(_, old, new)| old != new);
        if changes.is_empty() && add_units.is_empty() && remove_units.is_empty() {
            return Ok(before);
        }
        let units_old = before
            .units
            .iter()
            .map(|u| u.unit_name.clone())
            .collect::<Vec<_>>()
            .join("、");
        let detail = format!(
            "{} 第{}号：{}",
            round.name,
            before.seq,
            changes
                .iter()
                .map(|(f, _, _)| field_label(f))
                .chain(
                    (!add_units.is_empty() || !remove_units.is_empty()).then_some("整改责任单位")
                )
                .collect::<Vec<_>>()
                .join("、")
        );
        let pid = before.id;
        self.store_mut().write(Action::EditProblem, |_| detail, |tx| {
            let who = operator(tx)?;
            let at = crate::store::now();
            for (field, old, new) in &changes {
                let col = match *field {
                    "description" => "description",
                    "requirement" => "requirement",
                    "category" => "category",
                    "note" => "note",
                    "kind" => "kind",
                    "indicators" => "indicators_text",
                    "deadline" => "deadline_text",
                    _ => continue,
                };
                tx.execute(
                    &format!("UPDATE problem SET {col} = ?1, updated_at = ?2 WHERE id = ?3"),
                    params![new, at, pid],
                )?;
                record(
                    tx,
                    &who,
                    &at,
                    &Event { problem_id: pid, unit_id: None, field, old, new, note: &reason, source: "manual" },
                )?;
            }
            if let Some(d) = &deadline {
                tx.execute(
                    "UPDATE problem SET deadline_date = ?1, deadline_kind = ?2 WHERE id = ?3",
                    params![d.date_text(), d.kind.code(), pid],
                )?;
            }
            if let Some(ids) = &ind_ids {
                set_indicators(tx, pid, ids)?;
            }
            let next: i64 = tx.query_row(
                "SELECT coalesce(max(position), -1) + 1 FROM problem_unit WHERE problem_id = ?1",
                [pid],
                |r| r.get(0),
            )?;
            for (i, u) in add_units.iter().enumerate() {
                tx.execute(
                    "INSERT INTO problem_unit (problem_id, unit_id, position, updated_at) VALUES (?1, ?2, ?3, ?4)",
                    params![pid, u, next + i as i64, at],
                )?;
                tx.execute(
                    "INSERT OR IGNORE INTO round_unit (round_id, unit_id) VALUES (?1, ?2)",
                    params![round.id, u],
                )?;
            }
            for u in &remove_units {
                tx.execute(
                    "DELETE FROM problem_unit WHERE problem_id = ?1 AND unit_id = ?2",
                    params![pid, u],
                )?;
            }
            if !add_units.is_empty() || !remove_units.is_empty() {
                let names: Vec<String> = tx
                    .prepare(
                        "SELECT u.name FROM problem_unit pu JOIN unit u ON u.id = pu.unit_id
                         WHERE pu.problem_id = ?1 ORDER BY pu.position, pu.id",
                    )?
                    .query_map([pid], |r| r.get(0))?
                    .collect::<rusqlite::Result<_>>()?;
                record(
                    tx,
                    &who,
                    &at,
                    &Event {
                        problem_id: pid,
                        unit_id: None,
                        field: "units",
                        old: &units_old,
                        new: &names.join("、"),
                        note: &reason,
                        source: "manual",
                    },
                )?;
                touch(tx, pid, &at)?;
            }
            Ok(())
        })?;
        self.problem_now(pid)
    }

    /// Change what a unit wrote for its part (整改措施, 整改进展, 完成情况, evidence).
    pub fn edit_problem_part(&mut self, edit: &PartEdit) -> Result<ProblemInfo> {
        let before = self.problem_now(edit.problem_id)?;
        let part = before
            .units
            .iter()
            .find(|u| u.unit_id == edit.unit_id)
            .ok_or_else(|| Error::NotFound("该单位不是此问题的整改责任单位。".into()))?;
        let mut sets: Vec<(&str, String)> = Vec::new();
        for (field, v) in [
            ("measures", &edit.measures),
            ("progress", &edit.progress),
            ("completion", &edit.completion),
        ] {
            if let Some(v) = v {
                sets.push((field, crate::text::clean_cell(v)));
            }
        }
        if let Some(ev) = &edit.evidence {
            let v: Vec<String> = ev
                .iter()
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty())
                .collect();
            sets.push(("evidence", v.join("\n")));
        }
        let detail = format!(
            "{} 第{}号：{}",
            before.round_name, before.seq, part.unit_name
        );
        let pid = before.id;
        let uid = edit.unit_id;
        self.store_mut().write(
            Action::EditProblem,
            |_| detail,
            |tx| {
                let who = operator(tx)?;
                let at = crate::store::now();
                for (field, v) in &sets {
                    set_part_text(tx, &who, &at, pid, uid, field, v, "manual")?;
                }
                Ok(())
            },
        )?;
        self.problem_now(pid)
    }

    /// Change the status of one unit's part or of every part; 已销号 with its date. Reopening
    /// (leaving 已销号, or going back from 已整改待核验) is allowed and recorded as such.
    pub fn set_problem_status(&mut self, change: &StatusChange) -> Result<ProblemInfo> {
        let before = self.problem_now(change.problem_id)?;
        let status = check_status(change.status.trim())?;
        let closed_on = match change
            .closed_on
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            Some(s) => Some(date_text(parse_day(s)).ok_or_else(|| {
                Error::Invalid(format!("销号日期“{s}”无效，请写作“2023-06-30”。"))
            })?),
            None => None,
        };
        if status == STATUS_CLOSED && closed_on.is_none() {
            return Err(Error::Invalid("销号需要填写销号日期。".into()));
        }
        let parts: Vec<&ProblemUnitInfo> = match change.unit_id {
            Some(u) => vec![
                before
                    .units
                    .iter()
                    .find(|x| x.unit_id == u)
                    .ok_or_else(|| Error::NotFound("该单位不是此问题的整改责任单位。".into()))?,
            ],
            None => before.units.iter().collect(),
        };
        let note = change.note.clone().unwrap_or_default().trim().to_string();
        let reopening = parts
            .iter()
            .any(|p| status_rank(status) < status_rank(&p.status));
        let action = if status == STATUS_CLOSED {
            Action::CloseProblem
        } else {
            Action::SetProblemStatus
        };
        let who_parts = if parts.len() == before.units.len() && parts.len() > 1 {
            format!("全部 {} 个单位", parts.len())
        } else {
            parts
                .iter()
                .map(|p| p.unit_name.clone())
                .collect::<Vec<_>>()
                .join("、")
        };
        let detail = format!(
            "{} 第{}号（{}）：{}{}",
            before.round_name,
            before.seq,
            who_parts,
            if reopening { "重新打开为" } else { "" },
            status
        );
        let pid = before.id;
        let ids: Vec<i64> = parts.iter().map(|p| p.unit_id).collect();
        self.store_mut().write(
            action,
            |_| detail,
            |tx| {
                let who = operator(tx)?;
                let at = crate::store::now();
                for u in &ids {
                    set_part_status(
                        tx,
                        &who,
                        &at,
                        pid,
                        *u,
                        status,
                        closed_on.as_deref(),
                        &note,
                        "manual",
                    )?;
                }
                Ok(())
            },
        )?;
        self.problem_now(pid)
    }

    /// The units of a round (or of every round) by open and overdue problems: most overdue
    /// first, then most open, then the lowest share done.
    pub fn problem_league(
        &self,
        round_id: Option<i64>,
        today: Option<&str>,
    ) -> Result<Vec<UnitStanding>> {
        let conn = self.store().conn();
        let c = campaign::active(conn)?;
        let today = today_of(today)?;
        let units = crate::units::list(conn, c.id)?;
        Ok(league(&units, &load(conn, c.id, round_id, today)?))
    }
}

/// The league table of `problems` (loaded with [`load`]) over the campaign's `units`: see
/// [`Workspace::problem_league`].
pub(crate) fn league(
    units: &[crate::units::UnitInfo],
    problems: &[ProblemInfo],
) -> Vec<UnitStanding> {
    let mut by_unit: HashMap<i64, UnitStanding> = HashMap::new();
    for p in problems {
        for part in &p.units {
            let s = by_unit.entry(part.unit_id).or_insert_with(|| UnitStanding {
                unit_id: part.unit_id,
                unit_name: part.unit_name.clone(),
                unit_kind: units
                    .iter()
                    .find(|u| u.id == part.unit_id)
                    .map(|u| u.kind.clone())
                    .unwrap_or_default(),
                total: 0,
                todo: 0,
                doing: 0,
                done: 0,
                closed: 0,
                open: 0,
                overdue: 0,
                done_rate: 0.0,
            });
            s.total += 1;
            match part.status.as_str() {
                STATUS_TODO => s.todo += 1,
                STATUS_DOING => s.doing += 1,
                STATUS_DONE => s.done += 1,
                _ => s.closed += 1,
            }
            if part.overdue {
                s.overdue += 1;
            }
        }
    }
    let position: HashMap<i64, usize> = units.iter().enumerate().map(|(i, u)| (u.id, i)).collect();
    let mut v: Vec<UnitStanding> = by_unit
        .into_values()
        .map(|mut s| {
            s.open = s.todo + s.doing;
            s.done_rate = if s.total > 0 {
                ((s.done + s.closed) as f64 * 1000.0 / s.total as f64).round() / 10.0
            } else {
                0.0
            };
            s
        })
        .collect();
    v.sort_by(|a, b| {
        b.overdue
            .cmp(&a.overdue)
            .then(b.open.cmp(&a.open))
            .then(a.done_rate.total_cmp(&b.done_rate))
            .then(position.get(&a.unit_id).cmp(&position.get(&b.unit_id)))
    });
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn office_status_words_map_to_ours() {
        assert_eq!(parse_status("未启动"), Some(STATUS_TODO));
        assert_eq!(parse_status("正在整改"), Some(STATUS_DOING));
        assert_eq!(parse_status("部分整改"), Some(STATUS_DOING));
        assert_eq!(parse_status("已整改"), Some(STATUS_DONE));
        assert_eq!(parse_status("已销号"), Some(STATUS_CLOSED));
        assert_eq!(parse_status("整改中（已整改 12/18）"), Some(STATUS_DOING));
        assert_eq!(parse_status("看情况"), None);
        assert_eq!(parse_status(""), None);
    }

    fn part(status: &str) -> ProblemUnitInfo {
        ProblemUnitInfo {
            id: 0,
            unit_id: 0,
            unit_name: String::new(),
            status: status.into(),
            measures: String::new(),
            progress: String::new(),
            completion: String::new(),
            evidence: Vec::new(),
            closed_on: None,
            close_note: String::new(),
            overdue: false,
            overdue_days: None,
            updated_at: String::new(),
        }
    }

    #[test]
    fn a_common_problem_is_done_when_every_unit_is() {
        let v = |s: &[&str]| aggregate_status(&s.iter().map(|x| part(x)).collect::<Vec<_>>());
        assert_eq!(v(&["待整改", "待整改"]), STATUS_TODO);
        assert_eq!(v(&["待整改", "已整改待核验"]), STATUS_DOING);
        assert_eq!(v(&["已销号", "已整改待核验"]), STATUS_DONE);
        assert_eq!(v(&["已销号", "已销号"]), STATUS_CLOSED);
    }

    #[test]
    fn days_are_read_as_offices_write_them() {
        for s in ["2023-06-01", "2023/6/1", "2023.6.1", "2023年6月1日"] {
            assert_eq!(
                date_text(parse_day(s)).as_deref(),
                Some("2023-06-01"),
                "{s}"
            );
        }
        assert_eq!(parse_day("6月1日"), None);
    }
}
