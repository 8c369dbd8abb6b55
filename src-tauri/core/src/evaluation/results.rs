//! 评估结果: what a round's marks add up to — the total, each aspect (一级指标) and each
//! indicator with its score and the points lost; where the points are lost (indicators ranked,
//! and by the 牵头单位 of the 任务分解), 附加项 apart from the base total, the three-part
//! composite when the office set its weights, the triggered 否决项, and the comparison with the
//! round before. Also the scoring grid (per indicator, the experts side by side) and the
//! drafts of 整改台账 problems from the deductions.
//!
//! The loading (`load`) and the arithmetic (`compute`) are apart: `compute` is a pure function
//! of what was loaded, and the property tests drive it with random systems, rules and marks.
//! Every total is a plain integer sum of the parts shown beside it.

use std::collections::{BTreeMap, HashMap};

use rusqlite::Connection;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::compute::{self, Choice, GradeShares, RuleSpec, ScoreSource};
use super::model::{self, CompositeWeights, DeductionRule, ScoringMethod};
use super::points::Points;
use super::{
    BonusItem, EvalRound, Expert, Mark, StoredMark, VetoHit, campaign_leaves, get_round,
    list_bonus, list_cases, list_experts, list_rounds, list_veto_hits, load_marks, load_picks,
};
use crate::error::Result;
use crate::model::IndicatorLeaf;
use crate::tasks::UnitRef;
use crate::workspace::Workspace;

/// Score, 分值 and points lost of a total or an aspect.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ScoreLine {
    /// Sum of the scored indicators' scores.
    pub score: Points,
    /// Sum of the scored indicators' 分值.
    pub max: Points,
    /// max − score: the points lost.
    pub lost: Points,
    /// Sum of every indicator's 分值 (scored or not).
    pub max_all: Points,
    /// 得分率 (%) = score / max × 100, rounded to 0.01; None when nothing is scored.
    pub rate: Option<Points>,
    #[ts(type = "number")]
    pub scored: i64,
    #[ts(type = "number")]
    pub count: i64,
}

impl ScoreLine {
    fn add(&mut self, i: &IndicatorResult) {
        self.count += 1;
        self.max_all += i.max.unwrap_or_default();
        if let (Some(s), Some(m)) = (i.score, i.max) {
            self.scored += 1;
            self.score += s;
            self.max += m;
            self.lost += m - s;
        }
    }

    fn finish(mut self) -> ScoreLine {
        self.rate = rate(self.score, self.max);
        self
    }
}

/// `score / max × 100` rounded to 0.01.
pub fn rate(score: Points, max: Points) -> Option<Points> {
    (max.hundredths() > 0).then(|| Points::whole(100).scaled(score.hundredths(), max.hundredths()))
}

/// One indicator in the results.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct IndicatorResult {
    #[ts(type = "number")]
    pub indicator_id: i64,
    #[ts(type = "number")]
    pub no: i64,
    pub text: String,
    pub path: Vec<String>,
    /// 牵头单位 (from the 任务分解).
    pub leads: Vec<UnitRef>,
    /// 分值 (None: the indicator has none under the model).
    pub max: Option<Points>,
    pub score: Option<Points>,
    /// 分值 − score.
    pub lost: Option<Points>,
    pub source: ScoreSource,
    pub source_label: String,
    /// 扣分理由 of the marks that count.
    pub reasons: Vec<String>,
    #[ts(type = "number")]
    pub mark_count: i64,
    #[ts(type = "number")]
    pub case_count: i64,
    /// Mean 得分率 of its reviewed case files (%).
    pub case_rate: Option<Points>,
    /// Score in the round before.
    pub prev_score: Option<Points>,
    /// A mark did not fit the 分值 (changed since) and was clamped.
    pub clamped: bool,
}

/// One aspect (一级指标) with its indicators.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct AspectResult {
    /// "一、政府职能依法全面履行".
    pub label: String,
    pub score: Points,
    pub max: Points,
    pub lost: Points,
    pub max_all: Points,
    pub rate: Option<Points>,
    #[ts(type = "number")]
    pub scored: i64,
    #[ts(type = "number")]
    pub count: i64,
    pub prev_score: Option<Points>,
    pub indicators: Vec<IndicatorResult>,
}

/// An indicator losing points, for the ranking.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct LostItem {
    #[ts(type = "number")]
    pub indicator_id: i64,
    #[ts(type = "number")]
    pub no: i64,
    pub text: String,
    pub aspect: String,
    pub max: Points,
    pub lost: Points,
    pub leads: Vec<UnitRef>,
    pub reasons: Vec<String>,
    pub prev_lost: Option<Points>,
}

/// The points lost on the indicators a unit leads. An indicator with several 牵头单位 counts
/// for each of them, so these do not add up to the total lost.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct UnitLoss {
    #[ts(type = "number | null")]
    pub unit_id: Option<i64>,
    /// "未分解" for indicators without a 牵头单位.
    pub unit_name: String,
    pub lost: Points,
    /// Indicators losing points.
    #[ts(type = "number")]
    pub indicators: i64,
    pub max: Points,
}

/// 附加项 of the round: kept outside the base total.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct BonusResult {
    pub items: Vec<BonusItem>,
    /// Their sum.
    pub raw: Points,
    /// What counts: the sum within ±cap.
    pub applied: Points,
    pub cap: Option<Points>,
}

/// One part of the three-part composite.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct CompositePart {
    /// "written" / "site" / "satisfaction".
    pub key: String,
    /// 材料书面评审 / 实地评估 / 群众满意度测评.
    pub name: String,
    pub weight: Option<Points>,
    /// Out of 100 (the written part is the 得分率 of the indicators; satisfaction the rate).
    pub value: Option<Points>,
    /// value × weight / 100, rounded to 0.01.
    pub contribution: Option<Points>,
    pub detail: String,
}

/// 综合成绩: the weighted sum of the three parts, when every weight and part is there.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Composite {
    pub parts: Vec<CompositePart>,
    /// Sum of the contributions.
    pub total: Option<Points>,
    /// Why there is no total yet ("权重未设置" …), empty when there is one.
    pub note: String,
}

