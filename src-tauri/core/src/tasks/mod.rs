//! 任务分解 (Assignment): for each leaf indicator of the active campaign's system, its 牵头单位
//! and 责任单位, 完成时限 (original text always, a date when one parses), 佐证材料清单 and notes;
//! the assignment matrix and the per-unit summary. Submodules: `import` (an office's 任务分解表),
//! `export` (the master table), `unit_sheets` (one work sheet per unit, stamped) and `collect`
//! (reading the filled sheets back, with conflicts against what was sent).

pub mod collect;
pub mod export;
pub mod import;
pub mod unit_sheets;

use std::collections::HashMap;

use chrono::{Datelike, NaiveDate};
use rusqlite::{Connection, params};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::campaign;
use crate::error::Result;
use crate::indicators;
use crate::text::to_half_width;
use crate::workspace::Workspace;

/// A unit named in an assignment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct UnitRef {
    #[ts(type = "number")]
    pub id: i64,
    pub name: String,
}

/// One row of the assignment matrix: a leaf indicator and who does what by when.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Assignment {
    #[ts(type = "number")]
    pub indicator_id: i64,
    #[ts(type = "number")]
    pub no: i64,
    pub text: String,
    /// Ancestor headings from the top ("一、政府职能依法全面履行", …).
    pub path: Vec<String>,
    /// 牵头单位 (one or more) and 责任单位.
    pub leads: Vec<UnitRef>,
    pub supports: Vec<UnitRef>,
    /// 创建任务 / 工作措施.
    pub task: String,
    /// 包靠领导.
    pub leader: String,
    /// 完成时限 as written, and the date when one parses ("2025-09-30").
    pub deadline_text: String,
    pub deadline_date: Option<String>,
    /// 佐证材料清单, one item per entry.
    pub evidence: Vec<String>,
    pub note: String,
    /// False when no unit is assigned yet.
    pub assigned: bool,
    /// What units reported back in their collected work sheets (完成情况 …), one per unit.
    pub reports: Vec<UnitReport>,
}

/// One unit's answer for one indicator, from its returned work sheet.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct UnitReport {
    #[ts(type = "number")]
    pub unit_id: i64,
    pub unit_name: String,
    /// 完成情况: 已完成 / 推进中 / 未启动 / 不适用 (or empty).
    pub status: String,
    /// 自评说明.
    pub explanation: String,
    /// 佐证材料目录.
    pub evidence_dir: String,
    /// 联系人.
    pub contact: String,
    pub updated_at: String,
}

/// "区司法局 牵头 12 项、参与 31 项".
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct UnitTaskSummary {
    #[ts(type = "number")]
    pub unit_id: i64,
    pub unit_name: String,
    pub kind: String,
    #[ts(type = "number")]
    pub lead_count: i64,
    #[ts(type = "number")]
    pub support_count: i64,
    pub text: String,
}

/// Filters of the assignment matrix.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct AssignmentFilter {
    /// Top-level heading (方面) as shown in `path[0]`.
    #[serde(default)]
    pub aspect: Option<String>,
    #[ts(type = "number | null")]
    #[serde(default)]
    pub unit_id: Option<i64>,
    /// Only indicators without any unit.
    #[serde(default)]
    pub unassigned_only: bool,
}

