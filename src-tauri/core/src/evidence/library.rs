//! The library (佐证材料库) of the active campaign: listing and filtering items, what each item
//! is (title, 形成日期, 文号, category, assessment method and its fields), filing items under
//! indicators (one item may support several; the 待归类 queue is the items under none),
//! review (待审核 → 已通过 / 退回 with a reason) and removal. Every change is one
//! `Store::write` with its 操作日志 entry.

use std::collections::HashMap;

use rusqlite::types::Value;
use rusqlite::{Connection, OptionalExtension, params, params_from_iter};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::add::EvidenceMatch;
use super::names::{CATEGORIES, METHODS, date_in, extension};
use crate::action::Action;
use crate::campaign;
use crate::error::{Error, Result};
use crate::indicators;
use crate::text::to_half_width;
use crate::workspace::Workspace;

/// Review states (审核状态).
pub const PENDING: &str = "待审核";
pub const APPROVED: &str = "已通过";
pub const RETURNED: &str = "退回";
pub const STATUSES: &[&str] = &[PENDING, APPROVED, RETURNED];

/// 佐证材料: one content of the library, as lists show it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct EvidenceItem {
    #[ts(type = "number")]
    pub id: i64,
    /// 材料名称.
    pub title: String,
    /// The original file name (of the first source).
    pub file_name: String,
    /// Lowercase extension ("pdf").
    pub ext: String,
    #[ts(type = "number")]
    pub size: i64,
    /// Content hash (BLAKE3, 64 hex): the object in the store.
    pub hash: String,
    /// 责任单位: the unit that first sent it.
    #[ts(type = "number | null")]
    pub unit_id: Option<i64>,
    pub unit_name: String,
    /// 形成日期 "2023-04-15".
    pub formed_on: Option<String>,
    /// 文号 "曾法办〔2023〕5号".
    pub doc_no: String,
    /// 记录 / 审核 / 公示 (or empty).
    pub category: String,
    /// 材料查证 / 网络检索 / 案卷评查 (or empty).
    pub method: String,
    /// 网络检索: the public URL, the search words, the day it was captured, the screenshot item.
    pub url: String,
    pub keywords: String,
    pub captured_on: Option<String>,
    #[ts(type = "number | null")]
    pub screenshot_id: Option<i64>,
    /// 案卷评查: 案卷号 and case type.
    pub case_no: String,
    pub case_type: String,
    pub note: String,
    /// 待审核 / 已通过 / 退回.
    pub status: String,
    pub return_reason: String,
    pub reviewed_at: Option<String>,
    pub reviewer: String,
    /// Indicators it supports.
    pub indicators: Vec<EvidenceMatch>,
    /// True when it supports none yet (the 待归类 queue).
    pub in_queue: bool,
    /// Why it is in the queue.
    pub queue_note: String,
    /// How many times it was sent (sources).
    #[ts(type = "number")]
    pub source_count: i64,
    pub added_at: String,
    /// The returned item this one was sent for.
    #[ts(type = "number | null")]
    pub answers_id: Option<i64>,
    /// For a returned item: the item sent for it since.
    #[ts(type = "number | null")]
    pub answered_by: Option<i64>,
}

/// One time an item was sent (材料来源).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct EvidenceSource {
    #[ts(type = "number | null")]
    pub unit_id: Option<i64>,
    pub unit_name: String,
    pub original_name: String,
    /// "区司法局.zip/指标27/目录.pdf".
    pub original_path: String,
    pub added_at: String,
    pub operator: String,
}

/// An item with its sources and the classifier's suggestions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct EvidenceDetail {
    pub item: EvidenceItem,
    pub sources: Vec<EvidenceSource>,
    /// Suggestions for an item in the queue, best first.
    pub candidates: Vec<EvidenceMatch>,
    /// Title of the returned item this one answers.
    pub answers_title: String,
}