/// The round before, for comparisons.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct PreviousRound {
    #[ts(type = "number")]
    pub round_id: i64,
    pub name: String,
    pub total: ScoreLine,
}

/// 评估结果 of one round.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct EvalResults {
    pub round: EvalRound,
    /// Scores on the office's own scale: labelled 参考.
    pub reference: bool,
    /// Where the 分值 come from.
    pub label: String,
    /// "得分" or "得分（参考）".
    pub score_label: String,
    pub total: ScoreLine,
    pub aspects: Vec<AspectResult>,
    pub bonus: BonusResult,
    /// total.score + bonus.applied.
    pub total_with_bonus: Points,
    pub composite: Composite,
    /// Triggered 否决项: the round is flagged; no number changes.
    pub vetoes: Vec<VetoHit>,
    pub flagged: bool,
    /// Indicators losing points, most first.
    pub lost_ranking: Vec<LostItem>,
    /// Points lost by 牵头单位, most first.
    pub by_unit: Vec<UnitLoss>,
    /// Indicators several experts scored differently, with no choice made yet.
    #[ts(type = "number")]
    pub unconfirmed: i64,
    /// Indicators without a 分值 under the model.
    #[ts(type = "number")]
    pub without_points: i64,
    pub previous: Option<PreviousRound>,
    /// Plain-language notes ("尚有 12 项指标未评分" …).
    pub notes: Vec<String>,
}

/// One row of the scoring grid: an indicator, its 分值 and rules, and the experts' marks side
/// by side.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct GridRow {
    #[ts(type = "number")]
    pub indicator_id: i64,
    #[ts(type = "number")]
    pub no: i64,
    pub text: String,
    pub aspect: String,
    pub methods: Option<String>,
    pub max: Option<Points>,
    pub rules: Vec<DeductionRule>,
    pub leads: Vec<UnitRef>,
    /// Experts assigned to score it.
    #[ts(type = "Array<number>")]
    pub assigned: Vec<i64>,
    pub marks: Vec<Mark>,
    /// The office's choice: "expert", "average" or null.
    pub pick: Option<String>,
    #[ts(type = "number | null")]
    pub pick_expert_id: Option<i64>,
    /// The score that counts.
    pub score: Option<Points>,
    pub source: ScoreSource,
    pub source_label: String,
    /// Several experts with different scores.
    pub differs: bool,
    #[ts(type = "number")]
    pub case_count: i64,
    pub case_rate: Option<Points>,
}

/// The scoring grid of a round.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ScoreGrid {
    pub round: EvalRound,
    pub experts: Vec<Expert>,
    pub method: ScoringMethod,
    pub grade_shares: GradeShares,
    pub reference: bool,
    pub label: String,
    pub rows: Vec<GridRow>,
}

/// One point of the trend across rounds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct TrendPoint {
    #[ts(type = "number")]
    pub round_id: i64,
    pub name: String,
    pub kind: super::RoundKind,
    pub total: ScoreLine,
    pub total_with_bonus: Points,
    pub composite: Option<Points>,
    pub satisfaction: Option<Points>,
    pub flagged: bool,
    pub aspects: Vec<AspectPoint>,
}

/// An aspect's score in one round of the trend.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct AspectPoint {
    pub label: String,
    pub score: Points,
    pub max: Points,
    pub rate: Option<Points>,
}

/// A problem for the 整改台账 drafted from a deduction: the indicator, its 牵头单位 (who must
/// fix it) and the 扣分理由 as 整改要求. Inserting it is the problem ledger's job.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ProblemDraft {
    #[ts(type = "number")]
    pub round_id: i64,
    /// 问题来源: "模拟评估一".
    pub source: String,
    #[ts(type = "number")]
    pub indicator_id: i64,
    #[ts(type = "number")]
    pub no: i64,
    pub indicator: String,
    /// 牵头单位 (ids and names; empty when the indicator is not yet assigned).
    #[ts(type = "Array<number>")]
    pub lead_unit_ids: Vec<i64>,
    pub lead_units: Vec<String>,
    /// 问题描述: "模拟评估一：指标12“…”失1.5分（满分2分）".
    pub description: String,
    /// 整改要求: the 扣分理由.
    pub requirement: String,
    pub lost: Points,
}

// ---------------------------------------------------------------------------------------------
// The arithmetic over loaded data.

/// Everything one indicator's result needs.
#[derive(Debug, Clone)]
pub(crate) struct LeafInput {
    pub leaf: IndicatorLeaf,
    pub max: Option<Points>,
    pub rules: Vec<RuleSpec>,
    pub marks: Vec<StoredMark>,
    pub pick: Option<Choice>,
    /// 得分率 of its reviewed case files.
    pub case_rates: Vec<Points>,
    pub leads: Vec<UnitRef>,
}

/// Everything a round's results need.
#[derive(Debug, Clone)]
pub(crate) struct ResultInput {
    pub round: EvalRound,
    pub reference: bool,
    pub label: String,
    pub shares: GradeShares,
    pub bonus_cap: Option<Points>,
    pub weights: CompositeWeights,
    pub leaves: Vec<LeafInput>,
    pub bonus: Vec<BonusItem>,
    pub vetoes: Vec<VetoHit>,
    pub previous: Option<EvalResults>,
}

