//! 工作台总览 (dashboard): the figures the office opens each morning, read from what the other
//! modules store — the current phase, indicators assigned, 材料齐全, 自查 coverage, open and
//! overdue problems, the latest 模拟评估 with its 否决项, progress per aspect (一级指标), the unit
//! league table and the points-at-risk ranking.
//!
//! A figure whose module has stored nothing yet is `None` (the page hides it) rather than a
//! zero: "0 of 100 assigned" and "no 任务分解 yet" are different news. Every figure is computed
//! by the module's own list functions, so it is the same number the list behind it shows.

use std::collections::{BTreeMap, HashSet};
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::campaign;
use crate::error::Result;
use crate::evaluation::Points;
use crate::evaluation::results::LostItem;
use crate::phases::Phase;
use crate::problems::{STATUS_DOING, STATUS_TODO, UnitStanding};
use crate::tasks::AssignmentFilter;
use crate::workspace::Workspace;

/// How many entries of the points-at-risk ranking the dashboard carries.
pub const RISK_LIMIT: usize = 20;

/// "x of y".
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Share {
    #[ts(type = "number")]
    pub done: i64,
    #[ts(type = "number")]
    pub total: i64,
    /// done / total × 100, one decimal; 0 when total is 0.
    pub percent: f64,
}

impl Share {
    pub fn new(done: i64, total: i64) -> Share {
        let percent = if total > 0 {
            ((done as f64) * 1000.0 / total as f64).round() / 10.0
        } else {
            0.0
        };
        Share {
            done,
            total,
            percent,
        }
    }
}

/// 材料齐全: indicators by state, and the library's items.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct EvidenceFigures {
    /// Indicators with enough approved material, of all indicators.
    pub complete: Share,
    #[ts(type = "number")]
    pub partial: i64,
    #[ts(type = "number")]
    pub none: i64,
    #[ts(type = "number")]
    pub items: i64,
    #[ts(type = "number")]
    pub approved: i64,
    #[ts(type = "number")]
    pub pending: i64,
    #[ts(type = "number")]
    pub returned: i64,
    /// Items waiting in 待归类.
    #[ts(type = "number")]
    pub queue: i64,
}

/// The 整改台账 today.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ProblemFigures {
    #[ts(type = "number")]
    pub total: i64,
    /// Problems with a unit's part still 待整改 or 整改中.
    #[ts(type = "number")]
    pub open: i64,
    /// Problems with a unit's part past its deadline and not done.
    #[ts(type = "number")]
    pub overdue: i64,
    /// Units' parts past their deadline (a 共性 problem counts once per unit).
    #[ts(type = "number")]
    pub overdue_parts: i64,
    /// Problems 已整改待核验 or 已销号 as a whole.
    #[ts(type = "number")]
    pub done: i64,
}

/// The latest 模拟评估 round.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct EvalFigures {
    #[ts(type = "number")]
    pub round_id: i64,
    pub round_name: String,
    /// "得分" or "得分（参考）" (the office's own scale).
    pub score_label: String,
    /// None while nothing is scored.
    pub score: Option<Points>,
    pub max: Points,
    /// Sum of every indicator's 分值.
    pub max_all: Points,
    pub rate: Option<Points>,
    #[ts(type = "number")]
    pub scored: i64,
    #[ts(type = "number")]
    pub count: i64,
    /// With 附加项.
    pub total_with_bonus: Points,
    /// Triggered 否决项 (their text).
    pub vetoes: Vec<String>,
    pub flagged: bool,
}

/// Progress of one aspect (一级指标). Figures of a module with nothing stored are None.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct AspectProgress {
    /// "一、政府职能依法全面履行".
    pub aspect: String,
    #[ts(type = "number")]
    pub indicators: i64,
    #[ts(type = "number | null")]
    pub assigned: Option<i64>,
    #[ts(type = "number | null")]
    pub evidence_complete: Option<i64>,
    #[ts(type = "number | null")]
    pub self_checked: Option<i64>,
    /// Open problems touching its indicators.
    #[ts(type = "number | null")]
    pub open_problems: Option<i64>,
    /// Latest round: score and 分值 of its scored indicators, 得分率.
    pub score: Option<Points>,
    pub max: Option<Points>,
    pub rate: Option<Points>,
}