/// Filters of the evidence list; all optional.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct EvidenceFilter {
    #[ts(optional, type = "number")]
    #[serde(default)]
    pub indicator_id: Option<i64>,
    /// By indicator number (指标 27).
    #[ts(optional, type = "number")]
    #[serde(default)]
    pub indicator_no: Option<i64>,
    /// Items the unit sent (first or later source).
    #[ts(optional, type = "number")]
    #[serde(default)]
    pub unit_id: Option<i64>,
    /// The same by name, short name or alias.
    #[ts(optional)]
    #[serde(default)]
    pub unit: Option<String>,
    /// 待审核 / 已通过 / 退回 (also pending / approved / returned).
    #[ts(optional)]
    #[serde(default)]
    pub status: Option<String>,
    /// Only the 待归类 queue.
    #[serde(default)]
    pub queue: bool,
    /// Part of the title, file name or 文号.
    #[ts(optional)]
    #[serde(default)]
    pub text: Option<String>,
    #[ts(optional, type = "number")]
    #[serde(default)]
    pub limit: Option<i64>,
    #[ts(optional, type = "number")]
    #[serde(default)]
    pub offset: Option<i64>,
}

/// Changes to an item's fields; a field left out is unchanged, an empty text clears it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct EvidenceEdit {
    #[ts(optional)]
    #[serde(default)]
    pub title: Option<String>,
    /// "2023-04-15", "2023年4月15日", "2023.4.15"; empty clears.
    #[ts(optional)]
    #[serde(default)]
    pub formed_on: Option<String>,
    #[ts(optional)]
    #[serde(default)]
    pub doc_no: Option<String>,
    #[ts(optional)]
    #[serde(default)]
    pub category: Option<String>,
    #[ts(optional)]
    #[serde(default)]
    pub method: Option<String>,
    #[ts(optional)]
    #[serde(default)]
    pub url: Option<String>,
    #[ts(optional)]
    #[serde(default)]
    pub keywords: Option<String>,
    #[ts(optional)]
    #[serde(default)]
    pub captured_on: Option<String>,
    /// The screenshot item of a 网络检索 item; 0 clears.
    #[ts(optional, type = "number")]
    #[serde(default)]
    pub screenshot_id: Option<i64>,
    #[ts(optional)]
    #[serde(default)]
    pub case_no: Option<String>,
    #[ts(optional)]
    #[serde(default)]
    pub case_type: Option<String>,
    #[ts(optional)]
    #[serde(default)]
    pub note: Option<String>,
    /// 责任单位; 0 clears.
    #[ts(optional, type = "number")]
    #[serde(default)]
    pub unit_id: Option<i64>,
}

/// File items under indicators (归类), many at once.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct EvidenceAssign {
    #[ts(type = "Array<number>")]
    pub ids: Vec<i64>,
    #[ts(type = "Array<number>")]
    #[serde(default)]
    pub indicator_ids: Vec<i64>,
    /// The same by indicator number.
    #[ts(type = "Array<number>")]
    #[serde(default)]
    pub indicator_nos: Vec<i64>,
    /// Replace the items' indicators instead of adding to them.
    #[serde(default)]
    pub replace: bool,
}

/// A review decision (审核).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum ReviewDecision {
    /// 已通过.
    Approve,
    /// 退回 (a reason is required).
    Return,
    /// Back to 待审核.
    Reset,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct EvidenceReview {
    #[ts(type = "Array<number>")]
    pub ids: Vec<i64>,
    pub decision: ReviewDecision,
    /// 退回原因.
    #[serde(default)]
    pub reason: String,
}

/// A status as typed ("已通过", "approved", "通过") in its stored form.
pub fn parse_status(s: &str) -> Result<&'static str> {
    let t = s.trim();
    Ok(match t.to_lowercase().as_str() {
        "待审核" | "待审" | "pending" | "未审核" => PENDING,
        "已通过" | "通过" | "approved" | "审核通过" => APPROVED,
        "退回" | "已退回" | "returned" | "return" => RETURNED,
        _ => {
            return Err(Error::Invalid(format!(
                "“{t}”不是审核状态，可用：待审核、已通过、退回。"
            )));
        }
    })
}

