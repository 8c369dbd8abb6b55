//! The engine's front door: one data folder (SQLite store + files) and the operations the app,
//! the CLI and the tests perform on it.

use std::path::{Path, PathBuf};

use crate::backup;
use crate::campaign;
use crate::error::{Error, Result};
use crate::indicators::{self, SystemDraft, import};
use crate::lock::{DataLock, Program};
use crate::model::{
    AppStatus, BackupInfo, BackupReason, CampaignInfo, HealthReport, IndicatorImportPreview,
    IndicatorLeaf, IndicatorTree, NewCampaign, RestorePreview, RestoreReport, SystemInfo,
};
use crate::progress::{Cancel, ImportStages, NoProgress, Progress};
use crate::store::{Store, set_setting};

/// File name of the database inside the data folder.
pub const DB_FILE: &str = "shifan.db";

/// An open data folder.
pub struct Workspace {
    pub(crate) dir: PathBuf,
    pub(crate) store: Store,
    /// The data-folder lock; None when opened read-only beside another writer.
    pub(crate) lock: Option<DataLock>,
    /// Result of the quick check at open (or of the last check run).
    pub(crate) health: HealthReport,
}

impl Workspace {
    /// Open the data folder for writing as the command line (see [`Workspace::open_as`]).
    pub fn open(data_dir: &Path) -> Result<Workspace> {
        Self::open_as(data_dir, Program::Cli)
    }

    /// Open the data folder (created if missing) for writing: take the data-folder lock (fails
    /// with [`Error::Busy`] naming the holder), migrate the database, make sure the embedded
    /// indicator systems are in the library, run the quick integrity check and make the first
    /// backup of the day.
    pub fn open_as(data_dir: &Path, program: Program) -> Result<Workspace> {
        std::fs::create_dir_all(data_dir).map_err(|e| Error::io("创建数据文件夹", data_dir, &e))?;
        let lock = DataLock::acquire(data_dir, program)?;
        let store = Store::open(&data_dir.join(DB_FILE))?;
        let mut ws = Workspace {
            dir: data_dir.to_path_buf(),
            store,
            lock: Some(lock),
            health: crate::health::not_checked(),
        };
        ws.seed_embedded()?;
        ws.health = crate::health::quick(&ws.store)?;
        ws.daily_backup();
        Ok(ws)
    }

    /// Open for writing if the folder is free, else read-only beside the program holding it:
    /// queries work, every change is refused with the holder's name. For read commands of the
    /// CLI while the desktop app is open.
    pub fn open_shared(data_dir: &Path, program: Program) -> Result<Workspace> {
        match Self::open_as(data_dir, program) {
            Err(Error::Busy(why)) if data_dir.join(DB_FILE).is_file() => {
                let mut store = Store::open(&data_dir.join(DB_FILE))?;
                store.set_read_only(Some(why));
                let health = crate::health::quick(&store)?;
                Ok(Workspace {
                    dir: data_dir.to_path_buf(),
                    store,
                    lock: None,
                    health,
                })
            }
            other => other,
        }
    }

    /// Whether this workspace holds the data-folder lock (else it is read-only).
    pub fn is_writer(&self) -> bool {
        self.lock.is_some()
    }

    /// The error a write gets when another program holds the folder.
    pub(crate) fn require_writer(&self) -> Result<()> {
        if self.lock.is_some() {
            Ok(())
        } else {
            Err(crate::lock::busy_error(&self.dir))
        }
    }

    /// First start of the day: one backup, unless nothing was entered yet (no campaign) or the
    /// newest backup already holds the same data. A failure is reported in `health()`, never
    /// stops the app from opening.
    fn daily_backup(&mut self) {
        let today = chrono::Local::now().format("%Y-%m-%d").to_string();
        let done_today = backup::list(&self.dir)
            .ok()
            .and_then(|v| v.into_iter().next())
            .is_some_and(|b| b.created_at.starts_with(&today));
        let has_campaigns = campaign::list(self.store.conn()).is_ok_and(|v| !v.is_empty());
        if done_today || !has_campaigns || !self.health.ok {
            return;
        }
        if let Err(e) = self.backup_if_changed(BackupReason::Daily) {
            self.health.problems.push(crate::model::HealthProblem {
                severity: crate::model::Severity::Warning,
                message: format!("今天的自动备份未能完成：{e}"),
                repair: None,
            });
            self.health.summary = format!("{}；今天的自动备份未能完成", self.health.summary);
        }
    }

    /// Result of the last integrity check (the quick check at open, or a later full check).
    pub fn health(&self) -> &HealthReport {
        &self.health
    }

