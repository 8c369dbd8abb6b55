//! 自查: per indicator, the lead unit's self-assessment — 达标 / 基本达标 / 未达标 / 不适用, a self
//! score where the system has scores, an explanation, linked evidence — reviewed by the office
//! (同意 / 退回).
//!
//! Nothing is typed twice: until the office confirms or edits an assessment, it shows what the
//! lead units returned on their per-unit task sheets (`unit_report`: 完成情况 → 评价, 自评说明 →
//! 说明, 佐证材料目录 → 佐证材料), marked as taken from the sheets. Saving or reviewing stores
//! what is shown. Changing the content of a reviewed assessment sends it back to 待审核.
//! Evidence links are plain ids or names for now (the evidence library is being built).

use std::collections::HashMap;

use rusqlite::{OptionalExtension, params};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::action::Action;
use crate::campaign;
use crate::error::{Error, Result};
use crate::indicators;
use crate::tasks::{UnitRef, UnitReport};
use crate::workspace::Workspace;

/// 自查评价.
pub const RATINGS: &[&str] = &["达标", "基本达标", "未达标", "不适用"];
/// 审核意见.
pub const REVIEWS: &[&str] = &["同意", "退回"];

/// The rating a unit's 完成情况 suggests.
pub fn rating_of_status(status: &str) -> Option<&'static str> {
    match status {
        "已完成" => Some("达标"),
        "推进中" => Some("基本达标"),
        "未启动" => Some("未达标"),
        "不适用" => Some("不适用"),
        _ => None,
    }
}

/// The self-assessment of one indicator.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct SelfAssessment {
    #[ts(type = "number")]
    pub indicator_id: i64,
    #[ts(type = "number")]
    pub no: i64,
    pub text: String,
    pub path: Vec<String>,
    /// 分值 of the indicator, when the system gives one (a self score is allowed then).
    pub max_score: Option<f64>,
    pub lead_units: Vec<UnitRef>,
    /// 达标 / 基本达标 / 未达标 / 不适用, or empty.
    pub rating: String,
    pub score: Option<f64>,
    pub explanation: String,
    pub evidence: Vec<String>,
    /// 同意 / 退回, or empty (待审核).
    pub review: String,
    pub review_note: String,
    pub reviewed_at: Option<String>,
    pub updated_at: Option<String>,
    /// Fields shown from the units' returned sheets, not yet saved ("rating", "explanation",
    /// "evidence").
    pub from_reports: Vec<String>,
    /// What every unit of the indicator returned.
    pub reports: Vec<UnitReport>,
    /// Problems of any round touching the indicator that are still open.
    #[ts(type = "number")]
    pub open_problems: i64,
}

/// A change of one self-assessment; fields left out stay (or keep what the sheets say).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct SelfAssessmentInput {
    /// The indicator's number.
    #[ts(type = "number")]
    pub no: i64,
    #[ts(optional)]
    #[serde(default)]
    pub rating: Option<String>,
    /// A self score; `clearScore` removes it.
    #[ts(optional)]
    #[serde(default)]
    pub score: Option<f64>,
    #[serde(default)]
    pub clear_score: bool,
    #[ts(optional)]
    #[serde(default)]
    pub explanation: Option<String>,
    #[ts(optional)]
    #[serde(default)]
    pub evidence: Option<Vec<String>>,
    /// 同意 / 退回, or "" to withdraw a review.
    #[ts(optional)]
    #[serde(default)]
    pub review: Option<String>,
    #[ts(optional)]
    #[serde(default)]
    pub review_note: Option<String>,
}

struct Stored {
    rating: String,
    score: Option<f64>,
    explanation: String,
    evidence: String,
    review: String,
    review_note: String,
    reviewed_at: Option<String>,
    updated_at: String,
}

fn stored(conn: &rusqlite::Connection, campaign_id: i64) -> Result<HashMap<i64, Stored>> {
    let mut st = conn.prepare(
        "SELECT indicator_id, rating, score, explanation, evidence, review, review_note,
                reviewed_at, updated_at FROM self_assessment WHERE campaign_id = ?1",
    )?;
    let m = st
        .query_map([campaign_id], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                Stored {
                    rating: r.get(1)?,
                    score: r.get(2)?,
                    explanation: r.get(3)?,
                    evidence: r.get(4)?,
                    review: r.get(5)?,
                    review_note: r.get(6)?,
                    reviewed_at: r.get(7)?,
                    updated_at: r.get(8)?,
                },
            ))
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(m)
}