/// The score that counts for one indicator: (score, source, clamped, reasons, differs).
fn indicator_score(
    l: &LeafInput,
    shares: &GradeShares,
) -> (Option<Points>, ScoreSource, bool, Vec<String>, bool) {
    let Some(max) = l.max else {
        return (None, ScoreSource::None, false, Vec::new(), false);
    };
    let valued: Vec<(Option<i64>, compute::Marked, &StoredMark)> = l
        .marks
        .iter()
        .map(|m| {
            (
                m.expert_id,
                compute::mark_points(&m.entry(), max, &l.rules, shares),
                m,
            )
        })
        .collect();
    let pairs: Vec<(Option<i64>, Points)> = valued.iter().map(|(e, v, _)| (*e, v.score)).collect();
    let cases = compute::from_cases(max, &l.case_rates);
    let (score, source) = compute::resolve(&pairs, l.pick, cases);
    let counted: Vec<&(Option<i64>, compute::Marked, &StoredMark)> = match source {
        ScoreSource::Office => valued.iter().filter(|v| v.0.is_none()).collect(),
        ScoreSource::Picked => match l.pick {
            Some(Choice::Expert(e)) => valued.iter().filter(|v| v.0 == Some(e)).collect(),
            _ => Vec::new(),
        },
        _ => valued.iter().collect(),
    };
    let clamped = counted.iter().any(|v| v.1.clamped);
    let mut reasons: Vec<String> = Vec::new();
    for v in &counted {
        let r = v.2.reason.trim();
        if !r.is_empty() && !v.1.deduction.is_zero() && !reasons.iter().any(|x| x == r) {
            reasons.push(r.to_string());
        }
    }
    let differs = {
        let experts: Vec<Points> = valued
            .iter()
            .filter(|v| v.0.is_some())
            .map(|v| v.1.score)
            .collect();
        experts.windows(2).any(|w| w[0] != w[1])
    };
    (score, source, clamped, reasons, differs)
}

/// A round's results from what was loaded. Pure: no database.
pub(crate) fn compute(input: &ResultInput) -> EvalResults {
    let prev_ind: HashMap<i64, Option<Points>> = input
        .previous
        .iter()
        .flat_map(|p| p.aspects.iter().flat_map(|a| a.indicators.iter()))
        .map(|i| (i.indicator_id, i.score))
        .collect();
    let prev_lost: HashMap<i64, Option<Points>> = input
        .previous
        .iter()
        .flat_map(|p| p.aspects.iter().flat_map(|a| a.indicators.iter()))
        .map(|i| (i.indicator_id, i.lost))
        .collect();
    let prev_aspect: HashMap<&str, Points> = input
        .previous
        .iter()
        .flat_map(|p| p.aspects.iter())
        .filter(|a| a.scored > 0)
        .map(|a| (a.label.as_str(), a.score))
        .collect();
    // Aspects in system order.
    let mut order: Vec<String> = Vec::new();
    let mut groups: HashMap<String, Vec<IndicatorResult>> = HashMap::new();
    let mut unconfirmed = 0;
    let mut without_points = 0;
    let mut clamped_nos = Vec::new();
    for l in &input.leaves {
        let (score, source, clamped, reasons, _) = indicator_score(l, &input.shares);
        if source == ScoreSource::Unconfirmed {
            unconfirmed += 1;
        }
        if l.max.is_none() {
            without_points += 1;
        }
        if clamped {
            clamped_nos.push(l.leaf.no);
        }
        let aspect = l
            .leaf
            .path
            .first()
            .cloned()
            .unwrap_or_else(|| "全部指标".to_string());
        let r = IndicatorResult {
            indicator_id: l.leaf.id,
            no: l.leaf.no,
            text: l.leaf.text.clone(),
            path: l.leaf.path.clone(),
            leads: l.leads.clone(),
            max: l.max,
            score,
            lost: match (l.max, score) {
                (Some(m), Some(s)) => Some(m - s),
                _ => None,
            },
            source,
            source_label: source.label().to_string(),
            reasons,
            mark_count: l.marks.len() as i64,
            case_count: l.case_rates.len() as i64,
            case_rate: Points::mean(&l.case_rates),
            prev_score: prev_ind.get(&l.leaf.id).copied().flatten(),
            clamped,
        };
        if !groups.contains_key(&aspect) {
            order.push(aspect.clone());
        }
        groups.entry(aspect).or_default().push(r);
    }
    let mut total = ScoreLine::default();
    let mut aspects = Vec::new();
    for label in order {
        let indicators = groups.remove(&label).unwrap_or_default();
        let mut line = ScoreLine::default();
        for i in &indicators {
            line.add(i);
            total.add(i);
        }
        let line = line.finish();
        aspects.push(AspectResult {
            prev_score: prev_aspect.get(label.as_str()).copied(),
            label,
            score: line.score,
            max: line.max,
            lost: line.lost,
            max_all: line.max_all,
            rate: line.rate,
            scored: line.scored,
            count: line.count,
            indicators,
        });
    }
    let total = total.finish();

    // Where the points are lost.
    let mut lost_ranking: Vec<LostItem> = aspects
        .iter()
        .flat_map(|a| a.indicators.iter().map(move |i| (a, i)))
        .filter_map(|(a, i)| {
            let lost = i.lost?;
            (lost > Points::ZERO).then(|| LostItem {
                indicator_id: i.indicator_id,
                no: i.no,
                text: i.text.clone(),
                aspect: a.label.clone(),
                max: i.max.unwrap_or_default(),
                lost,
                leads: i.leads.clone(),
                reasons: i.reasons.clone(),
                prev_lost: prev_lost.get(&i.indicator_id).copied().flatten(),
            })
        })
        .collect();
    lost_ranking.sort_by(|a, b| b.lost.cmp(&a.lost).then(a.no.cmp(&b.no)));
    let mut units: BTreeMap<(Option<i64>, String), UnitLoss> = BTreeMap::new();
    for i in aspects.iter().flat_map(|a| a.indicators.iter()) {
        let (Some(lost), Some(max)) = (i.lost, i.max) else {
            continue;
        };
        let keys: Vec<(Option<i64>, String)> = if i.leads.is_empty() {
            vec![(None, "未分解".to_string())]
        } else {
            i.leads
                .iter()
                .map(|u| (Some(u.id), u.name.clone()))
                .collect()
        };
        for k in keys {
            let e = units.entry(k.clone()).or_insert(UnitLoss {
                unit_id: k.0,
                unit_name: k.1,
                lost: Points::ZERO,
                indicators: 0,
                max: Points::ZERO,
            });
            e.lost += lost;
            e.max += max;
            if lost > Points::ZERO {
                e.indicators += 1;
            }
        }
    }
    let mut by_unit: Vec<UnitLoss> = units.into_values().collect();
    by_unit.sort_by(|a, b| b.lost.cmp(&a.lost).then(a.unit_name.cmp(&b.unit_name)));

    let items: Vec<Points> = input.bonus.iter().map(|b| b.points).collect();
    let bonus = BonusResult {
        items: input.bonus.clone(),
        raw: items.iter().sum(),
        applied: compute::bonus_applied(&items, input.bonus_cap),
        cap: input.bonus_cap,
    };
    let composite = composite(input, &total);
    let mut notes = Vec::new();
    if input.reference {
        notes.push("分值由依法治区办自定，得分为自评分（参考），不是官方分数。".to_string());
    }
    if total.scored < total.count {
        notes.push(format!(
            "尚有 {} 项指标未评分，总分只计已评分的 {} 项。",
            total.count - total.scored,
            total.scored
        ));
    }
    if without_points > 0 {
        notes.push(format!(
            "{without_points} 项指标还没有分值，请在“评分方案”中设置。"
        ));
    }
    if unconfirmed > 0 {
        notes.push(format!(
            "{unconfirmed} 项指标的专家评分不一致，暂取平均分，请确定采用哪位专家的评分或取平均。"
        ));
    }
    if !clamped_nos.is_empty() {
        notes.push(format!(
            "指标 {} 的评分超出现行分值（分值改动过），已按分值截取。",
            super::ranges(&clamped_nos)
        ));
    }
    if !input.vetoes.is_empty() {
        notes.push(format!(
            "本轮触发否决项 {} 项：{}。得分未因此改变，但创建存在被否决的风险。",
            input.vetoes.len(),
            input
                .vetoes
                .iter()
                .map(|v| format!("“{}”", v.text))
                .collect::<Vec<_>>()
                .join("、")
        ));
    }
    EvalResults {
        round: input.round.clone(),
        reference: input.reference,
        label: input.label.clone(),
        score_label: if input.reference {
            "自评分（参考）".into()
        } else {
            "得分".into()
        },
        total_with_bonus: total.score + bonus.applied,
        total,
        aspects,
        bonus,
        composite,
        flagged: !input.vetoes.is_empty(),
        vetoes: input.vetoes.clone(),
        lost_ranking,
        by_unit,
        unconfirmed,
        without_points,
        previous: input.previous.as_ref().map(|p| PreviousRound {
            round_id: p.round.id,
            name: p.round.name.clone(),
            total: p.total,
        }),
        notes,
    }
}

