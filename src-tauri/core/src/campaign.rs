//! 创建项目: campaigns of one district, each bound to one indicator-system version, and which
//! one is active.

use rusqlite::{Connection, OptionalExtension, Transaction, params};

use crate::error::{Error, Result};
use crate::model::CampaignInfo;
use crate::store::set_setting;

/// Campaign levels an office can choose.
pub const LEVELS: &[&str] = &["省级", "全国"];

const COLS: &str =
    "c.id, c.name, c.district, c.level, c.system_id, s.name, s.is_demo, c.created_at";

fn row(r: &rusqlite::Row<'_>, active: Option<i64>) -> rusqlite::Result<CampaignInfo> {
    let id: i64 = r.get(0)?;
    Ok(CampaignInfo {
        id,
        name: r.get(1)?,
        district: r.get(2)?,
        level: r.get(3)?,
        system_id: r.get(4)?,
        system_name: r.get(5)?,
        system_is_demo: r.get(6)?,
        created_at: r.get(7)?,
        active: Some(id) == active,
    })
}

pub fn active_id(conn: &Connection) -> Result<Option<i64>> {
    let v: Option<String> = conn
        .query_row(
            "SELECT value FROM setting WHERE key = 'active_campaign'",
            [],
            |r| r.get(0),
        )
        .optional()?;
    Ok(v.and_then(|s| s.parse().ok()))
}

pub fn list(conn: &Connection) -> Result<Vec<CampaignInfo>> {
    let active = active_id(conn)?;
    let mut st = conn.prepare(&format!(
        "SELECT {COLS} FROM campaign c JOIN indicator_system s ON s.id = c.system_id ORDER BY c.id"
    ))?;
    let v = st
        .query_map([], |r| row(r, active))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(v)
}

pub fn get(conn: &Connection, id: i64) -> Result<CampaignInfo> {
    let active = active_id(conn)?;
    conn.query_row(
        &format!("SELECT {COLS} FROM campaign c JOIN indicator_system s ON s.id = c.system_id WHERE c.id = ?1"),
        [id],
        |r| row(r, active),
    )
    .optional()?
    .ok_or_else(|| Error::NotFound(format!("创建项目（编号 {id}）不存在。")))
}

/// The active campaign, or an error telling the user to create one.
pub fn active(conn: &Connection) -> Result<CampaignInfo> {
    match active_id(conn)? {
        Some(id) => get(conn, id),
        None => Err(Error::NotFound("还没有创建项目，请先新建创建项目。".into())),
    }
}

/// Validated campaign fields: (district, name, level).
pub fn validate(
    district: &str,
    name: Option<&str>,
    level: Option<&str>,
) -> Result<(String, String, String)> {
    let district = district.trim();
    if district.is_empty() {
        return Err(Error::Invalid("请填写区（县）名称，例如“曾都区”。".into()));
    }
    if district.chars().count() > 30 {
        return Err(Error::Invalid(
            "区（县）名称过长（不超过 30 个字）。".into(),
        ));
    }
    let level = level
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .unwrap_or("省级");
    if !LEVELS.contains(&level) {
        return Err(Error::Invalid(format!(
            "创建级别“{level}”无效，只能是“省级”或“全国”。"
        )));
    }
    let name = name
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .unwrap_or_else(|| format!("{district}法治政府建设示范创建（{level}）"));
    Ok((district.to_string(), name, level.to_string()))
}

/// Insert a campaign and make it active.
pub fn insert(
    tx: &Transaction<'_>,
    district: &str,
    name: &str,
    level: &str,
    system_id: i64,
) -> Result<i64> {
    tx.execute(
        "INSERT INTO campaign (name, district, level, system_id, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![name, district, level, system_id, crate::store::now()],
    )?;
    let id = tx.last_insert_rowid();
    set_setting(tx, "active_campaign", &id.to_string())?;
    Ok(id)
}