/// Progress of one indicator across the modules; a module with nothing stored gives None.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct IndicatorProgress {
    #[ts(type = "number")]
    pub indicator_id: i64,
    #[ts(type = "number")]
    pub no: i64,
    pub text: String,
    /// Its aspect ("一、政府职能依法全面履行").
    pub aspect: String,
    /// 牵头单位 names (empty: not yet assigned).
    pub leads: Vec<String>,
    /// 材料齐全 state and its label (尚无材料 / 部分齐全 / 齐全).
    pub evidence: Option<crate::evidence::completeness::CompletenessState>,
    pub evidence_label: Option<String>,
    /// 自查 rating as given ("" not yet rated).
    pub self_rating: Option<String>,
    #[ts(type = "number | null")]
    pub open_problems: Option<i64>,
    /// Latest round of 模拟评估.
    pub score: Option<Points>,
    pub max: Option<Points>,
}

/// 工作台总览.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Dashboard {
    pub campaign_name: String,
    pub district: String,
    /// The day the figures are judged on ("2023-06-01").
    pub today: String,
    /// The phase the campaign is in (None until one is entered).
    pub phase: Option<Phase>,
    /// Leaf indicators of the campaign's system.
    #[ts(type = "number")]
    pub indicator_count: i64,
    /// Indicators with a 牵头单位 (None: no 任务分解 yet).
    pub assigned: Option<Share>,
    /// None: nothing in the evidence library yet.
    pub evidence: Option<EvidenceFigures>,
    /// Indicators with a 自查 rating (None: no self-assessment yet).
    pub self_check: Option<Share>,
    /// None: no problem recorded yet.
    pub problems: Option<ProblemFigures>,
    /// None: no 模拟评估 round yet.
    pub evaluation: Option<EvalFigures>,
    pub aspects: Vec<AspectProgress>,
    /// Every leaf indicator, in the system's order.
    pub indicators: Vec<IndicatorProgress>,
    /// Units by overdue, then open parts (the 整改台账's league table).
    pub units: Vec<UnitStanding>,
    /// Indicators losing most points in the latest round (at most [`RISK_LIMIT`]).
    pub risks: Vec<LostItem>,
    /// Plain-language lines for the report and the summary ("3 项问题已逾期" …).
    pub notes: Vec<String>,
}

/// One headline figure as printed in the report, the summary image and the CLI.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Headline {
    /// "任务分解".
    pub label: String,
    /// "96/100".
    pub value: String,
    /// "96.0% 的指标已明确牵头单位".
    pub detail: String,
    /// Needs attention (overdue problems, a triggered 否决项).
    pub alert: bool,
}

