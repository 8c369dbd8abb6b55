//! 单位: the units of a campaign (区直部门, 乡镇街道 …) with their short names and aliases,
//! kinds and contacts; the 明白人 roster of each unit and the rule
//! "行政执法单位不少于3人、非行政执法单位不少于2人"; the 单位名单 workbook (import and export);
//! and how a unit name written by an office ("司法局", "曾都区司法局", "区市场监管局（知识产权局）",
//! "各街道") is resolved to units.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use rusqlite::{Connection, Transaction, params};
use rust_xlsxwriter::Workbook;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::campaign;
use crate::error::{Error, Result};
use crate::model::{ImportIssue, Severity};
use crate::progress::{Cancel, ImportStages, NoProgress, Progress};
use crate::sheet::layout::{Column, Issues, find_header, short};
use crate::sheet::write::{Styles, a4_setup, save_atomic};
use crate::sheet::{Grid, display_name, read_tables};
use crate::text::to_half_width;
use crate::workspace::Workspace;

/// Unit kinds as the office names them.
pub const KIND_ENFORCEMENT: &str = "行政执法单位";
pub const KIND_OTHER_DEPT: &str = "非行政执法单位";
pub const KIND_TOWN: &str = "乡镇街道";
pub const KIND_OTHER: &str = "其他";
pub const KINDS: &[&str] = &[KIND_ENFORCEMENT, KIND_OTHER_DEPT, KIND_TOWN, KIND_OTHER];

/// Roster size the rule asks of a unit of `kind`: 行政执法单位 3, 非行政执法单位 2; 乡镇街道 2
/// (the rule names neither; a town is at least a 非行政执法 body); 其他 no requirement.
pub fn required_roster(kind: &str) -> i64 {
    match kind {
        KIND_ENFORCEMENT => 3,
        KIND_OTHER_DEPT | KIND_TOWN => 2,
        _ => 0,
    }
}

/// 单位: one unit of a campaign.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct UnitInfo {
    #[ts(type = "number")]
    pub id: i64,
    /// Full name, e.g. "区司法局".
    pub name: String,
    /// 简称, e.g. "司法局" (may be empty).
    pub short_name: String,
    /// Other names the unit is written as.
    pub aliases: Vec<String>,
    /// 行政执法单位 / 非行政执法单位 / 乡镇街道 / 其他.
    pub kind: String,
    /// 联系人 and 联系电话 of the unit.
    pub contact: String,
    pub phone: String,
    pub note: String,
    /// Number of roster members (明白人).
    #[ts(type = "number")]
    pub roster_count: i64,
    /// Members the rule requires for this kind.
    #[ts(type = "number")]
    pub roster_required: i64,
    /// Indicators this unit leads / supports.
    #[ts(type = "number")]
    pub lead_count: i64,
    #[ts(type = "number")]
    pub support_count: i64,
}

/// One person of the 明白人 roster.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct RosterMember {
    #[ts(type = "number")]
    pub id: i64,
    #[ts(type = "number")]
    pub unit_id: i64,
    pub unit_name: String,
    pub name: String,
    /// 职务.
    pub title: String,
    pub office_phone: String,
    pub mobile: String,
    /// 分管领导 / 负责人 / 联络员 / 明白人.
    pub role: String,
}

/// A unit that falls short of the roster rule.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct RosterShortfall {
    #[ts(type = "number")]
    pub unit_id: i64,
    pub unit_name: String,
    pub kind: String,
    #[ts(type = "number")]
    pub count: i64,
    #[ts(type = "number")]
    pub required: i64,
    #[ts(type = "number")]
    pub missing: i64,
}

/// What importing a 单位名单 would do.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct UnitsImportPreview {
    pub file_name: String,
    /// Names of units that would be created.
    pub created: Vec<String>,
    /// Units that would change, each with its changes in Chinese ("类别：其他 → 行政执法单位").
    pub updated: Vec<UnitChange>,
    #[ts(type = "number")]
    pub unchanged: i64,
    /// Units whose roster the file replaces, and the number of people in it.
    #[ts(type = "number")]
    pub roster_units: i64,
    #[ts(type = "number")]
    pub roster_members: i64,
    pub issues: Vec<ImportIssue>,
    pub can_apply: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct UnitChange {
    pub name: String,
    pub changes: Vec<String>,
}

/// Input of "保存单位" (new when `id` is None).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct UnitInput {
    #[ts(type = "number | null")]
    #[serde(default)]
    pub id: Option<i64>,
    pub name: String,
    #[serde(default)]
    pub short_name: String,
    #[serde(default)]
    pub aliases: Vec<String>,
    pub kind: String,
    #[serde(default)]
    pub contact: String,
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub note: String,
}

/// Input of one roster member when a unit's roster is saved.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct RosterInput {
    pub name: String,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub office_phone: String,
    #[serde(default)]
    pub mobile: String,
    #[serde(default)]
    pub role: String,
}

// ---------------------------------------------------------------------------------------------
// Kinds and names.

/// Read a kind as offices write it; None when it says nothing recognisable.
pub fn parse_kind(raw: &str) -> Option<&'static str> {
    let t: String = to_half_width(raw)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    if t.is_empty() {
        return None;
    }
    if t.contains("非") && t.contains("执法") {
        return Some(KIND_OTHER_DEPT);
    }
    if t.contains("执法") {
        return Some(KIND_ENFORCEMENT);
    }
    if t.contains("街道") || t.contains("乡镇") || t == "镇" || t == "乡" || t.contains("镇街")
    {
        return Some(KIND_TOWN);
    }
    if t.contains("其他") || t.contains("其它") {
        return Some(KIND_OTHER);
    }
    None
}

/// Kind guessed from a name: towns and streets by their suffix, everything else 其他.
pub fn kind_from_name(name: &str) -> &'static str {
    let n = name.trim_end_matches("办事处").trim_end_matches("人民政府");
    if n.ends_with("街道") || n.ends_with('镇') || n.ends_with('乡') {
        KIND_TOWN
    } else {
        KIND_OTHER
    }
}

/// Name as compared: half-width, no white space or quotes.
pub fn norm(s: &str) -> String {
    to_half_width(s)
        .chars()
        .filter(|c| !c.is_whitespace() && !"\"'“”‘’《》".contains(*c))
        .collect::<String>()
        .to_lowercase()
}

