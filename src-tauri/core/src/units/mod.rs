//! 单位: the units of a campaign (区直部门, 乡镇街道 …) with their short names and aliases,
//! kinds and contacts, and the 明白人 roster of each unit with the rule
//! "行政执法单位不少于3人、非行政执法单位不少于2人". Submodules: `names` (how a unit name written
//! by an office — "司法局", "曾都区司法局", "区市场监管局（知识产权局）", "各街道" — is resolved to
//! units; the 任务分解 import and collecting use it too) and `book` (the 单位名单 workbook, read
//! and written).

pub mod book;
pub mod names;

pub use names::{
    CatchAllUse, Choices, ChosenName, Decided, Directory, NameAction, NameChoice, NameLedger,
    NameMatch, Next, Taken, UnitGuess, UnknownUnit, norm, split_names,
};

use std::collections::HashMap;

use rusqlite::{Connection, OptionalExtension, Transaction, params};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::action::Action;
use crate::campaign;
use crate::error::{Error, Result};
use crate::sheet::layout::short;
use crate::text::to_half_width;
use crate::workspace::Workspace;

/// Unit kinds as the office names them.
pub const KIND_ENFORCEMENT: &str = "行政执法单位";
pub const KIND_OTHER_DEPT: &str = "非行政执法单位";
pub const KIND_TOWN: &str = "乡镇街道";
pub const KIND_OTHER: &str = "其他";
pub const KINDS: &[&str] = &[KIND_ENFORCEMENT, KIND_OTHER_DEPT, KIND_TOWN, KIND_OTHER];

/// The 明白人 rule of a campaign: how many members a unit of each kind needs. The document
/// says 行政执法单位不少于3人、非行政执法单位不少于2人; 乡镇街道 count as 行政执法 by default (since
/// the 综合行政执法 reform gave towns and streets enforcement powers); 其他 (courts,
/// procuratorates, schools) have no requirement. Each campaign may set its own numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct RosterRule {
    #[ts(type = "number")]
    pub enforcement: i64,
    #[ts(type = "number")]
    pub other_dept: i64,
    #[ts(type = "number")]
    pub town: i64,
    #[ts(type = "number")]
    pub other: i64,
}

impl Default for RosterRule {
    fn default() -> Self {
        RosterRule {
            enforcement: 3,
            other_dept: 2,
            town: 3,
            other: 0,
        }
    }
}

impl RosterRule {
    /// Members required of a unit of `kind`.
    pub fn required(&self, kind: &str) -> i64 {
        match kind {
            KIND_ENFORCEMENT => self.enforcement,
            KIND_OTHER_DEPT => self.other_dept,
            KIND_TOWN => self.town,
            _ => self.other,
        }
    }

    /// The rule in words: "行政执法单位不少于3人、非行政执法单位不少于2人、乡镇街道不少于3人".
    pub fn text(&self) -> String {
        let parts: Vec<String> = [
            (KIND_ENFORCEMENT, self.enforcement),
            (KIND_OTHER_DEPT, self.other_dept),
            (KIND_TOWN, self.town),
            (KIND_OTHER, self.other),
        ]
        .iter()
        .filter(|(_, n)| *n > 0)
        .map(|(k, n)| format!("{k}不少于{n}人"))
        .collect();
        if parts.is_empty() {
            "不要求明白人人数".into()
        } else {
            parts.join("、")
        }
    }

    /// The setting key of a campaign's rule (no migration: the `setting` table).
    fn key(campaign_id: i64) -> String {
        format!("roster_rule:{campaign_id}")
    }

    /// The rule stored for a campaign, or the default.
    pub fn load(conn: &Connection, campaign_id: i64) -> Result<RosterRule> {
        let v: Option<String> = conn
            .query_row(
                "SELECT value FROM setting WHERE key = ?1",
                [RosterRule::key(campaign_id)],
                |r| r.get(0),
            )
            .optional()?;
        Ok(v.and_then(|v| serde_json::from_str(&v).ok())
            .unwrap_or_default())
    }
}

/// Roster size the default rule asks of a unit of `kind` (see [`RosterRule`]).
pub fn required_roster(kind: &str) -> i64 {
    RosterRule::default().required(kind)
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
    /// 分管领导 of the unit (may be empty).
    pub leader: String,
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
    /// 分管领导.
    #[serde(default)]
    pub leader: String,
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
// Kinds.

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

// ---------------------------------------------------------------------------------------------
// Storage.

pub fn list(conn: &Connection, campaign_id: i64) -> Result<Vec<UnitInfo>> {
    let rule = RosterRule::load(conn, campaign_id)?;
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
        "SELECT u.id, u.name, u.short_name, u.kind, u.contact, u.phone, u.note, u.leader,
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
                roster_required: rule.required(&kind),
                kind,
                contact: r.get(4)?,
                phone: r.get(5)?,
                note: r.get(6)?,
                leader: r.get(7)?,
                roster_count: r.get(8)?,
                lead_count: r.get(9)?,
                support_count: r.get(10)?,
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
        "INSERT INTO unit (campaign_id, name, short_name, kind, contact, phone, note, leader, position)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        params![
            campaign_id,
            u.name,
            u.short_name,
            u.kind,
            u.contact,
            u.phone,
            u.note,
            u.leader,
            pos
        ],
    )?;
    let id = tx.last_insert_rowid();
    set_aliases(tx, id, &u.aliases)?;
    Ok(id)
}

