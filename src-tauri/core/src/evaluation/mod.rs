//! 模拟评估 (Evaluation): rounds of mock evaluation (模拟评估一、二 …) and the official result
//! when it arrives, the expert team (姓名、单位、专业) and which expert scores which indicators,
//! the experts' marks (in the app or on per-expert scoring sheets sent out and collected back),
//! 案卷评查, 附加项 and the office's 否决项 list; the results: total and per-aspect scores, where
//! the points are lost and who leads the fix.
//!
//! Submodules: [`points`] (exact fixed-point scores), [`compute`] (the arithmetic of rules,
//! marks, picks and case files), [`model`] (the scoring model of a campaign: 分值 from the
//! system or the office's scale, grade scoring, rules, 否决项, composite weights), [`results`],
//! [`sheets`] (per-expert 评分表 export) and [`collect`] (collecting them back), [`scale`] (the
//! office's 分值表 import), [`demo`].
//!
//! What is not published (work-documents.md §6): official 分值, weights and veto lists. So the
//! scale, the weights and the veto list are the office's own data; results on a scale the office
//! set are labelled 参考; a triggered 否决项 flags the round and never changes a number.

pub mod collect;
pub mod compute;
pub mod demo;
pub mod headings;
pub mod model;
pub mod points;
pub mod results;
pub mod scale;
pub mod sheets;

use std::collections::{HashMap, HashSet};

use rusqlite::{Connection, OptionalExtension, Transaction, params};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::action::Action;
use crate::campaign;
use crate::error::{Error, Result};
use crate::indicators;
use crate::model::IndicatorLeaf;
use crate::sheet::layout::short;
use crate::workspace::Workspace;

pub use collect::ScoreSheetsImport;
pub use compute::{Grade, GradeShares, RuleKind, RuleUse, ScoreSource};
pub use points::Points;
pub use results::{EvalResults, ProblemDraft, deductions_for_problems};
pub use scale::ScaleImport;

/// Kind of a round.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum RoundKind {
    /// 模拟评估 (the district's own, with a hired expert team).
    Mock,
    /// 正式评估结果 (the official result, entered when it arrives).
    Official,
}

impl RoundKind {
    pub const ALL: [RoundKind; 2] = [RoundKind::Mock, RoundKind::Official];

    pub fn code(self) -> &'static str {
        match self {
            RoundKind::Mock => "mock",
            RoundKind::Official => "official",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            RoundKind::Mock => "模拟评估",
            RoundKind::Official => "正式评估结果",
        }
    }

    fn from_code(s: &str) -> RoundKind {
        if s == "official" {
            RoundKind::Official
        } else {
            RoundKind::Mock
        }
    }
}

/// 群众满意度测评 of a round: a rate (%) with its sample size, method and period, kept apart
/// from the 分值 unless the office gives it a weight in the composite.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Satisfaction {
    /// 满意率 in percent (91.09 for 91.09%).
    #[serde(default)]
    pub rate: Option<Points>,
    /// 样本量.
    #[ts(type = "number | null")]
    #[serde(default)]
    pub sample: Option<i64>,
    /// 测评方式, e.g. "12340 电话调查".
    #[serde(default)]
    pub method: String,
    /// 测评时段, e.g. "2025年10月10日—11月20日".
    #[serde(default)]
    pub period: String,
}

/// 评估轮次: 模拟评估一、二 … or the official result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct EvalRound {
    #[ts(type = "number")]
    pub id: i64,
    /// "模拟评估一".
    pub name: String,
    pub kind: RoundKind,
    /// Order of the rounds (1, 2, …): "previous round" in comparisons.
    #[ts(type = "number")]
    pub position: i64,
    /// 评估时间 as written ("2025年9月").
    pub held_on: String,
    pub note: String,
    /// 实地评估 score out of 100, when the round had one.
    pub site_score: Option<Points>,
    pub site_note: String,
    pub satisfaction: Satisfaction,
    /// Experts with indicators to score in this round.
    #[ts(type = "number")]
    pub expert_count: i64,
    /// Marks entered (by experts or the office).
    #[ts(type = "number")]
    pub mark_count: i64,
    pub created_at: String,
}

/// Input of 新增/修改评估轮次.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct EvalRoundInput {
    /// None: a new round.
    #[ts(type = "number | null")]
    #[serde(default)]
    pub id: Option<i64>,
    pub name: String,
    #[serde(default = "mock")]
    pub kind: RoundKind,
    #[serde(default)]
    pub held_on: String,
    #[serde(default)]
    pub note: String,
    #[serde(default)]
    pub site_score: Option<Points>,
    #[serde(default)]
    pub site_note: String,
    #[serde(default)]
    pub satisfaction: Satisfaction,
}

fn mock() -> RoundKind {
    RoundKind::Mock
}

impl EvalRoundInput {
    /// A new mock round named `name`.
    pub fn named(name: &str) -> EvalRoundInput {
        EvalRoundInput {
            id: None,
            name: name.into(),
            kind: RoundKind::Mock,
            held_on: String::new(),
            note: String::new(),
            site_score: None,
            site_note: String::new(),
            satisfaction: Satisfaction::default(),
        }
    }
}

/// 评估专家: one member of the expert team.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Expert {
    #[ts(type = "number")]
    pub id: i64,
    /// 姓名.
    pub name: String,
    /// 单位, e.g. "湖北大学法学院".
    pub org: String,
    /// 专业 / 职称, e.g. "行政法学 教授".
    pub field: String,
    pub phone: String,
    pub note: String,
}

/// Input of 新增/修改专家.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ExpertInput {
    #[ts(type = "number | null")]
    #[serde(default)]
    pub id: Option<i64>,
    pub name: String,
    #[serde(default)]
    pub org: String,
    #[serde(default)]
    pub field: String,
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub note: String,
}

/// Which indicators one expert scores in a round.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ExpertAssignment {
    #[ts(type = "number")]
    pub expert_id: i64,
    pub expert_name: String,
    pub org: String,
    #[ts(type = "Array<number>")]
    pub indicator_ids: Vec<i64>,
    /// The indicators' numbers, in order.
    #[ts(type = "Array<number>")]
    pub nos: Vec<i64>,
    /// "1—12、15" as printed.
    pub ranges: String,
}

/// What produced a mark.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum MarkSource {
    /// Entered in the app.
    App,
    /// Collected from the expert's scoring sheet.
    Sheet,
}

impl MarkSource {
    pub const ALL: [MarkSource; 2] = [MarkSource::App, MarkSource::Sheet];

    /// Where the mark came from, as the grid says it.
    pub fn label(self) -> &'static str {
        match self {
            MarkSource::App => "应用内录入",
            MarkSource::Sheet => "评分表",
        }
    }
}

/// How a mark was given.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum EntryKind {
    Score,
    Deduction,
    Grade,
    Rules,
}

impl EntryKind {
    fn code(self) -> &'static str {
        match self {
            EntryKind::Score => "score",
            EntryKind::Deduction => "deduction",
            EntryKind::Grade => "grade",
            EntryKind::Rules => "rules",
        }
    }

    fn from_code(s: &str) -> EntryKind {
        match s {
            "deduction" => EntryKind::Deduction,
            "grade" => EntryKind::Grade,
            "rules" => EntryKind::Rules,
            _ => EntryKind::Score,
        }
    }
}

