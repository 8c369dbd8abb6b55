//! The engine's front door: one data folder (SQLite store + files) and the operations the app,
//! the CLI and the tests perform on it.

use std::path::{Path, PathBuf};

use crate::campaign;
use crate::error::{Error, Result};
use crate::indicators::{self, SystemDraft, import};
use crate::model::{
    AppStatus, CampaignInfo, IndicatorImportPreview, IndicatorLeaf, IndicatorTree, NewCampaign,
    SystemInfo,
};
use crate::store::{Store, set_setting};

/// File name of the database inside the data folder.
pub const DB_FILE: &str = "shifan.db";

/// An open data folder.
pub struct Workspace {
    dir: PathBuf,
    store: Store,
}

impl Workspace {
    /// Open the data folder (created if missing), migrate the database and make sure the
    /// embedded indicator systems are in the library.
    pub fn open(data_dir: &Path) -> Result<Workspace> {
        std::fs::create_dir_all(data_dir).map_err(|e| Error::io("创建数据文件夹", data_dir, &e))?;
        let store = Store::open(&data_dir.join(DB_FILE))?;
        let mut ws = Workspace {
            dir: data_dir.to_path_buf(),
            store,
        };
        ws.seed_embedded()?;
        Ok(ws)
    }

    fn seed_embedded(&mut self) -> Result<()> {
        for (key, json) in indicators::EMBEDDED {
            use sha2::Digest;
            let sha = format!("{:x}", sha2::Sha256::digest(json.as_bytes()));
            let stored: Option<String> = self
                .store
                .conn()
                .query_row(
                    "SELECT source_sha256 FROM indicator_system WHERE key = ?1",
                    [key],
                    |r| r.get(0),
                )
                .ok()
                .flatten();
            if stored.as_deref() == Some(sha.as_str()) {
                continue;
            }
            let mut d = indicators::parse_embedded(key, json)?;
            d.source_sha256 = Some(sha);
            let name = d.name.clone();
            self.store.write(
                "载入内置指标体系",
                |_| name,
                |tx| indicators::upsert_system(tx, &d),
            )?;
        }
        Ok(())
    }