pub(crate) fn update(tx: &Transaction<'_>, id: i64, u: &UnitInput) -> Result<()> {
    tx.execute(
        "UPDATE unit SET name = ?2, short_name = ?3, kind = ?4, contact = ?5, phone = ?6, note = ?7,
           leader = ?8
         WHERE id = ?1",
        params![
            id,
            u.name,
            u.short_name,
            u.kind,
            u.contact,
            u.phone,
            u.note,
            u.leader
        ],
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

/// Add one 别名 to a unit (a name the user confirmed in an import preview), unless it is the
/// unit's name or already one of its names.
pub(crate) fn add_alias(tx: &Transaction<'_>, id: i64, alias: &str) -> Result<()> {
    let alias = alias.trim();
    let (name, short): (String, String) = tx.query_row(
        "SELECT name, short_name FROM unit WHERE id = ?1",
        [id],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    if alias.is_empty() || norm(alias) == norm(&name) || norm(alias) == norm(&short) {
        return Ok(());
    }
    tx.execute(
        "INSERT OR IGNORE INTO unit_alias (unit_id, alias) VALUES (?1, ?2)",
        params![id, alias],
    )?;
    Ok(())
}

pub(crate) fn set_roster(
    tx: &Transaction<'_>,
    unit_id: i64,
    members: &[RosterInput],
) -> Result<()> {
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
pub(crate) const MAX_NAME_CHARS: usize = 60;

/// Most units and roster rows one 单位名单 may hold (a district has one or two hundred units);
/// a larger sheet is the wrong file, refused before any name is resolved.
pub(crate) const MAX_UNITS: usize = 1000;
pub(crate) const MAX_ROSTER_ROWS: usize = 5000;

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
        leader: u.leader.trim().to_string(),
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

    /// The 明白人 rule of the active campaign.
    pub fn roster_rule(&self) -> Result<RosterRule> {
        let c = campaign::active(self.store().conn())?;
        RosterRule::load(self.store().conn(), c.id)
    }

    /// Set the 明白人 rule of the active campaign (members per kind, 0–99).
    pub fn set_roster_rule(&mut self, rule: &RosterRule) -> Result<RosterRule> {
        let c = campaign::active(self.store().conn())?;
        for (kind, n) in [
            (KIND_ENFORCEMENT, rule.enforcement),
            (KIND_OTHER_DEPT, rule.other_dept),
            (KIND_TOWN, rule.town),
            (KIND_OTHER, rule.other),
        ] {
            if !(0..=99).contains(&n) {
                return Err(Error::Invalid(format!(
                    "{kind}的明白人人数“{n}”无效，应为 0 到 99 之间的整数。"
                )));
            }
        }
        let value = serde_json::to_string(rule)
            .map_err(|e| Error::Invalid(format!("明白人规则无法保存（{e}）。")))?;
        let detail = format!("明白人规则：{}", rule.text());
        self.store_mut().write(
            Action::SetSetting,
            |_| detail,
            |tx| crate::store::set_setting(tx, &RosterRule::key(c.id), &value),
        )?;
        Ok(*rule)
    }

    /// Units that fall short of the campaign's 明白人 rule ([`RosterRule`]).
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
                Action::EditUnit
            } else {
                Action::AddUnit
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
        let parts = crate::problems::parts_of_unit(self.store().conn(), id)?;
        if parts > 0 {
            return Err(Error::Invalid(format!(
                "单位“{}”是 {parts} 个督察问题的整改责任单位，不能删除。",
                u.name
            )));
        }
        let name = u.name.clone();
        self.store_mut().write(
            Action::DeleteUnit,
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
            Action::SetRoster,
            |_| detail,
            |tx| set_roster(tx, unit_id, members),
        )?;
        self.roster(Some(unit_id))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_parse_from_office_wording() {
        assert_eq!(parse_kind("行政执法单位"), Some(KIND_ENFORCEMENT));
        assert_eq!(parse_kind("非行政执法单位"), Some(KIND_OTHER_DEPT));
        assert_eq!(parse_kind("街道"), Some(KIND_TOWN));
        assert_eq!(parse_kind("？"), None);
        assert_eq!(kind_from_name("南郊街道办事处"), KIND_TOWN);
    }
}