fn composite(input: &ResultInput, total: &ScoreLine) -> Composite {
    let w = input.weights;
    let sat = &input.round.satisfaction;
    let written_value = if total.scored == total.count {
        total.rate
    } else {
        None
    };
    let parts_raw = [
        (
            "written",
            "材料书面评审",
            w.written,
            written_value,
            match total.rate {
                Some(r) if total.scored == total.count => {
                    format!("指标得分率 {r}%（{} / {} 分）", total.score, total.max)
                }
                _ => format!("尚有 {} 项指标未评分", total.count - total.scored),
            },
        ),
        (
            "site",
            "实地评估",
            w.site,
            input.round.site_score,
            if input.round.site_note.is_empty() {
                "百分制".to_string()
            } else {
                input.round.site_note.clone()
            },
        ),
        (
            "satisfaction",
            "群众满意度测评",
            w.satisfaction,
            sat.rate,
            [
                sat.sample.map(|n| format!("样本 {n} 个")),
                (!sat.method.is_empty()).then(|| sat.method.clone()),
                (!sat.period.is_empty()).then(|| sat.period.clone()),
            ]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join("，"),
        ),
    ];
    let parts: Vec<CompositePart> = parts_raw
        .into_iter()
        .map(|(key, name, weight, value, detail)| CompositePart {
            key: key.into(),
            name: name.into(),
            weight,
            value,
            contribution: match (weight, value) {
                (Some(w), Some(v)) => Some(v.percent(w)),
                _ => None,
            },
            detail,
        })
        .collect();
    let weights_set = parts.iter().all(|p| p.weight.is_some());
    let weight_sum: Points = parts.iter().filter_map(|p| p.weight).sum();
    let (total, note) = if !weights_set {
        (
            None,
            "三部分权重未设置（官方权重未公布），请在“评分方案”中填写后计算综合成绩。".to_string(),
        )
    } else if weight_sum != Points::whole(100) {
        (None, format!("三部分权重合计为 {weight_sum}%，应为 100%。"))
    } else if let Some(p) = parts.iter().find(|p| p.value.is_none()) {
        (None, format!("“{}”尚无成绩。", p.name))
    } else {
        (
            parts
                .iter()
                .filter_map(|p| p.contribution)
                .sum::<Points>()
                .into(),
            String::new(),
        )
    };
    Composite { parts, total, note }
}

/// The 整改台账 drafts of a round's deductions: one per indicator losing points, numbered as
/// the system is, with the 扣分理由 as 整改要求 and the 牵头单位 to fix it.
pub fn deductions_for_problems(results: &EvalResults) -> Vec<ProblemDraft> {
    let mut out: Vec<ProblemDraft> = results
        .aspects
        .iter()
        .flat_map(|a| a.indicators.iter())
        .filter_map(|i| {
            let lost = i.lost.filter(|l| *l > Points::ZERO)?;
            let max = i.max.unwrap_or_default();
            Some(ProblemDraft {
                round_id: results.round.id,
                source: results.round.name.clone(),
                indicator_id: i.indicator_id,
                no: i.no,
                indicator: i.text.clone(),
                lead_unit_ids: i.leads.iter().map(|u| u.id).collect(),
                lead_units: i.leads.iter().map(|u| u.name.clone()).collect(),
                description: format!(
                    "{}：指标{}“{}”失{}分（满分{}分）",
                    results.round.name,
                    i.no,
                    crate::sheet::layout::short(&i.text),
                    lost,
                    max
                ),
                requirement: if i.reasons.is_empty() {
                    format!("对照指标要求查找失分原因并整改（本轮失{lost}分）。")
                } else {
                    i.reasons.join("；")
                },
                lost,
            })
        })
        .collect();
    out.sort_by_key(|d| d.no);
    out
}