/// The core of a name: without the district ("曾都区"), a leading 区/县/市, parenthesised
/// remarks and the suffixes 办事处 / 人民政府.
fn core(s: &str, district: &str) -> String {
    let mut n = norm(s);
    // Parenthesised parts: "区市场监管局(区知识产权局)" → "区市场监管局".
    while let (Some(a), Some(b)) = (n.find('('), n.find(')')) {
        if b > a {
            n.replace_range(a..b + 1, "");
        } else {
            break;
        }
    }
    let d = norm(district);
    if !d.is_empty() {
        let stem: String = d
            .chars()
            .take(d.chars().count().saturating_sub(1))
            .collect();
        if let Some(rest) = n.strip_prefix(&d) {
            n = rest.to_string();
        } else if stem.chars().count() >= 2
            && let Some(rest) = n.strip_prefix(&stem)
        {
            n = rest.to_string();
        }
    }
    for p in ["区", "县", "市"] {
        if let Some(rest) = n.strip_prefix(p)
            && rest.chars().count() >= 2
        {
            n = rest.to_string();
            break;
        }
    }
    for suf in ["办事处", "人民政府"] {
        if let Some(rest) = n.strip_suffix(suf)
            && rest.chars().count() >= 2
        {
            n = rest.to_string();
        }
    }
    n
}