/// One expert's (or the office's) mark for one indicator in a round, with what it is worth
/// under the indicator's current 分值.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Mark {
    /// None: entered by the office (依法治区办录入; the official result of an official round).
    #[ts(type = "number | null")]
    pub expert_id: Option<i64>,
    pub expert_name: String,
    pub entry: EntryKind,
    /// What was entered: the score or the deduction (None for a grade or rules).
    pub value: Option<Points>,
    pub grade: Option<Grade>,
    pub rules: Vec<RuleUse>,
    /// Worth under the 分值: score + deduction = 分值 (None when the indicator has no 分值).
    pub score: Option<Points>,
    pub deduction: Option<Points>,
    /// The entry did not fit the 分值 (changed since): clamped.
    pub clamped: bool,
    /// 扣分理由.
    pub reason: String,
    /// 采用的测评方式 (材料查证、网络检索 …).
    pub method: String,
    /// 查阅的佐证材料.
    pub evidence: String,
    pub note: String,
    pub source: MarkSource,
    pub updated_at: String,
}

/// Input of 录入评分: exactly one of `score`, `deduction`, `grade`, `rules`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct MarkInput {
    #[ts(type = "number")]
    pub round_id: i64,
    #[ts(type = "number")]
    pub indicator_id: i64,
    /// None: the office's own mark.
    #[ts(type = "number | null")]
    #[serde(default)]
    pub expert_id: Option<i64>,
    #[serde(default)]
    pub score: Option<Points>,
    #[serde(default)]
    pub deduction: Option<Points>,
    #[serde(default)]
    pub grade: Option<Grade>,
    #[serde(default)]
    pub rules: Vec<RuleUse>,
    #[serde(default)]
    pub reason: String,
    #[serde(default)]
    pub method: String,
    #[serde(default)]
    pub evidence: String,
    #[serde(default)]
    pub note: String,
}

/// The office's choice for an indicator several experts scored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct PickInput {
    #[ts(type = "number")]
    pub round_id: i64,
    #[ts(type = "number")]
    pub indicator_id: i64,
    /// "expert" (with `expertId`), "average", or null to undo the choice.
    #[serde(default)]
    pub choice: Option<String>,
    #[ts(type = "number | null")]
    #[serde(default)]
    pub expert_id: Option<i64>,
}

/// 否决项: one condition of the office's list ("发生重大违法行政决策事件" …).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct VetoItem {
    #[ts(type = "number")]
    pub id: i64,
    pub text: String,
    /// The indicator it belongs to, if any.
    #[ts(type = "number | null")]
    pub indicator_id: Option<i64>,
    #[ts(type = "number | null")]
    pub indicator_no: Option<i64>,
    pub note: String,
}

/// Input of one 否决项 (the list is saved as a whole).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct VetoInput {
    #[ts(type = "number | null")]
    #[serde(default)]
    pub id: Option<i64>,
    pub text: String,
    #[ts(type = "number | null")]
    #[serde(default)]
    pub indicator_id: Option<i64>,
    #[serde(default)]
    pub note: String,
}

/// A 否决项 triggered in a round.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct VetoHit {
    #[ts(type = "number")]
    pub veto_id: i64,
    pub text: String,
    /// What happened (the office's note).
    pub note: String,
}

/// 附加项: one item added or taken off outside the base total.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct BonusItem {
    #[ts(type = "number")]
    pub id: i64,
    #[ts(type = "number")]
    pub round_id: i64,
    pub text: String,
    /// Positive adds (加分), negative takes off (扣分).
    pub points: Points,
    pub note: String,
}

/// Input of one 附加项.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct BonusInput {
    #[ts(type = "number | null")]
    #[serde(default)]
    pub id: Option<i64>,
    #[ts(type = "number")]
    pub round_id: i64,
    pub text: String,
    pub points: Points,
    #[serde(default)]
    pub note: String,
}

/// 案卷评查: one reviewed case file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct CaseFile {
    #[ts(type = "number")]
    pub id: i64,
    #[ts(type = "number")]
    pub round_id: i64,
    #[ts(type = "number | null")]
    pub unit_id: Option<i64>,
    /// The unit's name (kept when the unit is deleted later).
    pub unit_name: String,
    /// 案卷号, e.g. "曾司罚决字〔2025〕12号".
    pub case_no: String,
    /// 案卷类型: 行政处罚 / 行政许可 / 行政强制 / 行政检查 / 行政复议 …
    pub case_type: String,
    /// Score on the 评查 checklist, out of `full`.
    pub score: Points,
    pub full: Points,
    /// 得分率 (%).
    pub rate: Points,
    /// 发现的问题.
    pub problems: String,
    /// The indicator it counts into.
    #[ts(type = "number | null")]
    pub indicator_id: Option<i64>,
    #[ts(type = "number | null")]
    pub indicator_no: Option<i64>,
    /// 评查人.
    pub reviewer: String,
}

/// Input of one reviewed case file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct CaseInput {
    #[ts(type = "number | null")]
    #[serde(default)]
    pub id: Option<i64>,
    #[ts(type = "number")]
    pub round_id: i64,
    #[ts(type = "number | null")]
    #[serde(default)]
    pub unit_id: Option<i64>,
    pub case_no: String,
    #[serde(default)]
    pub case_type: String,
    pub score: Points,
    /// Default 100.
    #[serde(default)]
    pub full: Option<Points>,
    #[serde(default)]
    pub problems: String,
    #[ts(type = "number | null")]
    #[serde(default)]
    pub indicator_id: Option<i64>,
    #[serde(default)]
    pub reviewer: String,
}

/// The usual 案卷类型 (a suggestion list; the office may write others).
pub const CASE_TYPES: &[&str] = &[
    "行政处罚",
    "行政许可",
    "行政强制",
    "行政检查",
    "行政征收征用",
    "行政复议",
    "行政应诉",
    "行政规范性文件",
    "重大行政决策",
];

/// The 测评方式 offices use (work-documents.md §2), for the scoring sheet and the app.
pub const METHODS: &[&str] = &[
    "材料查证",
    "网络检索",
    "案卷评查",
    "实地查看",
    "询问函",
    "申请信息公开",
    "访谈座谈",
    "暗访",
    "问卷调查",
    "满意度测评",
];

// ---------------------------------------------------------------------------------------------
// Storage helpers

pub(crate) fn campaign_id(conn: &Connection) -> Result<i64> {
    Ok(campaign::active(conn)?.id)
}

/// The leaves of the active campaign's system, in order.
pub(crate) fn campaign_leaves(conn: &Connection) -> Result<Vec<IndicatorLeaf>> {
    Ok(indicators::leaves(&campaign_tree(conn)?))
}

/// The active campaign's indicator tree.
pub(crate) fn campaign_tree(conn: &Connection) -> Result<crate::model::IndicatorTree> {
    indicators::load_tree(conn, campaign::active(conn)?.system_id)
}