/// A date as typed, stored as "2023-04-15"; empty is None.
pub fn parse_date(s: &str, what: &str) -> Result<Option<String>> {
    let t = to_half_width(s.trim());
    if t.is_empty() {
        return Ok(None);
    }
    let compact: String = t.chars().filter(|c| !c.is_whitespace()).collect();
    match date_in(&compact) {
        Some(d) if compact.chars().count() <= 12 => Ok(Some(d.format("%Y-%m-%d").to_string())),
        _ => Err(Error::Invalid(format!(
            "{what}“{t}”不是有效的日期，请写成 2023-04-15 或 2023年4月15日。"
        ))),
    }
}

const ITEM_COLS: &str =
    "e.id, e.title, e.file_name, e.hash, o.size, e.unit_id, u.name, e.formed_on,
    e.doc_no, e.category, e.method, e.url, e.keywords, e.captured_on, e.screenshot_id, e.case_no,
    e.case_type, e.note, e.status, e.return_reason, e.reviewed_at, e.reviewer, e.queue_note,
    e.added_at, e.answers_id,
    (SELECT count(*) FROM evidence_source s WHERE s.evidence_id = e.id),
    (SELECT min(a.id) FROM evidence a WHERE a.answers_id = e.id)";

const ITEM_FROM: &str = "FROM evidence e JOIN evidence_object o ON o.hash = e.hash
    LEFT JOIN unit u ON u.id = e.unit_id";

fn item_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<EvidenceItem> {
    let file_name: String = r.get(2)?;
    Ok(EvidenceItem {
        id: r.get(0)?,
        title: r.get(1)?,
        ext: extension(&file_name),
        file_name,
        hash: r.get(3)?,
        size: r.get(4)?,
        unit_id: r.get(5)?,
        unit_name: r.get::<_, Option<String>>(6)?.unwrap_or_default(),
        formed_on: r.get(7)?,
        doc_no: r.get(8)?,
        category: r.get(9)?,
        method: r.get(10)?,
        url: r.get(11)?,
        keywords: r.get(12)?,
        captured_on: r.get(13)?,
        screenshot_id: r.get(14)?,
        case_no: r.get(15)?,
        case_type: r.get(16)?,
        note: r.get(17)?,
        status: r.get(18)?,
        return_reason: r.get(19)?,
        reviewed_at: r.get(20)?,
        reviewer: r.get(21)?,
        queue_note: r.get(22)?,
        added_at: r.get(23)?,
        answers_id: r.get(24)?,
        source_count: r.get(25)?,
        answered_by: r.get(26)?,
        indicators: Vec::new(),
        in_queue: true,
    })
}

/// Indicators of items: of every item of the campaign when `ids` is None.
fn links_for(
    conn: &Connection,
    campaign_id: i64,
    ids: Option<&[i64]>,
) -> Result<HashMap<i64, Vec<EvidenceMatch>>> {
    let mut out: HashMap<i64, Vec<EvidenceMatch>> = HashMap::new();
    let map = |r: &rusqlite::Row<'_>| {
        Ok((
            r.get::<_, i64>(0)?,
            EvidenceMatch {
                indicator_id: r.get(1)?,
                no: r.get::<_, Option<i64>>(2)?.unwrap_or(0),
                confidence: r.get(3)?,
                reason: r.get(4)?,
            },
        ))
    };
    match ids {
        None => {
            let mut st = conn.prepare(
                "SELECT l.evidence_id, l.indicator_id, i.no, l.confidence, l.reason
                 FROM evidence_link l JOIN evidence e ON e.id = l.evidence_id
                 JOIN indicator i ON i.id = l.indicator_id
                 WHERE e.campaign_id = ?1 ORDER BY i.no",
            )?;
            for row in st.query_map([campaign_id], map)? {
                let (id, m) = row?;
                out.entry(id).or_default().push(m);
            }
        }
        Some(ids) => {
            let mut st = conn.prepare_cached(
                "SELECT l.evidence_id, l.indicator_id, i.no, l.confidence, l.reason
                 FROM evidence_link l JOIN indicator i ON i.id = l.indicator_id
                 WHERE l.evidence_id = ?1 ORDER BY i.no",
            )?;
            for id in ids {
                for row in st.query_map([id], map)? {
                    let (id, m) = row?;
                    out.entry(id).or_default().push(m);
                }
            }
        }
    }
    Ok(out)
}