impl Dashboard {
    /// The headline figures that exist, in the page's order (hidden ones left out).
    pub fn headlines(&self) -> Vec<Headline> {
        let mut v = Vec::new();
        let h = |label: &str, value: String, detail: String, alert: bool| Headline {
            label: label.into(),
            value,
            detail,
            alert,
        };
        if let Some(p) = &self.phase {
            v.push(h(
                "当前阶段",
                p.label.clone(),
                match (&p.planned_start, &p.planned_end) {
                    (Some(a), Some(b)) => format!("计划 {a} 至 {b}"),
                    _ => String::new(),
                },
                false,
            ));
        }
        if let Some(a) = &self.assigned {
            v.push(h(
                "任务分解",
                format!("{}/{}", a.done, a.total),
                format!("{}% 的指标已明确牵头单位", a.percent),
                false,
            ));
        }
        if let Some(e) = &self.evidence {
            v.push(h(
                "材料齐全",
                format!("{}/{}", e.complete.done, e.complete.total),
                format!(
                    "齐全率 {}%，部分齐全 {} 项，尚无材料 {} 项",
                    e.complete.percent, e.partial, e.none
                ),
                false,
            ));
        }
        if let Some(s) = &self.self_check {
            v.push(h(
                "自查覆盖",
                format!("{}/{}", s.done, s.total),
                format!("{}% 的指标已完成自查评价", s.percent),
                false,
            ));
        }
        if let Some(p) = &self.problems {
            v.push(h(
                "未完成整改",
                p.open.to_string(),
                format!("问题共 {} 项，已整改 {} 项", p.total, p.done),
                false,
            ));
            v.push(h(
                "逾期问题",
                p.overdue.to_string(),
                format!("涉及 {} 个单位次", p.overdue_parts),
                p.overdue > 0,
            ));
        }
        if let Some(e) = &self.evaluation {
            v.push(h(
                "模拟评估",
                match e.score {
                    Some(s) => format!("{s}/{}", e.max),
                    None => "未评分".into(),
                },
                format!(
                    "{}{}，已评 {}/{} 项{}",
                    e.round_name,
                    e.rate.map(|r| format!("，得分率 {r}%")).unwrap_or_default(),
                    e.scored,
                    e.count,
                    if e.score_label.contains("参考") {
                        "，参考分"
                    } else {
                        ""
                    }
                ),
                false,
            ));
            v.push(h(
                "否决项",
                if e.flagged {
                    format!("触发 {} 项", e.vetoes.len())
                } else {
                    "未触发".into()
                },
                e.vetoes.join("；"),
                e.flagged,
            ));
        }
        v
    }
}

