//! The engine's front door: one open data folder (SQLite store + files). Every capability is a
//! method of [`Workspace`], written in an `impl Workspace` block beside its module
//! (`campaign.rs`, `indicators/`, `units/`, `tasks/`, `backup.rs` …); this file holds only
//! opening the folder, its lock and health, and swapping the database file.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::action::Action;
use crate::backup;
use crate::campaign;
use crate::error::{Error, Result};
use crate::indicators;
use crate::lock::{DataLock, Program};
use crate::model::{AppStatus, BackupReason, HealthReport, SnapshotSummary};
use crate::store::Store;

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
    ///
    /// A data file that is damaged, empty or missing while backups exist is never replaced by
    /// an empty one: opening fails with [`Error::Damaged`] (naming `shifan.db` and the newest
    /// good backup) and nothing is changed; [`crate::recovery`] restores from there.
    pub fn open_as(data_dir: &Path, program: Program) -> Result<Workspace> {
        std::fs::create_dir_all(data_dir).map_err(|e| Error::io("创建数据文件夹", data_dir, &e))?;
        let lock = DataLock::acquire(data_dir, program)?;
        Self::open_locked(data_dir, lock)
    }

    /// [`Workspace::open_as`] with the lock already held.
    pub(crate) fn open_locked(data_dir: &Path, lock: DataLock) -> Result<Workspace> {
        crate::recovery::refuse_if_damaged(data_dir)?;
        Self::open_sound(data_dir, lock)
    }

    /// Open with the lock held, the data file known to be sound (or absent in a folder without
    /// backups: a first start).
    pub(crate) fn open_sound(data_dir: &Path, lock: DataLock) -> Result<Workspace> {
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
                crate::recovery::refuse_if_damaged(data_dir)?;
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

    /// Copy a database file into the data folder under a temp name, ready to be swapped in.
    pub(crate) fn stage_file(&self, src: &Path) -> Result<PathBuf> {
        backup::stage(&self.dir, src)
    }

    /// Swap `staged` (a checked database file in the data folder) in as the database, reopen,
    /// and record `action`/`detail` in the restored database's 操作日志.
    pub(crate) fn replace_database(
        &mut self,
        staged: &Path,
        action: Action,
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
                Action::LoadEmbeddedSystem,
                |_| name,
                |tx| indicators::upsert_system(tx, &d),
            )?;
        }
        Ok(())
    }

    pub fn data_dir(&self) -> &Path {
        &self.dir
    }

    /// The store, for the feature modules' own `impl Workspace` blocks. Not public: nothing
    /// outside the engine runs SQL.
    pub(crate) fn store(&self) -> &Store {
        &self.store
    }

    pub(crate) fn store_mut(&mut self) -> &mut Store {
        &mut self.store
    }

    /// Campaigns, row counts and the last change, as a backup manifest records them.
    pub fn summary(&self) -> Result<SnapshotSummary> {
        backup::summarize(self.store.conn())
    }

    /// Every row of every table as text (see [`crate::store::dump`]): tests compare two dumps
    /// to prove that a refused or cancelled operation changed nothing.
    pub fn dump_tables(&self) -> Result<BTreeMap<String, Vec<String>>> {
        crate::store::dump(self.store.conn())
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