fn assessments(ws: &Workspace) -> Result<Vec<SelfAssessment>> {
    let conn = ws.store().conn();
    let c = campaign::active(conn)?;
    let tree = indicators::load_tree(conn, c.system_id)?;
    let scores: HashMap<i64, Option<f64>> = indicators::leaves(&tree)
        .into_iter()
        .map(|l| (l.id, l.score))
        .collect();
    let assignments = crate::tasks::load(conn, c.id, c.system_id)?;
    let saved = stored(conn, c.id)?;
    let mut open: HashMap<i64, i64> = HashMap::new();
    {
        let mut st = conn.prepare(
            "SELECT pi.indicator_id, count(DISTINCT p.id) FROM problem_indicator pi
             JOIN problem p ON p.id = pi.problem_id JOIN round r ON r.id = p.round_id
             WHERE r.campaign_id = ?1 AND EXISTS (SELECT 1 FROM problem_unit pu
               WHERE pu.problem_id = p.id AND pu.status IN ('待整改', '整改中'))
             GROUP BY pi.indicator_id",
        )?;
        for x in st.query_map([c.id], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?)))? {
            let (i, n) = x?;
            open.insert(i, n);
        }
    }
    Ok(assignments
        .into_iter()
        .map(|a| {
            let lead_reports: Vec<&UnitReport> = a
                .reports
                .iter()
                .filter(|r| a.leads.iter().any(|l| l.id == r.unit_id))
                .collect();
            let several = lead_reports.len() > 1;
            let reported_rating = lead_reports
                .iter()
                .find_map(|r| rating_of_status(&r.status))
                .unwrap_or("");
            let reported_expl = lead_reports
                .iter()
                .filter(|r| !r.explanation.is_empty())
                .map(|r| {
                    if several {
                        format!("{}：{}", r.unit_name, r.explanation)
                    } else {
                        r.explanation.clone()
                    }
                })
                .collect::<Vec<_>>()
                .join("\n");
            let reported_evidence: Vec<String> = lead_reports
                .iter()
                .flat_map(|r| super::lines(&r.evidence_dir))
                .collect();
            let s = saved.get(&a.indicator_id);
            let mut from = Vec::new();
            let rating = match s.map(|s| s.rating.as_str()).filter(|r| !r.is_empty()) {
                Some(r) => r.to_string(),
                None => {
                    if !reported_rating.is_empty() {
                        from.push("rating".to_string());
                    }
                    reported_rating.to_string()
                }
            };
            let explanation = match s.map(|s| s.explanation.as_str()).filter(|r| !r.is_empty()) {
                Some(e) => e.to_string(),
                None => {
                    if !reported_expl.is_empty() {
                        from.push("explanation".to_string());
                    }
                    reported_expl
                }
            };
            let evidence = match s.map(|s| s.evidence.as_str()).filter(|r| !r.is_empty()) {
                Some(e) => super::lines(e),
                None => {
                    if !reported_evidence.is_empty() {
                        from.push("evidence".to_string());
                    }
                    reported_evidence
                }
            };
            SelfAssessment {
                indicator_id: a.indicator_id,
                no: a.no,
                text: a.text,
                path: a.path,
                max_score: scores.get(&a.indicator_id).copied().flatten(),
                lead_units: a.leads,
                rating,
                score: s.and_then(|s| s.score),
                explanation,
                evidence,
                review: s.map(|s| s.review.clone()).unwrap_or_default(),
                review_note: s.map(|s| s.review_note.clone()).unwrap_or_default(),
                reviewed_at: s.and_then(|s| s.reviewed_at.clone()),
                updated_at: s.map(|s| s.updated_at.clone()),
                from_reports: from,
                reports: a.reports,
                open_problems: open.get(&a.indicator_id).copied().unwrap_or(0),
            }
        })
        .collect())
}

impl Workspace {
    /// Every indicator's self-assessment, in number order.
    pub fn list_self_assessments(&self) -> Result<Vec<SelfAssessment>> {
        assessments(self)
    }