fn round_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<EvalRound> {
    let kind: String = r.get(2)?;
    let opt = |v: Option<i64>| v.map(Points::from_hundredths);
    Ok(EvalRound {
        id: r.get(0)?,
        name: r.get(1)?,
        kind: RoundKind::from_code(&kind),
        position: r.get(3)?,
        held_on: r.get(4)?,
        note: r.get(5)?,
        site_score: opt(r.get(6)?),
        site_note: r.get(7)?,
        satisfaction: Satisfaction {
            rate: opt(r.get(8)?),
            sample: r.get(9)?,
            method: r.get(10)?,
            period: r.get(11)?,
        },
        created_at: r.get(12)?,
        expert_count: r.get(13)?,
        mark_count: r.get(14)?,
    })
}

const ROUND_COLS: &str = "r.id, r.name, r.kind, r.position, r.held_on, r.note, r.site_score,
    r.site_note, r.sat_rate, r.sat_sample, r.sat_method, r.sat_period, r.created_at,
    (SELECT count(DISTINCT a.expert_id) FROM eval_assign a WHERE a.round_id = r.id),
    (SELECT count(*) FROM eval_mark m WHERE m.round_id = r.id)";

pub(crate) fn list_rounds(conn: &Connection, campaign_id: i64) -> Result<Vec<EvalRound>> {
    let mut st = conn.prepare_cached(&format!(
        "SELECT {ROUND_COLS} FROM eval_round r WHERE r.campaign_id = ?1 ORDER BY r.position, r.id"
    ))?;
    let v = st
        .query_map([campaign_id], round_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(v)
}

/// A round of the active campaign.
pub(crate) fn get_round(conn: &Connection, round_id: i64) -> Result<EvalRound> {
    let c = campaign_id(conn)?;
    conn.query_row(
        &format!("SELECT {ROUND_COLS} FROM eval_round r WHERE r.id = ?1 AND r.campaign_id = ?2"),
        params![round_id, c],
        round_row,
    )
    .optional()?
    .ok_or_else(|| Error::NotFound(format!("评估轮次（编号 {round_id}）不存在。")))
}

pub(crate) fn list_experts(conn: &Connection, campaign_id: i64) -> Result<Vec<Expert>> {
    let mut st = conn.prepare_cached(
        "SELECT id, name, org, field, phone, note FROM eval_expert WHERE campaign_id = ?1
         ORDER BY position, id",
    )?;
    let v = st
        .query_map([campaign_id], |r| {
            Ok(Expert {
                id: r.get(0)?,
                name: r.get(1)?,
                org: r.get(2)?,
                field: r.get(3)?,
                phone: r.get(4)?,
                note: r.get(5)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(v)
}

fn expert_of(conn: &Connection, campaign_id: i64, expert_id: i64) -> Result<Expert> {
    list_experts(conn, campaign_id)?
        .into_iter()
        .find(|e| e.id == expert_id)
        .ok_or_else(|| Error::NotFound(format!("专家（编号 {expert_id}）不存在。")))
}

/// "1—12、15、20—22" for numbers in order.
pub fn ranges(nos: &[i64]) -> String {
    let mut v: Vec<i64> = nos.to_vec();
    v.sort_unstable();
    v.dedup();
    let mut out: Vec<String> = Vec::new();
    let mut i = 0;
    while i < v.len() {
        let mut j = i;
        while j + 1 < v.len() && v[j + 1] == v[j] + 1 {
            j += 1;
        }
        out.push(if j > i {
            format!("{}—{}", v[i], v[j])
        } else {
            v[i].to_string()
        });
        i = j + 1;
    }
    out.join("、")
}

/// Indicator numbers as written: "1-12,15", "1—12、15", "全部".
pub fn parse_ranges(text: &str, all: &[i64]) -> Result<Vec<i64>> {
    let t = crate::text::to_half_width(text.trim());
    if t == "全部" || t == "all" {
        return Ok(all.to_vec());
    }
    let mut out = Vec::new();
    for part in t.split([',', '、', ';', '；', ' ']) {
        let part = part.trim();
        if part.is_empty() {
            continue;
        }
        let bad = || Error::Invalid(format!("指标序号“{part}”无法识别，请写成“1-12,15”的形式。"));
        match part.split_once(['-', '—', '~', '～']) {
            Some((a, b)) => {
                let (a, b): (i64, i64) = (
                    a.trim().parse().map_err(|_| bad())?,
                    b.trim().parse().map_err(|_| bad())?,
                );
                if a > b || b - a > 100_000 {
                    return Err(bad());
                }
                out.extend(a..=b);
            }
            None => out.push(part.parse().map_err(|_| bad())?),
        }
    }
    Ok(out)
}

pub(crate) fn assignments(conn: &Connection, round_id: i64) -> Result<HashMap<i64, Vec<i64>>> {
    let mut st = conn.prepare_cached(
        "SELECT expert_id, indicator_id FROM eval_assign WHERE round_id = ?1 ORDER BY indicator_id",
    )?;
    let mut m: HashMap<i64, Vec<i64>> = HashMap::new();
    for row in st.query_map([round_id], |r| Ok((r.get::<_, i64>(0)?, r.get(1)?)))? {
        let (e, i) = row?;
        m.entry(e).or_default().push(i);
    }
    Ok(m)
}

/// A mark as stored (before it is valued under a 分值).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct StoredMark {
    pub id: i64,
    pub indicator_id: i64,
    pub expert_id: Option<i64>,
    pub entry: EntryKind,
    pub value: Option<Points>,
    pub grade: Option<Grade>,
    pub rules: Vec<RuleUse>,
    pub reason: String,
    pub method: String,
    pub evidence: String,
    pub note: String,
    pub source: MarkSource,
    pub updated_at: String,
}

impl StoredMark {
    pub fn entry(&self) -> compute::Entry {
        match self.entry {
            EntryKind::Score => compute::Entry::Score(self.value.unwrap_or_default()),
            EntryKind::Deduction => compute::Entry::Deduction(self.value.unwrap_or_default()),
            EntryKind::Grade => compute::Entry::Grade(self.grade.unwrap_or(Grade::Fail)),
            EntryKind::Rules => compute::Entry::Rules(self.rules.clone()),
        }
    }
}

pub(crate) fn load_marks(conn: &Connection, round_id: i64) -> Result<Vec<StoredMark>> {
    let mut uses: HashMap<i64, Vec<RuleUse>> = HashMap::new();
    {
        let mut st = conn.prepare_cached(
            "SELECT u.mark_id, u.rule_id, u.count, u.amount FROM eval_mark_rule u
             JOIN eval_mark m ON m.id = u.mark_id WHERE m.round_id = ?1 ORDER BY u.rule_id",
        )?;
        for row in st.query_map([round_id], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                RuleUse {
                    rule_id: r.get(1)?,
                    count: r.get(2)?,
                    amount: r.get::<_, Option<i64>>(3)?.map(Points::from_hundredths),
                },
            ))
        })? {
            let (m, u) = row?;
            uses.entry(m).or_default().push(u);
        }
    }
    let mut st = conn.prepare_cached(
        "SELECT id, indicator_id, expert_id, entry, value, grade, reason, method, evidence, note,
                source, updated_at
         FROM eval_mark WHERE round_id = ?1 ORDER BY indicator_id, coalesce(expert_id, 0)",
    )?;
    let rows = st.query_map([round_id], |r| {
        let id: i64 = r.get(0)?;
        let entry: String = r.get(3)?;
        let grade: Option<String> = r.get(5)?;
        let source: String = r.get(10)?;
        Ok(StoredMark {
            id,
            indicator_id: r.get(1)?,
            expert_id: r.get(2)?,
            entry: EntryKind::from_code(&entry),
            value: r.get::<_, Option<i64>>(4)?.map(Points::from_hundredths),
            grade: grade.as_deref().and_then(Grade::from_code),
            rules: Vec::new(),
            reason: r.get(6)?,
            method: r.get(7)?,
            evidence: r.get(8)?,
            note: r.get(9)?,
            source: if source == "sheet" {
                MarkSource::Sheet
            } else {
                MarkSource::App
            },
            updated_at: r.get(11)?,
        })
    })?;
    let mut out = Vec::new();
    for m in rows {
        let mut m = m?;
        m.rules = uses.remove(&m.id).unwrap_or_default();
        out.push(m);
    }
    Ok(out)
}

/// Store (insert or replace) a mark inside a write. An empty entry with no text deletes it.
pub(crate) fn put_mark(
    tx: &Transaction<'_>,
    round_id: i64,
    m: &StoredMark,
    now: &str,
) -> Result<()> {
    tx.execute(
        "DELETE FROM eval_mark WHERE round_id = ?1 AND indicator_id = ?2
         AND coalesce(expert_id, 0) = coalesce(?3, 0)",
        params![round_id, m.indicator_id, m.expert_id],
    )?;
    tx.execute(
        "INSERT INTO eval_mark (round_id, indicator_id, expert_id, entry, value, grade, reason,
            method, evidence, note, source, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
        params![
            round_id,
            m.indicator_id,
            m.expert_id,
            m.entry.code(),
            m.value.map(Points::hundredths),
            m.grade.map(Grade::code),
            m.reason,
            m.method,
            m.evidence,
            m.note,
            match m.source {
                MarkSource::App => "app",
                MarkSource::Sheet => "sheet",
            },
            now
        ],
    )?;
    let id = tx.last_insert_rowid();
    for u in &m.rules {
        tx.execute(
            "INSERT INTO eval_mark_rule (mark_id, rule_id, count, amount) VALUES (?1, ?2, ?3, ?4)",
            params![id, u.rule_id, u.count, u.amount.map(Points::hundredths)],
        )?;
    }
    Ok(())
}

pub(crate) fn delete_mark_row(
    tx: &Transaction<'_>,
    round_id: i64,
    indicator_id: i64,
    expert_id: Option<i64>,
) -> Result<usize> {
    Ok(tx.execute(
        "DELETE FROM eval_mark WHERE round_id = ?1 AND indicator_id = ?2
         AND coalesce(expert_id, 0) = coalesce(?3, 0)",
        params![round_id, indicator_id, expert_id],
    )?)
}

pub(crate) fn load_picks(
    conn: &Connection,
    round_id: i64,
) -> Result<HashMap<i64, compute::Choice>> {
    let mut st =
        conn.prepare_cached("SELECT indicator_id, expert_id FROM eval_pick WHERE round_id = ?1")?;
    let mut m = HashMap::new();
    for row in st.query_map([round_id], |r| {
        Ok((r.get::<_, i64>(0)?, r.get::<_, Option<i64>>(1)?))
    })? {
        let (i, e) = row?;
        m.insert(
            i,
            match e {
                Some(e) => compute::Choice::Expert(e),
                None => compute::Choice::Average,
            },
        );
    }
    Ok(m)
}

pub(crate) fn list_cases(conn: &Connection, round_id: i64) -> Result<Vec<CaseFile>> {
    let mut st = conn.prepare_cached(
        "SELECT c.id, c.round_id, c.unit_id, coalesce(u.name, c.unit_name), c.case_no, c.case_type,
                c.score, c.full, c.problems, c.indicator_id, i.no, c.reviewer
         FROM eval_case c LEFT JOIN unit u ON u.id = c.unit_id
         LEFT JOIN indicator i ON i.id = c.indicator_id
         WHERE c.round_id = ?1 ORDER BY c.position, c.id",
    )?;
    let v = st
        .query_map([round_id], |r| {
            let score = Points::from_hundredths(r.get(6)?);
            let full = Points::from_hundredths(r.get(7)?);
            Ok(CaseFile {
                id: r.get(0)?,
                round_id: r.get(1)?,
                unit_id: r.get(2)?,
                unit_name: r.get(3)?,
                case_no: r.get(4)?,
                case_type: r.get(5)?,
                score,
                full,
                rate: compute::case_rate(score, full),
                problems: r.get(8)?,
                indicator_id: r.get(9)?,
                indicator_no: r.get(10)?,
                reviewer: r.get(11)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(v)
}

pub(crate) fn list_bonus(conn: &Connection, round_id: i64) -> Result<Vec<BonusItem>> {
    let mut st = conn.prepare_cached(
        "SELECT id, round_id, text, points, note FROM eval_bonus WHERE round_id = ?1
         ORDER BY position, id",
    )?;
    let v = st
        .query_map([round_id], |r| {
            Ok(BonusItem {
                id: r.get(0)?,
                round_id: r.get(1)?,
                text: r.get(2)?,
                points: Points::from_hundredths(r.get(3)?),
                note: r.get(4)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(v)
}

pub(crate) fn list_veto_hits(conn: &Connection, round_id: i64) -> Result<Vec<VetoHit>> {
    let mut st = conn.prepare_cached(
        "SELECT h.veto_id, v.text, h.note FROM eval_veto_hit h JOIN eval_veto v ON v.id = h.veto_id
         WHERE h.round_id = ?1 ORDER BY v.position, v.id",
    )?;
    let v = st
        .query_map([round_id], |r| {
            Ok(VetoHit {
                veto_id: r.get(0)?,
                text: r.get(1)?,
                note: r.get(2)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(v)
}

fn required(text: &str, what: &str) -> Result<String> {
    let t = crate::text::clean_cell(text);
    if t.is_empty() {
        return Err(Error::Invalid(format!("请填写{what}。")));
    }
    if t.chars().count() > 200 {
        return Err(Error::Invalid(format!("{what}过长（超过 200 字）。")));
    }
    Ok(t)
}

fn check_points(p: Points, what: &str, max: Option<Points>) -> Result<()> {
    if p.is_negative() {
        return Err(Error::Invalid(format!(
            "{what}不能为负数（填写的是 {p}）。"
        )));
    }
    if let Some(m) = max
        && p > m
    {
        return Err(Error::Invalid(format!("{what} {p} 超过该指标的分值 {m}。")));
    }
    Ok(())
}

impl Workspace {
    // ----- Rounds ----------------------------------------------------------------------------

    /// The rounds of the active campaign, oldest first.
    pub fn eval_rounds(&self) -> Result<Vec<EvalRound>> {
        let conn = self.store().conn();
        list_rounds(conn, campaign_id(conn)?)
    }

    /// A round by id or by name ("模拟评估一"), for the CLI.
    pub fn eval_round_by_key(&self, key: &str) -> Result<EvalRound> {
        let all = self.eval_rounds()?;
        let k = key.trim();
        if let Some(r) = all.iter().find(|r| r.name == k) {
            return Ok(r.clone());
        }
        if let Ok(id) = k.parse::<i64>()
            && let Some(r) = all.iter().find(|r| r.id == id)
        {
            return Ok(r.clone());
        }
        let names: Vec<String> = all
            .iter()
            .map(|r| format!("{}（编号 {}）", r.name, r.id))
            .collect();
        Err(Error::NotFound(if names.is_empty() {
            format!("没有评估轮次“{k}”：还没有建立任何评估轮次。")
        } else {
            format!("没有评估轮次“{k}”。现有：{}。", names.join("、"))
        }))
    }

    /// 新增/修改评估轮次.
    pub fn save_eval_round(&mut self, input: &EvalRoundInput) -> Result<EvalRound> {
        let conn = self.store().conn();
        let c = campaign_id(conn)?;
        let name = required(&input.name, "评估轮次名称")?;
        let rounds = list_rounds(conn, c)?;
        if rounds
            .iter()
            .any(|r| r.name == name && Some(r.id) != input.id)
        {
            return Err(Error::Invalid(format!("评估轮次“{name}”已存在。")));
        }
        if let Some(id) = input.id
            && !rounds.iter().any(|r| r.id == id)
        {
            return Err(Error::NotFound(format!("评估轮次（编号 {id}）不存在。")));
        }
        if let Some(s) = input.site_score
            && (s.is_negative() || s > Points::whole(100))
        {
            return Err(Error::Invalid(format!(
                "实地评估得分应在 0 到 100 之间（填写的是 {s}）。"
            )));
        }
        let sat = &input.satisfaction;
        if let Some(r) = sat.rate
            && (r.is_negative() || r > Points::whole(100))
        {
            return Err(Error::Invalid(format!(
                "满意率应在 0 到 100（%）之间（填写的是 {r}）。"
            )));
        }
        if sat.sample.is_some_and(|n| n < 0) {
            return Err(Error::Invalid("样本量不能为负数。".into()));
        }
        let position = rounds.iter().map(|r| r.position).max().unwrap_or(0) + 1;
        let now = crate::store::now();
        let detail = format!(
            "{}评估轮次“{name}”",
            if input.id.is_some() {
                "修改"
            } else {
                "新增"
            }
        );
        let id = self.store_mut().write(Action::EditEvalRound, |_| detail, |tx| {
            let opt = |p: Option<Points>| p.map(Points::hundredths);
            match input.id {
                Some(id) => {
                    tx.execute(
                        "UPDATE eval_round SET name=?2, kind=?3, held_on=?4, note=?5, site_score=?6,
                         site_note=?7, sat_rate=?8, sat_sample=?9, sat_method=?10, sat_period=?11
                         WHERE id=?1",
                        params![
                            id,
                            name,
                            input.kind.code(),
                            input.held_on.trim(),
                            input.note.trim(),
                            opt(input.site_score),
                            input.site_note.trim(),
                            opt(sat.rate),
                            sat.sample,
                            sat.method.trim(),
                            sat.period.trim()
                        ],
                    )?;
                    Ok(id)
                }
                None => {
                    tx.execute(
                        "INSERT INTO eval_round (campaign_id, name, kind, position, held_on, note,
                         site_score, site_note, sat_rate, sat_sample, sat_method, sat_period, created_at)
                         VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13)",
                        params![
                            c,
                            name,
                            input.kind.code(),
                            position,
                            input.held_on.trim(),
                            input.note.trim(),
                            opt(input.site_score),
                            input.site_note.trim(),
                            opt(sat.rate),
                            sat.sample,
                            sat.method.trim(),
                            sat.period.trim(),
                            now
                        ],
                    )?;
                    Ok(tx.last_insert_rowid())
                }
            }
        })?;
        get_round(self.store().conn(), id)
    }

    /// 删除评估轮次 with everything entered in it (marks, case files, 附加项, veto flags).
    pub fn delete_eval_round(&mut self, id: i64) -> Result<()> {
        let r = get_round(self.store().conn(), id)?;
        let detail = format!("删除评估轮次“{}”（评分 {} 条）", r.name, r.mark_count);
        self.store_mut().write(
            Action::EditEvalRound,
            |_| detail,
            |tx| {
                tx.execute("DELETE FROM eval_round WHERE id = ?1", [id])?;
                Ok(())
            },
        )
    }

    // ----- Experts ---------------------------------------------------------------------------

    /// The expert team of the active campaign.
    pub fn eval_experts(&self) -> Result<Vec<Expert>> {
        let conn = self.store().conn();
        list_experts(conn, campaign_id(conn)?)
    }

    /// An expert by id or by name, for the CLI.
    pub fn eval_expert_by_key(&self, key: &str) -> Result<Expert> {
        let all = self.eval_experts()?;
        let k = key.trim();
        let by_name: Vec<&Expert> = all.iter().filter(|e| e.name == k).collect();
        match by_name.as_slice() {
            [one] => return Ok((*one).clone()),
            [_, _, ..] => {
                return Err(Error::Invalid(format!(
                    "有 {} 位专家都叫“{k}”，请用编号指定。",
                    by_name.len()
                )));
            }
            [] => {}
        }
        if let Ok(id) = k.parse::<i64>()
            && let Some(e) = all.iter().find(|e| e.id == id)
        {
            return Ok(e.clone());
        }
        Err(Error::NotFound(format!("专家组中没有“{k}”。")))
    }

    /// 新增/修改专家.
    pub fn save_expert(&mut self, input: &ExpertInput) -> Result<Expert> {
        let conn = self.store().conn();
        let c = campaign_id(conn)?;
        let name = required(&input.name, "专家姓名")?;
        let org = crate::text::clean_cell(&input.org);
        let all = list_experts(conn, c)?;
        if let Some(id) = input.id
            && !all.iter().any(|e| e.id == id)
        {
            return Err(Error::NotFound(format!("专家（编号 {id}）不存在。")));
        }
        if all
            .iter()
            .any(|e| e.name == name && e.org == org && Some(e.id) != input.id)
        {
            return Err(Error::Invalid(format!(
                "专家组中已有“{name}”{}。",
                if org.is_empty() {
                    String::new()
                } else {
                    format!("（{org}）")
                }
            )));
        }
        let position = all.len() as i64;
        let detail = format!(
            "{}专家“{name}”",
            if input.id.is_some() {
                "修改"
            } else {
                "新增"
            }
        );
        let fields = (
            crate::text::clean_cell(&input.field),
            crate::text::clean_cell(&input.phone),
            input.note.trim().to_string(),
        );
        let id = self.store_mut().write(Action::EditExperts, |_| detail, |tx| {
            match input.id {
                Some(id) => {
                    tx.execute(
                        "UPDATE eval_expert SET name=?2, org=?3, field=?4, phone=?5, note=?6 WHERE id=?1",
                        params![id, name, org, fields.0, fields.1, fields.2],
                    )?;
                    Ok(id)
                }
                None => {
                    tx.execute(
                        "INSERT INTO eval_expert (campaign_id, name, org, field, phone, note, position)
                         VALUES (?1,?2,?3,?4,?5,?6,?7)",
                        params![c, name, org, fields.0, fields.1, fields.2, position],
                    )?;
                    Ok(tx.last_insert_rowid())
                }
            }
        })?;
        expert_of(self.store().conn(), c, id)
    }

    /// 删除专家: refused while the expert has marks (they would disappear from the results).
    pub fn delete_expert(&mut self, id: i64) -> Result<()> {
        let conn = self.store().conn();
        let c = campaign_id(conn)?;
        let e = expert_of(conn, c, id)?;
        let marks: i64 = conn.query_row(
            "SELECT count(*) FROM eval_mark WHERE expert_id = ?1",
            [id],
            |r| r.get(0),
        )?;
        if marks > 0 {
            return Err(Error::Invalid(format!(
                "专家“{}”已有 {marks} 条评分，不能删除；如确需删除，请先删除其评分。",
                e.name
            )));
        }
        let detail = format!("删除专家“{}”", e.name);
        self.store_mut().write(
            Action::EditExperts,
            |_| detail,
            |tx| {
                tx.execute("DELETE FROM eval_expert WHERE id = ?1", [id])?;
                Ok(())
            },
        )
    }

    // ----- Assignment ------------------------------------------------------------------------

    /// Which expert scores which indicators in a round (experts without indicators included).
    pub fn eval_assignments(&self, round_id: i64) -> Result<Vec<ExpertAssignment>> {
        let conn = self.store().conn();
        get_round(conn, round_id)?;
        let c = campaign_id(conn)?;
        let no_of: HashMap<i64, i64> = campaign_leaves(conn)?
            .into_iter()
            .map(|l| (l.id, l.no))
            .collect();
        let by = assignments(conn, round_id)?;
        Ok(list_experts(conn, c)?
            .into_iter()
            .map(|e| {
                let mut ids: Vec<(i64, i64)> = by
                    .get(&e.id)
                    .map(|v| {
                        v.iter()
                            .filter_map(|i| no_of.get(i).map(|n| (*n, *i)))
                            .collect()
                    })
                    .unwrap_or_default();
                ids.sort_unstable();
                let nos: Vec<i64> = ids.iter().map(|x| x.0).collect();
                ExpertAssignment {
                    expert_id: e.id,
                    expert_name: e.name,
                    org: e.org,
                    indicator_ids: ids.iter().map(|x| x.1).collect(),
                    ranges: ranges(&nos),
                    nos,
                }
            })
            .collect())
    }

    /// Set the indicators an expert scores in a round (replacing the previous set).
    pub fn assign_expert(
        &mut self,
        round_id: i64,
        expert_id: i64,
        indicator_ids: &[i64],
    ) -> Result<ExpertAssignment> {
        let conn = self.store().conn();
        let r = get_round(conn, round_id)?;
        let c = campaign_id(conn)?;
        let e = expert_of(conn, c, expert_id)?;
        let leaves: HashSet<i64> = campaign_leaves(conn)?.into_iter().map(|l| l.id).collect();
        if let Some(bad) = indicator_ids.iter().find(|i| !leaves.contains(i)) {
            return Err(Error::NotFound(format!(
                "指标（编号 {bad}）不在当前项目的指标体系中。"
            )));
        }
        let ids: HashSet<i64> = indicator_ids.iter().copied().collect();
        let detail = format!("“{}”：{} 评 {} 项指标", r.name, e.name, ids.len());
        self.store_mut().write(Action::AssignExperts, |_| detail, |tx| {
            tx.execute(
                "DELETE FROM eval_assign WHERE round_id = ?1 AND expert_id = ?2",
                params![round_id, expert_id],
            )?;
            for i in &ids {
                tx.execute(
                    "INSERT INTO eval_assign (round_id, expert_id, indicator_id) VALUES (?1, ?2, ?3)",
                    params![round_id, expert_id, i],
                )?;
            }
            Ok(())
        })?;
        self.eval_assignments(round_id)?
            .into_iter()
            .find(|a| a.expert_id == expert_id)
            .ok_or_else(|| Error::NotFound("专家不存在。".into()))
    }

    /// [`Workspace::assign_expert`] by indicator numbers ("1-12,15").
    pub fn assign_expert_nos(
        &mut self,
        round_id: i64,
        expert_id: i64,
        nos: &str,
    ) -> Result<ExpertAssignment> {
        let leaves = campaign_leaves(self.store().conn())?;
        let all: Vec<i64> = leaves.iter().map(|l| l.no).collect();
        let wanted = parse_ranges(nos, &all)?;
        let by_no: HashMap<i64, i64> = leaves.iter().map(|l| (l.no, l.id)).collect();
        let mut ids = Vec::new();
        for n in wanted {
            ids.push(*by_no.get(&n).ok_or_else(|| {
                Error::NotFound(format!("当前指标体系中没有序号为 {n} 的指标。"))
            })?);
        }
        self.assign_expert(round_id, expert_id, &ids)
    }

    // ----- Marks -----------------------------------------------------------------------------

    /// 录入评分: an expert's (or the office's) mark for one indicator, replacing the previous
    /// one. An input with no entry and no text deletes the mark.
    pub fn save_mark(&mut self, input: &MarkInput) -> Result<results::GridRow> {
        let conn = self.store().conn();
        let r = get_round(conn, input.round_id)?;
        let c = campaign_id(conn)?;
        let model = model::load(conn)?;
        let leaf = campaign_leaves(conn)?
            .into_iter()
            .find(|l| l.id == input.indicator_id)
            .ok_or_else(|| {
                Error::NotFound(format!(
                    "指标（编号 {}）不在当前项目的指标体系中。",
                    input.indicator_id
                ))
            })?;
        let who = match input.expert_id {
            Some(e) => expert_of(conn, c, e)?.name,
            None => "依法治区办".to_string(),
        };
        let max = model.points_of(conn, &leaf)?;
        let given = [
            input.score.is_some(),
            input.deduction.is_some(),
            input.grade.is_some(),
            !input.rules.is_empty(),
        ]
        .iter()
        .filter(|b| **b)
        .count();
        if given > 1 {
            return Err(Error::Invalid(
                "评分、扣分、等次和扣分规则只能填写一种。".into(),
            ));
        }
        let texts_empty = [&input.reason, &input.method, &input.evidence, &input.note]
            .iter()
            .all(|t| t.trim().is_empty());
        let place = format!("指标 {}", leaf.no);
        if given == 0 && !texts_empty {
            return Err(Error::Invalid(format!(
                "{place}：请填写评分、扣分或等次（或选择扣分规则），只写理由不能保存为评分。"
            )));
        }
        if given == 1 && max.is_none() {
            return Err(Error::Invalid(format!(
                "{place}还没有分值，不能评分：请先在“评分方案”中设置分值。"
            )));
        }
        if let Some(s) = input.score {
            check_points(s, &format!("{place}的评分"), max)?;
        }
        if let Some(d) = input.deduction {
            check_points(d, &format!("{place}的扣分"), max)?;
        }
        let rules = model::rules_of(conn, c, leaf.id)?;
        for u in &input.rules {
            let Some(rule) = rules.iter().find(|x| x.id == u.rule_id) else {
                return Err(Error::NotFound(format!(
                    "{place}没有编号为 {} 的扣分规则。",
                    u.rule_id
                )));
            };
            if u.count < 0 || u.count > 10_000 {
                return Err(Error::Invalid(format!(
                    "{place}的扣分次数应为 0 到 10000。"
                )));
            }
            if let Some(a) = u.amount {
                check_points(a, &format!("{place}的酌情扣分"), max)?;
            }
            if rule.kind == RuleKind::Discretion && u.amount.is_none() {
                return Err(Error::Invalid(format!(
                    "{place}“{}”是酌情扣分，请填写扣分数。",
                    short(&rule.text)
                )));
            }
        }
        let (entry, value) = if let Some(s) = input.score {
            (EntryKind::Score, Some(s))
        } else if let Some(d) = input.deduction {
            (EntryKind::Deduction, Some(d))
        } else if input.grade.is_some() {
            (EntryKind::Grade, None)
        } else {
            (EntryKind::Rules, None)
        };
        let delete = given == 0 && texts_empty;
        let stored = StoredMark {
            id: 0,
            indicator_id: leaf.id,
            expert_id: input.expert_id,
            entry,
            value,
            grade: input.grade,
            rules: input.rules.clone(),
            reason: input.reason.trim().to_string(),
            method: input.method.trim().to_string(),
            evidence: input.evidence.trim().to_string(),
            note: input.note.trim().to_string(),
            source: MarkSource::App,
            updated_at: String::new(),
        };
        let detail = format!(
            "“{}”指标 {}：{}{}",
            r.name,
            leaf.no,
            who,
            if delete {
                "的评分已删除"
            } else {
                "评分"
            }
        );
        let now = crate::store::now();
        let round_id = r.id;
        self.store_mut().write(
            Action::EnterScores,
            |_| detail,
            |tx| {
                if delete {
                    delete_mark_row(tx, round_id, leaf.id, input.expert_id)?;
                } else {
                    put_mark(tx, round_id, &stored, &now)?;
                }
                Ok(())
            },
        )?;
        results::grid_row(self, round_id, leaf.id)
    }

    /// 删除评分.
    pub fn delete_mark(
        &mut self,
        round_id: i64,
        indicator_id: i64,
        expert_id: Option<i64>,
    ) -> Result<()> {
        let r = get_round(self.store().conn(), round_id)?;
        let detail = format!("“{}”：删除一条评分", r.name);
        let n = self.store_mut().write(
            Action::EnterScores,
            |_| detail,
            |tx| delete_mark_row(tx, round_id, indicator_id, expert_id),
        )?;
        if n == 0 {
            return Err(Error::NotFound("没有这条评分。".into()));
        }
        Ok(())
    }

    /// 确定采用的评分: which expert's mark counts for an indicator, or their average; None
    /// undoes the choice.
    pub fn pick_mark(&mut self, input: &PickInput) -> Result<results::GridRow> {
        let conn = self.store().conn();
        let r = get_round(conn, input.round_id)?;
        let c = campaign_id(conn)?;
        let leaf = campaign_leaves(conn)?
            .into_iter()
            .find(|l| l.id == input.indicator_id)
            .ok_or_else(|| Error::NotFound("指标不在当前项目的指标体系中。".into()))?;
        let (text, expert) = match input.choice.as_deref() {
            Some("expert") => {
                let id = input
                    .expert_id
                    .ok_or_else(|| Error::Invalid("请选择采用哪位专家的评分。".into()))?;
                let e = expert_of(conn, c, id)?;
                (format!("采用{}的评分", e.name), Some(Some(id)))
            }
            Some("average") => ("取平均分".to_string(), Some(None)),
            None => ("取消选择".to_string(), None),
            Some(other) => {
                return Err(Error::Invalid(format!("“{other}”不是可选的评分方式。")));
            }
        };
        let detail = format!("“{}”指标 {}：{text}", r.name, leaf.no);
        let (round_id, indicator_id) = (r.id, leaf.id);
        self.store_mut().write(
            Action::EnterScores,
            |_| detail,
            |tx| {
                tx.execute(
                    "DELETE FROM eval_pick WHERE round_id = ?1 AND indicator_id = ?2",
                    params![round_id, indicator_id],
                )?;
                if let Some(e) = expert {
                    tx.execute(
                    "INSERT INTO eval_pick (round_id, indicator_id, expert_id) VALUES (?1, ?2, ?3)",
                    params![round_id, indicator_id, e],
                )?;
                }
                Ok(())
            },
        )?;
        results::grid_row(self, round_id, indicator_id)
    }

    // ----- 否决项 hits, 附加项, 案卷评查 ----------------------------------------------------------

    /// Mark a 否决项 as triggered (or not) in a round: the round is flagged, no number changes.
    pub fn set_veto_hit(
        &mut self,
        round_id: i64,
        veto_id: i64,
        hit: bool,
        note: &str,
    ) -> Result<Vec<VetoHit>> {
        let conn = self.store().conn();
        let r = get_round(conn, round_id)?;
        let c = campaign_id(conn)?;
        let v = model::list_vetoes(conn, c)?
            .into_iter()
            .find(|v| v.id == veto_id)
            .ok_or_else(|| Error::NotFound(format!("否决项（编号 {veto_id}）不存在。")))?;
        let detail = format!(
            "“{}”：{}否决项“{}”",
            r.name,
            if hit { "触发" } else { "取消" },
            short(&v.text)
        );
        let note = note.trim().to_string();
        self.store_mut().write(
            Action::EditVeto,
            |_| detail,
            |tx| {
                tx.execute(
                    "DELETE FROM eval_veto_hit WHERE round_id = ?1 AND veto_id = ?2",
                    params![round_id, veto_id],
                )?;
                if hit {
                    tx.execute(
                        "INSERT INTO eval_veto_hit (round_id, veto_id, note) VALUES (?1, ?2, ?3)",
                        params![round_id, veto_id, note],
                    )?;
                }
                Ok(())
            },
        )?;
        list_veto_hits(self.store().conn(), round_id)
    }

    /// The 否决项 triggered in a round.
    pub fn eval_veto_hits(&self, round_id: i64) -> Result<Vec<VetoHit>> {
        let conn = self.store().conn();
        get_round(conn, round_id)?;
        list_veto_hits(conn, round_id)
    }

    /// The 附加项 of a round.
    pub fn eval_bonus(&self, round_id: i64) -> Result<Vec<BonusItem>> {
        let conn = self.store().conn();
        get_round(conn, round_id)?;
        list_bonus(conn, round_id)
    }

    /// 新增/修改附加项.
    pub fn save_bonus(&mut self, input: &BonusInput) -> Result<Vec<BonusItem>> {
        let conn = self.store().conn();
        let r = get_round(conn, input.round_id)?;
        let text = required(&input.text, "附加项内容")?;
        let existing = list_bonus(conn, r.id)?;
        if let Some(id) = input.id
            && !existing.iter().any(|b| b.id == id)
        {
            return Err(Error::NotFound(format!("附加项（编号 {id}）不存在。")));
        }
        if input.points.hundredths().abs() > Points::whole(1000).hundredths() {
            return Err(Error::Invalid("附加项分值过大。".into()));
        }
        let detail = format!("“{}”：附加项“{}” {}分", r.name, short(&text), input.points);
        let position = existing.len() as i64;
        self.store_mut().write(Action::EditBonus, |_| detail, |tx| {
            match input.id {
                Some(id) => tx.execute(
                    "UPDATE eval_bonus SET text=?2, points=?3, note=?4 WHERE id=?1",
                    params![id, text, input.points.hundredths(), input.note.trim()],
                )?,
                None => tx.execute(
                    "INSERT INTO eval_bonus (round_id, text, points, note, position) VALUES (?1,?2,?3,?4,?5)",
                    params![r.id, text, input.points.hundredths(), input.note.trim(), position],
                )?,
            };
            Ok(())
        })?;
        list_bonus(self.store().conn(), r.id)
    }

    pub fn delete_bonus(&mut self, id: i64) -> Result<()> {
        let conn = self.store().conn();
        let c = campaign_id(conn)?;
        let found: Option<(i64, String)> = conn
            .query_row(
                "SELECT b.round_id, b.text FROM eval_bonus b JOIN eval_round r ON r.id = b.round_id
                 WHERE b.id = ?1 AND r.campaign_id = ?2",
                params![id, c],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        let (_, text) =
            found.ok_or_else(|| Error::NotFound(format!("附加项（编号 {id}）不存在。")))?;
        let detail = format!("删除附加项“{}”", short(&text));
        self.store_mut().write(
            Action::EditBonus,
            |_| detail,
            |tx| {
                tx.execute("DELETE FROM eval_bonus WHERE id = ?1", [id])?;
                Ok(())
            },
        )
    }

    /// 案卷评查 of a round.
    pub fn case_files(&self, round_id: i64) -> Result<Vec<CaseFile>> {
        let conn = self.store().conn();
        get_round(conn, round_id)?;
        list_cases(conn, round_id)
    }

    /// 新增/修改一份评查案卷.
    pub fn save_case_file(&mut self, input: &CaseInput) -> Result<CaseFile> {
        let conn = self.store().conn();
        let r = get_round(conn, input.round_id)?;
        let case_no = required(&input.case_no, "案卷号")?;
        let full = input.full.unwrap_or(Points::whole(100));
        if full.hundredths() <= 0 {
            return Err(Error::Invalid("评查满分应大于 0。".into()));
        }
        if input.score.is_negative() || input.score > full {
            return Err(Error::Invalid(format!(
                "案卷“{case_no}”的评查得分 {} 应在 0 到满分 {full} 之间。",
                input.score
            )));
        }
        let unit_name = match input.unit_id {
            Some(u) => {
                self.list_units()?
                    .into_iter()
                    .find(|x| x.id == u)
                    .ok_or_else(|| Error::NotFound(format!("单位（编号 {u}）不存在。")))?
                    .name
            }
            None => String::new(),
        };
        if let Some(i) = input.indicator_id
            && !campaign_leaves(self.store().conn())?
                .iter()
                .any(|l| l.id == i)
        {
            return Err(Error::NotFound(format!(
                "指标（编号 {i}）不在当前项目的指标体系中。"
            )));
        }
        let existing = list_cases(self.store().conn(), r.id)?;
        if let Some(id) = input.id
            && !existing.iter().any(|c| c.id == id)
        {
            return Err(Error::NotFound(format!("评查案卷（编号 {id}）不存在。")));
        }
        let position = existing.len() as i64;
        let detail = format!("“{}”：案卷“{case_no}”评查得分 {}", r.name, input.score);
        let id = self.store_mut().write(Action::EditCaseFiles, |_| detail, |tx| {
            match input.id {
                Some(id) => {
                    tx.execute(
                        "UPDATE eval_case SET unit_id=?2, unit_name=?3, case_no=?4, case_type=?5, score=?6,
                         full=?7, problems=?8, indicator_id=?9, reviewer=?10 WHERE id=?1",
                        params![
                            id,
                            input.unit_id,
                            unit_name,
                            case_no,
                            input.case_type.trim(),
                            input.score.hundredths(),
                            full.hundredths(),
                            input.problems.trim(),
                            input.indicator_id,
                            input.reviewer.trim()
                        ],
                    )?;
                    Ok(id)
                }
                None => {
                    tx.execute(
                        "INSERT INTO eval_case (round_id, unit_id, unit_name, case_no, case_type, score,
                         full, problems, indicator_id, reviewer, position)
                         VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11)",
                        params![
                            r.id,
                            input.unit_id,
                            unit_name,
                            case_no,
                            input.case_type.trim(),
                            input.score.hundredths(),
                            full.hundredths(),
                            input.problems.trim(),
                            input.indicator_id,
                            input.reviewer.trim(),
                            position
                        ],
                    )?;
                    Ok(tx.last_insert_rowid())
                }
            }
        })?;
        list_cases(self.store().conn(), r.id)?
            .into_iter()
            .find(|c| c.id == id)
            .ok_or_else(|| Error::NotFound("评查案卷不存在。".into()))
    }

    pub fn delete_case_file(&mut self, id: i64) -> Result<()> {
        let conn = self.store().conn();
        let c = campaign_id(conn)?;
        let no: Option<String> = conn
            .query_row(
                "SELECT x.case_no FROM eval_case x JOIN eval_round r ON r.id = x.round_id
                 WHERE x.id = ?1 AND r.campaign_id = ?2",
                params![id, c],
                |r| r.get(0),
            )
            .optional()?;
        let no = no.ok_or_else(|| Error::NotFound(format!("评查案卷（编号 {id}）不存在。")))?;
        let detail = format!("删除评查案卷“{no}”");
        self.store_mut().write(
            Action::EditCaseFiles,
            |_| detail,
            |tx| {
                tx.execute("DELETE FROM eval_case WHERE id = ?1", [id])?;
                Ok(())
            },
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn indicator_ranges_read_and_print_like_the_office() {
        let all: Vec<i64> = (1..=20).collect();
        assert_eq!(
            parse_ranges("1-3,５、7—8", &all).expect("ok"),
            vec![1, 2, 3, 5, 7, 8]
        );
        assert_eq!(parse_ranges("全部", &all).expect("ok").len(), 20);
        assert!(parse_ranges("一到三", &all).is_err());
        assert_eq!(ranges(&[1, 2, 3, 5, 7, 8, 12]), "1—3、5、7—8、12");
    }
}