    /// The operator name recorded in the 操作日志 ("未设置" when not set).
    pub fn operator(&self) -> String {
        self.store
            .setting("operator")
            .ok()
            .flatten()
            .unwrap_or_else(|| "未设置".to_string())
    }

    // ----- Backups -----------------------------------------------------------------------

    /// Make a backup now into `backups/` (then rotate).
    pub fn backup_now(&self, reason: BackupReason) -> Result<BackupInfo> {
        self.backup_with_progress(reason, &NoProgress, &Cancel::new())
    }

    pub fn backup_with_progress(
        &self,
        reason: BackupReason,
        progress: &dyn Progress,
        cancel: &Cancel,
    ) -> Result<BackupInfo> {
        self.require_writer()?;
        backup::create(
            &self.dir,
            self.store.conn(),
            reason,
            &self.operator(),
            progress,
            cancel,
        )
    }

    /// A backup before an import or bulk change; skipped (returning the newest backup) when the
    /// newest backup already holds exactly the current data, so repeated imports stay cheap.
    pub fn backup_if_changed(&self, reason: BackupReason) -> Result<BackupInfo> {
        let current = backup::summarize(self.store.conn())?;
        if let Some(b) = backup::list(&self.dir)?.into_iter().next()
            && b.summary.last_change_id == current.last_change_id
            && b.summary.schema_version == current.schema_version
            && b.summary.last_change_at == current.last_change_at
        {
            return Ok(b);
        }
        self.backup_now(reason)
    }

    /// The automatic backup before an import, collect or bulk change; a failure refuses the
    /// change (nothing modified). Feature modules call it after their plan is known to apply.
    pub(crate) fn backup_before_import(&self) -> Result<()> {
        self.require_writer()?;
        self.backup_if_changed(BackupReason::BeforeImport)
            .map(|_| ())
            .map_err(|e| match e {
                Error::Cancelled => Error::Cancelled,
                e => Error::Io(format!(
                    "导入前的自动备份未能完成，为安全起见未导入，未做任何修改。原因：{e}"
                )),
            })
    }

    /// Backups in `backups/`, newest first, with why rotation keeps each.
    pub fn list_backups(&self) -> Result<Vec<BackupInfo>> {
        backup::list(&self.dir)
    }

    /// Back up into a folder the user picked (e.g. a USB disk).
    pub fn backup_to_folder(
        &self,
        folder: &Path,
        progress: &dyn Progress,
        cancel: &Cancel,
    ) -> Result<BackupInfo> {
        backup::create_in_folder(
            &self.dir,
            self.store.conn(),
            folder,
            &self.operator(),
            progress,
            cancel,
        )
    }

    /// What restoring `source` (a backup id from the list, or a backup file path) would bring
    /// back, compared with what the folder holds now. Nothing changes.
    pub fn preview_restore(&self, source: &str) -> Result<RestorePreview> {
        let backup = backup::find(&self.dir, source)?;
        let current = backup::summarize(self.store.conn())?;
        let mut notes = Vec::new();
        let (integrity, can_restore) = match backup::inspect(Path::new(&backup.path)) {
            Ok((_, i)) => {
                let ok = i == "ok";
                if !ok {
                    notes.push(format!("该备份文件已损坏（{i}），不能恢复。"));
                }
                (i, ok)
            }
            Err(e) => {
                notes.push(e.to_string());
                ("无法读取".to_string(), false)
            }
        };
        if !backup.sha256.is_empty()
            && let Ok((sha, _)) = backup::hash_file(Path::new(&backup.path))
            && sha != backup.sha256
        {
            notes.push("备份文件的校验值与说明文件不一致（文件可能被改动或损坏）。".into());
        }
        if current.last_change_at > backup.summary.last_change_at {
            notes.push(format!(
                "当前数据最后修改于 {}，比该备份（{}）新；恢复后，此后的修改将被替换（恢复前会先自动做一份安全备份）。",
                current.last_change_at.clone().unwrap_or_default(),
                backup.summary.last_change_at.clone().unwrap_or_default()
            ));
        }
        Ok(RestorePreview {
            backup,
            current,
            integrity,
            can_restore,
            notes,
        })
    }

