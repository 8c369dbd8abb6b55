//! 评分方案 (the scoring model of a campaign): where each indicator's 分值 comes from — the
//! imported system where it carries them (a provincial 1000-point system with half points such
//! as 10.5), else the office's own scale (edited here, spread evenly over a total, or imported
//! from an Excel 分值表) — whether experts score by points or by grade (达标/基本达标/未达标 → a
//! share of the points), the deduction rules of each indicator, the 附加项 cap, the weights of
//! the three-part composite (blank by default: the official ones are unpublished), and the
//! office's 否决项 list.

use std::collections::HashMap;

use rusqlite::{Connection, OptionalExtension, Transaction, params};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::compute::{GradeShares, RuleKind, RuleSpec};
use super::points::Points;
use super::{VetoInput, VetoItem, campaign_id, campaign_leaves, campaign_tree};
use crate::action::Action;
use crate::campaign;
use crate::error::{Error, Result};
use crate::model::IndicatorLeaf;
use crate::sheet::layout::short;
use crate::workspace::Workspace;

/// Where the 分值 come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum PointsSource {
    /// The imported indicator system's 分值 column.
    System,
    /// The office's own scale (results labelled 参考).
    Office,
}

/// How experts score.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum ScoringMethod {
    /// By points: a score, a deduction, or deductions by the rules.
    Points,
    /// By grade: 达标/基本达标/未达标, each a share of the points.
    Grade,
}

/// Weights (percent) of the three parts of the national composite; None until the office sets
/// them (the official weights are not published).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct CompositeWeights {
    /// 材料书面评审.
    #[serde(default)]
    pub written: Option<Points>,
    /// 实地评估.
    #[serde(default)]
    pub site: Option<Points>,
    /// 群众满意度测评.
    #[serde(default)]
    pub satisfaction: Option<Points>,
}

/// 评分标准: one deduction rule of an indicator.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct DeductionRule {
    #[ts(type = "number")]
    pub id: i64,
    #[ts(type = "number")]
    pub indicator_id: i64,
    pub kind: RuleKind,
    /// The rule as written ("未审核每件扣0.2分，扣完为止").
    pub text: String,
    /// Per element / per occurrence.
    pub amount: Option<Points>,
    /// 累计扣分不超过.
    pub cap: Option<Points>,
}

impl DeductionRule {
    pub fn spec(&self) -> RuleSpec {
        RuleSpec {
            id: self.id,
            kind: self.kind,
            amount: self.amount,
            cap: self.cap,
        }
    }
}

/// Input of one rule (the rules of an indicator are saved together; `id` keeps a rule that
/// marks already use).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct RuleInput {
    #[ts(type = "number | null")]
    #[serde(default)]
    pub id: Option<i64>,
    pub kind: RuleKind,
    #[serde(default)]
    pub text: String,
    #[serde(default)]
    pub amount: Option<Points>,
    #[serde(default)]
    pub cap: Option<Points>,
}

/// One indicator's 分值 under the model.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct IndicatorPoints {
    #[ts(type = "number")]
    pub indicator_id: i64,
    #[ts(type = "number")]
    pub no: i64,
    pub text: String,
    /// 一级指标 (方面).
    pub aspect: String,
    /// 测评方式 / 评分标准 of the system, as imported.
    pub methods: Option<String>,
    /// From the imported system.
    pub system_points: Option<Points>,
    /// The office's scale.
    pub office_points: Option<Points>,
    /// What counts under the model.
    pub points: Option<Points>,
    pub rules: Vec<DeductionRule>,
}

/// The scoring model as the UI shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ScoringModel {
    pub points_source: PointsSource,
    pub method: ScoringMethod,
    pub grade_shares: GradeShares,
    /// 附加项 cap (absolute), None: no cap.
    pub bonus_cap: Option<Points>,
    pub weights: CompositeWeights,
    /// Whether the imported system carries 分值 at all.
    pub system_has_points: bool,
    /// Results under this model are labelled 参考 (the office's own scale).
    pub reference: bool,
    /// "分值来自指标体系“…”" / "分值由依法治区办自定（参考）".
    pub label: String,
    /// Sums of the two scales over all indicators.
    pub system_total: Points,
    pub office_total: Points,
    /// Indicators without a 分值 under the model.
    #[ts(type = "number")]
    pub missing: i64,
    pub indicators: Vec<IndicatorPoints>,
    pub vetoes: Vec<VetoItem>,
    /// Headings of the system carrying a 分值 (a group's points merged over its indicators):
    /// the office scale can be taken from them ([`Workspace::distribute_heading_points`]).
    #[ts(type = "number")]
    pub heading_groups: i64,
    /// Where those 分值 disagree or cannot be spread, naming the heading.
    pub heading_notes: Vec<String>,
}