/// Parse a 完成时限 as offices write it. Standing phrases (长期坚持, 持续推进, 每季度) give None.
/// `excel_serial` is the number of a date cell (or a number typed into the cell).
pub fn parse_deadline(text: &str, excel_serial: Option<f64>) -> Option<NaiveDate> {
    let t: String = to_half_width(text)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    if let Some(n) = excel_serial
        && (20000.0..80000.0).contains(&n)
    {
        return NaiveDate::from_ymd_opt(1899, 12, 30)?
            .checked_add_days(chrono::Days::new(n as u64));
    }
    // Numbers in order: year, month, day.
    let mut nums: Vec<u32> = Vec::new();
    let mut cur = String::new();
    for ch in t.chars() {
        if ch.is_ascii_digit() {
            cur.push(ch);
        } else if !cur.is_empty() {
            nums.push(cur.parse().ok()?);
            cur.clear();
        }
    }
    if !cur.is_empty() {
        nums.push(cur.parse().ok()?);
    }
    let year = *nums.first()?;
    if !(2000..=2100).contains(&year) {
        return None;
    }
    let last_day = |y: i32, m: u32| -> Option<NaiveDate> {
        let (ny, nm) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
        NaiveDate::from_ymd_opt(ny, nm, 1)?.pred_opt()
    };
    let y = year as i32;
    match nums.len() {
        1 => {
            if t.contains("上半年") {
                NaiveDate::from_ymd_opt(y, 6, 30)
            } else if t.contains("第一季度") || t.contains("一季度") {
                NaiveDate::from_ymd_opt(y, 3, 31)
            } else if t.contains("三季度") {
                NaiveDate::from_ymd_opt(y, 9, 30)
            } else if t.contains("二季度") {
                NaiveDate::from_ymd_opt(y, 6, 30)
            } else if t.contains("年底")
                || t.contains("年末")
                || t.contains("下半年")
                || t.contains("四季度")
                || t.ends_with('年')
                || t.contains("年前")
                || t.contains("年内")
            {
                NaiveDate::from_ymd_opt(y, 12, 31)
            } else {
                None
            }
        }
        2 => {
            let m = nums[1];
            if !(1..=12).contains(&m) {
                return None;
            }
            if t.contains("上旬") {
                NaiveDate::from_ymd_opt(y, m, 10)
            } else if t.contains("中旬") {
                NaiveDate::from_ymd_opt(y, m, 20)
            } else {
                last_day(y, m)
            }
        }
        _ => {
            let d = NaiveDate::from_ymd_opt(y, nums[1], nums[2])?;
            Some(d)
        }
    }
}

/// Evidence items from a cell: one per line, or split on ；/; and numbered items ("1.", "（2）").
pub fn split_evidence(cell: &str) -> Vec<String> {
    let mut out = Vec::new();
    for line in cell.split(['\n', '；', ';']) {
        let l = line.trim();
        if l.is_empty() {
            continue;
        }
        let (code, rest) = crate::text::split_heading(l);
        let item = if !code.is_empty()
            && crate::text::parse_number_label(&code).is_some()
            && !rest.is_empty()
        {
            rest
        } else {
            l.to_string()
        };
        out.push(item.trim_end_matches(['。', '；', ';']).to_string());
    }
    out
}

pub(crate) fn date_text(d: Option<NaiveDate>) -> Option<String> {
    d.map(|d| format!("{:04}-{:02}-{:02}", d.year(), d.month(), d.day()))
}

/// Every leaf of the campaign's system with its assignment (unassigned leaves included).
pub fn load(conn: &Connection, campaign_id: i64, system_id: i64) -> Result<Vec<Assignment>> {
    let tree = indicators::load_tree(conn, system_id)?;
    let leaves = indicators::leaves(&tree);
    let mut units: HashMap<i64, (Vec<UnitRef>, Vec<UnitRef>)> = HashMap::new();
    {
        let mut st = conn.prepare(
            "SELECT a.indicator_id, u.id, u.name, x.role FROM assignment_unit x
             JOIN assignment a ON a.id = x.assignment_id JOIN unit u ON u.id = x.unit_id
             WHERE a.campaign_id = ?1 ORDER BY x.position, u.position, u.id",
        )?;
        let rows = st.query_map([campaign_id], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, i64>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
            ))
        })?;
        for row in rows {
            let (ind, id, name, role) = row?;
            let e = units.entry(ind).or_default();
            let u = UnitRef { id, name };
            if role == "lead" {
                e.0.push(u)
            } else {
                e.1.push(u)
            }
        }
    }
    let mut fields: HashMap<i64, (String, String, String, Option<String>, String, String)> =
        HashMap::new();
    {
        let mut st = conn.prepare(
            "SELECT indicator_id, task, leader, deadline_text, deadline_date, evidence, note
             FROM assignment WHERE campaign_id = ?1",
        )?;
        let rows = st.query_map([campaign_id], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                (
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    r.get(5)?,
                    r.get(6)?,
                ),
            ))
        })?;
        for row in rows {
            let (id, f) = row?;
            fields.insert(id, f);
        }
    }
    let mut reports: HashMap<i64, Vec<UnitReport>> = HashMap::new();
    {
        let mut st = conn.prepare(
            "SELECT a.indicator_id, u.id, u.name, r.status, r.explanation, r.evidence_dir, r.contact,
                    r.updated_at
             FROM unit_report r JOIN assignment a ON a.id = r.assignment_id
             JOIN unit u ON u.id = r.unit_id
             WHERE a.campaign_id = ?1 ORDER BY u.position, u.id",
        )?;
        let rows = st.query_map([campaign_id], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                UnitReport {
                    unit_id: r.get(1)?,
                    unit_name: r.get(2)?,
                    status: r.get(3)?,
                    explanation: r.get(4)?,
                    evidence_dir: r.get(5)?,
                    contact: r.get(6)?,
                    updated_at: r.get(7)?,
                },
            ))
        })?;
        for row in rows {
            let (ind, rep) = row?;
            reports.entry(ind).or_default().push(rep);
        }
    }
    Ok(leaves
        .into_iter()
        .map(|l| {
            let (leads, supports) = units.remove(&l.id).unwrap_or_default();
            let reports = reports.remove(&l.id).unwrap_or_default();
            let (task, leader, deadline_text, deadline_date, evidence, note) =
                fields.remove(&l.id).unwrap_or_default();
            Assignment {
                indicator_id: l.id,
                no: l.no,
                text: l.text,
                path: l.path,
                assigned: !leads.is_empty() || !supports.is_empty(),
                leads,
                supports,
                task,
                leader,
                deadline_text,
                deadline_date,
                evidence: evidence
                    .lines()
                    .filter(|s| !s.trim().is_empty())
                    .map(str::to_string)
                    .collect(),
                note,
                reports,
            }
        })
        .collect())
}

