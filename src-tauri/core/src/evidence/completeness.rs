//! 材料齐全情况: per indicator, the items the 任务分解 asks for (its 佐证材料 lines) against
//! the items filed under it and approved; rolled up per unit (the indicators it leads, the items
//! it sent) and per aspect (the top-level heading). Indicators with nothing yet come first.
//!
//! An indicator needs as many approved items as its 佐证材料 lines (one when it has none). Each
//! line is shown with the filed item whose title shares the most words with it, as a hint; the
//! count decides, since a unit may well prove two lines with one document.

use std::collections::HashMap;

use rusqlite::Connection;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::library::{APPROVED, PENDING, RETURNED};
use crate::campaign;
use crate::error::Result;
use crate::tasks;
use crate::tasks::UnitRef;
use crate::workspace::Workspace;

/// One 佐证材料 line of the 任务分解 and the item that looks like it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct RequiredItem {
    pub text: String,
    #[ts(type = "number | null")]
    pub evidence_id: Option<i64>,
    pub evidence_title: String,
    pub evidence_status: String,
}

/// How far an indicator's material is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum CompletenessState {
    /// Nothing filed yet.
    None,
    /// Some material, not yet enough approved.
    Partial,
    /// At least as many approved items as required.
    Complete,
}

impl CompletenessState {
    pub const ALL: [CompletenessState; 3] = [
        CompletenessState::None,
        CompletenessState::Partial,
        CompletenessState::Complete,
    ];

