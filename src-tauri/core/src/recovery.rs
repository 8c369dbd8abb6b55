//! 恢复 (recovery) from a damaged or missing data file.
//!
//! When `shifan.db` is truncated, overwritten, empty or gone, the data folder cannot be opened
//! as a [`Workspace`]. A folder with backups is then never given a fresh empty database (the
//! app would open as on a first start, and the next rotation could push the good backups out):
//! [`Workspace::open`] fails with [`Error::Damaged`], whose message names the file and the
//! newest good backup. Everything here works without an open workspace:
//!
//! - [`status`] says what is wrong and lists the backups from their manifests
//!   (`backups/<id>.json`, re-hashed), never reading the damaged file;
//! - [`Recovery`] holds the data-folder lock and restores a backup (or, when the user asks,
//!   starts empty): the damaged file is first given a second name `shifan.db.damaged-<time>`
//!   (a hard link, or a copy where links are not possible) and its journal files moved beside
//!   it, then the checked copy of the backup is renamed over `shifan.db`. A crash at any moment
//!   leaves either the damaged file or the restored one under `shifan.db`, never neither, and
//!   the damaged bytes are never deleted;
//! - [`open_or_recover`] is the desktop app's start: a workspace, or the recovery state for its
//!   start screen.
//!
//! A folder with neither `shifan.db` nor backups is a first start, as always; so is a 0-byte
//! `shifan.db` there.

use std::io::Read;
use std::path::{Path, PathBuf};

use rusqlite::{Connection, OpenFlags};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::action::Action;
use crate::backup;
use crate::error::{Error, Result};
use crate::lock::{DataLock, Program};
use crate::model::{
    BackupInfo, HealthProblem, HealthReport, RestorePreview, Severity, SnapshotSummary,
};
use crate::progress::Job;
use crate::store::Store;
use crate::workspace::{DB_FILE, Workspace};

/// Infix of the name a damaged data file is kept under: `shifan.db.damaged-20261123-100203`.
pub const DAMAGED_INFIX: &str = ".damaged-";

/// What is wrong with the data file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum DataFileState {
    /// `shifan.db` does not exist (deleted, quarantined by a virus scanner).
    Missing,
    /// `shifan.db` has 0 bytes (a save on a full disk, a power cut).
    Empty,
    /// Not a database at all (overwritten, another file copied over it).
    NotDatabase,
    /// A database whose structure check fails (truncated, partly overwritten).
    Damaged,
}

/// Why the data folder cannot be opened, and the backups to restore from: the start screen of
/// the desktop app and `shifan backup list` when the data file is damaged.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct RecoveryStatus {
    pub data_dir: String,
    /// Full path of `shifan.db`.
    pub db_path: String,
    pub state: DataFileState,
    /// The Chinese explanation (the message of [`Error::Damaged`]).
    pub message: String,
    /// Backups in `backups/`, newest first, read from their manifests.
    pub backups: Vec<BackupInfo>,
    /// Ids of backups whose file no longer matches its manifest (cannot be restored).
    pub damaged_backups: Vec<String>,
    /// The newest backup whose file matches its manifest: the one to restore.
    pub newest_good: Option<String>,
    /// Damaged data files kept by earlier recoveries (`shifan.db.damaged-…`), file names.
    pub kept_files: Vec<String>,
}

/// Result of a recovery.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct RecoveryReport {
    /// The backup restored; None when the user chose to start empty.
    pub restored: Option<BackupInfo>,
    /// Full paths of the files the damaged data file (and its journal) were kept under.
    pub kept: Vec<String>,
    pub message: String,
}