// ---------------------------------------------------------------------------------------------
// Loading.

/// The 牵头单位 of every indicator of the campaign (one query).
pub(crate) fn leads(conn: &Connection, campaign_id: i64) -> Result<HashMap<i64, Vec<UnitRef>>> {
    let mut st = conn.prepare_cached(
        "SELECT a.indicator_id, u.id, u.name FROM assignment_unit x
         JOIN assignment a ON a.id = x.assignment_id JOIN unit u ON u.id = x.unit_id
         WHERE a.campaign_id = ?1 AND x.role = 'lead' ORDER BY x.position, u.position, u.id",
    )?;
    let mut m: HashMap<i64, Vec<UnitRef>> = HashMap::new();
    for row in st.query_map([campaign_id], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, i64>(1)?,
            r.get::<_, String>(2)?,
        ))
    })? {
        let (i, id, name) = row?;
        m.entry(i).or_default().push(UnitRef { id, name });
    }
    Ok(m)
}

/// What a round's grid and results are computed from.
struct Loaded {
    round: EvalRound,
    model: model::Model,
    leaves: Vec<IndicatorLeaf>,
    rules: HashMap<i64, Vec<DeductionRule>>,
    marks: HashMap<i64, Vec<StoredMark>>,
    picks: HashMap<i64, Choice>,
    cases: HashMap<i64, Vec<Points>>,
    leads: HashMap<i64, Vec<UnitRef>>,
    experts: Vec<Expert>,
}

fn load(conn: &Connection, round_id: i64) -> Result<Loaded> {
    let round = get_round(conn, round_id)?;
    let model = model::load(conn)?;
    let leaves = campaign_leaves(conn)?;
    let rules = model::all_rules(conn, model.campaign_id)?;
    let mut marks: HashMap<i64, Vec<StoredMark>> = HashMap::new();
    for m in load_marks(conn, round_id)? {
        marks.entry(m.indicator_id).or_default().push(m);
    }
    let mut cases: HashMap<i64, Vec<Points>> = HashMap::new();
    for c in list_cases(conn, round_id)? {
        if let Some(i) = c.indicator_id {
            cases.entry(i).or_default().push(c.rate);
        }
    }
    Ok(Loaded {
        round,
        picks: load_picks(conn, round_id)?,
        leads: leads(conn, model.campaign_id)?,
        experts: list_experts(conn, model.campaign_id)?,
        model,
        leaves,
        rules,
        marks,
        cases,
    })
}

impl Loaded {
    fn leaf_input(&self, l: &IndicatorLeaf) -> LeafInput {
        LeafInput {
            leaf: l.clone(),
            max: self.model.max_of(l),
            rules: self
                .rules
                .get(&l.id)
                .map(|v| v.iter().map(DeductionRule::spec).collect())
                .unwrap_or_default(),
            marks: self.marks.get(&l.id).cloned().unwrap_or_default(),
            pick: self.picks.get(&l.id).copied(),
            case_rates: self.cases.get(&l.id).cloned().unwrap_or_default(),
            leads: self.leads.get(&l.id).cloned().unwrap_or_default(),
        }
    }

    fn input(&self, conn: &Connection, previous: Option<EvalResults>) -> Result<ResultInput> {
        Ok(ResultInput {
            round: self.round.clone(),
            reference: self.model.reference(),
            label: self.model.label(),
            shares: self.model.grade_shares,
            bonus_cap: self.model.bonus_cap,
            weights: self.model.weights,
            leaves: self.leaves.iter().map(|l| self.leaf_input(l)).collect(),
            bonus: list_bonus(conn, self.round.id)?,
            vetoes: list_veto_hits(conn, self.round.id)?,
            previous,
        })
    }

    fn expert_name(&self, id: Option<i64>) -> String {
        match id {
            None => "依法治区办".into(),
            Some(e) => self
                .experts
                .iter()
                .find(|x| x.id == e)
                .map(|x| x.name.clone())
                .unwrap_or_default(),
        }
    }

    fn row(&self, l: &IndicatorLeaf, assigned: &HashMap<i64, Vec<i64>>) -> GridRow {
        let input = self.leaf_input(l);
        let (score, source, _, _, differs) = indicator_score(&input, &self.model.grade_shares);
        let marks = input
            .marks
            .iter()
            .map(|m| {
                let v = input.max.map(|max| {
                    compute::mark_points(&m.entry(), max, &input.rules, &self.model.grade_shares)
                });
                Mark {
                    expert_id: m.expert_id,
                    expert_name: self.expert_name(m.expert_id),
                    entry: m.entry,
                    value: m.value,
                    grade: m.grade,
                    rules: m.rules.clone(),
                    score: v.map(|v| v.score),
                    deduction: v.map(|v| v.deduction),
                    clamped: v.is_some_and(|v| v.clamped),
                    reason: m.reason.clone(),
                    method: m.method.clone(),
                    evidence: m.evidence.clone(),
                    note: m.note.clone(),
                    source: m.source,
                    updated_at: m.updated_at.clone(),
                }
            })
            .collect();
        GridRow {
            indicator_id: l.id,
            no: l.no,
            text: l.text.clone(),
            aspect: l.path.first().cloned().unwrap_or_default(),
            methods: l.methods.clone(),
            max: input.max,
            rules: self.rules.get(&l.id).cloned().unwrap_or_default(),
            leads: input.leads.clone(),
            assigned: assigned.get(&l.id).cloned().unwrap_or_default(),
            marks,
            pick: input.pick.map(|c| match c {
                Choice::Expert(_) => "expert".to_string(),
                Choice::Average => "average".to_string(),
            }),
            pick_expert_id: match input.pick {
                Some(Choice::Expert(e)) => Some(e),
                _ => None,
            },
            score,
            source,
            source_label: source.label().to_string(),
            differs,
            case_count: input.case_rates.len() as i64,
            case_rate: Points::mean(&input.case_rates),
        }
    }
}