fn levenshtein(a: &[char], b: &[char]) -> usize {
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.iter().enumerate() {
        cur[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

/// Digits and Chinese numerals of a name: "第二中学" and "第三中学" are different units.
fn numerals(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_ascii_digit() || "零〇一二三四五六七八九十百".contains(*c))
        .collect()
}

fn similarity(a: &str, b: &str) -> f64 {
    if numerals(a) != numerals(b) {
        return 0.0;
    }
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let n = a.len().max(b.len());
    if n == 0 {
        return 0.0;
    }
    1.0 - levenshtein(&a, &b) as f64 / n as f64
}

/// How one written name resolves.
#[derive(Debug, Clone, PartialEq)]
pub enum NameMatch {
    /// The name, short name or an alias, exactly (after width and space folding).
    Exact(i64),
    /// A guess the user must confirm; the text says why.
    Guess(i64, String),
    /// A catch-all such as "区直各部门" or "各街道", expanded to units of some kinds.
    CatchAll(Vec<i64>, String),
    /// A catch-all that cannot be expanded ("相关单位").
    Vague,
    Unknown,
}

#[derive(Debug, Clone)]
struct DirEntry {
    id: i64,
    name: String,
    kind: String,
    /// The `core` of every name (name, short name, aliases), computed once.
    cores: Vec<String>,
}

/// The units of a campaign as a lookup for written names.
#[derive(Debug, Clone, Default)]
pub struct Directory {
    district: String,
    entries: Vec<DirEntry>,
    /// `norm` of every name → the first unit bearing it (exact matches without a scan).
    exact: HashMap<String, i64>,
}

impl Directory {
    pub fn load(conn: &Connection, campaign_id: i64, district: &str) -> Result<Directory> {
        let mut d = Directory {
            district: district.to_string(),
            ..Directory::default()
        };
        for u in list(conn, campaign_id)? {
            let mut others = Vec::new();
            if !u.short_name.is_empty() {
                others.push(u.short_name.clone());
            }
            others.extend(u.aliases.iter().cloned());
            d.add_planned_names(u.id, &u.name, &others, &u.kind);
        }
        Ok(d)
    }

    /// Add a unit not yet stored (a planned creation) under a provisional negative id.
    pub fn add_planned(&mut self, id: i64, name: &str, kind: &str) {
        self.add_planned_names(id, name, &[], kind);
    }

    /// As [`Directory::add_planned`], with a short name and aliases.
    pub fn add_planned_names(&mut self, id: i64, name: &str, others: &[String], kind: &str) {
        let names: Vec<&str> = std::iter::once(name)
            .chain(others.iter().map(String::as_str).filter(|s| !s.is_empty()))
            .collect();
        for x in &names {
            self.exact.entry(norm(x)).or_insert(id);
        }
        self.entries.push(DirEntry {
            id,
            name: name.to_string(),
            kind: kind.to_string(),
            cores: names.iter().map(|x| core(x, &self.district)).collect(),
        });
    }

    pub fn name_of(&self, id: i64) -> String {
        self.entries
            .iter()
            .find(|e| e.id == id)
            .map(|e| e.name.clone())
            .unwrap_or_default()
    }

    pub fn ids_of_kinds(&self, kinds: &[&str]) -> Vec<i64> {
        self.entries
            .iter()
            .filter(|e| kinds.contains(&e.kind.as_str()))
            .map(|e| e.id)
            .collect()
    }

    /// The unit whose name, short name or alias is exactly `raw` (after width and space
    /// folding), without guessing.
    pub fn exact(&self, raw: &str) -> Option<i64> {
        self.exact.get(&norm(raw)).copied()
    }

    /// Resolve one written name.
    pub fn resolve(&self, raw: &str) -> NameMatch {
        let n = norm(raw);
        if n.is_empty() {
            return NameMatch::Unknown;
        }
        if let Some(id) = self.exact.get(&n) {
            return NameMatch::Exact(*id);
        }
        if let Some(m) = self.catch_all(&n) {
            return m;
        }
        let c = core(raw, &self.district);
        let same_core: Vec<&DirEntry> = self
            .entries
            .iter()
            .filter(|e| e.cores.contains(&c))
            .collect();
        if same_core.len() == 1 {
            return NameMatch::Guess(
                same_core[0].id,
                "去掉区县名称、“区/县”前缀或括号内文字后一致".into(),
            );
        }
        if c.chars().count() >= 3 {
            let c_numerals = numerals(&c);
            let mut contained: Vec<i64> = self
                .entries
                .iter()
                .filter(|e| {
                    e.cores.iter().any(|k| {
                        k.chars().count() >= 3
                            && (k.contains(&c) || c.contains(k.as_str()))
                            && numerals(k) == c_numerals
                    })
                })
                .map(|e| e.id)
                .collect();
            contained.dedup();
            if contained.len() == 1 {
                return NameMatch::Guess(contained[0], "名称包含关系".into());
            }
        }
        let mut scored: Vec<(f64, i64)> = self
            .entries
            .iter()
            .map(|e| {
                let s = e
                    .cores
                    .iter()
                    .map(|x| similarity(x, &c))
                    .fold(0.0, f64::max);
                (s, e.id)
            })
            .collect();
        scored.sort_by(|a, b| b.0.total_cmp(&a.0));
        if let Some(&(s, id)) = scored.first()
            && s >= 0.7
            && scored.get(1).is_none_or(|x| x.0 < s)
        {
            return NameMatch::Guess(id, format!("名称相近（相似度 {:.0}%）", s * 100.0));
        }
        NameMatch::Unknown
    }

    fn catch_all(&self, n: &str) -> Option<NameMatch> {
        let has = |s: &str| n.contains(s);
        let each = has("各") || has("所有") || has("全体");
        if each
            && (has("街道") || has("乡镇") || has("镇街") || has("乡(镇)") || n.ends_with("各镇"))
        {
            return Some(NameMatch::CatchAll(
                self.ids_of_kinds(&[KIND_TOWN]),
                "全部乡镇街道".into(),
            ));
        }
        if each && has("执法") {
            return Some(NameMatch::CatchAll(
                self.ids_of_kinds(&[KIND_ENFORCEMENT]),
                "全部行政执法单位".into(),
            ));
        }
        if (each || n.starts_with("区直") || n.starts_with("县直"))
            && (has("部门") || has("单位") || has("机关"))
            && !has("相关")
            && !has("有关")
        {
            return Some(NameMatch::CatchAll(
                self.ids_of_kinds(&[KIND_ENFORCEMENT, KIND_OTHER_DEPT]),
                "全部区直部门（行政执法单位和非行政执法单位）".into(),
            ));
        }
        if has("相关") || has("有关") || n == "各单位" || n == "其他单位" {
            return Some(NameMatch::Vague);
        }
        None
    }
}

/// Split a cell naming several units: 、，,；;/ line breaks and spaces.
pub fn split_names(cell: &str) -> Vec<String> {
    let t = to_half_width(cell);
    // Separators inside parentheses are part of the name: "区市场监管局(知识产权局、质监)".
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut depth = 0i32;
    for ch in t.chars() {
        match ch {
            '(' => {
                depth += 1;
                cur.push(ch);
            }
            ')' => {
                depth -= 1;
                cur.push(ch);
            }
            '、' | ',' | '，' | ';' | '；' | '/' | '\n' if depth <= 0 => {
                let s = cur.trim().to_string();
                if !s.is_empty() {
                    out.push(s);
                }
                cur.clear();
            }
            _ => cur.push(ch),
        }
    }
    let s = cur.trim().to_string();
    if !s.is_empty() {
        out.push(s);
    }
    // Keep the user's full-width brackets as written.
    out.into_iter()
        .map(|s| s.replace('(', "（").replace(')', "）"))
        .filter(|s| !["无", "-", "—", "/"].contains(&s.as_str()))
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Storage.

pub fn list(conn: &Connection, campaign_id: i64) -> Result<Vec<UnitInfo>> {
    let mut aliases: HashMap<i64, Vec<String>> = HashMap::new();
    {
        let mut st = conn.prepare(
            "SELECT a.unit_id, a.alias FROM unit_alias a JOIN unit u ON u.id = a.unit_id
             WHERE u.campaign_id = ?1 ORDER BY a.rowid",
        )?;
        let rows = st.query_map([campaign_id], |r| {
            Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?))
        })?;
        for row in rows {
            let (u, a) = row?;
            aliases.entry(u).or_default().push(a);
        }
    }
    let mut st = conn.prepare(
        "SELECT u.id, u.name, u.short_name, u.kind, u.contact, u.phone, u.note,
           (SELECT count(*) FROM roster_member m WHERE m.unit_id = u.id),
           (SELECT count(*) FROM assignment_unit x WHERE x.unit_id = u.id AND x.role = 'lead'),
           (SELECT count(*) FROM assignment_unit x WHERE x.unit_id = u.id AND x.role = 'support')
         FROM unit u WHERE u.campaign_id = ?1 ORDER BY u.position, u.id",
    )?;
    let v = st
        .query_map([campaign_id], |r| {
            let id: i64 = r.get(0)?;
            let kind: String = r.get(3)?;
            Ok(UnitInfo {
                id,
                name: r.get(1)?,
                short_name: r.get(2)?,
                aliases: Vec::new(),
                roster_required: required_roster(&kind),
                kind,
                contact: r.get(4)?,
                phone: r.get(5)?,
                note: r.get(6)?,
                roster_count: r.get(7)?,
                lead_count: r.get(8)?,
                support_count: r.get(9)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(v.into_iter()
        .map(|mut u| {
            u.aliases = aliases.remove(&u.id).unwrap_or_default();
            u
        })
        .collect())
}

pub fn roster(
    conn: &Connection,
    campaign_id: i64,
    unit_id: Option<i64>,
) -> Result<Vec<RosterMember>> {
    let mut st = conn.prepare(
        "SELECT m.id, m.unit_id, u.name, m.name, m.title, m.office_phone, m.mobile, m.role
         FROM roster_member m JOIN unit u ON u.id = m.unit_id
         WHERE u.campaign_id = ?1 AND (?2 IS NULL OR m.unit_id = ?2)
         ORDER BY u.position, u.id, m.position, m.id",
    )?;
    let v = st
        .query_map(params![campaign_id, unit_id], |r| {
            Ok(RosterMember {
                id: r.get(0)?,
                unit_id: r.get(1)?,
                unit_name: r.get(2)?,
                name: r.get(3)?,
                title: r.get(4)?,
                office_phone: r.get(5)?,
                mobile: r.get(6)?,
                role: r.get(7)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(v)
}

/// Insert a unit (position after the last) and its aliases; returns its id.
pub fn insert(tx: &Transaction<'_>, campaign_id: i64, u: &UnitInput) -> Result<i64> {
    let pos: i64 = tx.query_row(
        "SELECT coalesce(max(position), 0) + 1 FROM unit WHERE campaign_id = ?1",
        [campaign_id],
        |r| r.get(0),
    )?;
    tx.execute(
        "INSERT INTO unit (campaign_id, name, short_name, kind, contact, phone, note, position)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![
            campaign_id,
            u.name,
            u.short_name,
            u.kind,
            u.contact,
            u.phone,
            u.note,
            pos
        ],
    )?;
    let id = tx.last_insert_rowid();
    set_aliases(tx, id, &u.aliases)?;
    Ok(id)
}

fn update(tx: &Transaction<'_>, id: i64, u: &UnitInput) -> Result<()> {
    tx.execute(
        "UPDATE unit SET name = ?2, short_name = ?3, kind = ?4, contact = ?5, phone = ?6, note = ?7
         WHERE id = ?1",
        params![id, u.name, u.short_name, u.kind, u.contact, u.phone, u.note],
    )?;
    set_aliases(tx, id, &u.aliases)
}

fn set_aliases(tx: &Transaction<'_>, id: i64, aliases: &[String]) -> Result<()> {
    tx.execute("DELETE FROM unit_alias WHERE unit_id = ?1", [id])?;
    for a in aliases {
        tx.execute(
            "INSERT OR IGNORE INTO unit_alias (unit_id, alias) VALUES (?1, ?2)",
            params![id, a],
        )?;
    }
    Ok(())
}

fn set_roster(tx: &Transaction<'_>, unit_id: i64, members: &[RosterInput]) -> Result<()> {
    tx.execute("DELETE FROM roster_member WHERE unit_id = ?1", [unit_id])?;
    for (i, m) in members.iter().enumerate() {
        let role = if m.role.trim().is_empty() {
            "明白人"
        } else {
            m.role.trim()
        };
        tx.execute(
            "INSERT INTO roster_member (unit_id, name, title, office_phone, mobile, role, position)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![
                unit_id,
                m.name.trim(),
                m.title.trim(),
                m.office_phone.trim(),
                m.mobile.trim(),
                role,
                i as i64
            ],
        )?;
    }
    Ok(())
}

/// Longest unit name accepted, typed or imported.
const MAX_NAME_CHARS: usize = 60;

/// Most units and roster rows one 单位名单 may hold (a district has one or two hundred units);
/// a larger sheet is the wrong file, refused before any name is resolved.
const MAX_UNITS: usize = 1000;
const MAX_ROSTER_ROWS: usize = 5000;

fn validate(u: &UnitInput) -> Result<UnitInput> {
    let name = u.name.trim();
    if name.is_empty() {
        return Err(Error::Invalid("请填写单位名称。".into()));
    }
    if name.chars().count() > MAX_NAME_CHARS {
        return Err(Error::Invalid(format!(
            "单位名称“{}”过长（不超过 {MAX_NAME_CHARS} 个字）。",
            short(name)
        )));
    }
    let Some(kind) = parse_kind(&u.kind) else {
        return Err(Error::Invalid(format!(
            "单位类别“{}”无效，只能是：{}。",
            u.kind,
            KINDS.join("、")
        )));
    };
    Ok(UnitInput {
        id: u.id,
        name: name.to_string(),
        short_name: u.short_name.trim().to_string(),
        aliases: u
            .aliases
            .iter()
            .map(|a| a.trim().to_string())
            .filter(|a| !a.is_empty() && a != name)
            .collect(),
        kind: kind.to_string(),
        contact: u.contact.trim().to_string(),
        phone: u.phone.trim().to_string(),
        note: u.note.trim().to_string(),
    })
}

/// A unit's names by what they are, for clash messages.
fn names_of<'a>(
    name: &'a str,
    short: &'a str,
    aliases: &'a [String],
) -> Vec<(&'static str, &'a str)> {
    let mut v = vec![("名称", name)];
    if !short.is_empty() {
        v.push(("简称", short));
    }
    v.extend(aliases.iter().map(|a| ("别名", a.as_str())));
    v
}

/// Refuses a unit whose name, 简称 or 别名 is already a name, 简称 or 别名 of another unit:
/// a written name must lead to one unit only.
fn name_clash(existing: &[UnitInfo], u: &UnitInput) -> Result<()> {
    let mine = names_of(&u.name, &u.short_name, &u.aliases);
    for e in existing.iter().filter(|e| Some(e.id) != u.id) {
        for (their_what, theirs) in names_of(&e.name, &e.short_name, &e.aliases) {
            let Some((my_what, written)) = mine.iter().find(|(_, m)| norm(m) == norm(theirs))
            else {
                continue;
            };
            if *my_what == "名称" && their_what == "名称" {
                return Err(Error::Invalid(format!("单位“{}”已存在。", e.name)));
            }
            return Err(Error::Invalid(format!(
                "“{written}”已是单位“{}”的{their_what}，不能再作为“{}”的{my_what}。同一写法只能指一个单位，请改用其他写法。",
                e.name, u.name
            )));
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// The 单位名单 workbook: one sheet of units, one of the roster. Described once, read and written.

pub const UNIT_COLUMNS: &[Column] = &[
    Column::new("no", "序号", &["编号", "序"], 6.0),
    Column::new(
        "name",
        "单位名称",
        &["单位", "单位全称", "部门", "部门名称", "名称"],
        30.0,
    ),
    Column::new("short", "简称", &["单位简称"], 14.0),
    Column::new("aliases", "别名", &["其他名称", "曾用名", "又称"], 24.0),
    Column::new(
        "kind",
        "单位类别",
        &["类别", "单位类型", "类型", "性质", "单位性质"],
        16.0,
    ),
    Column::new("contact", "联系人", &["单位联系人"], 10.0),
    Column::new("phone", "联系电话", &["电话", "联系方式"], 16.0),
    Column::new("note", "备注", &["说明"], 20.0),
];

pub const ROSTER_COLUMNS: &[Column] = &[
    Column::new("no", "序号", &["编号", "序"], 6.0),
    Column::new(
        "unit",
        "单位",
        &["单位名称", "部门", "所在单位", "部门名称"],
        28.0,
    ),
    Column::new(
        "role",
        "角色",
        &["身份", "人员类别", "负责人/联络人", "类别"],
        10.0,
    ),
    Column::new("person", "姓名", &["名字", "人员"], 10.0),
    Column::new("title", "职务", &["职务职称", "职位"], 18.0),
    Column::new(
        "office",
        "办公电话",
        &["座机", "固定电话", "办公室电话"],
        16.0,
    ),
    Column::new(
        "mobile",
        "手机",
        &["手机号", "手机号码", "移动电话", "联系电话"],
        16.0,
    ),
    Column::new("note", "备注", &["说明"], 16.0),
];

#[derive(Debug, Clone)]
struct UnitRow {
    input: UnitInput,
    has_short: bool,
    has_aliases: bool,
    has_contact: bool,
}

#[derive(Debug, Clone)]
struct RosterRow {
    unit: String,
    grid: usize,
    row: usize,
    unit_col: usize,
    person_col: usize,
    member: RosterInput,
}

/// A parsed 单位名单.
pub struct UnitsPlan {
    file: String,
    units: Vec<UnitRow>,
    roster: Vec<RosterRow>,
    grids: Vec<Grid>,
    issues: Issues,
}

fn parse_units(path: &Path) -> Result<UnitsPlan> {
    let file = display_name(path);
    let grids = read_tables(path)?;
    let mut issues = Issues::new(&file);
    let mut units: Vec<UnitRow> = Vec::new();
    let mut roster: Vec<RosterRow> = Vec::new();
    let mut any = false;
    for (gi, g) in grids.iter().enumerate() {
        if let Some(h) = find_header(g, ROSTER_COLUMNS, &["unit", "person"]) {
            any = true;
            let uc = h.col("unit").unwrap_or(0);
            let pc = h.col("person").unwrap_or(0);
            let get = |r: usize, k: &str| {
                h.col(k)
                    .map(|c| g.text(r, c).to_string())
                    .unwrap_or_default()
            };
            for r in h.row + 1..g.rows.len() {
                if g.row_is_blank(r) {
                    continue;
                }
                let unit = g.text(r, uc).replace('\n', "");
                let person = g.text(r, pc).to_string();
                if person.is_empty() {
                    if !unit.is_empty() && !get(r, "mobile").is_empty() {
                        issues.at(Severity::Error, g, Some(r), Some(pc), "姓名为空。");
                    }
                    continue;
                }
                if unit.is_empty() {
                    issues.at(
                        Severity::Error,
                        g,
                        Some(r),
                        Some(uc),
                        &format!("“{person}”没有填写所在单位。"),
                    );
                    continue;
                }
                if roster.len() == MAX_ROSTER_ROWS {
                    issues.at(
                        Severity::Error,
                        g,
                        Some(r),
                        None,
                        &format!("明白人名单超过 {MAX_ROSTER_ROWS} 人（从本行起），超出上限，请确认是否选错文件。"),
                    );
                    break;
                }
                roster.push(RosterRow {
                    unit,
                    grid: gi,
                    row: r,
                    unit_col: uc,
                    person_col: pc,
                    member: RosterInput {
                        name: person,
                        title: get(r, "title"),
                        office_phone: get(r, "office"),
                        mobile: get(r, "mobile"),
                        role: get(r, "role"),
                    },
                });
            }
            continue;
        }
        let Some(h) = find_header(g, UNIT_COLUMNS, &["name"]) else {
            continue;
        };
        if h.cols.len() < 2 {
            continue;
        }
        any = true;
        let nc = h.col("name").unwrap_or(0);
        let get = |r: usize, k: &str| {
            h.col(k)
                .map(|c| g.text(r, c).to_string())
                .unwrap_or_default()
        };
        let mut seen: HashMap<String, usize> = HashMap::new();
        for r in h.row + 1..g.rows.len() {
            if g.row_is_blank(r) {
                continue;
            }
            let name = g.text(r, nc).replace('\n', "");
            let first = (0..g.width())
                .map(|c| g.text(r, c))
                .find(|t| !t.is_empty())
                .unwrap_or("");
            if ["注", "说明", "填表", "备注"]
                .iter()
                .any(|p| first.starts_with(p))
            {
                continue;
            }
            if name.is_empty() {
                issues.at(Severity::Error, g, Some(r), Some(nc), "单位名称为空。");
                continue;
            }
            if name.starts_with("注") || name.starts_with("说明") || name.starts_with("填表") {
                continue;
            }
            if units.len() == MAX_UNITS {
                issues.at(
                    Severity::Error,
                    g,
                    Some(r),
                    None,
                    &format!("单位名单超过 {MAX_UNITS} 个单位（从本行起），超出上限，请确认是否选错文件。"),
                );
                break;
            }
            let len = name.chars().count();
            if len > MAX_NAME_CHARS {
                issues.at(
                    Severity::Error,
                    g,
                    Some(r),
                    Some(nc),
                    &format!(
                        "单位名称“{}”过长（{len} 个字，不超过 {MAX_NAME_CHARS} 个字），请确认是否填错列。",
                        short(&name)
                    ),
                );
                continue;
            }
            if let Some(prev) = seen.insert(norm(&name), r) {
                issues.at(
                    Severity::Error,
                    g,
                    Some(r),
                    Some(nc),
                    &format!("单位“{name}”与第{}行重复。", prev + 1),
                );
                continue;
            }
            let kind_raw = get(r, "kind");
            let kind = match parse_kind(&kind_raw) {
                Some(k) => k,
                None => {
                    let k = kind_from_name(&name);
                    let col = h.col("kind");
                    let what = if kind_raw.is_empty() {
                        format!("未填写单位类别，已按名称定为“{k}”。")
                    } else {
                        format!(
                            "单位类别“{}”无法识别（应为 {}），已定为“{k}”。",
                            short(&kind_raw),
                            KINDS.join("、")
                        )
                    };
                    issues.at(Severity::Warning, g, Some(r), col, &what);
                    k
                }
            };
            let aliases = split_names(&get(r, "aliases"));
            units.push(UnitRow {
                input: UnitInput {
                    id: None,
                    name,
                    short_name: get(r, "short"),
                    aliases,
                    kind: kind.to_string(),
                    contact: get(r, "contact"),
                    phone: get(r, "phone"),
                    note: get(r, "note"),
                },
                has_short: h.col("short").is_some(),
                has_aliases: h.col("aliases").is_some(),
                has_contact: h.col("contact").is_some(),
            });
        }
    }
    if !any {
        return Err(Error::BadFile(format!(
            "无法导入“{file}”：没有找到单位名单（需要有“单位名称”列的表头），也没有明白人名单（需要“单位”“姓名”列）。"
        )));
    }
    if units.is_empty() && roster.is_empty() && !issues.has_errors() {
        issues.file(
            Severity::Error,
            "表中只有表头，没有任何单位或明白人，请确认选择的文件是否正确。",
        );
    }
    Ok(UnitsPlan {
        file,
        units,
        roster,
        grids,
        issues,
    })
}

/// What a plan resolves to against the stored units.
struct Resolved {
    preview: UnitsImportPreview,
    /// (existing id or None, unit) in file order.
    units: Vec<(Option<i64>, UnitInput)>,
    /// Unit name (as resolved) → members.
    roster: BTreeMap<String, Vec<RosterInput>>,
}

fn resolve_units(conn: &Connection, plan: UnitsPlan) -> Result<Resolved> {
    let c = campaign::active(conn)?;
    let existing = list(conn, c.id)?;
    let mut dir = Directory::load(conn, c.id, &c.district)?;
    let mut issues = plan.issues;
    let mut created = Vec::new();
    let mut updated = Vec::new();
    let mut unchanged = 0;
    let mut units = Vec::new();
    let mut next_new = -1i64;
    for row in plan.units {
        let u = row.input;
        let found = dir.exact(&u.name).and_then(|id| {
            existing
                .iter()
                .find(|e| e.id == id && norm(&e.name) == norm(&u.name))
        });
        match found {
            Some(e) => {
                let mut merged = u.clone();
                if !row.has_short {
                    merged.short_name = e.short_name.clone();
                }
                if !row.has_aliases {
                    merged.aliases = e.aliases.clone();
                }
                if !row.has_contact {
                    merged.contact = e.contact.clone();
                }
                let mut changes = Vec::new();
                let mut diff = |what: &str, a: &str, b: &str| {
                    if a != b {
                        changes.push(format!(
                            "{what}：{} → {}",
                            if a.is_empty() { "（空）" } else { a },
                            if b.is_empty() { "（空）" } else { b }
                        ));
                    }
                };
                diff("简称", &e.short_name, &merged.short_name);
                diff("别名", &e.aliases.join("、"), &merged.aliases.join("、"));
                diff("类别", &e.kind, &merged.kind);
                diff("联系人", &e.contact, &merged.contact);
                diff("联系电话", &e.phone, &merged.phone);
                diff("备注", &e.note, &merged.note);
                if changes.is_empty() {
                    unchanged += 1;
                } else {
                    updated.push(UnitChange {
                        name: e.name.clone(),
                        changes,
                    });
                }
                units.push((Some(e.id), merged));
            }
            None => {
                created.push(u.name.clone());
                let mut others = u.aliases.clone();
                others.push(u.short_name.clone());
                dir.add_planned_names(next_new, &u.name, &others, &u.kind);
                next_new -= 1;
                units.push((None, u));
            }
        }
    }
    let mut roster: BTreeMap<String, Vec<RosterInput>> = BTreeMap::new();
    let mut members = 0;
    // (unit, person) → (row, mobile) of the first mention: one person listed twice would count
    // twice towards the 明白人 rule.
    let mut people: HashMap<(i64, String), (usize, String)> = HashMap::new();
    for r in plan.roster {
        let g = &plan.grids[r.grid];
        let id = match dir.resolve(&r.unit) {
            NameMatch::Exact(id) => Some(id),
            NameMatch::Guess(id, why) => {
                issues.at(
                    Severity::Warning,
                    g,
                    Some(r.row),
                    Some(r.unit_col),
                    &format!(
                        "单位“{}”按“{}”处理（{why}），请确认。",
                        r.unit,
                        dir.name_of(id)
                    ),
                );
                Some(id)
            }
            _ => None,
        };
        match id {
            Some(id) => {
                let mobile = r.member.mobile.trim().to_string();
                let key = (id, norm(&r.member.name));
                if let Some((prev, m)) = people.get(&key)
                    && (m.is_empty() || mobile.is_empty() || *m == mobile)
                {
                    issues.at(
                        Severity::Error,
                        g,
                        Some(r.row),
                        Some(r.person_col),
                        &format!(
                            "“{}”的明白人“{}”与第{}行重复（同一单位、同一人），请删除重复行。",
                            dir.name_of(id),
                            r.member.name,
                            prev + 1
                        ),
                    );
                    continue;
                }
                people.insert(key, (r.row, mobile));
                members += 1;
                roster.entry(dir.name_of(id)).or_default().push(r.member);
            }
            None => issues.at(
                Severity::Error,
                g,
                Some(r.row),
                Some(r.unit_col),
                &format!(
                    "单位“{}”不在单位名单中，请先在“单位名单”中添加该单位。",
                    r.unit
                ),
            ),
        }
    }
    let can_apply = !issues.has_errors();
    Ok(Resolved {
        preview: UnitsImportPreview {
            file_name: plan.file,
            created,
            updated,
            unchanged,
            roster_units: roster.len() as i64,
            roster_members: members,
            issues: issues.list,
            can_apply,
        },
        units,
        roster,
    })
}

fn write_units_book(
    units: &[UnitInfo],
    members: &[RosterMember],
    title: &str,
) -> Result<Workbook, rust_xlsxwriter::XlsxError> {
    let st = Styles::new();
    let mut wb = Workbook::new();
    {
        let ws = wb.add_worksheet();
        ws.set_name("单位名单")?;
        let last = UNIT_COLUMNS.len() as u16 - 1;
        ws.merge_range(0, 0, 0, last, &format!("{title}单位名单"), &st.title)?;
        ws.set_row_height(0, 30)?;
        for (c, col) in UNIT_COLUMNS.iter().enumerate() {
            ws.set_column_width(c as u16, col.width)?;
            ws.write_string_with_format(1, c as u16, col.header, &st.header)?;
        }
        for (i, u) in units.iter().enumerate() {
            let r = 2 + i as u32;
            let vals = [
                (i + 1).to_string(),
                u.name.clone(),
                u.short_name.clone(),
                u.aliases.join("、"),
                u.kind.clone(),
                u.contact.clone(),
                u.phone.clone(),
                u.note.clone(),
            ];
            for (c, v) in vals.iter().enumerate() {
                if c == 0 {
                    ws.write_number_with_format(r, 0, (i + 1) as f64, &st.body_center)?;
                } else {
                    ws.write_string_with_format(r, c as u16, v, &st.body)?;
                }
            }
        }
        ws.set_freeze_panes(2, 0)?;
        a4_setup(ws, true, 1, 1)?;
    }
    {
        let ws = wb.add_worksheet();
        ws.set_name("明白人名单")?;
        let last = ROSTER_COLUMNS.len() as u16 - 1;
        ws.merge_range(0, 0, 0, last, &format!("{title}明白人名单"), &st.title)?;
        ws.set_row_height(0, 30)?;
        for (c, col) in ROSTER_COLUMNS.iter().enumerate() {
            ws.set_column_width(c as u16, col.width)?;
            ws.write_string_with_format(1, c as u16, col.header, &st.header)?;
        }
        for (i, m) in members.iter().enumerate() {
            let r = 2 + i as u32;
            ws.write_number_with_format(r, 0, (i + 1) as f64, &st.body_center)?;
            let vals = [
                &m.unit_name,
                &m.role,
                &m.name,
                &m.title,
                &m.office_phone,
                &m.mobile,
            ];
            for (c, v) in vals.iter().enumerate() {
                ws.write_string_with_format(r, c as u16 + 1, v.as_str(), &st.body)?;
            }
            ws.write_string_with_format(r, last, "", &st.body)?;
        }
        ws.set_freeze_panes(2, 0)?;
        a4_setup(ws, true, 1, 1)?;
    }
    Ok(wb)
}

impl Workspace {
    /// Units of the active campaign, in list order.
    pub fn list_units(&self) -> Result<Vec<UnitInfo>> {
        let c = campaign::active(self.store().conn())?;
        list(self.store().conn(), c.id)
    }

    /// The 明白人 roster of one unit, or of every unit.
    pub fn roster(&self, unit_id: Option<i64>) -> Result<Vec<RosterMember>> {
        let c = campaign::active(self.store().conn())?;
        roster(self.store().conn(), c.id, unit_id)
    }

    /// Units that fall short of "行政执法单位不少于3人、非行政执法单位不少于2人".
    pub fn roster_check(&self) -> Result<Vec<RosterShortfall>> {
        Ok(self
            .list_units()?
            .into_iter()
            .filter(|u| u.roster_count < u.roster_required)
            .map(|u| RosterShortfall {
                unit_id: u.id,
                missing: u.roster_required - u.roster_count,
                unit_name: u.name,
                kind: u.kind,
                count: u.roster_count,
                required: u.roster_required,
            })
            .collect())
    }

    /// Create or change one unit.
    pub fn save_unit(&mut self, input: &UnitInput) -> Result<UnitInfo> {
        let c = campaign::active(self.store().conn())?;
        let u = validate(input)?;
        name_clash(&list(self.store().conn(), c.id)?, &u)?;
        let name = u.name.clone();
        let id = self.store_mut().write(
            if u.id.is_some() {
                "修改单位"
            } else {
                "新增单位"
            },
            |_| name,
            |tx| match u.id {
                Some(id) => {
                    let n = tx.query_row(
                        "SELECT count(*) FROM unit WHERE id = ?1 AND campaign_id = ?2",
                        params![id, c.id],
                        |r| r.get::<_, i64>(0),
                    )?;
                    if n == 0 {
                        return Err(Error::NotFound(format!("单位（编号 {id}）不存在。")));
                    }
                    update(tx, id, &u)?;
                    Ok(id)
                }
                None => insert(tx, c.id, &u),
            },
        )?;
        self.list_units()?
            .into_iter()
            .find(|x| x.id == id)
            .ok_or_else(|| Error::NotFound(format!("单位（编号 {id}）不存在。")))
    }

    /// Delete a unit that no assignment names.
    pub fn delete_unit(&mut self, id: i64) -> Result<()> {
        let u = self
            .list_units()?
            .into_iter()
            .find(|u| u.id == id)
            .ok_or_else(|| Error::NotFound(format!("单位（编号 {id}）不存在。")))?;
        if u.lead_count + u.support_count > 0 {
            return Err(Error::Invalid(format!(
                "单位“{}”仍承担 {} 项任务（牵头 {} 项、参与 {} 项），请先在任务分解中调整后再删除。",
                u.name,
                u.lead_count + u.support_count,
                u.lead_count,
                u.support_count
            )));
        }
        let name = u.name.clone();
        self.store_mut().write(
            "删除单位",
            |_| name,
            |tx| {
                tx.execute("DELETE FROM unit WHERE id = ?1", [id])?;
                Ok(())
            },
        )
    }

    /// Replace the roster of one unit.
    pub fn set_roster(
        &mut self,
        unit_id: i64,
        members: &[RosterInput],
    ) -> Result<Vec<RosterMember>> {
        let u = self
            .list_units()?
            .into_iter()
            .find(|u| u.id == unit_id)
            .ok_or_else(|| Error::NotFound(format!("单位（编号 {unit_id}）不存在。")))?;
        for (i, m) in members.iter().enumerate() {
            if m.name.trim().is_empty() {
                return Err(Error::Invalid(format!(
                    "“{}”明白人名单第{}人未填写姓名。",
                    u.name,
                    i + 1
                )));
            }
        }
        let detail = format!("{}：{} 人", u.name, members.len());
        self.store_mut().write(
            "修改明白人名单",
            |_| detail,
            |tx| set_roster(tx, unit_id, members),
        )?;
        self.roster(Some(unit_id))
    }

    /// Read a 单位名单 workbook (units and/or roster) and show what importing it would do.
    pub fn preview_units_import(&self, path: &Path) -> Result<UnitsImportPreview> {
        self.preview_units_import_with(path, &NoProgress, &Cancel::new())
    }

    /// [`Self::preview_units_import`] as a job: reports reading and checking; a cancel stops
    /// after the current stage.
    pub fn preview_units_import_with(
        &self,
        path: &Path,
        progress: &dyn Progress,
        cancel: &Cancel,
    ) -> Result<UnitsImportPreview> {
        let stages = ImportStages::new(path, progress, cancel);
        let plan = parse_units(path)?;
        let r = resolve_units(self.store().conn(), plan)?.preview;
        stages.checked()?;
        Ok(r)
    }

    /// Import a 单位名单: create new units, update changed ones, replace the roster of every unit
    /// the roster sheet names. All or nothing.
    pub fn apply_units_import(&mut self, path: &Path) -> Result<UnitsImportPreview> {
        self.apply_units_import_with(path, &NoProgress, &Cancel::new())
    }

    /// [`Self::apply_units_import`] as a job: read and check, back up, write; a cancel before
    /// the write changes nothing.
    pub fn apply_units_import_with(
        &mut self,
        path: &Path,
        progress: &dyn Progress,
        cancel: &Cancel,
    ) -> Result<UnitsImportPreview> {
        let stages = ImportStages::new(path, progress, cancel);
        let c = campaign::active(self.store().conn())?;
        let plan = parse_units(path)?;
        let r = resolve_units(self.store().conn(), plan)?;
        if !r.preview.can_apply {
            return Err(Error::Import {
                file: r.preview.file_name.clone(),
                issues: r.preview.issues,
            });
        }
        stages.backing_up()?;
        self.backup_before_import()?;
        stages.writing()?;
        let detail = format!(
            "“{}”：新增 {} 个单位，更新 {} 个，明白人 {} 人",
            r.preview.file_name,
            r.preview.created.len(),
            r.preview.updated.len(),
            r.preview.roster_members
        );
        let Resolved {
            preview,
            units,
            roster,
        } = r;
        self.store_mut().write(
            "导入单位名单",
            |_| detail,
            |tx| {
                let mut ids: HashMap<String, i64> = HashMap::new();
                for (id, u) in &units {
                    let id = match id {
                        Some(id) => {
                            update(tx, *id, u)?;
                            *id
                        }
                        None => insert(tx, c.id, u)?,
                    };
                    ids.insert(u.name.clone(), id);
                }
                for (name, members) in &roster {
                    let id = match ids.get(name) {
                        Some(id) => *id,
                        None => tx.query_row(
                            "SELECT id FROM unit WHERE campaign_id = ?1 AND name = ?2",
                            params![c.id, name],
                            |r| r.get(0),
                        )?,
                    };
                    set_roster(tx, id, members)?;
                }
                Ok(())
            },
        )?;
        Ok(preview)
    }

    /// Write the 单位名单 (units and roster sheets) of the active campaign.
    pub fn export_units(&self, path: &Path) -> Result<PathBuf> {
        let c = campaign::active(self.store().conn())?;
        let units = list(self.store().conn(), c.id)?;
        let members = roster(self.store().conn(), c.id, None)?;
        let mut wb = write_units_book(&units, &members, &c.district)
            .map_err(|e| Error::Io(format!("生成单位名单失败：{e}")))?;
        save_atomic(&mut wb, path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dir() -> Directory {
        let mut d = Directory {
            district: "曾都区".into(),
            ..Directory::default()
        };
        for (i, (n, k)) in [
            ("区司法局", KIND_ENFORCEMENT),
            ("区市场监督管理局", KIND_ENFORCEMENT),
            ("区政务服务和数据管理局", KIND_OTHER_DEPT),
            ("区财政局", KIND_ENFORCEMENT),
            ("南郊街道办事处", KIND_TOWN),
            ("北郊街道办事处", KIND_TOWN),
        ]
        .iter()
        .enumerate()
        {
            d.add_planned(i as i64 + 1, n, k);
        }
        d
    }

    #[test]
    fn names_resolve_exactly_by_guess_or_as_catch_alls() {
        let d = dir();
        assert_eq!(d.resolve("区司法局"), NameMatch::Exact(1));
        assert_eq!(d.resolve("区 司法局"), NameMatch::Exact(1));
        assert!(matches!(d.resolve("司法局"), NameMatch::Guess(1, _)));
        assert!(matches!(d.resolve("曾都区司法局"), NameMatch::Guess(1, _)));
        assert!(matches!(d.resolve("县司法局"), NameMatch::Guess(1, _)));
        assert!(matches!(
            d.resolve("区市场监督管理局（区知识产权局）"),
            NameMatch::Guess(2, _)
        ));
        assert!(matches!(
            d.resolve("区政务服务与数据管理局"),
            NameMatch::Guess(3, _)
        ));
        assert!(matches!(d.resolve("南郊街道"), NameMatch::Guess(5, _)));
        assert_eq!(
            d.resolve("各街道"),
            NameMatch::CatchAll(vec![5, 6], "全部乡镇街道".into())
        );
        assert!(
            matches!(d.resolve("区直各部门"), NameMatch::CatchAll(v, _) if v == vec![1, 2, 3, 4])
        );
        assert_eq!(d.resolve("相关单位"), NameMatch::Vague);
        assert_eq!(d.resolve("区气象局"), NameMatch::Unknown);
        let mut d2 = dir();
        d2.add_planned(9, "测试单位1", KIND_OTHER);
        assert_eq!(
            d2.resolve("测试单位2"),
            NameMatch::Unknown,
            "numbers differ"
        );
    }

    #[test]
    fn cells_split_on_every_separator_but_not_inside_brackets() {
        assert_eq!(
            split_names(
                "区司法局、区财政局，区人社局;区税务局/各街道\n区市场监管局（知识产权局、质监）"
            ),
            vec![
                "区司法局",
                "区财政局",
                "区人社局",
                "区税务局",
                "各街道",
                "区市场监管局（知识产权局、质监）"
            ]
        );
    }

    #[test]
    fn kinds_parse_from_office_wording() {
        assert_eq!(parse_kind("行政执法单位"), Some(KIND_ENFORCEMENT));
        assert_eq!(parse_kind("非行政执法单位"), Some(KIND_OTHER_DEPT));
        assert_eq!(parse_kind("街道"), Some(KIND_TOWN));
        assert_eq!(parse_kind("？"), None);
        assert_eq!(kind_from_name("南郊街道办事处"), KIND_TOWN);
    }
}