    pub fn data_dir(&self) -> &Path {
        &self.dir
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    /// Mutable store, for the feature modules' own `impl Workspace` blocks.
    pub fn store_mut(&mut self) -> &mut Store {
        &mut self.store
    }

    pub fn status(&self) -> Result<AppStatus> {
        let campaigns = campaign::list(self.store.conn())?;
        let active = campaigns.iter().find(|c| c.active).cloned();
        Ok(AppStatus {
            data_dir: self.dir.display().to_string(),
            active,
            campaigns,
        })
    }

    pub fn list_campaigns(&self) -> Result<Vec<CampaignInfo>> {
        campaign::list(self.store.conn())
    }

    pub fn list_systems(&self) -> Result<Vec<SystemInfo>> {
        indicators::list_systems(self.store.conn())
    }

    /// Resolve a system by key ("demo") or numeric id given as text.
    pub fn system_by_key(&self, key: &str) -> Result<SystemInfo> {
        let conn = self.store.conn();
        let id = match indicators::system_id_by_key(conn, key)? {
            Some(id) => id,
            None => match key.parse::<i64>() {
                Ok(id) => id,
                Err(_) => {
                    let known: Vec<String> = self
                        .list_systems()?
                        .into_iter()
                        .map(|s| format!("{}（{}）", s.key, s.name))
                        .collect();
                    return Err(Error::NotFound(format!(
                        "没有名为“{key}”的指标体系。可用的有：{}；也可以指定 .xlsx/.docx 文件导入官方指标体系。",
                        known.join("、")
                    )));
                }
            },
        };
        indicators::get_system(conn, id)
    }

    /// Create a campaign bound to an embedded/library system or to an official file imported
    /// in the same transaction, and make it active.
    pub fn create_campaign(&mut self, input: &NewCampaign) -> Result<CampaignInfo> {
        let (district, name, level) = campaign::validate(
            &input.district,
            input.name.as_deref(),
            input.level.as_deref(),
        )?;
        let file_plan = match input
            .system_file
            .as_deref()
            .filter(|s| !s.trim().is_empty())
        {
            Some(f) => Some(self.checked_plan(Path::new(f))?),
            None => None,
        };
        let library_id = match (&file_plan, input.system_key.as_deref()) {
            (Some(_), _) => None,
            (None, Some(k)) if !k.trim().is_empty() => Some(self.system_by_key(k.trim())?.id),
            (None, _) => Some(self.system_by_key("demo")?.id),
        };
        let detail_name = name.clone();
        let id = self.store.write(
            "新建创建项目",
            |_| detail_name,
            |tx| {
                let system_id = match (&file_plan, library_id) {
                    (Some(p), _) => indicators::upsert_system(tx, &p.draft)?,
                    (None, Some(id)) => id,
                    (None, None) => unreachable_system()?,
                };
                campaign::insert(tx, &district, &name, &level, system_id)
            },
        )?;
        campaign::get(self.store.conn(), id)
    }

    pub fn switch_campaign(&mut self, id: i64) -> Result<CampaignInfo> {
        let c = campaign::get(self.store.conn(), id)?;
        let name = c.name.clone();
        self.store.write(
            "切换创建项目",
            |_| name,
            |tx| set_setting(tx, "active_campaign", &id.to_string()),
        )?;
        campaign::get(self.store.conn(), id)
    }

    /// Bind the active campaign to another system version.
    pub fn set_campaign_system(&mut self, system_id: i64) -> Result<CampaignInfo> {
        let c = campaign::active(self.store.conn())?;
        let s = indicators::get_system(self.store.conn(), system_id)?;
        let detail = format!("{}：{} → {}", c.name, c.system_name, s.name);
        self.store.write(
            "更换指标体系",
            |_| detail,
            |tx| {
                tx.execute(
                    "UPDATE campaign SET system_id = ?1 WHERE id = ?2",
                    rusqlite::params![system_id, c.id],
                )?;
                Ok(())
            },
        )?;
        campaign::get(self.store.conn(), c.id)
    }

    /// The tree of `system_id`, or of the active campaign's system.
    pub fn indicator_tree(&self, system_id: Option<i64>) -> Result<IndicatorTree> {
        let id = match system_id {
            Some(id) => id,
            None => campaign::active(self.store.conn())?.system_id,
        };
        indicators::load_tree(self.store.conn(), id)
    }

    /// Leaves of a system (default: the active campaign's), optionally filtered by a substring.
    pub fn indicator_leaves(
        &self,
        system_id: Option<i64>,
        query: Option<&str>,
    ) -> Result<Vec<IndicatorLeaf>> {
        let tree = self.indicator_tree(system_id)?;
        Ok(match query {
            Some(q) => indicators::search(&tree, q),
            None => indicators::leaves(&tree),
        })
    }

    /// Read an official file and show what importing it would do. Nothing is stored.
    pub fn preview_indicator_import(&self, path: &Path) -> Result<IndicatorImportPreview> {
        let plan = import::plan(path)?;
        let existing = indicators::system_id_by_key(self.store.conn(), &plan.draft.key)?;
        Ok(import::preview(&plan, existing))
    }

    fn checked_plan(&self, path: &Path) -> Result<import::Plan> {
        let plan = import::plan(path)?;
        if plan.has_errors() {
            return Err(Error::Import {
                file: plan.draft.imported_from.clone().unwrap_or_default(),
                issues: plan.issues,
            });
        }
        Ok(plan)
    }

    /// Import an official file into the library (updating the same system in place, ids kept),
    /// optionally binding it to the active campaign. All or nothing.
    pub fn apply_indicator_import(&mut self, path: &Path, bind: bool) -> Result<SystemInfo> {
        let plan = self.checked_plan(path)?;
        let active = if bind {
            Some(campaign::active(self.store.conn())?)
        } else {
            None
        };
        let draft: SystemDraft = plan.draft;
        let (leaves, _) = indicators::counts(&draft.roots);
        let detail = format!(
            "{}（{}，{} 项指标，来自“{}”）",
            draft.name,
            draft.version,
            leaves,
            draft.imported_from.clone().unwrap_or_default()
        );
        let id = self.store.write(
            "导入指标体系",
            |_| detail,
            |tx| {
                let id = indicators::upsert_system(tx, &draft)?;
                if let Some(c) = &active {
                    tx.execute(
                        "UPDATE campaign SET system_id = ?1 WHERE id = ?2",
                        rusqlite::params![id, c.id],
                    )?;
                }
                Ok(id)
            },
        )?;
        indicators::get_system(self.store.conn(), id)
    }

    /// Write the 指标体系表 of `system_id` (default: the active campaign's) to `path`.
    pub fn export_indicators(&self, system_id: Option<i64>, path: &Path) -> Result<PathBuf> {
        let tree = self.indicator_tree(system_id)?;
        indicators::export::export_xlsx(&tree, path)
    }
}

fn unreachable_system() -> Result<i64> {
    Err(Error::Invalid("未指定指标体系。".into()))
}

/// Identifier of the desktop app; its data folder is named after it (Tauri's `app_data_dir`).
pub const APP_IDENTIFIER: &str = "cn.gov.shifan.workbench";

/// The data folder the desktop app uses on this machine: `%APPDATA%\<id>` on Windows,
/// `$XDG_DATA_HOME/<id>` (or `~/.local/share/<id>`) on Linux, `~/Library/Application Support/<id>`
/// on macOS. The CLI uses it when neither `--data-dir` nor `SHIFAN_DATA_DIR` is given.
pub fn default_data_dir() -> Option<PathBuf> {
    let base = if cfg!(windows) {
        std::env::var_os("APPDATA").map(PathBuf::from)
    } else if cfg!(target_os = "macos") {
        std::env::var_os("HOME").map(|h| PathBuf::from(h).join("Library/Application Support"))
    } else {
        std::env::var_os("XDG_DATA_HOME")
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
            .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".local/share")))
    };
    base.map(|b| b.join(APP_IDENTIFIER))
}
