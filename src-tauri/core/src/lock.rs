//! One writer per data folder: an exclusive OS lock on `shifan.lock` held for as long as a
//! [`Workspace`](crate::Workspace) is open for writing.
//!
//! The lock is an OS file lock (std `File::try_lock`), so it disappears with the process: a
//! crashed or killed app never leaves a stale lock behind, and the next start simply takes it.
//! Who holds it (program, process id, since when) is written beside it in `shifan.lock.json`,
//! a separate file because Windows forbids reading a byte range another process has locked.

use std::fs::{File, OpenOptions};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// File whose OS lock marks the writer.
pub const LOCK_FILE: &str = "shifan.lock";
/// Who holds the lock, as JSON.
pub const HOLDER_FILE: &str = "shifan.lock.json";

/// Which Shifan program opened the folder.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Program {
    /// The desktop app (桌面程序).
    Desktop,
    /// The `shifan` command line (命令行).
    Cli,
}

impl Program {
    pub fn label(self) -> &'static str {
        match self {
            Program::Desktop => "桌面程序",
            Program::Cli => "命令行",
        }
    }
}

/// What `shifan.lock.json` says about the writer.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Holder {
    pub program: Program,
    pub pid: u32,
    /// Local time, "2026-11-23 10:02:00".
    pub since: String,
}

/// The held lock; dropping it releases the folder.
#[derive(Debug)]
pub struct DataLock {
    file: File,
    path: PathBuf,
}

impl DataLock {
    /// Take the lock of `dir` for `program`, or fail with [`Error::Busy`] naming the holder.
    pub fn acquire(dir: &Path, program: Program) -> Result<DataLock> {
        let path = dir.join(LOCK_FILE);
        let file = OpenOptions::new()
            .create(true)
            .truncate(false)
            .read(true)
            .write(true)
            .open(&path)
            .map_err(|e| Error::io("打开数据文件夹的锁文件", &path, &e))?;
        match file.try_lock() {
            Ok(()) => {}
            Err(std::fs::TryLockError::WouldBlock) => return Err(busy_error(dir)),
            Err(std::fs::TryLockError::Error(e)) => {
                return Err(Error::io("锁定数据文件夹", &path, &e));
            }
        }
        let holder = Holder {
            program,
            pid: std::process::id(),
            since: crate::store::now(),
        };
        // Best effort: the lock itself is what excludes; the note only improves the message.
        if let Ok(json) = serde_json::to_vec_pretty(&holder) {
            let _ = crate::atomic::write_atomic(&dir.join(HOLDER_FILE), &json);
        }
        Ok(DataLock { file, path })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl Drop for DataLock {
    fn drop(&mut self) {
        let _ = self.file.unlock();
    }
}

/// Who holds the lock of `dir` according to its note, if readable.
pub fn holder(dir: &Path) -> Option<Holder> {
    let bytes = std::fs::read(dir.join(HOLDER_FILE)).ok()?;
    serde_json::from_slice(&bytes).ok()
}

/// Whether another process (or another open workspace of this process) holds `dir`.
pub fn is_locked(dir: &Path) -> bool {
    let Ok(f) = OpenOptions::new()
        .read(true)
        .write(true)
        .open(dir.join(LOCK_FILE))
    else {
        return false;
    };
    match f.try_lock() {
        Ok(()) => {
            let _ = f.unlock();
            false
        }
        Err(_) => true,
    }
}

/// The message shown when the folder is held by someone else.
pub fn busy_error(dir: &Path) -> Error {
    let who = match holder(dir) {
        Some(h) => {
            let time = h.since.get(11..16).unwrap_or(h.since.as_str()).to_string();
            let day = h.since.get(0..10).unwrap_or("");
            let since = if day == chrono::Local::now().format("%Y-%m-%d").to_string() {
                time
            } else {
                h.since.get(0..16).unwrap_or(h.since.as_str()).to_string()
            };
            format!(
                "数据文件夹正被示范创建工作台{}使用（进程 {}，自 {} 起）",
                h.program.label(),
                h.pid,
                since
            )
        }
        None => "数据文件夹正被另一个示范创建工作台程序使用".to_string(),
    };
    Error::Busy(format!(
        "{who}，为避免数据冲突，本次操作未做任何修改。请先关闭正在使用的桌面程序或等待命令完成后重试。（数据文件夹：{}）",
        dir.display()
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn second_lock_is_refused_with_the_holder_named_and_released_on_drop() {
        let d = tempfile::tempdir().expect("tmp");
        let a = DataLock::acquire(d.path(), Program::Desktop).expect("first");
        let err = DataLock::acquire(d.path(), Program::Cli).expect_err("second refused");
        let msg = err.to_string();
        assert_eq!(err.kind(), "busy");
        assert!(msg.contains("桌面程序"), "{msg}");
        assert!(msg.contains(&std::process::id().to_string()), "{msg}");
        assert!(is_locked(d.path()));
        drop(a);
        assert!(!is_locked(d.path()));
        DataLock::acquire(d.path(), Program::Cli).expect("free again");
    }

    #[test]
    fn a_stale_note_without_a_lock_is_taken_over() {
        let d = tempfile::tempdir().expect("tmp");
        std::fs::write(
            d.path().join(HOLDER_FILE),
            r#"{"program":"desktop","pid":999999,"since":"2020-01-01 08:00:00"}"#,
        )
        .expect("note");
        std::fs::write(d.path().join(LOCK_FILE), b"").expect("lock file");
        let _l = DataLock::acquire(d.path(), Program::Cli).expect("taken over");
        assert_eq!(holder(d.path()).map(|h| h.program), Some(Program::Cli));
    }
}