/// Input of 修改评分方案.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ModelInput {
    pub points_source: PointsSource,
    pub method: ScoringMethod,
    #[serde(default)]
    pub grade_shares: GradeShares,
    #[serde(default)]
    pub bonus_cap: Option<Points>,
    #[serde(default)]
    pub weights: CompositeWeights,
}

/// One edit of the office scale.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct PointsInput {
    #[ts(type = "number")]
    pub indicator_id: i64,
    /// None clears the indicator's office 分值.
    pub points: Option<Points>,
}

/// The model as the arithmetic needs it (loaded once per query).
#[derive(Debug, Clone)]
pub struct Model {
    pub campaign_id: i64,
    pub points_source: PointsSource,
    pub method: ScoringMethod,
    pub grade_shares: GradeShares,
    pub bonus_cap: Option<Points>,
    pub weights: CompositeWeights,
    pub system_has_points: bool,
    pub office: HashMap<i64, Points>,
    pub system_name: String,
}

impl Model {
    /// The 分值 of a leaf under the model.
    pub fn max_of(&self, leaf: &IndicatorLeaf) -> Option<Points> {
        match self.points_source {
            PointsSource::System => leaf.score.and_then(Points::from_f64),
            PointsSource::Office => self.office.get(&leaf.id).copied(),
        }
    }

    /// [`Model::max_of`] (the connection is not needed; kept for the callers' shape).
    pub fn points_of(&self, _conn: &Connection, leaf: &IndicatorLeaf) -> Result<Option<Points>> {
        Ok(self.max_of(leaf))
    }

    pub fn reference(&self) -> bool {
        self.points_source == PointsSource::Office
    }

    pub fn label(&self) -> String {
        match self.points_source {
            PointsSource::System => format!("分值来自指标体系“{}”", self.system_name),
            PointsSource::Office => {
                "分值由依法治区办自定，得分仅供参考（官方未公布分值）".to_string()
            }
        }
    }
}

/// The model of the active campaign (the default when the office has not set one: the
/// system's 分值 if it has any, else the office scale; by points; grades 100/60/0).
pub fn load(conn: &Connection) -> Result<Model> {
    let c = campaign::active(conn)?;
    let leaves = campaign_leaves(conn)?;
    let system_has_points = leaves.iter().any(|l| l.score.is_some());
    let mut office = HashMap::new();
    {
        let mut st = conn.prepare_cached(
            "SELECT indicator_id, points FROM eval_points WHERE campaign_id = ?1",
        )?;
        for row in st.query_map([c.id], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?)))? {
            let (i, p) = row?;
            office.insert(i, Points::from_hundredths(p));
        }
    }
    type Row = (
        String,
        String,
        i64,
        i64,
        i64,
        Option<i64>,
        Option<i64>,
        Option<i64>,
        Option<i64>,
    );
    let stored: Option<Row> = conn
        .query_row(
            "SELECT points_source, method, grade_full, grade_basic, grade_fail, bonus_cap,
                    weight_written, weight_site, weight_satisfaction
             FROM eval_model WHERE campaign_id = ?1",
            [c.id],
            |r| {
                Ok((
                    r.get(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    r.get(5)?,
                    r.get(6)?,
                    r.get(7)?,
                    r.get(8)?,
                ))
            },
        )
        .optional()?;
    let p = |v: Option<i64>| v.map(Points::from_hundredths);
    Ok(match stored {
        Some((src, method, gf, gb, gx, cap, ww, ws, wsat)) => Model {
            campaign_id: c.id,
            points_source: if src == "office" {
                PointsSource::Office
            } else {
                PointsSource::System
            },
            method: if method == "grade" {
                ScoringMethod::Grade
            } else {
                ScoringMethod::Points
            },
            grade_shares: GradeShares {
                full: Points::from_hundredths(gf),
                basic: Points::from_hundredths(gb),
                fail: Points::from_hundredths(gx),
            },
            bonus_cap: p(cap),
            weights: CompositeWeights {
                written: p(ww),
                site: p(ws),
                satisfaction: p(wsat),
            },
            system_has_points,
            office,
            system_name: c.system_name,
        },
        None => Model {
            campaign_id: c.id,
            points_source: if system_has_points {
                PointsSource::System
            } else {
                PointsSource::Office
            },
            method: ScoringMethod::Points,
            grade_shares: GradeShares::default(),
            bonus_cap: None,
            weights: CompositeWeights::default(),
            system_has_points,
            office,
            system_name: c.system_name,
        },
    })
}