/// The items of `campaign_id` matching `filter`, ordered by id.
pub(crate) fn list(
    conn: &Connection,
    campaign_id: i64,
    filter: &EvidenceFilter,
    indicator_id: Option<i64>,
    unit_id: Option<i64>,
) -> Result<Vec<EvidenceItem>> {
    let mut sql = format!("SELECT {ITEM_COLS} {ITEM_FROM} WHERE e.campaign_id = ?");
    let mut args: Vec<Value> = vec![Value::Integer(campaign_id)];
    if let Some(i) = indicator_id {
        sql.push_str(
            " AND EXISTS (SELECT 1 FROM evidence_link l WHERE l.evidence_id = e.id AND l.indicator_id = ?)",
        );
        args.push(Value::Integer(i));
    }
    if let Some(u) = unit_id {
        sql.push_str(
            " AND (e.unit_id = ? OR EXISTS (SELECT 1 FROM evidence_source s WHERE s.evidence_id = e.id AND s.unit_id = ?))",
        );
        args.push(Value::Integer(u));
        args.push(Value::Integer(u));
    }
    if let Some(s) = filter.status.as_deref().filter(|s| !s.trim().is_empty()) {
        sql.push_str(" AND e.status = ?");
        args.push(Value::Text(parse_status(s)?.to_string()));
    }
    if filter.queue {
        sql.push_str(" AND NOT EXISTS (SELECT 1 FROM evidence_link l WHERE l.evidence_id = e.id)");
    }
    if let Some(t) = filter
        .text
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty())
    {
        let like = format!(
            "%{}%",
            t.replace('\\', "\\\\")
                .replace('%', "\\%")
                .replace('_', "\\_")
        );
        sql.push_str(
            " AND (e.title LIKE ? ESCAPE '\\' OR e.file_name LIKE ? ESCAPE '\\' OR e.doc_no LIKE ? ESCAPE '\\')",
        );
        for _ in 0..3 {
            args.push(Value::Text(like.clone()));
        }
    }
    sql.push_str(" ORDER BY e.id");
    if let Some(l) = filter.limit.filter(|l| *l > 0) {
        sql.push_str(&format!(" LIMIT {l}"));
        if let Some(o) = filter.offset.filter(|o| *o > 0) {
            sql.push_str(&format!(" OFFSET {o}"));
        }
    }
    let mut st = conn.prepare(&sql)?;
    let mut items = st
        .query_map(params_from_iter(args), item_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let ids: Vec<i64> = items.iter().map(|i| i.id).collect();
    let mut links = if ids.len() > 200 {
        links_for(conn, campaign_id, None)?
    } else {
        links_for(conn, campaign_id, Some(&ids))?
    };
    for it in &mut items {
        if let Some(l) = links.remove(&it.id) {
            it.in_queue = l.is_empty();
            it.indicators = l;
        }
    }
    Ok(items)
}

pub(crate) fn item(conn: &Connection, campaign_id: i64, id: i64) -> Result<EvidenceItem> {
    let mut it = conn
        .query_row(
            &format!("SELECT {ITEM_COLS} {ITEM_FROM} WHERE e.campaign_id = ?1 AND e.id = ?2"),
            params![campaign_id, id],
            item_row,
        )
        .optional()?
        .ok_or_else(|| not_found(id))?;
    if let Some(l) = links_for(conn, campaign_id, Some(&[id]))?.remove(&id) {
        it.in_queue = l.is_empty();
        it.indicators = l;
    }
    Ok(it)
}

fn not_found(id: i64) -> Error {
    Error::NotFound(format!(
        "当前创建项目中没有编号为 {id} 的佐证材料（可能已被删除）。"
    ))
}