/// What is wrong with `dir`'s data file, if anything; None when it may be opened (sound, or a
/// damage limited to indexes that `check --repair` rebuilds, or a file from a newer version,
/// which opening explains). Reads the file only (read-only connection, nothing written).
pub(crate) fn assess(dir: &Path) -> Option<DataFileState> {
    let db = dir.join(DB_FILE);
    let meta = match std::fs::metadata(&db) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Some(DataFileState::Missing),
        // Unreadable for another reason (permissions): opening reports it in its own words.
        Err(_) => return None,
    };
    if meta.is_dir() {
        return Some(DataFileState::NotDatabase);
    }
    if meta.len() == 0 {
        return Some(DataFileState::Empty);
    }
    let mut head = [0u8; 100];
    match std::fs::File::open(&db).and_then(|mut f| f.read_exact(&mut head)) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => {
            return Some(DataFileState::NotDatabase);
        }
        Err(_) => return None,
    }
    if &head[..16] != b"SQLite format 3\0" {
        return Some(DataFileState::NotDatabase);
    }
    let conn = match Connection::open_with_flags(
        &db,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    ) {
        Ok(c) => c,
        Err(e) => return judge(&e),
    };
    let lines = conn.prepare("PRAGMA quick_check(20)").and_then(|mut st| {
        st.query_map([], |r| r.get::<_, String>(0))?
            .collect::<rusqlite::Result<Vec<_>>>()
    });
    match lines {
        Ok(l) if l.len() == 1 && l[0] == "ok" => {}
        Ok(l) if crate::health::index_only(&l) => return None,
        Ok(_) => return Some(DataFileState::Damaged),
        Err(e) => return judge(&e),
    }
    // Another program's SQLite file copied over ours: tables, but none of our schema versions.
    let version: i64 = conn
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .unwrap_or(0);
    let tables: i64 = conn
        .query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get(0))
        .unwrap_or(0);
    if version == 0 && tables > 0 {
        return Some(DataFileState::NotDatabase);
    }
    None
}

/// The state an SQLite error while reading the data file means.
fn judge(e: &rusqlite::Error) -> Option<DataFileState> {
    use rusqlite::ErrorCode as C;
    match e.sqlite_error_code() {
        Some(C::NotADatabase) => Some(DataFileState::NotDatabase),
        // Busy, locked, cannot open, no permission: not damage; opening reports it.
        Some(C::DatabaseBusy | C::DatabaseLocked | C::CannotOpen | C::PermissionDenied) => None,
        _ => Some(DataFileState::Damaged),
    }
}

/// What is wrong with the data folder `dir` and how to recover; None when it can be opened (its
/// data file is sound, or it is a first start: no data file, or an empty one, and no backups).
pub fn status(dir: &Path) -> Result<Option<RecoveryStatus>> {
    let Some(state) = assess(dir) else {
        return Ok(None);
    };
    let backups = backup::list(dir)?;
    if matches!(state, DataFileState::Missing | DataFileState::Empty) && backups.is_empty() {
        return Ok(None);
    }
    let damaged_backups: Vec<String> = backups
        .iter()
        .filter(|b| !backup::matches_manifest(b))
        .map(|b| b.id.clone())
        .collect();
    let newest_good = backups.iter().find(|b| !damaged_backups.contains(&b.id));
    let message = message(dir, state, &backups, newest_good, damaged_backups.len());
    Ok(Some(RecoveryStatus {
        data_dir: dir.display().to_string(),
        db_path: dir.join(DB_FILE).display().to_string(),
        state,
        message,
        newest_good: newest_good.map(|b| b.id.clone()),
        backups,
        damaged_backups,
        kept_files: kept_files(dir),
    }))
}

/// [`Error::Damaged`] when [`status`] finds the data file damaged or missing.
pub(crate) fn refuse_if_damaged(dir: &Path) -> Result<()> {
    match status(dir)? {
        Some(s) => Err(Error::Damaged(s.message)),
        None => Ok(()),
    }
}

/// The backups of `dir`, newest first, from their manifests (the data file is not read).
pub fn list_backups(dir: &Path) -> Result<Vec<BackupInfo>> {
    backup::list(dir)
}

/// One line naming a backup: time, kind, id and what it holds.
pub fn describe(b: &BackupInfo) -> String {
    let content = if b.summary.campaigns.is_empty() {
        "无创建项目".to_string()
    } else {
        b.summary.campaigns.join("、")
    };
    format!(
        "{} 的“{}”（编号 {}；内容：{}）",
        b.created_at, b.reason_label, b.id, content
    )
}