fn rule_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<DeductionRule> {
    let kind: String = r.get(2)?;
    Ok(DeductionRule {
        id: r.get(0)?,
        indicator_id: r.get(1)?,
        kind: RuleKind::from_code(&kind).unwrap_or(RuleKind::Discretion),
        text: r.get(3)?,
        amount: r.get::<_, Option<i64>>(4)?.map(Points::from_hundredths),
        cap: r.get::<_, Option<i64>>(5)?.map(Points::from_hundredths),
    })
}

/// Every rule of a campaign, by indicator.
pub fn all_rules(conn: &Connection, campaign_id: i64) -> Result<HashMap<i64, Vec<DeductionRule>>> {
    let mut st = conn.prepare_cached(
        "SELECT id, indicator_id, kind, text, amount, cap FROM eval_rule WHERE campaign_id = ?1
         ORDER BY indicator_id, position, id",
    )?;
    let mut m: HashMap<i64, Vec<DeductionRule>> = HashMap::new();
    for r in st.query_map([campaign_id], rule_row)? {
        let r = r?;
        m.entry(r.indicator_id).or_default().push(r);
    }
    Ok(m)
}

pub fn rules_of(
    conn: &Connection,
    campaign_id: i64,
    indicator_id: i64,
) -> Result<Vec<DeductionRule>> {
    let mut st = conn.prepare_cached(
        "SELECT id, indicator_id, kind, text, amount, cap FROM eval_rule
         WHERE campaign_id = ?1 AND indicator_id = ?2 ORDER BY position, id",
    )?;
    let v = st
        .query_map(params![campaign_id, indicator_id], rule_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(v)
}

pub fn list_vetoes(conn: &Connection, campaign_id: i64) -> Result<Vec<VetoItem>> {
    let mut st = conn.prepare_cached(
        "SELECT v.id, v.text, v.indicator_id, i.no, v.note FROM eval_veto v
         LEFT JOIN indicator i ON i.id = v.indicator_id
         WHERE v.campaign_id = ?1 ORDER BY v.position, v.id",
    )?;
    let v = st
        .query_map([campaign_id], |r| {
            Ok(VetoItem {
                id: r.get(0)?,
                text: r.get(1)?,
                indicator_id: r.get(2)?,
                indicator_no: r.get(3)?,
                note: r.get(4)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(v)
}

/// Store the model row inside a write.
pub(crate) fn put_model(tx: &Transaction<'_>, campaign_id: i64, m: &ModelInput) -> Result<()> {
    let p = |v: Option<Points>| v.map(Points::hundredths);
    tx.execute(
        "INSERT INTO eval_model (campaign_id, points_source, method, grade_full, grade_basic,
            grade_fail, bonus_cap, weight_written, weight_site, weight_satisfaction)
         VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10)
         ON CONFLICT(campaign_id) DO UPDATE SET points_source = excluded.points_source,
            method = excluded.method, grade_full = excluded.grade_full,
            grade_basic = excluded.grade_basic, grade_fail = excluded.grade_fail,
            bonus_cap = excluded.bonus_cap, weight_written = excluded.weight_written,
            weight_site = excluded.weight_site, weight_satisfaction = excluded.weight_satisfaction",
        params![
            campaign_id,
            match m.points_source {
                PointsSource::System => "system",
                PointsSource::Office => "office",
            },
            match m.method {
                ScoringMethod::Points => "points",
                ScoringMethod::Grade => "grade",
            },
            m.grade_shares.full.hundredths(),
            m.grade_shares.basic.hundredths(),
            m.grade_shares.fail.hundredths(),
            p(m.bonus_cap),
            p(m.weights.written),
            p(m.weights.site),
            p(m.weights.satisfaction)
        ],
    )?;
    Ok(())
}

impl Model {
    pub fn input(&self) -> ModelInput {
        ModelInput {
            points_source: self.points_source,
            method: self.method,
            grade_shares: self.grade_shares,
            bonus_cap: self.bonus_cap,
            weights: self.weights,
        }
    }
}

/// Set the office 分值 of indicators inside a write.
pub(crate) fn put_points(
    tx: &Transaction<'_>,
    campaign_id: i64,
    items: &[(i64, Option<Points>)],
) -> Result<()> {
    for (i, p) in items {
        tx.execute(
            "DELETE FROM eval_points WHERE campaign_id = ?1 AND indicator_id = ?2",
            params![campaign_id, i],
        )?;
        if let Some(p) = p {
            tx.execute(
                "INSERT INTO eval_points (campaign_id, indicator_id, points) VALUES (?1, ?2, ?3)",
                params![campaign_id, i, p.hundredths()],
            )?;
        }
    }
    Ok(())
}

/// Replace the rules of an indicator inside a write: rules with an id are updated in place,
/// others inserted, the rest removed. Removing a rule a mark uses is refused (the mark's
/// deduction would silently change).
pub(crate) fn put_rules(
    tx: &Transaction<'_>,
    campaign_id: i64,
    indicator_id: i64,
    no: i64,
    rules: &[RuleInput],
) -> Result<()> {
    let existing = rules_of(tx, campaign_id, indicator_id)?;
    let kept: Vec<i64> = rules.iter().filter_map(|r| r.id).collect();
    for old in existing.iter().filter(|r| !kept.contains(&r.id)) {
        let used: i64 = tx.query_row(
            "SELECT count(*) FROM eval_mark_rule WHERE rule_id = ?1",
            [old.id],
            |r| r.get(0),
        )?;
        if used > 0 {
            return Err(Error::Invalid(format!(
                "指标 {no} 的评分标准“{}”已被 {used} 条评分使用，不能删除；请先修改这些评分。",
                short(&old.text)
            )));
        }
        tx.execute("DELETE FROM eval_rule WHERE id = ?1", [old.id])?;
    }
    for (pos, r) in rules.iter().enumerate() {
        let amount = r.amount.map(Points::hundredths);
        let cap = r.cap.map(Points::hundredths);
        match r.id {
            Some(id) if existing.iter().any(|x| x.id == id) => {
                tx.execute(
                    "UPDATE eval_rule SET kind=?2, text=?3, amount=?4, cap=?5, position=?6 WHERE id=?1",
                    params![id, r.kind.code(), r.text.trim(), amount, cap, pos as i64],
                )?;
            }
            Some(id) => {
                return Err(Error::NotFound(format!(
                    "指标 {no} 没有编号为 {id} 的评分标准。"
                )));
            }
            None => {
                tx.execute(
                    "INSERT INTO eval_rule (campaign_id, indicator_id, kind, text, amount, cap, position)
                     VALUES (?1,?2,?3,?4,?5,?6,?7)",
                    params![
                        campaign_id,
                        indicator_id,
                        r.kind.code(),
                        r.text.trim(),
                        amount,
                        cap,
                        pos as i64
                    ],
                )?;
            }
        }
    }
    Ok(())
}

/// Check a rule input: amounts where the shape needs one, nothing negative.
pub(crate) fn check_rule(no: i64, r: &RuleInput) -> Result<()> {
    let bad = |what: &str| Err(Error::Invalid(format!("指标 {no} 的评分标准：{what}")));
    if r.text.trim().is_empty() {
        return bad("请填写评分标准的文字（如“每件扣0.2分，扣完为止”）。");
    }
    if matches!(r.kind, RuleKind::Fixed | RuleKind::PerItem) && r.amount.is_none() {
        return bad(&format!("“{}”需要填写每项/每次扣分数。", r.kind.label()));
    }
    for v in [r.amount, r.cap].into_iter().flatten() {
        if v.is_negative() || v.hundredths() == 0 {
            return bad("扣分数和累计上限应大于 0。");
        }
    }
    Ok(())
}

/// Spread `total` over `weights` (relative integers, any unit) exactly (largest remainder, in
/// tenths of a point): every share is a multiple of 0.1 and the shares add up to `total`
/// exactly. Ties go to the earlier indicator.
pub fn apportion(total: Points, weights: &[i64]) -> Result<Vec<Points>> {
    if total.hundredths() % 10 != 0 || total.is_negative() {
        return Err(Error::Invalid(format!(
            "总分 {total} 应为不小于 0、最小单位 0.1 分的数。"
        )));
    }
    let units = (total.hundredths() / 10) as i128;
    let w: Vec<i128> = weights.iter().map(|p| (*p).max(0) as i128).collect();
    let sum: i128 = w.iter().sum();
    if sum == 0 {
        return Err(Error::Invalid("权重合计为 0，无法分配分值。".into()));
    }
    let mut shares: Vec<i128> = w.iter().map(|x| units * x / sum).collect();
    let mut rest = units - shares.iter().sum::<i128>();
    let mut order: Vec<usize> = (0..w.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(units * w[i] % sum));
    for i in order {
        if rest == 0 {
            break;
        }
        shares[i] += 1;
        rest -= 1;
    }
    Ok(shares
        .into_iter()
        .map(|s| Points::from_tenths(s as i64))
        .collect())
}

impl Workspace {
    /// 评分方案 of the active campaign with each indicator's 分值 and rules, and the 否决项 list.
    pub fn scoring_model(&self) -> Result<ScoringModel> {
        let conn = self.store().conn();
        let m = load(conn)?;
        let tree = campaign_tree(conn)?;
        let leaves = crate::indicators::leaves(&tree);
        let plan = super::headings::plan(&tree.roots);
        let mut rules = all_rules(conn, m.campaign_id)?;
        let mut system_total = Points::ZERO;
        let mut office_total = Points::ZERO;
        let mut missing = 0;
        let indicators: Vec<IndicatorPoints> = leaves
            .iter()
            .map(|l| {
                let sys = l.score.and_then(Points::from_f64);
                let off = m.office.get(&l.id).copied();
                system_total += sys.unwrap_or_default();
                office_total += off.unwrap_or_default();
                let points = m.max_of(l);
                if points.is_none() {
                    missing += 1;
                }
                IndicatorPoints {
                    indicator_id: l.id,
                    no: l.no,
                    text: l.text.clone(),
                    aspect: l.path.first().cloned().unwrap_or_default(),
                    methods: l.methods.clone(),
                    system_points: sys,
                    office_points: off,
                    points,
                    rules: rules.remove(&l.id).unwrap_or_default(),
                }
            })
            .collect();
        Ok(ScoringModel {
            points_source: m.points_source,
            method: m.method,
            grade_shares: m.grade_shares,
            bonus_cap: m.bonus_cap,
            weights: m.weights,
            system_has_points: m.system_has_points,
            reference: m.reference(),
            label: m.label(),
            system_total,
            office_total,
            missing,
            indicators,
            vetoes: list_vetoes(conn, m.campaign_id)?,
            heading_groups: plan.groups as i64,
            heading_notes: plan.problems.into_iter().chain(plan.notes).collect(),
        })
    }

    /// 修改评分方案.
    pub fn save_scoring_model(&mut self, input: &ModelInput) -> Result<ScoringModel> {
        let conn = self.store().conn();
        let c = campaign_id(conn)?;
        let m = load(conn)?;
        if input.points_source == PointsSource::System && !m.system_has_points {
            return Err(Error::Invalid(format!(
                "指标体系“{}”没有分值，只能由依法治区办自定分值。",
                m.system_name
            )));
        }
        let g = input.grade_shares;
        for (label, v) in [("达标", g.full), ("基本达标", g.basic), ("未达标", g.fail)] {
            if v.is_negative() || v > Points::whole(100) {
                return Err(Error::Invalid(format!(
                    "“{label}”的得分比例应在 0 到 100（%）之间（填写的是 {v}）。"
                )));
            }
        }
        if !(g.full >= g.basic && g.basic >= g.fail) {
            return Err(Error::Invalid(
                "得分比例应为 达标 ≥ 基本达标 ≥ 未达标。".into(),
            ));
        }
        if input.bonus_cap.is_some_and(Points::is_negative) {
            return Err(Error::Invalid("附加项上限不能为负数。".into()));
        }
        let w = input.weights;
        for (label, v) in [
            ("材料书面评审", w.written),
            ("实地评估", w.site),
            ("群众满意度测评", w.satisfaction),
        ] {
            if let Some(v) = v
                && (v.is_negative() || v > Points::whole(100))
            {
                return Err(Error::Invalid(format!(
                    "“{label}”的权重应在 0 到 100（%）之间（填写的是 {v}）。"
                )));
            }
        }
        let detail = format!(
            "{}，{}",
            match input.points_source {
                PointsSource::System => "分值来自指标体系",
                PointsSource::Office => "依法治区办自定分值",
            },
            match input.method {
                ScoringMethod::Points => "按分值评分",
                ScoringMethod::Grade => "按等次评分",
            }
        );
        self.store_mut().write(
            Action::EditScoringModel,
            |_| detail,
            |tx| put_model(tx, c, input),
        )?;
        self.scoring_model()
    }

    /// Edit the office's 分值 of some indicators.
    pub fn set_indicator_points(&mut self, items: &[PointsInput]) -> Result<ScoringModel> {
        let conn = self.store().conn();
        let c = campaign_id(conn)?;
        let leaves = campaign_leaves(conn)?;
        let mut v = Vec::new();
        for it in items {
            let leaf = leaves
                .iter()
                .find(|l| l.id == it.indicator_id)
                .ok_or_else(|| Error::NotFound("指标不在当前项目的指标体系中。".into()))?;
            if let Some(p) = it.points
                && (p.is_negative() || p > Points::whole(10_000))
            {
                return Err(Error::Invalid(format!(
                    "指标 {} 的分值 {p} 应在 0 到 10000 之间。",
                    leaf.no
                )));
            }
            v.push((it.indicator_id, it.points));
        }
        let detail = format!("修改 {} 项指标的分值", v.len());
        self.store_mut().write(
            Action::EditScoringModel,
            |_| detail,
            |tx| put_points(tx, c, &v),
        )?;
        self.scoring_model()
    }

    /// Spread `total` (e.g. 1000) evenly over every indicator as the office scale (multiples of
    /// 0.1, adding up exactly) and score on it.
    pub fn distribute_points(&mut self, total: Points) -> Result<ScoringModel> {
        let leaves = campaign_leaves(self.store().conn())?;
        if leaves.is_empty() {
            return Err(Error::Invalid("当前指标体系没有指标。".into()));
        }
        let shares = apportion(total, &vec![1; leaves.len()])?;
        let items: Vec<(i64, Option<Points>)> = leaves
            .iter()
            .zip(shares)
            .map(|(l, p)| (l.id, Some(p)))
            .collect();
        let detail = format!("按总分 {total} 平均分配 {} 项指标的分值", leaves.len());
        self.score_on_office_scale(&items, detail)
    }

    /// Take the office scale from the 分值 the system gives its headings: each scored
    /// heading's 分值 spread evenly over the indicators beneath it that a deeper scored heading
    /// or their own 分值 does not cover (see [`super::headings`]), and score on it (参考).
    /// Indicators no scored heading covers keep the office 分值 they had.
    pub fn distribute_heading_points(&mut self) -> Result<ScoringModel> {
        let plan = super::headings::plan(&campaign_tree(self.store().conn())?.roots);
        if plan.groups == 0 {
            return Err(Error::Invalid(
                "当前指标体系的各级标题都没有分值，无法按分组分值分配；可按总分平均分配或导入分值表。".into(),
            ));
        }
        if !plan.problems.is_empty() {
            return Err(Error::Invalid(format!(
                "未按分组分值分配，没有做任何改动：{}",
                plan.problems.join("；")
            )));
        }
        let items: Vec<(i64, Option<Points>)> =
            plan.points.iter().map(|(id, p)| (*id, Some(*p))).collect();
        let mut detail = format!(
            "按指标体系中 {} 个标题的分值分配 {} 项指标的分值",
            plan.groups,
            items.len()
        );
        if plan.uncovered > 0 {
            detail.push_str(&format!(
                "（{} 项不在有分值的标题下，未改动）",
                plan.uncovered
            ));
        }
        self.score_on_office_scale(&items, detail)
    }

    /// Write `items` into the office scale and score on it (参考), in one write told as
    /// `detail`; the rest of the model stays as it is.
    fn score_on_office_scale(
        &mut self,
        items: &[(i64, Option<Points>)],
        detail: String,
    ) -> Result<ScoringModel> {
        let conn = self.store().conn();
        let c = campaign_id(conn)?;
        let mut input = load(conn)?.input();
        input.points_source = PointsSource::Office;
        self.store_mut().write(
            Action::EditScoringModel,
            |_| detail,
            |tx| {
                put_points(tx, c, items)?;
                put_model(tx, c, &input)
            },
        )?;
        self.scoring_model()
    }

    /// Save the deduction rules of one indicator.
    pub fn save_rules(
        &mut self,
        indicator_id: i64,
        rules: &[RuleInput],
    ) -> Result<Vec<DeductionRule>> {
        let conn = self.store().conn();
        let c = campaign_id(conn)?;
        let leaf = campaign_leaves(conn)?
            .into_iter()
            .find(|l| l.id == indicator_id)
            .ok_or_else(|| Error::NotFound("指标不在当前项目的指标体系中。".into()))?;
        for r in rules {
            check_rule(leaf.no, r)?;
        }
        let detail = format!("指标 {} 的评分标准（{} 条）", leaf.no, rules.len());
        self.store_mut().write(
            Action::EditScoringModel,
            |_| detail,
            |tx| put_rules(tx, c, indicator_id, leaf.no, rules),
        )?;
        rules_of(self.store().conn(), c, indicator_id)
    }

    /// Save the 否决项 list (kept ids stay; an item flagged in a round cannot be removed).
    pub fn save_vetoes(&mut self, items: &[VetoInput]) -> Result<Vec<VetoItem>> {
        let conn = self.store().conn();
        let c = campaign_id(conn)?;
        let existing = list_vetoes(conn, c)?;
        let leaves = campaign_leaves(conn)?;
        let mut texts = Vec::new();
        for it in items {
            let t = crate::text::clean_cell(&it.text);
            if t.is_empty() {
                return Err(Error::Invalid("请填写否决项的内容。".into()));
            }
            if let Some(i) = it.indicator_id
                && !leaves.iter().any(|l| l.id == i)
            {
                return Err(Error::NotFound(
                    "否决项关联的指标不在当前指标体系中。".into(),
                ));
            }
            if let Some(id) = it.id
                && !existing.iter().any(|v| v.id == id)
            {
                return Err(Error::NotFound(format!("否决项（编号 {id}）不存在。")));
            }
            texts.push(t);
        }
        let kept: Vec<i64> = items.iter().filter_map(|i| i.id).collect();
        for old in existing.iter().filter(|v| !kept.contains(&v.id)) {
            let hits: i64 = conn.query_row(
                "SELECT count(*) FROM eval_veto_hit WHERE veto_id = ?1",
                [old.id],
                |r| r.get(0),
            )?;
            if hits > 0 {
                return Err(Error::Invalid(format!(
                    "否决项“{}”已在 {hits} 轮评估中标记为触发，不能删除；请先在这些轮次中取消。",
                    short(&old.text)
                )));
            }
        }
        let detail = format!("否决项清单（{} 项）", items.len());
        self.store_mut().write(Action::EditVeto, |_| detail, |tx| {
            for old in existing.iter().filter(|v| !kept.contains(&v.id)) {
                tx.execute("DELETE FROM eval_veto WHERE id = ?1", [old.id])?;
            }
            for (pos, (it, text)) in items.iter().zip(&texts).enumerate() {
                match it.id {
                    Some(id) => tx.execute(
                        "UPDATE eval_veto SET text=?2, indicator_id=?3, note=?4, position=?5 WHERE id=?1",
                        params![id, text, it.indicator_id, it.note.trim(), pos as i64],
                    )?,
                    None => tx.execute(
                        "INSERT INTO eval_veto (campaign_id, text, indicator_id, note, position)
                         VALUES (?1,?2,?3,?4,?5)",
                        params![c, text, it.indicator_id, it.note.trim(), pos as i64],
                    )?,
                };
            }
            Ok(())
        })?;
        list_vetoes(self.store().conn(), c)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_total_is_spread_exactly() {
        let s = apportion(Points::whole(1000), &[1; 104]).expect("ok");
        assert_eq!(s.iter().copied().sum::<Points>(), Points::whole(1000));
        assert!(s.iter().all(|p| p.hundredths() % 10 == 0));
        let s = apportion(Points::whole(100), &[15, 15, 70]).expect("ok");
        assert_eq!(
            s,
            vec![Points::whole(15), Points::whole(15), Points::whole(70)]
        );
        let s = apportion(Points::whole(1), &[1; 3]).expect("ok");
        assert_eq!(
            s,
            vec![
                Points::from_tenths(4),
                Points::from_tenths(3),
                Points::from_tenths(3)
            ]
        );
        assert!(apportion(Points::from_hundredths(5), &[1]).is_err());
        assert!(apportion(Points::whole(1), &[0]).is_err());
    }
}