/// The items named by `ids`, all of the campaign, deduplicated, in the given order.
fn check_ids(conn: &Connection, campaign_id: i64, ids: &[i64]) -> Result<Vec<i64>> {
    if ids.is_empty() {
        return Err(Error::Invalid("没有选择佐证材料。".into()));
    }
    let mut st =
        conn.prepare_cached("SELECT 1 FROM evidence WHERE campaign_id = ?1 AND id = ?2")?;
    let mut out = Vec::with_capacity(ids.len());
    for id in ids {
        if out.contains(id) {
            continue;
        }
        if !st.exists(params![campaign_id, id])? {
            return Err(not_found(*id));
        }
        out.push(*id);
    }
    Ok(out)
}

/// The leaves of the active campaign's system named by ids or numbers, as (id, no).
fn leaves_named(
    conn: &Connection,
    system_id: i64,
    ids: &[i64],
    nos: &[i64],
) -> Result<Vec<(i64, i64)>> {
    let leaves = indicators::leaves(&indicators::load_tree(conn, system_id)?);
    let mut out: Vec<(i64, i64)> = Vec::new();
    for no in nos {
        let l = leaves.iter().find(|l| l.no == *no).ok_or_else(|| {
            Error::Invalid(format!(
                "当前指标体系中没有序号为 {no} 的指标（共 {} 项）。",
                leaves.len()
            ))
        })?;
        if !out.iter().any(|x| x.0 == l.id) {
            out.push((l.id, l.no));
        }
    }
    for id in ids {
        let l = leaves.iter().find(|l| l.id == *id).ok_or_else(|| {
            Error::Invalid(format!("编号为 {id} 的指标不是当前指标体系中的三级指标。"))
        })?;
        if !out.iter().any(|x| x.0 == l.id) {
            out.push((l.id, l.no));
        }
    }
    Ok(out)
}

fn nos_text(v: &[(i64, i64)]) -> String {
    v.iter()
        .map(|(_, n)| n.to_string())
        .collect::<Vec<_>>()
        .join("、")
}

impl Workspace {
    /// The unit of the active campaign a user named (name, 简称 or 别名; a close name is
    /// accepted when it points to one unit only).
    pub fn unit_id_by_name(&self, name: &str) -> Result<i64> {
        let conn = self.store().conn();
        let c = campaign::active(conn)?;
        let dir = crate::units::Directory::load(conn, c.id, &c.district)?;
        let units = crate::units::list(conn, c.id)?;
        super::add::given_unit(&dir, &units, None, Some(name))?
            .map(|u| u.0)
            .ok_or_else(|| Error::Invalid("请写出单位名称。".into()))
    }

    /// Items of the active campaign matching `filter` (by id, oldest first).
    pub fn list_evidence(&self, filter: &EvidenceFilter) -> Result<Vec<EvidenceItem>> {
        let conn = self.store().conn();
        let c = campaign::active(conn)?;
        let indicator_id = match (filter.indicator_id, filter.indicator_no) {
            (Some(id), _) => Some(id),
            (None, Some(no)) => Some(leaves_named(conn, c.system_id, &[], &[no])?[0].0),
            (None, None) => None,
        };
        let unit_id = match (filter.unit_id, filter.unit.as_deref()) {
            (Some(id), _) => Some(id),
            (None, Some(name)) if !name.trim().is_empty() => Some(self.unit_id_by_name(name)?),
            _ => None,
        };
        list(conn, c.id, filter, indicator_id, unit_id)
    }