    /// As the 佐证材料 page tags an indicator.
    pub fn label(self) -> &'static str {
        match self {
            CompletenessState::None => "尚无材料",
            CompletenessState::Partial => "部分齐全",
            CompletenessState::Complete => "齐全",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct IndicatorCompleteness {
    #[ts(type = "number")]
    pub indicator_id: i64,
    #[ts(type = "number")]
    pub no: i64,
    pub text: String,
    pub path: Vec<String>,
    pub leads: Vec<UnitRef>,
    pub required: Vec<RequiredItem>,
    #[ts(type = "number")]
    pub required_count: i64,
    /// Items filed under it, by status.
    #[ts(type = "number")]
    pub present: i64,
    #[ts(type = "number")]
    pub approved: i64,
    #[ts(type = "number")]
    pub pending: i64,
    #[ts(type = "number")]
    pub returned: i64,
    pub state: CompletenessState,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct UnitCompleteness {
    #[ts(type = "number")]
    pub unit_id: i64,
    pub unit_name: String,
    /// Indicators it leads, by state.
    #[ts(type = "number")]
    pub leads: i64,
    #[ts(type = "number")]
    pub complete: i64,
    #[ts(type = "number")]
    pub partial: i64,
    #[ts(type = "number")]
    pub none: i64,
    /// Items it sent, by status.
    #[ts(type = "number")]
    pub items: i64,
    #[ts(type = "number")]
    pub approved: i64,
    #[ts(type = "number")]
    pub pending: i64,
    #[ts(type = "number")]
    pub returned: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct AspectCompleteness {
    /// The top-level heading ("一、政府职能依法全面履行").
    pub aspect: String,
    #[ts(type = "number")]
    pub indicators: i64,
    #[ts(type = "number")]
    pub complete: i64,
    #[ts(type = "number")]
    pub partial: i64,
    #[ts(type = "number")]
    pub none: i64,
    /// Items filed under its indicators (an item under two counts twice).
    #[ts(type = "number")]
    pub items: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct CompletenessReport {
    /// Nothing yet first, then partial, then complete; by number within.
    pub indicators: Vec<IndicatorCompleteness>,
    pub units: Vec<UnitCompleteness>,
    pub aspects: Vec<AspectCompleteness>,
    #[ts(type = "number")]
    pub complete: i64,
    #[ts(type = "number")]
    pub partial: i64,
    #[ts(type = "number")]
    pub none: i64,
    /// Items of the campaign, by status, and in the 待归类 queue.
    #[ts(type = "number")]
    pub items: i64,
    #[ts(type = "number")]
    pub approved: i64,
    #[ts(type = "number")]
    pub pending: i64,
    #[ts(type = "number")]
    pub returned: i64,
    #[ts(type = "number")]
    pub queue: i64,
    pub summary: String,
}

fn grams(s: &str) -> Vec<(char, char)> {
    let c: Vec<char> = s
        .chars()
        .filter(|c| matches!(c, '\u{4e00}'..='\u{9fff}'))
        .collect();
    let mut v: Vec<(char, char)> = c.windows(2).map(|w| (w[0], w[1])).collect();
    v.sort_unstable();
    v.dedup();
    v
}

/// (evidence id, title, status) of the items filed under each indicator, and counts of all
/// items of the campaign by status.
type Filed = HashMap<i64, Vec<(i64, String, String)>>;

fn filed(conn: &Connection, campaign_id: i64) -> Result<Filed> {
    let mut st = conn.prepare(
        "SELECT l.indicator_id, e.id, e.title, e.status FROM evidence_link l
         JOIN evidence e ON e.id = l.evidence_id WHERE e.campaign_id = ?1
         ORDER BY e.status = '已通过' DESC, e.id",
    )?;
    let mut out: Filed = HashMap::new();
    for row in st.query_map([campaign_id], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, i64>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, String>(3)?,
        ))
    })? {
        let (ind, id, title, status) = row?;
        out.entry(ind).or_default().push((id, title, status));
    }
    Ok(out)
}

pub(crate) fn report(conn: &Connection) -> Result<CompletenessReport> {
    report_with(conn, true)
}

/// [`report`]; without `hints` no item is matched to a required line (`RequiredItem` carries
/// no evidence): every count and state is the same, and the word matching of each line against
/// every item filed under its indicator — most of the time at 50 000 items — is skipped. For
/// the dashboard, which shows the counts only.
pub(crate) fn report_with(conn: &Connection, hints: bool) -> Result<CompletenessReport> {
    let c = campaign::active(conn)?;
    let assignments = tasks::load(conn, c.id, c.system_id)?;
    let filed = filed(conn, c.id)?;
    let mut indicators = Vec::with_capacity(assignments.len());
    for a in &assignments {
        let items = filed.get(&a.indicator_id).map(Vec::as_slice).unwrap_or(&[]);
        let count = |s: &str| items.iter().filter(|i| i.2 == s).count() as i64;
        let (approved, pending, returned) = (count(APPROVED), count(PENDING), count(RETURNED));
        let lines: Vec<String> = a
            .evidence
            .iter()
            .map(|l| l.trim().to_string())
            .filter(|l| !l.is_empty())
            .collect();
        let required_count = (lines.len() as i64).max(1);
        // Hint per line: the unused item sharing most words with it.
        let mut used: Vec<i64> = Vec::new();
        let item_grams: Vec<Vec<(char, char)>> = if hints {
            items.iter().map(|i| grams(&i.1)).collect()
        } else {
            Vec::new()
        };
        let required = lines
            .iter()
            .map(|line| {
                let lg = if hints { grams(line) } else { Vec::new() };
                let best = items
                    .iter()
                    .zip(&item_grams)
                    .filter(|(i, _)| !used.contains(&i.0))
                    .map(|(i, g)| (lg.iter().filter(|x| g.binary_search(x).is_ok()).count(), i))
                    .filter(|(n, _)| *n > 0)
                    .max_by_key(|(n, i)| (*n, i.2 == APPROVED));
                match best {
                    Some((_, i)) => {
                        used.push(i.0);
                        RequiredItem {
                            text: line.clone(),
                            evidence_id: Some(i.0),
                            evidence_title: i.1.clone(),
                            evidence_status: i.2.clone(),
                        }
                    }
                    None => RequiredItem {
                        text: line.clone(),
                        evidence_id: None,
                        evidence_title: String::new(),
                        evidence_status: String::new(),
                    },
                }
            })
            .collect();
        let state = if items.is_empty() {
            CompletenessState::None
        } else if approved >= required_count {
            CompletenessState::Complete
        } else {
            CompletenessState::Partial
        };
        indicators.push(IndicatorCompleteness {
            indicator_id: a.indicator_id,
            no: a.no,
            text: a.text.clone(),
            path: a.path.clone(),
            leads: a.leads.clone(),
            required,
            required_count,
            present: items.len() as i64,
            approved,
            pending,
            returned,
            state,
        });
    }

    // Per aspect, in tree order.
    let mut aspects: Vec<AspectCompleteness> = Vec::new();
    for ic in &indicators {
        let name = ic.path.first().cloned().unwrap_or_default();
        let pos = match aspects.iter().position(|x| x.aspect == name) {
            Some(p) => p,
            None => {
                aspects.push(AspectCompleteness {
                    aspect: name,
                    indicators: 0,
                    complete: 0,
                    partial: 0,
                    none: 0,
                    items: 0,
                });
                aspects.len() - 1
            }
        };
        let x = &mut aspects[pos];
        x.indicators += 1;
        x.items += ic.present;
        match ic.state {
            CompletenessState::Complete => x.complete += 1,
            CompletenessState::Partial => x.partial += 1,
            CompletenessState::None => x.none += 1,
        }
    }

    // Per unit: the indicators it leads, the items it sent.
    let mut sent: HashMap<i64, (i64, i64, i64, i64)> = HashMap::new();
    {
        let mut st = conn.prepare(
            "SELECT e.unit_id, e.status, count(*) FROM evidence e
             WHERE e.campaign_id = ?1 AND e.unit_id IS NOT NULL GROUP BY e.unit_id, e.status",
        )?;
        for row in st.query_map([c.id], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, i64>(2)?,
            ))
        })? {
            let (u, status, n) = row?;
            let e = sent.entry(u).or_default();
            e.0 += n;
            match status.as_str() {
                APPROVED => e.1 += n,
                RETURNED => e.3 += n,
                _ => e.2 += n,
            }
        }
    }
    let state_of: HashMap<i64, CompletenessState> = indicators
        .iter()
        .map(|i| (i.indicator_id, i.state))
        .collect();
    let mut units = Vec::new();
    for u in crate::units::list(conn, c.id)? {
        let led: Vec<CompletenessState> = assignments
            .iter()
            .filter(|a| a.leads.iter().any(|l| l.id == u.id))
            .filter_map(|a| state_of.get(&a.indicator_id).copied())
            .collect();
        let n = |s: CompletenessState| led.iter().filter(|x| **x == s).count() as i64;
        let (items, approved, pending, returned) = sent.get(&u.id).copied().unwrap_or_default();
        units.push(UnitCompleteness {
            unit_id: u.id,
            unit_name: u.name.clone(),
            leads: led.len() as i64,
            complete: n(CompletenessState::Complete),
            partial: n(CompletenessState::Partial),
            none: n(CompletenessState::None),
            items,
            approved,
            pending,
            returned,
        });
    }

    let rank = |s: CompletenessState| match s {
        CompletenessState::None => 0,
        CompletenessState::Partial => 1,
        CompletenessState::Complete => 2,
    };
    indicators.sort_by_key(|i| (rank(i.state), i.no));
    let count_state =
        |s: CompletenessState| indicators.iter().filter(|i| i.state == s).count() as i64;
    let (complete, partial, none) = (
        count_state(CompletenessState::Complete),
        count_state(CompletenessState::Partial),
        count_state(CompletenessState::None),
    );
    let (items, approved, pending, returned, queue): (i64, i64, i64, i64, i64) = conn.query_row(
        "SELECT count(*),
                ifnull(sum(status = '已通过'), 0), ifnull(sum(status = '待审核'), 0),
                ifnull(sum(status = '退回'), 0),
                ifnull(sum(NOT EXISTS (SELECT 1 FROM evidence_link l WHERE l.evidence_id = e.id)), 0)
         FROM evidence e WHERE e.campaign_id = ?1",
        [c.id],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
    )?;
    let summary = format!(
        "{} 项指标：材料齐全 {complete} 项、部分 {partial} 项、尚无材料 {none} 项；材料 {items} 份（已通过 {approved}、待审核 {pending}、退回 {returned}），待归类 {queue} 份",
        indicators.len()
    );
    Ok(CompletenessReport {
        indicators,
        units,
        aspects,
        complete,
        partial,
        none,
        items,
        approved,
        pending,
        returned,
        queue,
        summary,
    })
}

impl Workspace {
    /// 材料齐全情况 of the active campaign.
    pub fn evidence_completeness(&self) -> Result<CompletenessReport> {
        report(self.store().conn())
    }
}