    /// Restore `source` (backup id or file): check it, make a safety backup of the current
    /// state, then swap the database file in atomically and reopen. On any failure before the
    /// swap nothing changed; a crash during the swap leaves either the old or the new database.
    pub fn restore_backup(
        &mut self,
        source: &str,
        progress: &dyn Progress,
        cancel: &Cancel,
    ) -> Result<RestoreReport> {
        self.require_writer()?;
        let preview = self.preview_restore(source)?;
        if !preview.can_restore {
            return Err(Error::BadFile(format!(
                "不能恢复备份“{}”：{}未做任何修改。",
                preview.backup.id,
                preview.notes.join("")
            )));
        }
        // Copy first: rotation after the safety backup may remove an old backup.
        let staged = self.stage_file(Path::new(&preview.backup.path))?;
        cancel.check()?;
        let safety = self.backup_with_progress(BackupReason::BeforeRestore, progress, cancel)?;
        let detail = format!(
            "恢复到备份“{}”（{}，{}）；恢复前的数据已保存为安全备份“{}”",
            preview.backup.id, preview.backup.created_at, preview.backup.reason_label, safety.id
        );
        self.replace_database(&staged, "恢复备份", detail)?;
        let message = format!(
            "已恢复到 {} 的备份（{}）。恢复前的数据已保存为安全备份“{}”，如需可再恢复回去。",
            preview.backup.created_at, preview.backup.reason_label, safety.id
        );
        Ok(RestoreReport {
            restored: preview.backup,
            safety_backup: safety,
            message,
        })
    }

    /// Copy a database file into the data folder under a temp name, ready to be swapped in.
    pub(crate) fn stage_file(&self, src: &Path) -> Result<PathBuf> {
        let staged = self.dir.join(".tmp-restore.db");
        backup::copy_atomic(src, &staged)?;
        let (_, integrity) = match backup::inspect(&staged) {
            Ok(v) => v,
            Err(e) => {
                let _ = std::fs::remove_file(&staged);
                return Err(e);
            }
        };
        if integrity != "ok" {
            let _ = std::fs::remove_file(&staged);
            return Err(Error::BadFile(format!(
                "备份文件已损坏（{integrity}），未做任何修改。"
            )));
        }
        Ok(staged)
    }

    /// Swap `staged` (a checked database file in the data folder) in as the database, reopen,
    /// and record `action`/`detail` in the restored database's 操作日志.
    pub(crate) fn replace_database(
        &mut self,
        staged: &Path,
        action: &str,
        detail: String,
    ) -> Result<()> {
        let db = self.dir.join(DB_FILE);
        let old = std::mem::replace(&mut self.store, Store::open_in_memory()?);
        let swapped = (|| -> Result<()> {
            old.close()?;
            for suffix in ["-wal", "-shm"] {
                let mut p = db.as_os_str().to_owned();
                p.push(suffix);
                let p = PathBuf::from(p);
                if p.exists() {
                    std::fs::remove_file(&p).map_err(|e| Error::io("替换数据文件", &p, &e))?;
                }
            }
            std::fs::rename(staged, &db).map_err(|e| Error::io("替换数据文件", &db, &e))
        })();
        // Reopen whatever is in place now (the old file if anything above failed), so the
        // workspace never stays on the placeholder.
        self.store = Store::open(&db)?;
        if let Err(e) = swapped {
            let _ = std::fs::remove_file(staged);
            return Err(e);
        }
        self.seed_embedded()?;
        self.store.write(action, |_| detail, |_| Ok(()))?;
        self.health = crate::health::quick(&self.store)?;
        Ok(())
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
            Some(f) => {
                let plan = self.checked_plan(Path::new(f))?;
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
        let before = campaign::active(self.store.conn())
            .map(|a| a.name)
            .unwrap_or_else(|_| "（无）".to_string());
        let name = format!("{before} → {}", c.name);
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
        self.preview_indicator_import_with(path, &NoProgress, &Cancel::new())
    }

    /// [`Self::preview_indicator_import`] as a job (see [`ImportStages`]).
    pub fn preview_indicator_import_with(
        &self,
        path: &Path,
        progress: &dyn Progress,
        cancel: &Cancel,
    ) -> Result<IndicatorImportPreview> {
        let stages = ImportStages::new(path, progress, cancel);
        let plan = import::plan(path)?;
        let existing = indicators::system_id_by_key(self.store.conn(), &plan.draft.key)?;
        stages.checked()?;
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
        self.apply_indicator_import_with(path, bind, &NoProgress, &Cancel::new())
    }

    /// [`Self::apply_indicator_import`] as a job: a cancel before the write changes nothing.
    pub fn apply_indicator_import_with(
        &mut self,
        path: &Path,
        bind: bool,
        progress: &dyn Progress,
        cancel: &Cancel,
    ) -> Result<SystemInfo> {
        let stages = ImportStages::new(path, progress, cancel);
        let plan = self.checked_plan(path)?;
        self.require_writer()?;
        stages.backing_up()?;
        self.backup_before_import()?;
        stages.writing()?;
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