/// How long each part of [`Workspace::dashboard_timed`] took, in the order they ran: the
/// part's name (the query it runs, e.g. "list_assignments") and its duration. For the
/// benchmark; the app calls [`Workspace::dashboard`].
pub type PartTimes = Vec<(&'static str, Duration)>;

/// Laps of one dashboard load.
struct Laps {
    last: Instant,
    parts: PartTimes,
}

impl Laps {
    fn start() -> Laps {
        Laps {
            last: Instant::now(),
            parts: Vec::new(),
        }
    }

    /// The part since the previous lap is done.
    fn lap(&mut self, part: &'static str) {
        let now = Instant::now();
        self.parts.push((part, now - self.last));
        self.last = now;
    }
}

impl Workspace {
    /// 工作台总览 of the active campaign, judged on `today`.
    pub fn dashboard(&self, today: NaiveDate) -> Result<Dashboard> {
        self.dashboard_timed(today).map(|(d, _)| d)
    }

    /// [`Workspace::dashboard`] with the time each of its parts took (the benchmark prints
    /// them; `tests/benches/dashboard.rs`).
    pub fn dashboard_timed(&self, today: NaiveDate) -> Result<(Dashboard, PartTimes)> {
        self.dashboard_and_problems(today).map(|(d, t, _)| (d, t))
    }

    /// The dashboard, its part times and the problems it was computed from (the report lists
    /// the overdue ones without loading the ledger again).
    pub(crate) fn dashboard_and_problems(
        &self,
        today: NaiveDate,
    ) -> Result<(Dashboard, PartTimes, Vec<crate::problems::ProblemInfo>)> {
        let mut laps = Laps::start();
        let conn = self.store().conn();
        let c = campaign::active(conn)?;
        let day = today.format("%Y-%m-%d").to_string();
        laps.lap("campaign");
        let phase = self.list_phases()?.into_iter().find(|p| p.current);
        laps.lap("list_phases");

        // 任务分解: one row per leaf indicator.
        let tasks = self.list_assignments(&AssignmentFilter::default())?;
        laps.lap("list_assignments");
        let indicator_count = tasks.len() as i64;
        let aspect_of: BTreeMap<i64, String> = tasks
            .iter()
            .map(|a| (a.indicator_id, a.path.first().cloned().unwrap_or_default()))
            .collect();
        let any_task = tasks
            .iter()
            .any(|a| a.assigned || !a.task.is_empty() || !a.evidence.is_empty());
        let led: HashSet<i64> = tasks
            .iter()
            .filter(|a| !a.leads.is_empty())
            .map(|a| a.indicator_id)
            .collect();
        let assigned = any_task.then(|| Share::new(led.len() as i64, indicator_count));

        // 材料齐全.
        // The counts only: the per-line hints of the 材料齐全 page are not shown here.
        let comp = crate::evidence::completeness::report_with(conn, false)?;
        laps.lap("evidence_completeness");
        let evidence = (comp.items > 0 || comp.queue > 0).then(|| EvidenceFigures {
            complete: Share::new(comp.complete, comp.indicators.len() as i64),
            partial: comp.partial,
            none: comp.none,
            items: comp.items,
            approved: comp.approved,
            pending: comp.pending,
            returned: comp.returned,
            queue: comp.queue,
        });

        // 自查.
        let assessments = self.list_self_assessments()?;
        laps.lap("list_self_assessments");
        let rated: HashSet<i64> = assessments
            .iter()
            .filter(|a| !a.rating.is_empty())
            .map(|a| a.indicator_id)
            .collect();
        let self_check =
            (!rated.is_empty()).then(|| Share::new(rated.len() as i64, assessments.len() as i64));

        // 整改台账.
        let problems = crate::problems::load(conn, c.id, None, today)?;
        laps.lap("problems::load");
        let is_open = |s: &str| s == STATUS_TODO || s == STATUS_DOING;
        let problem_figures = (!problems.is_empty()).then(|| ProblemFigures {
            total: problems.len() as i64,
            open: problems.iter().filter(|p| is_open(&p.status)).count() as i64,
            overdue: problems.iter().filter(|p| p.overdue_count > 0).count() as i64,
            overdue_parts: problems.iter().map(|p| p.overdue_count).sum(),
            done: problems.iter().filter(|p| !is_open(&p.status)).count() as i64,
        });
        // The league of the same problems (`problem_league` without loading them again).
        let units = if problems.is_empty() {
            Vec::new()
        } else {
            crate::problems::league(&crate::units::list(conn, c.id)?, &problems)
        };
        laps.lap("problem_league");
        let mut open_by_indicator: BTreeMap<i64, i64> = BTreeMap::new();
        let no_to_id: BTreeMap<i64, i64> = tasks.iter().map(|a| (a.no, a.indicator_id)).collect();
        for p in problems.iter().filter(|p| is_open(&p.status)) {
            let ids: HashSet<i64> = p
                .indicator_nos
                .iter()
                .filter_map(|n| no_to_id.get(n).copied())
                .collect();
            for id in ids {
                *open_by_indicator.entry(id).or_default() += 1;
            }
        }

        // 模拟评估: the latest round.
        let latest = self.eval_rounds()?.into_iter().last();
        laps.lap("eval_rounds");
        let results = match &latest {
            Some(r) => Some(self.eval_results(r.id)?),
            None => None,
        };
        laps.lap("eval_results");
        let evaluation = results.as_ref().map(|r| EvalFigures {
            round_id: r.round.id,
            round_name: r.round.name.clone(),
            score_label: r.score_label.clone(),
            score: (r.total.scored > 0).then_some(r.total.score),
            max: r.total.max,
            max_all: r.total.max_all,
            rate: r.total.rate,
            scored: r.total.scored,
            count: r.total.count,
            total_with_bonus: r.total_with_bonus,
            vetoes: r.vetoes.iter().map(|v| v.text.clone()).collect(),
            flagged: r.flagged,
        });
        let risks: Vec<LostItem> = results
            .as_ref()
            .map(|r| {
                r.lost_ranking
                    .iter()
                    .filter(|l| !l.lost.is_zero())
                    .take(RISK_LIMIT)
                    .cloned()
                    .collect()
            })
            .unwrap_or_default();

        // Per aspect, in the system's order.
        let mut order: Vec<String> = Vec::new();
        for a in &tasks {
            let name = a.path.first().cloned().unwrap_or_default();
            if !order.contains(&name) {
                order.push(name);
            }
        }
        let aspects = order
            .into_iter()
            .map(|name| {
                let in_aspect = |id: &i64| aspect_of.get(id) == Some(&name);
                let count =
                    |set: &HashSet<i64>| set.iter().filter(|id| in_aspect(id)).count() as i64;
                let scored = results
                    .as_ref()
                    .and_then(|r| r.aspects.iter().find(|x| x.label == name));
                AspectProgress {
                    indicators: aspect_of.values().filter(|a| **a == name).count() as i64,
                    assigned: assigned.map(|_| count(&led)),
                    evidence_complete: evidence.as_ref().map(|_| {
                        comp.aspects
                            .iter()
                            .find(|x| x.aspect == name)
                            .map(|x| x.complete)
                            .unwrap_or(0)
                    }),
                    self_checked: self_check.map(|_| count(&rated)),
                    open_problems: problem_figures.as_ref().map(|_| {
                        open_by_indicator
                            .iter()
                            .filter(|(id, _)| in_aspect(id))
                            .map(|(_, n)| *n)
                            .sum()
                    }),
                    score: scored.and_then(|s| (s.scored > 0).then_some(s.score)),
                    max: scored.map(|s| s.max),
                    rate: scored.and_then(|s| s.rate),
                    aspect: name,
                }
            })
            .collect();

        // Per indicator.
        let comp_of: BTreeMap<i64, _> = comp
            .indicators
            .iter()
            .map(|i| (i.indicator_id, i.state))
            .collect();
        let rating_of: BTreeMap<i64, &str> = assessments
            .iter()
            .map(|a| (a.indicator_id, a.rating.as_str()))
            .collect();
        let result_of: BTreeMap<i64, _> = results
            .as_ref()
            .map(|r| {
                r.aspects
                    .iter()
                    .flat_map(|a| &a.indicators)
                    .map(|i| (i.indicator_id, i))
                    .collect()
            })
            .unwrap_or_default();
        let indicators = tasks
            .iter()
            .map(|a| {
                let state = evidence
                    .as_ref()
                    .and_then(|_| comp_of.get(&a.indicator_id).copied());
                IndicatorProgress {
                    indicator_id: a.indicator_id,
                    no: a.no,
                    text: a.text.clone(),
                    aspect: a.path.first().cloned().unwrap_or_default(),
                    leads: a.leads.iter().map(|u| u.name.clone()).collect(),
                    evidence: state,
                    evidence_label: state.map(|s| s.label().to_string()),
                    self_rating: self_check.map(|_| {
                        rating_of
                            .get(&a.indicator_id)
                            .map(|r| r.to_string())
                            .unwrap_or_default()
                    }),
                    open_problems: problem_figures
                        .as_ref()
                        .map(|_| open_by_indicator.get(&a.indicator_id).copied().unwrap_or(0)),
                    score: result_of.get(&a.indicator_id).and_then(|r| r.score),
                    max: result_of.get(&a.indicator_id).and_then(|r| r.max),
                }
            })
            .collect();

        let mut notes = Vec::new();
        if let Some(p) = &problem_figures
            && p.overdue > 0
        {
            notes.push(format!(
                "{} 项问题逾期未整改（涉及 {} 个单位次）",
                p.overdue, p.overdue_parts
            ));
        }
        if let Some(e) = &evaluation
            && e.flagged
        {
            notes.push(format!(
                "{}触发否决项：{}",
                e.round_name,
                e.vetoes.join("；")
            ));
        }
        if let Some(e) = &evidence
            && e.none > 0
        {
            notes.push(format!("{} 项指标尚无佐证材料", e.none));
        }
        if let Some(a) = &assigned
            && a.done < a.total
        {
            notes.push(format!("{} 项指标尚未明确牵头单位", a.total - a.done));
        }

        laps.lap("assemble");
        let d = Dashboard {
            campaign_name: c.name.clone(),
            district: c.district.clone(),
            today: day,
            phase,
            indicator_count,
            assigned,
            evidence,
            self_check,
            problems: problem_figures,
            evaluation,
            aspects,
            indicators,
            units,
            risks,
            notes,
        };
        Ok((d, laps.parts, problems))
    }
}