fn message(
    dir: &Path,
    state: DataFileState,
    backups: &[BackupInfo],
    newest_good: Option<&BackupInfo>,
    damaged: usize,
) -> String {
    let path = dir.join(DB_FILE).display().to_string();
    let mut m = match state {
        DataFileState::Missing => {
            format!("数据文件 {DB_FILE} 不见了（“{path}”，可能被误删或被杀毒软件隔离）。")
        }
        DataFileState::Empty => format!(
            "数据文件 {DB_FILE} 是空的（“{path}”，0 字节，可能是磁盘已满或断电时保存失败），其中的数据已无法读取。"
        ),
        DataFileState::NotDatabase => format!(
            "数据文件 {DB_FILE} 已损坏，不是有效的数据文件（“{path}”，可能被其他文件覆盖或在复制中损坏）。"
        ),
        DataFileState::Damaged => format!(
            "数据文件 {DB_FILE} 已损坏（“{path}”，结构检查未通过，可能是复制中断、U 盘拔出或断电造成的）。"
        ),
    };
    let keep = if state == DataFileState::Missing {
        String::new()
    } else {
        format!(
            "恢复或重新开始时，损坏的文件会改名为“{DB_FILE}{DAMAGED_INFIX}时间”保留在数据文件夹中，不会删除。"
        )
    };
    match newest_good {
        Some(b) => {
            m.push_str(&format!(
                "备份文件夹中有 {} 份备份，最新的完好备份是 {}。",
                backups.len(),
                describe(b)
            ));
            if damaged > 0 {
                m.push_str(&format!("另有 {damaged} 份备份已损坏，不能使用。"));
            }
            m.push_str(&format!(
                "为免在空白数据上开始工作，程序没有新建数据文件，也没有改动任何文件。请从备份恢复：桌面程序在启动页面点“恢复”（命令行：shifan backup restore {}，或 shifan check --repair 恢复最新的完好备份）。{keep}",
                b.id
            ));
        }
        None if !backups.is_empty() => m.push_str(&format!(
            "备份文件夹中的 {} 份备份都已损坏或被改动，不能用于恢复。如果 U 盘或其他位置有备份文件（.db），可用它恢复（命令行：shifan backup restore 备份文件路径）。{keep}",
            backups.len()
        )),
        None => m.push_str(&format!(
            "数据文件夹中没有备份可以恢复。如果 U 盘或其他位置有备份文件（.db），可用它恢复（命令行：shifan backup restore 备份文件路径）；也可以在桌面程序的启动页面把损坏的文件移到一旁、重新开始。{keep}"
        )),
    }
    m
}

/// Damaged data files kept by earlier recoveries, by file name.
fn kept_files(dir: &Path) -> Vec<String> {
    let prefix = format!("{DB_FILE}{DAMAGED_INFIX}");
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| n.starts_with(&prefix) && !n.ends_with("-wal") && !n.ends_with("-shm"))
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}

/// The problem as an integrity report (`shifan check` on a damaged folder).
pub fn health(s: &RecoveryStatus) -> HealthReport {
    HealthReport {
        ok: false,
        full: false,
        checked_at: crate::store::now(),
        checks: Vec::new(),
        problems: vec![HealthProblem {
            severity: Severity::Error,
            message: s.message.clone(),
            repair: s
                .newest_good
                .as_ref()
                .map(|id| format!("从最新的完好备份“{id}”恢复（损坏的文件改名保留，不删除）")),
        }],
        summary: "数据文件已损坏或不见了，需要从备份恢复".into(),
        can_repair: s.newest_good.is_some(),
    }
}

/// What opening a data folder gave: the workspace, or — its data file damaged or missing while
/// backups exist — the recovery state, holding the folder's lock.
pub enum Opened {
    Workspace(Box<Workspace>),
    Recovery(Recovery),
}

/// Open `dir` for `program` as [`Workspace::open_as`] does, except that a damaged or missing
/// data file gives the recovery state (lock held) instead of an error.
pub fn open_or_recover(dir: &Path, program: Program) -> Result<Opened> {
    let r = Recovery::open(dir, program)?;
    if status(dir)?.is_some() {
        return Ok(Opened::Recovery(r));
    }
    Ok(Opened::Workspace(Box::new(Workspace::open_sound(
        dir, r.lock,
    )?)))
}

/// Restore backup `source` (an id from the list, or the path of a backup file) into `dir`,
/// whose data file is damaged or missing (see [`Recovery::restore`]). As the command line.
pub fn restore(dir: &Path, source: &str, job: &Job) -> Result<RecoveryReport> {
    Recovery::open(dir, Program::Cli)?.restore(source, job)
}

/// A data folder held for recovery: the lock is taken, nothing else is open.
pub struct Recovery {
    dir: PathBuf,
    lock: DataLock,
}

impl Recovery {
    /// Take the lock of `dir` (fails with [`Error::Busy`] naming the holder).
    pub fn open(dir: &Path, program: Program) -> Result<Recovery> {
        std::fs::create_dir_all(dir).map_err(|e| Error::io("创建数据文件夹", dir, &e))?;
        let lock = DataLock::acquire(dir, program)?;
        Ok(Recovery {
            dir: dir.to_path_buf(),
            lock,
        })
    }

    pub fn data_dir(&self) -> &Path {
        &self.dir
    }

    /// What is wrong now; None once the data file can be opened.
    pub fn status(&self) -> Result<Option<RecoveryStatus>> {
        status(&self.dir)
    }