/// Per-unit counts over assignments.
pub fn summarize(units: &[crate::units::UnitInfo]) -> Vec<UnitTaskSummary> {
    units
        .iter()
        .map(|u| UnitTaskSummary {
            unit_id: u.id,
            unit_name: u.name.clone(),
            kind: u.kind.clone(),
            lead_count: u.lead_count,
            support_count: u.support_count,
            text: format!(
                "{} 牵头 {} 项、参与 {} 项",
                u.name, u.lead_count, u.support_count
            ),
        })
        .collect()
}

impl Workspace {
    /// The assignment matrix of the active campaign, filtered.
    pub fn list_assignments(&self, filter: &AssignmentFilter) -> Result<Vec<Assignment>> {
        let conn = self.store().conn();
        let c = campaign::active(conn)?;
        let all = load(conn, c.id, c.system_id)?;
        Ok(all
            .into_iter()
            .filter(|a| {
                filter
                    .aspect
                    .as_deref()
                    .is_none_or(|s| a.path.first().map(String::as_str) == Some(s))
            })
            .filter(|a| {
                filter
                    .unit_id
                    .is_none_or(|u| a.leads.iter().chain(&a.supports).any(|x| x.id == u))
            })
            .filter(|a| !filter.unassigned_only || !a.assigned)
            .collect())
    }

    /// "区司法局 牵头 12 项、参与 31 项" for every unit.
    pub fn unit_task_summary(&self) -> Result<Vec<UnitTaskSummary>> {
        Ok(summarize(&self.list_units()?))
    }
}

pub(crate) fn assignment_id(
    conn: &Connection,
    campaign_id: i64,
    indicator_id: i64,
) -> rusqlite::Result<Option<i64>> {
    use rusqlite::OptionalExtension;
    conn.prepare_cached("SELECT id FROM assignment WHERE campaign_id = ?1 AND indicator_id = ?2")?
        .query_row(params![campaign_id, indicator_id], |r| r.get(0))
        .optional()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Option<String> {
        date_text(parse_deadline(s, None))
    }

    #[test]
    fn deadlines_keep_phrases_and_parse_dates() {
        assert_eq!(d("2025年9月底前").as_deref(), Some("2025-09-30"));
        assert_eq!(d("2025-09-30").as_deref(), Some("2025-09-30"));
        assert_eq!(d("2025.9.30").as_deref(), Some("2025-09-30"));
        assert_eq!(d("２０２５年１２月３１日前").as_deref(), Some("2025-12-31"));
        assert_eq!(d("2025年2月底").as_deref(), Some("2025-02-28"));
        assert_eq!(d("2025年底前").as_deref(), Some("2025-12-31"));
        assert_eq!(d("2025年上半年").as_deref(), Some("2025-06-30"));
        assert_eq!(d("长期坚持"), None);
        assert_eq!(d("持续推进"), None);
        assert_eq!(d("每季度"), None);
        assert_eq!(d("2025.13.1"), None);
        assert_eq!(
            date_text(parse_deadline("45930", Some(45930.0))).as_deref(),
            Some("2025-09-30")
        );
    }

    #[test]
    fn evidence_items_split_one_per_line() {
        assert_eq!(
            split_evidence("1.事项清单；2.压缩时限对照表\n（3）公开网址截图。"),
            vec!["事项清单", "压缩时限对照表", "公开网址截图"]
        );
    }
}