/// Experts assigned to each indicator of a round.
fn assigned_by_indicator(conn: &Connection, round_id: i64) -> Result<HashMap<i64, Vec<i64>>> {
    let mut m: HashMap<i64, Vec<i64>> = HashMap::new();
    for (e, inds) in super::assignments(conn, round_id)? {
        for i in inds {
            m.entry(i).or_default().push(e);
        }
    }
    for v in m.values_mut() {
        v.sort_unstable();
    }
    Ok(m)
}

/// The grid row of one indicator (after an edit).
pub(crate) fn grid_row(ws: &Workspace, round_id: i64, indicator_id: i64) -> Result<GridRow> {
    let conn = ws.store().conn();
    let loaded = load(conn, round_id)?;
    let assigned = assigned_by_indicator(conn, round_id)?;
    loaded
        .leaves
        .iter()
        .find(|l| l.id == indicator_id)
        .map(|l| loaded.row(l, &assigned))
        .ok_or_else(|| crate::error::Error::NotFound("指标不在当前项目的指标体系中。".into()))
}

fn results_of(conn: &Connection, round_id: i64, with_previous: bool) -> Result<EvalResults> {
    let loaded = load(conn, round_id)?;
    let previous = if with_previous {
        let rounds = list_rounds(conn, loaded.model.campaign_id)?;
        match rounds
            .iter()
            .filter(|r| r.position < loaded.round.position)
            .max_by_key(|r| r.position)
        {
            Some(p) => Some(results_of(conn, p.id, false)?),
            None => None,
        }
    } else {
        None
    };
    Ok(compute(&loaded.input(conn, previous)?))
}

impl Workspace {
    /// 评分表格: per indicator, the experts' marks side by side, and the score that counts.
    pub fn eval_grid(&self, round_id: i64) -> Result<ScoreGrid> {
        let conn = self.store().conn();
        let loaded = load(conn, round_id)?;
        let assigned = assigned_by_indicator(conn, round_id)?;
        let rows = loaded
            .leaves
            .iter()
            .map(|l| loaded.row(l, &assigned))
            .collect();
        Ok(ScoreGrid {
            round: loaded.round.clone(),
            experts: loaded.experts.clone(),
            method: loaded.model.method,
            grade_shares: loaded.model.grade_shares,
            reference: loaded.model.reference(),
            label: loaded.model.label(),
            rows,
        })
    }

    /// 评估结果 of a round, compared with the round before.
    pub fn eval_results(&self, round_id: i64) -> Result<EvalResults> {
        results_of(self.store().conn(), round_id, true)
    }

    /// Every round's totals and aspects, oldest first (the trend chart).
    pub fn eval_trend(&self) -> Result<Vec<TrendPoint>> {
        let conn = self.store().conn();
        let c = super::campaign_id(conn)?;
        let mut out = Vec::new();
        for r in list_rounds(conn, c)? {
            let res = results_of(conn, r.id, false)?;
            out.push(TrendPoint {
                round_id: r.id,
                name: r.name.clone(),
                kind: r.kind,
                total: res.total,
                total_with_bonus: res.total_with_bonus,
                composite: res.composite.total,
                satisfaction: r.satisfaction.rate,
                flagged: res.flagged,
                aspects: res
                    .aspects
                    .iter()
                    .map(|a| AspectPoint {
                        label: a.label.clone(),
                        score: a.score,
                        max: a.max,
                        rate: a.rate,
                    })
                    .collect(),
            });
        }
        Ok(out)
    }

    /// The 整改台账 drafts of a round's deductions (see [`deductions_for_problems`]).
    pub fn deductions_for_problems(&self, round_id: i64) -> Result<Vec<ProblemDraft>> {
        Ok(deductions_for_problems(&self.eval_results(round_id)?))
    }

    /// 扣分生成问题: every deduction of the round becomes a problem of the 整改台账, in a 督察轮次
    /// of kind 模拟评估 named as the evaluation round (made on first use), assigned to the
    /// indicator's 牵头单位 with the 扣分理由 as 整改要求. Running it again adds only what is
    /// not there yet (same description); an indicator without a 牵头单位 is listed, not added.
    pub fn create_problems_from_deductions(&mut self, round_id: i64) -> Result<DeductionProblems> {
        use crate::problems::{ProblemFilter, ProblemInput, RoundInput};
        let drafts = self.deductions_for_problems(round_id)?;
        let name = self.eval_results(round_id)?.round.name;
        let existing = self
            .list_rounds()?
            .into_iter()
            .find(|r| r.name == name && r.kind == "模拟评估");
        let round = match existing {
            Some(r) => r,
            None => self.save_round(&RoundInput {
                name: name.clone(),
                kind: "模拟评估".into(),
                note: format!("由“{name}”的扣分生成"),
                ..RoundInput::default()
            })?,
        };
        let have: std::collections::HashSet<String> = self
            .list_problems(&ProblemFilter {
                round_id: Some(round.id),
                ..ProblemFilter::default()
            })?
            .into_iter()
            .map(|p| p.description)
            .collect();
        let mut out = DeductionProblems {
            round: round.clone(),
            created: Vec::new(),
            already: 0,
            unassigned: Vec::new(),
        };
        for d in drafts {
            if d.lead_unit_ids.is_empty() {
                out.unassigned.push(format!("指标{}", d.no));
                continue;
            }
            if have.contains(&d.description) {
                out.already += 1;
                continue;
            }
            out.created.push(self.add_problem(&ProblemInput {
                round_id: round.id,
                kind: "个性".into(),
                category: String::new(),
                description: d.description,
                indicators_text: d.no.to_string(),
                unit_ids: d.lead_unit_ids,
                requirement: d.requirement,
                deadline_text: String::new(),
                note: format!("来源：{}", d.source),
            })?);
        }
        Ok(out)
    }
}

/// What [`Workspace::create_problems_from_deductions`] did.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct DeductionProblems {
    /// The 督察轮次 (kind 模拟评估) the problems are in.
    pub round: crate::problems::RoundInfo,
    pub created: Vec<crate::problems::ProblemInfo>,
    /// Deductions already in that round (not added twice).
    #[ts(type = "number")]
    pub already: i64,
    /// Indicators losing points that have no 牵头单位 yet ("指标12"): not added.
    pub unassigned: Vec<String>,
}