    /// One item with its sources and suggestions.
    pub fn evidence_detail(&self, id: i64) -> Result<EvidenceDetail> {
        let conn = self.store().conn();
        let c = campaign::active(conn)?;
        let item = item(conn, c.id, id)?;
        let mut st = conn.prepare(
            "SELECT unit_id, unit_name, original_name, original_path, added_at, operator
             FROM evidence_source WHERE evidence_id = ?1 ORDER BY id",
        )?;
        let sources = st
            .query_map([id], |r| {
                Ok(EvidenceSource {
                    unit_id: r.get(0)?,
                    unit_name: r.get(1)?,
                    original_name: r.get(2)?,
                    original_path: r.get(3)?,
                    added_at: r.get(4)?,
                    operator: r.get(5)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let mut st = conn.prepare(
            "SELECT c.indicator_id, i.no, c.confidence, c.reason FROM evidence_candidate c
             JOIN indicator i ON i.id = c.indicator_id WHERE c.evidence_id = ?1
             ORDER BY c.confidence DESC, i.no",
        )?;
        let candidates = st
            .query_map([id], |r| {
                Ok(EvidenceMatch {
                    indicator_id: r.get(0)?,
                    no: r.get::<_, Option<i64>>(1)?.unwrap_or(0),
                    confidence: r.get(2)?,
                    reason: r.get(3)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let answers_title = match item.answers_id {
            Some(a) => conn
                .query_row("SELECT title FROM evidence WHERE id = ?1", [a], |r| {
                    r.get(0)
                })
                .optional()?
                .unwrap_or_default(),
            None => String::new(),
        };
        Ok(EvidenceDetail {
            item,
            sources,
            candidates,
            answers_title,
        })
    }

    /// Change what an item is (title, 形成日期, 文号, category, method and its fields).
    pub fn update_evidence(&mut self, id: i64, edit: &EvidenceEdit) -> Result<EvidenceItem> {
        self.require_writer()?;
        let conn = self.store().conn();
        let c = campaign::active(conn)?;
        let before = item(conn, c.id, id)?;
        let mut sets: Vec<(&str, Value)> = Vec::new();
        let text = |v: &Option<String>| v.as_ref().map(|s| s.trim().to_string());
        if let Some(t) = text(&edit.title) {
            if t.is_empty() {
                return Err(Error::Invalid("材料名称不能为空。".into()));
            }
            if t.chars().count() > 300 {
                return Err(Error::Invalid("材料名称不能超过 300 个字。".into()));
            }
            sets.push(("title", Value::Text(t)));
        }
        if let Some(d) = &edit.formed_on {
            sets.push(("formed_on", opt(parse_date(d, "形成日期")?)));
        }
        if let Some(d) = &edit.captured_on {
            sets.push(("captured_on", opt(parse_date(d, "截图日期")?)));
        }
        if let Some(cat) = text(&edit.category) {
            if !cat.is_empty() && !CATEGORIES.contains(&cat.as_str()) {
                return Err(Error::Invalid(format!(
                    "“{cat}”不是材料类别，可选：{}。",
                    CATEGORIES.join("、")
                )));
            }
            sets.push(("category", Value::Text(cat)));
        }
        if let Some(m) = text(&edit.method) {
            if !m.is_empty() && !METHODS.contains(&m.as_str()) {
                return Err(Error::Invalid(format!(
                    "“{m}”不是评估方式，可选：{}。",
                    METHODS.join("、")
                )));
            }
            sets.push(("method", Value::Text(m)));
        }
        if let Some(u) = text(&edit.url) {
            let lower = u.to_lowercase();
            let web = lower.starts_with("http://")
                || lower.starts_with("https://")
                || lower.starts_with("www.");
            if !(u.is_empty() || web) {
                return Err(Error::Invalid(format!(
                    "网址“{u}”应以 http:// 或 https:// 开头。"
                )));
            }
            sets.push(("url", Value::Text(u)));
        }
        for (col, v) in [
            ("doc_no", &edit.doc_no),
            ("keywords", &edit.keywords),
            ("case_no", &edit.case_no),
            ("case_type", &edit.case_type),
            ("note", &edit.note),
        ] {
            if let Some(t) = text(v) {
                sets.push((col, Value::Text(t)));
            }
        }
        if let Some(s) = edit.screenshot_id {
            if s == id {
                return Err(Error::Invalid("截图不能是材料本身。".into()));
            }
            if s > 0 {
                item(conn, c.id, s)?;
            }
            sets.push((
                "screenshot_id",
                if s > 0 {
                    Value::Integer(s)
                } else {
                    Value::Null
                },
            ));
        }
        if let Some(u) = edit.unit_id {
            if u > 0 && !crate::units::list(conn, c.id)?.iter().any(|x| x.id == u) {
                return Err(Error::NotFound(format!(
                    "当前创建项目中没有编号为 {u} 的单位。"
                )));
            }
            sets.push((
                "unit_id",
                if u > 0 {
                    Value::Integer(u)
                } else {
                    Value::Null
                },
            ));
        }
        if sets.is_empty() {
            return Ok(before);
        }
        let changed: Vec<&str> = sets.iter().map(|(c, _)| field_label(c)).collect();
        let detail = format!("“{}”：修改{}", before.title, changed.join("、"));
        let sql = format!(
            "UPDATE evidence SET {} WHERE id = ?",
            sets.iter()
                .map(|(c, _)| format!("{c} = ?"))
                .collect::<Vec<_>>()
                .join(", ")
        );
        let mut args: Vec<Value> = sets.into_iter().map(|(_, v)| v).collect();
        args.push(Value::Integer(id));
        self.store_mut().write(
            Action::EditEvidence,
            |_| detail,
            |tx| {
                tx.execute(&sql, params_from_iter(args))?;
                Ok(())
            },
        )?;
        item(self.store().conn(), c.id, id)
    }

    /// File items under indicators (归类); returns how many items changed. Filed items leave
    /// the 待归类 queue.
    pub fn assign_evidence(&mut self, input: &EvidenceAssign) -> Result<i64> {
        self.require_writer()?;
        let conn = self.store().conn();
        let c = campaign::active(conn)?;
        let ids = check_ids(conn, c.id, &input.ids)?;
        let targets = leaves_named(
            conn,
            c.system_id,
            &input.indicator_ids,
            &input.indicator_nos,
        )?;
        if targets.is_empty() {
            return Err(Error::Invalid("请选择要归入的指标。".into()));
        }
        let detail = format!(
            "{} {} 份材料到指标 {}",
            if input.replace { "改归" } else { "归类" },
            ids.len(),
            nos_text(&targets)
        );
        let replace = input.replace;
        self.store_mut().write(
            Action::AssignEvidence,
            |_| detail,
            |tx| {
                let mut changed = 0i64;
                for id in &ids {
                    let mut n = 0;
                    if replace {
                        n += tx.execute("DELETE FROM evidence_link WHERE evidence_id = ?1", [id])?;
                    }
                    for (ind, _) in &targets {
                        n += tx.execute(
                            "INSERT INTO evidence_link (evidence_id, indicator_id, confidence, reason, by_user)
                             VALUES (?1, ?2, 100, '人工归类', 1)
                             ON CONFLICT(evidence_id, indicator_id) DO UPDATE SET
                               confidence = 100, reason = '人工归类', by_user = 1",
                            params![id, ind],
                        )?;
                    }
                    tx.execute("DELETE FROM evidence_candidate WHERE evidence_id = ?1", [id])?;
                    tx.execute("UPDATE evidence SET queue_note = '' WHERE id = ?1", [id])?;
                    if n > 0 {
                        changed += 1;
                    }
                }
                Ok(changed)
            },
        )
    }

    /// Take items off the given indicators (`replace` is ignored); an item left under none
    /// goes back to the queue. Returns how many links were removed.
    pub fn unassign_evidence(&mut self, input: &EvidenceAssign) -> Result<i64> {
        self.require_writer()?;
        let conn = self.store().conn();
        let c = campaign::active(conn)?;
        let ids = check_ids(conn, c.id, &input.ids)?;
        let targets = leaves_named(
            conn,
            c.system_id,
            &input.indicator_ids,
            &input.indicator_nos,
        )?;
        if targets.is_empty() {
            return Err(Error::Invalid("请选择要取消归类的指标。".into()));
        }
        let detail = format!("{} 份材料不再归入指标 {}", ids.len(), nos_text(&targets));
        self.store_mut().write(
            Action::AssignEvidence,
            |_| detail,
            |tx| {
                let mut changed = 0i64;
                for id in &ids {
                    for (ind, _) in &targets {
                        changed += tx.execute(
                            "DELETE FROM evidence_link WHERE evidence_id = ?1 AND indicator_id = ?2",
                            params![id, ind],
                        )? as i64;
                    }
                    tx.execute(
                        "UPDATE evidence SET queue_note = '已取消归类，请重新选择指标'
                         WHERE id = ?1 AND NOT EXISTS (SELECT 1 FROM evidence_link WHERE evidence_id = ?1)",
                        [id],
                    )?;
                }
                Ok(changed)
            },
        )
    }

    /// 审核: approve, return with a reason, or set back to 待审核; returns how many changed.
    pub fn review_evidence(&mut self, input: &EvidenceReview) -> Result<i64> {
        self.require_writer()?;
        let conn = self.store().conn();
        let c = campaign::active(conn)?;
        let ids = check_ids(conn, c.id, &input.ids)?;
        let reason = input.reason.trim().to_string();
        let (status, label) = match input.decision {
            ReviewDecision::Approve => (APPROVED, "审核通过"),
            ReviewDecision::Return => {
                if reason.is_empty() {
                    return Err(Error::Invalid(
                        "退回时请写明退回原因，以便报送单位修改。".into(),
                    ));
                }
                (RETURNED, "退回")
            }
            ReviewDecision::Reset => (PENDING, "改回待审核"),
        };
        let operator = self.operator();
        let now = crate::store::now();
        let detail = if status == RETURNED {
            format!("{} 份材料{label}（原因：{reason}）", ids.len())
        } else {
            format!("{} 份材料{label}", ids.len())
        };
        self.store_mut().write(
            Action::ReviewEvidence,
            |_| detail,
            |tx| {
                let mut changed = 0i64;
                for id in &ids {
                    changed += if status == PENDING {
                        tx.execute(
                            "UPDATE evidence SET status = ?1, return_reason = '', reviewed_at = NULL,
                               reviewer = '' WHERE id = ?2 AND status <> ?1",
                            params![status, id],
                        )?
                    } else {
                        tx.execute(
                            "UPDATE evidence SET status = ?1, return_reason = ?2, reviewed_at = ?3,
                               reviewer = ?4 WHERE id = ?5",
                            params![
                                status,
                                if status == RETURNED { reason.as_str() } else { "" },
                                now,
                                operator,
                                id
                            ],
                        )?
                    } as i64;
                }
                Ok(changed)
            },
        )
    }

    /// Remove items from the library (their stored files stay until no backup needs them).
    pub fn remove_evidence(&mut self, ids: &[i64]) -> Result<i64> {
        self.require_writer()?;
        let conn = self.store().conn();
        let c = campaign::active(conn)?;
        let ids = check_ids(conn, c.id, ids)?;
        let first = item(conn, c.id, ids[0])?.title;
        let detail = if ids.len() == 1 {
            format!("删除“{first}”")
        } else {
            format!("删除“{first}”等 {} 份材料", ids.len())
        };
        self.store_mut().write(
            Action::RemoveEvidence,
            |_| detail,
            |tx| {
                let mut n = 0i64;
                for id in &ids {
                    n += tx.execute("DELETE FROM evidence WHERE id = ?1", [id])? as i64;
                }
                Ok(n)
            },
        )
    }
}

fn opt(v: Option<String>) -> Value {
    v.map_or(Value::Null, Value::Text)
}

fn field_label(col: &str) -> &'static str {
    match col {
        "title" => "材料名称",
        "formed_on" => "形成日期",
        "captured_on" => "截图日期",
        "doc_no" => "文号",
        "category" => "类别",
        "method" => "评估方式",
        "url" => "网址",
        "keywords" => "检索关键词",
        "screenshot_id" => "截图",
        "case_no" => "案卷号",
        "case_type" => "案件类型",
        "note" => "备注",
        "unit_id" => "责任单位",
        _ => "其他",
    }
}