    /// Save (or review) one self-assessment. What is shown — including values taken from the
    /// units' sheets — is stored together with the change.
    pub fn save_self_assessment(&mut self, input: &SelfAssessmentInput) -> Result<SelfAssessment> {
        let all = assessments(self)?;
        let cur = all
            .iter()
            .find(|a| a.no == input.no)
            .ok_or_else(|| Error::NotFound(format!("当前指标体系中没有第{}项指标。", input.no)))?;
        let c = campaign::active(self.store().conn())?;
        let mut rating = cur.rating.clone();
        if let Some(r) = input.rating.as_deref().map(str::trim) {
            if !r.is_empty() && !RATINGS.contains(&r) {
                return Err(Error::Invalid(format!(
                    "自查评价“{r}”无效，只能是{}。",
                    RATINGS.join("、")
                )));
            }
            rating = r.to_string();
        }
        let mut score = cur.score;
        if input.clear_score {
            score = None;
        } else if let Some(v) = input.score {
            let Some(max) = cur.max_score else {
                return Err(Error::Invalid(format!(
                    "第{}项指标在指标体系中没有分值，不能填写自评分。",
                    cur.no
                )));
            };
            if !(0.0..=max).contains(&v) || !v.is_finite() {
                return Err(Error::Invalid(format!(
                    "自评分 {v} 超出范围：第{}项指标的分值为 {max}。",
                    cur.no
                )));
            }
            score = Some(v);
        }
        let explanation = input
            .explanation
            .as_deref()
            .map(crate::text::clean_cell)
            .unwrap_or_else(|| cur.explanation.clone());
        let evidence: Vec<String> = match &input.evidence {
            Some(v) => v
                .iter()
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty())
                .collect(),
            None => cur.evidence.clone(),
        };
        let content_changed = rating != cur.rating
            || score != cur.score
            || explanation != cur.explanation
            || evidence != cur.evidence;
        let (mut review, mut review_note) = (cur.review.clone(), cur.review_note.clone());
        if content_changed && input.review.is_none() {
            // A changed assessment is looked at again.
            review.clear();
            review_note.clear();
        }
        let mut reviewed = false;
        if let Some(r) = input.review.as_deref().map(str::trim) {
            if !r.is_empty() && !REVIEWS.contains(&r) {
                return Err(Error::Invalid(format!(
                    "审核意见“{r}”无效，只能是同意或退回。"
                )));
            }
            if r == "同意" && rating.is_empty() {
                return Err(Error::Invalid(format!(
                    "第{}项指标还没有自查评价，不能审核同意。",
                    cur.no
                )));
            }
            review = r.to_string();
            review_note = input
                .review_note
                .clone()
                .unwrap_or_default()
                .trim()
                .to_string();
            reviewed = true;
        } else if let Some(n) = &input.review_note {
            review_note = n.trim().to_string();
        }
        if review == "退回" && review_note.is_empty() {
            return Err(Error::Invalid("退回时请写明退回理由。".into()));
        }
        let action = if reviewed && !content_changed {
            Action::ReviewSelfAssessment
        } else {
            Action::SetSelfAssessment
        };
        let detail = format!(
            "第{}项：{}{}",
            cur.no,
            if rating.is_empty() {
                "（未评价）"
            } else {
                &rating
            },
            if review.is_empty() {
                String::new()
            } else {
                format!("，审核：{review}")
            }
        );
        let indicator_id = cur.indicator_id;
        let now = crate::store::now();
        let old_reviewed_at: Option<String> = self
            .store()
            .conn()
            .query_row(
                "SELECT reviewed_at FROM self_assessment WHERE campaign_id = ?1 AND indicator_id = ?2",
                params![c.id, indicator_id],
                |r| r.get(0),
            )
            .optional()?
            .flatten();
        let reviewed_at = if reviewed {
            (!review.is_empty()).then(|| now.clone())
        } else if review.is_empty() {
            None
        } else {
            old_reviewed_at
        };
        self.store_mut().write(
            action,
            |_| detail,
            |tx| {
                tx.execute(
                "INSERT INTO self_assessment (campaign_id, indicator_id, rating, score, explanation,
                   evidence, review, review_note, reviewed_at, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)
                 ON CONFLICT(campaign_id, indicator_id) DO UPDATE SET rating = excluded.rating,
                   score = excluded.score, explanation = excluded.explanation,
                   evidence = excluded.evidence, review = excluded.review,
                   review_note = excluded.review_note, reviewed_at = excluded.reviewed_at,
                   updated_at = excluded.updated_at",
                params![
                    c.id,
                    indicator_id,
                    rating,
                    score,
                    explanation,
                    evidence.join("\n"),
                    review,
                    review_note,
                    reviewed_at,
                    now
                ],
            )?;
                Ok(())
            },
        )?;
        assessments(self)?
            .into_iter()
            .find(|a| a.indicator_id == indicator_id)
            .ok_or_else(|| Error::NotFound("自查评价保存后未找到。".into()))
    }
}