    fn require_damage(&self) -> Result<DataFileState> {
        match status(&self.dir)? {
            Some(s) => Ok(s.state),
            None => Err(Error::Invalid(format!(
                "数据文件“{}”完好，不需要从损坏中恢复，未做任何修改。如需回到某份备份，请在“设置 → 备份与恢复”中恢复（恢复前会自动保存当前数据）。",
                self.dir.join(DB_FILE).display()
            ))),
        }
    }

    /// What restoring `source` would bring back (nothing changes). The current data cannot be
    /// read, so its summary is empty and a note says what happens to the damaged file.
    pub fn preview_restore(&self, source: &str) -> Result<RestorePreview> {
        let state = self.require_damage()?;
        let backup = backup::find(&self.dir, source)?;
        let v = backup::verify(&backup);
        let can_restore = v.sound && v.hash_ok;
        let (integrity, mut notes) = (v.integrity, v.notes);
        notes.insert(
            0,
            if state == DataFileState::Missing {
                format!("当前数据文件 {DB_FILE} 不见了；恢复后数据回到这份备份的状态。")
            } else {
                format!(
                    "当前数据文件 {DB_FILE} 已损坏，无法读取；恢复时它会改名为“{DB_FILE}{DAMAGED_INFIX}时间”保留在数据文件夹中，不会删除。"
                )
            },
        );
        Ok(RestorePreview {
            backup,
            current: SnapshotSummary {
                campaigns: Vec::new(),
                counts: Vec::new(),
                schema_version: 0,
                last_change_id: 0,
                last_change_at: None,
            },
            integrity,
            can_restore,
            notes,
        })
    }

    /// Restore `source` (a backup id, or the path of a backup file, e.g. on a USB disk): check
    /// it, copy it beside the data file, keep the damaged file under a second name, then
    /// rename the copy over `shifan.db` and record the recovery in its 操作日志. Refused, with
    /// nothing changed, when the data file is sound (use [`Workspace::restore_backup`]) or the
    /// backup fails its checks. A cancel before the swap changes nothing.
    pub fn restore(&mut self, source: &str, job: &Job) -> Result<RecoveryReport> {
        let state = self.require_damage()?;
        let backup = backup::find(&self.dir, source)?;
        let v = backup::verify(&backup);
        if !v.sound || !v.hash_ok {
            return Err(Error::BadFile(format!(
                "不能用备份“{}”恢复：{}未做任何修改，请选择另一份备份。",
                backup.id,
                v.notes.join("")
            )));
        }
        job.report(0, 2, "检查备份");
        let staged = backup::stage(&self.dir, Path::new(&backup.path))?;
        if let Err(e) = job.check() {
            let _ = std::fs::remove_file(&staged);
            return Err(e);
        }
        job.report(1, 2, "恢复数据文件");
        let kept = match swap_in(&self.dir, &staged, state) {
            Ok(k) => k,
            Err(e) => {
                let _ = std::fs::remove_file(&staged);
                return Err(e);
            }
        };
        let kept_names: Vec<String> = kept.iter().map(|p| crate::sheet::display_name(p)).collect();
        let what = match state {
            DataFileState::Missing => format!("数据文件 {DB_FILE} 不见了"),
            DataFileState::Empty => format!("数据文件 {DB_FILE} 是空的（0 字节）"),
            _ => format!("数据文件 {DB_FILE} 已损坏"),
        };
        let kept_text = match kept_names.first() {
            Some(k) => format!("损坏的文件已改名保存为“{k}”，留在数据文件夹中，没有删除。"),
            None => String::new(),
        };
        let detail = format!(
            "{what}，从备份“{}”（{}，{}）恢复。{kept_text}",
            backup.id, backup.created_at, backup.reason_label
        );
        let mut store = Store::open(&self.dir.join(DB_FILE))?;
        store.write(Action::RestoreBackup, |_| detail, |_| Ok(()))?;
        store.close()?;
        job.report(2, 2, "恢复完成");
        let message = format!("{what}，已从 {} 恢复数据。{kept_text}", describe(&backup));
        Ok(RecoveryReport {
            restored: Some(backup),
            kept: kept.iter().map(|p| p.display().to_string()).collect(),
            message,
        })
    }