#[cfg(test)]
mod tests {
    //! Property tests: random systems, rules, marks, picks, case files, 附加项 and weights,
    //! from a small deterministic generator; every total must be the sum of its parts.

    use super::*;
    use crate::evaluation::compute::{Entry, Grade, RuleKind, RuleUse};
    use crate::evaluation::{EntryKind, MarkSource, RoundKind, Satisfaction};

    /// xorshift64*: deterministic, no dependency.
    struct Rng(u64);

    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 >> 12;
            self.0 ^= self.0 << 25;
            self.0 ^= self.0 >> 27;
            self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
        }
        fn below(&mut self, n: u64) -> u64 {
            self.next() % n.max(1)
        }
        fn chance(&mut self, pct: u64) -> bool {
            self.below(100) < pct
        }
        /// Points in half-point, tenth or hundredth steps.
        fn points(&mut self, max_h: i64) -> Points {
            let h = self.below(max_h.max(0) as u64 + 1) as i64;
            Points::from_hundredths(match self.below(3) {
                0 => h / 50 * 50,
                1 => h / 10 * 10,
                _ => h,
            })
        }
    }

    fn round(rng: &mut Rng) -> EvalRound {
        EvalRound {
            id: 1,
            name: "模拟评估一".into(),
            kind: RoundKind::Mock,
            position: 1,
            held_on: String::new(),
            note: String::new(),
            site_score: rng.chance(70).then(|| rng.points(10_000)),
            site_note: String::new(),
            satisfaction: Satisfaction {
                rate: rng.chance(70).then(|| rng.points(10_000)),
                sample: Some(1200),
                method: "电话调查".into(),
                period: String::new(),
            },
            expert_count: 0,
            mark_count: 0,
            created_at: String::new(),
        }
    }

    fn random_input(rng: &mut Rng, previous: Option<EvalResults>) -> ResultInput {
        let aspects = 1 + rng.below(10);
        let mut leaves = Vec::new();
        let mut no = 0;
        let mut rule_id = 0;
        for a in 0..aspects {
            for _ in 0..1 + rng.below(15) {
                no += 1;
                let max = rng.chance(92).then(|| rng.points(2_000));
                let mut rules = Vec::new();
                for _ in 0..rng.below(4) {
                    rule_id += 1;
                    let kind = RuleKind::ALL[rng.below(4) as usize];
                    rules.push(RuleSpec {
                        id: rule_id,
                        kind,
                        amount: rng.chance(90).then(|| rng.points(300)),
                        cap: rng.chance(50).then(|| rng.points(800)),
                    });
                }
                let mut marks = Vec::new();
                let mut experts: Vec<Option<i64>> = Vec::new();
                for e in 1..=3 {
                    if rng.chance(45) {
                        experts.push(Some(e));
                    }
                }
                if rng.chance(8) {
                    experts.push(None);
                }
                for e in experts {
                    let m = max.unwrap_or_default().hundredths();
                    let (entry, value, grade, uses) = match rng.below(4) {
                        // Occasionally above the 分值 (changed since): clamped.
                        0 => (EntryKind::Score, Some(rng.points(m + 200)), None, vec![]),
                        1 => (EntryKind::Deduction, Some(rng.points(m)), None, vec![]),
                        2 => (
                            EntryKind::Grade,
                            None,
                            Some(Grade::ALL[rng.below(3) as usize]),
                            vec![],
                        ),
                        _ => {
                            let mut uses = Vec::new();
                            for r in &rules {
                                if rng.chance(60) {
                                    let count = rng.below(6) as i64;
                                    let amount = rng.chance(70).then(|| rng.points(500));
                                    uses.push(RuleUse {
                                        rule_id: r.id,
                                        count,
                                        amount,
                                    });
                                }
                            }
                            (EntryKind::Rules, None, None, uses)
                        }
                    };
                    marks.push(StoredMark {
                        id: 0,
                        indicator_id: no,
                        expert_id: e,
                        entry,
                        value,
                        grade,
                        rules: uses,
                        reason: if rng.chance(70) {
                            format!("理由{no}")
                        } else {
                            String::new()
                        },
                        method: String::new(),
                        evidence: String::new(),
                        note: String::new(),
                        source: MarkSource::App,
                        updated_at: String::new(),
                    });
                }
                let pick = match rng.below(4) {
                    0 => Some(Choice::Average),
                    1 => Some(Choice::Expert(1 + rng.below(4) as i64)),
                    _ => None,
                };
                let case_rates = (0..rng.below(3))
                    .map(|_| compute::case_rate(rng.points(10_000), Points::whole(100)))
                    .collect();
                let leads = (0..rng.below(3))
                    .map(|k| UnitRef {
                        id: 1 + ((no as u64 + k) % 7) as i64,
                        name: format!("单位{}", 1 + (no as u64 + k) % 7),
                    })
                    .collect();
                leaves.push(LeafInput {
                    leaf: IndicatorLeaf {
                        id: no,
                        uid: format!("n{no}"),
                        no,
                        text: format!("指标{no}"),
                        path: vec![format!("方面{a}")],
                        score: None,
                        methods: None,
                        veto: false,
                    },
                    max,
                    rules,
                    marks,
                    pick,
                    case_rates,
                    leads,
                });
            }
        }
        let weights = match rng.below(3) {
            0 => CompositeWeights::default(),
            1 => CompositeWeights {
                written: Some(Points::whole(50)),
                site: Some(Points::whole(30)),
                satisfaction: Some(Points::whole(20)),
            },
            _ => CompositeWeights {
                written: Some(rng.points(5_000)),
                site: Some(rng.points(5_000)),
                satisfaction: Some(rng.points(5_000)),
            },
        };
        ResultInput {
            round: round(rng),
            reference: rng.chance(50),
            label: String::new(),
            shares: GradeShares {
                full: Points::whole(100),
                basic: rng.points(10_000),
                fail: Points::ZERO,
            },
            bonus_cap: rng.chance(50).then(|| rng.points(500)),
            weights,
            leaves,
            bonus: (0..rng.below(4))
                .map(|i| BonusItem {
                    id: i as i64,
                    round_id: 1,
                    text: "附加项".into(),
                    points: rng.points(400) - Points::whole(2),
                    note: String::new(),
                })
                .collect(),
            vetoes: if rng.chance(20) {
                vec![VetoHit {
                    veto_id: 1,
                    text: "否决".into(),
                    note: String::new(),
                }]
            } else {
                vec![]
            },
            previous,
        }
    }

    fn check(input: &ResultInput, r: &EvalResults) {
        let mut total = ScoreLine::default();
        let mut lost_units: HashMap<Option<i64>, Points> = HashMap::new();
        for a in &r.aspects {
            let mut line = ScoreLine::default();
            for i in &a.indicators {
                if let (Some(s), Some(m)) = (i.score, i.max) {
                    assert!(s >= Points::ZERO && s <= m, "0 ≤ {s} ≤ {m}");
                    assert_eq!(i.lost, Some(m - s));
                    assert_eq!(Points::parse(&s.to_string()), Ok(s));
                    if i.leads.is_empty() {
                        *lost_units.entry(None).or_default() += m - s;
                    }
                    for u in &i.leads {
                        *lost_units.entry(Some(u.id)).or_default() += m - s;
                    }
                } else {
                    assert_eq!(i.lost, None);
                }
                line.add(i);
                total.add(i);
            }
            assert_eq!(
                (a.score, a.max, a.lost, a.max_all, a.scored, a.count),
                (
                    line.score,
                    line.max,
                    line.lost,
                    line.max_all,
                    line.scored,
                    line.count
                ),
                "aspect {} is the sum of its indicators",
                a.label
            );
            assert_eq!(a.score + a.lost, a.max);
        }
        // The total is the sum of the aspects, and of the indicators.
        let sum = |f: fn(&AspectResult) -> Points| r.aspects.iter().map(f).sum::<Points>();
        assert_eq!(r.total.score, sum(|a| a.score));
        assert_eq!(r.total.max, sum(|a| a.max));
        assert_eq!(r.total.lost, sum(|a| a.lost));
        assert_eq!(r.total.max_all, sum(|a| a.max_all));
        assert_eq!((r.total.score, r.total.lost), (total.score, total.lost));
        assert_eq!(r.total.score + r.total.lost, r.total.max);
        // The ranking lists exactly the indicators losing points, and sums to the total lost.
        assert_eq!(
            r.lost_ranking.iter().map(|l| l.lost).sum::<Points>(),
            r.total.lost
        );
        assert!(r.lost_ranking.windows(2).all(|w| w[0].lost >= w[1].lost));
        for u in &r.by_unit {
            assert_eq!(Some(&u.lost), lost_units.get(&u.unit_id), "{}", u.unit_name);
        }
        // 附加项: apart from the base total, within its cap.
        let raw: Points = input.bonus.iter().map(|b| b.points).sum();
        assert_eq!(r.bonus.raw, raw);
        if let Some(c) = input.bonus_cap {
            assert!(r.bonus.applied.hundredths().abs() <= c.hundredths());
        } else {
            assert_eq!(r.bonus.applied, raw);
        }
        assert_eq!(r.total_with_bonus, r.total.score + r.bonus.applied);
        // The composite is the sum of its contributions.
        if let Some(t) = r.composite.total {
            assert_eq!(
                t,
                r.composite
                    .parts
                    .iter()
                    .filter_map(|p| p.contribution)
                    .sum::<Points>()
            );
            assert!(r.composite.note.is_empty());
        }
        // A triggered veto flags, never changes a number.
        assert_eq!(r.flagged, !input.vetoes.is_empty());
        let mut quiet = input.clone();
        quiet.vetoes.clear();
        let q = compute(&quiet);
        assert_eq!((q.total, q.total_with_bonus), (r.total, r.total_with_bonus));
        // Problems: one per deduction, and the lost points add up.
        let drafts = deductions_for_problems(r);
        assert_eq!(drafts.len(), r.lost_ranking.len());
        assert_eq!(drafts.iter().map(|d| d.lost).sum::<Points>(), r.total.lost);
        // JSON carries the same numbers back exactly.
        let json = serde_json::to_string(r).expect("json");
        let back: EvalResults = serde_json::from_str(&json).expect("back");
        assert_eq!(&back, r);
    }

    #[test]
    fn every_total_equals_the_sum_of_its_parts_on_random_systems_rules_and_marks() {
        let mut rng = Rng(0x5C0E_5EED_2025_0001);
        for case in 0..400 {
            let prev = if case % 3 == 0 {
                None
            } else {
                Some(compute(&random_input(&mut rng, None)))
            };
            let input = random_input(&mut rng, prev);
            let r = compute(&input);
            check(&input, &r);
        }
    }

    #[test]
    fn deductions_by_rule_never_exceed_the_indicator_on_random_rules() {
        let mut rng = Rng(0xDEDC_7104_0000_0002);
        for _ in 0..5000 {
            let max = rng.points(3_000);
            let rules: Vec<RuleSpec> = (0..1 + rng.below(5))
                .map(|i| RuleSpec {
                    id: i as i64,
                    kind: RuleKind::ALL[rng.below(4) as usize],
                    amount: Some(rng.points(500)),
                    cap: rng.chance(50).then(|| rng.points(1_000)),
                })
                .collect();
            let uses: Vec<RuleUse> = rules
                .iter()
                .map(|r| RuleUse {
                    rule_id: r.id,
                    count: rng.below(10) as i64,
                    amount: Some(rng.points(1_000)),
                })
                .collect();
            for (r, u) in rules.iter().zip(&uses) {
                let d = compute::rule_deduction(r, u, max);
                assert!(d >= Points::ZERO);
                if let (Some(c), RuleKind::PerItem | RuleKind::Discretion) = (r.cap, r.kind) {
                    assert!(d <= c, "capped");
                }
            }
            let m = compute::mark_points(&Entry::Rules(uses), max, &rules, &GradeShares::default());
            assert_eq!(m.score + m.deduction, max);
            assert!(m.score >= Points::ZERO && m.deduction <= max);
        }
    }
}
