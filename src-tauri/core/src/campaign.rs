//! 创建项目: campaigns of one district, each bound to one indicator-system version, and which
//! one is active.

use std::path::Path;

use rusqlite::{Connection, OptionalExtension, Transaction, params};

use crate::action::Action;
use crate::error::{Error, Result};
use crate::indicators::{self, import};
use crate::model::{CampaignInfo, NewCampaign};
use crate::store::set_setting;
use crate::workspace::Workspace;

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

/// Bind a campaign to another system (version).
pub fn set_system(tx: &Transaction<'_>, campaign_id: i64, system_id: i64) -> Result<()> {
    tx.execute(
        "UPDATE campaign SET system_id = ?1 WHERE id = ?2",
        params![system_id, campaign_id],
    )?;
    Ok(())
}

impl Workspace {
    pub fn list_campaigns(&self) -> Result<Vec<CampaignInfo>> {
        list(self.store().conn())
    }

    /// Create a campaign bound to an embedded/library system or to an official file imported
    /// in the same transaction, and make it active.
    pub fn create_campaign(&mut self, input: &NewCampaign) -> Result<CampaignInfo> {
        let (district, name, level) = validate(
            &input.district,
            input.name.as_deref(),
            input.level.as_deref(),
        )?;
        let file_plan = match input
            .system_file
            .as_deref()
            .filter(|s| !s.trim().is_empty())
        {
            Some(f) => {
                let plan = import::plan(Path::new(f))?;
                if plan.has_errors() {
                    return Err(Error::Import {
                        file: plan.draft.imported_from.clone().unwrap_or_default(),
                        issues: plan.issues,
                    });
                }
                self.require_writer()?;
                self.backup_before_import()?;
                Some(plan)
            }
            None => None,
        };
        let library_id = match (&file_plan, input.system_key.as_deref()) {
            (Some(_), _) => None,
            (None, Some(k)) if !k.trim().is_empty() => Some(self.system_by_key(k.trim())?.id),
            (None, _) => Some(self.system_by_key("demo")?.id),
        };
        let detail_name = name.clone();
        let id = self.store_mut().write(
            Action::CreateCampaign,
            |_| detail_name,
            |tx| {
                let system_id = match (&file_plan, library_id) {
                    (Some(p), _) => indicators::upsert_system(tx, &p.draft)?,
                    (None, Some(id)) => id,
                    (None, None) => {
                        return Err(Error::Invalid("未指定指标体系。".into()));
                    }
                };
                insert(tx, &district, &name, &level, system_id)
            },
        )?;
        get(self.store().conn(), id)
    }

    pub fn switch_campaign(&mut self, id: i64) -> Result<CampaignInfo> {
        let c = get(self.store().conn(), id)?;
        let before = active(self.store().conn())
            .map(|a| a.name)
            .unwrap_or_else(|_| "（无）".to_string());
        let name = format!("{before} → {}", c.name);
        self.store_mut().write(
            Action::SwitchCampaign,
            |_| name,
            |tx| set_setting(tx, "active_campaign", &id.to_string()),
        )?;
        get(self.store().conn(), id)
    }

    /// Bind the active campaign to another system version.
    pub fn set_campaign_system(&mut self, system_id: i64) -> Result<CampaignInfo> {
        let c = active(self.store().conn())?;
        let s = indicators::get_system(self.store().conn(), system_id)?;
        let detail = format!("{}：{} → {}", c.name, c.system_name, s.name);
        self.store_mut().write(
            Action::SetCampaignSystem,
            |_| detail,
            |tx| set_system(tx, c.id, system_id),
        )?;
        get(self.store().conn(), c.id)
    }
}