    /// `shifan check --repair` on a damaged folder: restore the newest backup that passes its
    /// checks (an older one when a newer fails them).
    pub fn restore_newest(&mut self, job: &Job) -> Result<RecoveryReport> {
        let s = match status(&self.dir)? {
            Some(s) => s,
            None => {
                return Err(Error::Invalid(format!(
                    "数据文件“{}”完好，不需要从备份恢复。",
                    self.dir.join(DB_FILE).display()
                )));
            }
        };
        let mut refused = Vec::new();
        for b in s
            .backups
            .iter()
            .filter(|b| !s.damaged_backups.contains(&b.id))
        {
            match self.restore(&b.id, job) {
                Ok(r) => return Ok(r),
                Err(Error::BadFile(m)) => refused.push(m),
                Err(e) => return Err(e),
            }
        }
        let mut m = s.message.clone();
        for r in refused {
            m.push_str(&r);
        }
        Err(Error::Damaged(m))
    }

    /// Start with an empty data file, keeping the damaged one under a second name (the user's
    /// explicit choice on the start screen, e.g. when no backup exists). Backups stay.
    pub fn start_fresh(&mut self) -> Result<RecoveryReport> {
        let state = self.require_damage()?;
        let staged = self.dir.join(".tmp-fresh.db");
        for p in [
            staged.clone(),
            backup::sidecar(&staged, "-wal"),
            backup::sidecar(&staged, "-shm"),
        ] {
            if p.exists() {
                std::fs::remove_file(&p).map_err(|e| Error::io("删除临时文件", &p, &e))?;
            }
        }
        let made = (|| -> Result<()> {
            let store = Store::open(&staged)?;
            store.close()
        })();
        if let Err(e) = made {
            let _ = std::fs::remove_file(&staged);
            return Err(e);
        }
        let kept = match swap_in(&self.dir, &staged, state) {
            Ok(k) => k,
            Err(e) => {
                let _ = std::fs::remove_file(&staged);
                return Err(e);
            }
        };
        let kept_text = match kept.first() {
            Some(k) => format!(
                "损坏的文件已改名保存为“{}”，留在数据文件夹中，没有删除。",
                crate::sheet::display_name(k)
            ),
            None => String::new(),
        };
        let detail = format!(
            "数据文件 {DB_FILE} 损坏或不见了，未从备份恢复，以空白数据重新开始。{kept_text}"
        );
        let mut store = Store::open(&self.dir.join(DB_FILE))?;
        store.write(Action::Repair, |_| detail, |_| Ok(()))?;
        store.close()?;
        Ok(RecoveryReport {
            restored: None,
            kept: kept.iter().map(|p| p.display().to_string()).collect(),
            message: format!(
                "已以空白数据重新开始。{kept_text}备份文件夹中的备份都还在，以后仍可恢复。"
            ),
        })
    }

    /// Open the workspace once the data file is sound again (after [`Recovery::restore`]),
    /// keeping the lock.
    pub fn into_workspace(self) -> Result<Workspace> {
        Workspace::open_locked(&self.dir, self.lock)
    }
}

/// Swap the checked database `staged` (in `dir`) in as `shifan.db`. The damaged file first gets
/// a second name (hard link, else a copy) so that it stays under `shifan.db` until the rename
/// replaces it; its journal files are moved beside that name (a journal left behind would be
/// applied to the restored file). Returns the paths the damaged files are kept under.
fn swap_in(dir: &Path, staged: &Path, state: DataFileState) -> Result<Vec<PathBuf>> {
    let db = dir.join(DB_FILE);
    let stamp = chrono::Local::now().format("%Y%m%d-%H%M%S").to_string();
    let mut aside = dir.join(format!("{DB_FILE}{DAMAGED_INFIX}{stamp}"));
    let mut n = 2;
    while aside.exists()
        || backup::sidecar(&aside, "-wal").exists()
        || backup::sidecar(&aside, "-shm").exists()
    {
        aside = dir.join(format!("{DB_FILE}{DAMAGED_INFIX}{stamp}-{n}"));
        n += 1;
    }
    let mut kept = Vec::new();
    if state != DataFileState::Missing && db.is_file() {
        if std::fs::hard_link(&db, &aside).is_err() {
            // FAT/exFAT disks and some network drives have no hard links.
            backup::copy_atomic(&db, &aside)?;
        }
        kept.push(aside.clone());
    }
    for suffix in ["-wal", "-shm", "-journal"] {
        let from = backup::sidecar(&db, suffix);
        if from.exists() {
            let to = backup::sidecar(&aside, suffix);
            std::fs::rename(&from, &to).map_err(|e| Error::io("保存损坏的数据文件", &from, &e))?;
            kept.push(to);
        }
    }
    backup::sync_dir(dir);
    std::fs::rename(staged, &db).map_err(|e| Error::io("恢复数据文件", &db, &e))?;
    backup::sync_dir(dir);
    Ok(kept)
}
