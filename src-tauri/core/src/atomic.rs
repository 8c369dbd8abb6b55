//! Files that appear whole or not at all: every file Shifan writes (exports, backups, the
//! hand-over file, evidence objects, archives) is written to a temp file beside its target,
//! synced, then renamed over it. A set of files (the per-unit sheets of one export) is replaced
//! all or none. Errors name the file and the reason in Chinese; the fault-injection seam
//! (`crate::fault`) sits in the temp write and the rename.

use std::path::{Path, PathBuf};

use crate::error::{Error, io_reason};

/// Map I/O errors of a write to a Chinese message naming the file.
pub fn write_error(path: &Path, e: &std::io::Error) -> Error {
    Error::Io(format!("无法写入“{}”：{}", path.display(), io_reason(e)))
}

/// Write bytes to `path` crash-safely (temp file + fsync + rename).
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), Error> {
    let tmp = staged(path, bytes, true)?;
    persist(tmp, path)
}

/// A temp file beside `path` holding `bytes`, synced to disk, not yet renamed. `sweep`: see
/// [`temp_in_folder_of`].
fn staged(path: &Path, bytes: &[u8], sweep: bool) -> Result<tempfile::NamedTempFile, Error> {
    use std::io::Write;
    let mut tmp = temp_in_folder_of(path, sweep)?;
    crate::fault::writer(tmp.as_file_mut())
        .write_all(bytes)
        .map_err(|e| write_error(path, &e))?;
    tmp.as_file()
        .sync_all()
        .map_err(|e| write_error(path, &e))?;
    Ok(tmp)
}

/// Rename a finished temp file onto `path` (replacing it). On error the temp file is removed
/// and `path` is untouched.
pub fn persist(tmp: tempfile::NamedTempFile, path: &Path) -> Result<(), Error> {
    crate::fault::before_rename(path).map_err(|e| write_error(path, &e))?;
    tmp.persist(path).map_err(|e| write_error(path, &e.error))?;
    Ok(())
}

/// Write several files so that either every one is replaced or none is (the per-unit sheets of
/// one export): each is first written to a temp file beside its target and synced; only when
/// all are on disk are the targets replaced, the previous versions moved aside until every
/// rename succeeded and put back if one fails. A failure leaves the folder as it was.
pub fn write_all_atomic(files: &[(PathBuf, &[u8])]) -> Result<(), Error> {
    // Sweep each folder once, not once per file (86 sheets share one folder).
    let mut swept: Vec<&Path> = Vec::new();
    for (path, _) in files {
        let dir = folder_of(path);
        if !swept.contains(&dir) {
            sweep_stale_temps(dir, STALE_TEMP_AGE);
            swept.push(dir);
        }
    }
    let mut ready = Vec::with_capacity(files.len());
    for (path, bytes) in files {
        ready.push((path, staged(path, bytes, false)?));
    }
    // (target, where its previous version waits)
    let mut done: Vec<(&PathBuf, Option<PathBuf>)> = Vec::new();
    for (i, (path, tmp)) in ready.into_iter().enumerate() {
        let step = (|| -> Result<Option<PathBuf>, Error> {
            let aside = if path.exists() {
                let aside = aside_name(path, i);
                std::fs::rename(path, &aside).map_err(|e| write_error(path, &e))?;
                Some(aside)
            } else {
                None
            };
            if let Err(e) = persist(tmp, path) {
                if let Some(a) = &aside {
                    let _ = std::fs::rename(a, path);
                }
                return Err(e);
            }
            Ok(aside)
        })();
        match step {
            Ok(aside) => done.push((path, aside)),
            Err(e) => {
                for (p, aside) in done.into_iter().rev() {
                    match aside {
                        Some(a) => {
                            let _ = std::fs::rename(&a, p);
                        }
                        None => {
                            let _ = std::fs::remove_file(p);
                        }
                    }
                }
                return Err(e);
            }
        }
    }
    for (_, aside) in done {
        if let Some(a) = aside {
            let _ = std::fs::remove_file(a);
        }
    }
    Ok(())
}

/// Where the previous version of `path` waits during [`write_all_atomic`]: a hidden name in the
/// same folder (a rename within a folder never copies data and cannot run out of space).
fn aside_name(path: &Path, i: usize) -> PathBuf {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    path.with_file_name(format!(
        ".shifan-old-{}-{nanos}-{i}.tmp",
        std::process::id()
    ))
}

/// A temp file in the folder of `path`, to be filled, synced and then [`persist`]ed onto
/// `path`: the one way Shifan writes a file that must appear whole or not at all. Fails in
/// Chinese when the folder is gone (e.g. a removed USB disk).
pub fn temp_beside(path: &Path) -> Result<tempfile::NamedTempFile, Error> {
    temp_in_folder_of(path, true)
}

/// The folder `path` is written into ("." for a bare file name).
fn folder_of(path: &Path) -> &Path {
    path.parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
}

/// [`temp_beside`]; `sweep` first removes stale temp files of ours from that folder (callers
/// writing many files into one folder sweep it once themselves).
fn temp_in_folder_of(path: &Path, sweep: bool) -> Result<tempfile::NamedTempFile, Error> {
    let dir = folder_of(path);
    if !dir.is_dir() {
        return Err(Error::Io(format!(
            "无法写入“{}”：所在文件夹不存在（U 盘是否已拔出？）。",
            path.display()
        )));
    }
    if sweep {
        sweep_stale_temps(dir, STALE_TEMP_AGE);
    }
    tempfile::Builder::new()
        .prefix(".shifan-")
        .suffix(".tmp")
        .tempfile_in(dir)
        .map_err(|e| write_error(path, &e))
}

/// A temp file of ours older than this was left by a process that died (power cut, kill); a
/// live write takes seconds.
pub const STALE_TEMP_AGE: std::time::Duration = std::time::Duration::from_secs(600);

/// Removes the folders named `prefix…` (one of `prefixes`, all of ours) older than `age` from
/// `dir`: the temp trees a killed export (archive, 申报材料包) left beside its target. Best
/// effort: errors are ignored.
pub fn sweep_stale_dirs(dir: &Path, prefixes: &[&str], age: std::time::Duration) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let now = std::time::SystemTime::now();
    for e in entries.flatten() {
        let name = e.file_name();
        let name = name.to_string_lossy();
        if !prefixes.iter().any(|p| name.starts_with(p)) {
            continue;
        }
        let old = e
            .metadata()
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| now.duration_since(t).ok())
            .is_some_and(|d| d >= age);
        if old && e.file_type().is_ok_and(|t| t.is_dir()) {
            let _ = std::fs::remove_dir_all(e.path());
        }
    }
}

/// Removes `.shifan-*.tmp` files older than `age` from `dir`, so a crash during an export does
/// not leave hidden litter in the user's folder for good. Best effort: errors are ignored.
pub fn sweep_stale_temps(dir: &Path, age: std::time::Duration) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let now = std::time::SystemTime::now();
    for e in entries.flatten() {
        let name = e.file_name();
        let name = name.to_string_lossy();
        if !(name.starts_with(".shifan-") && name.ends_with(".tmp")) {
            continue;
        }
        let old = e
            .metadata()
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| now.duration_since(t).ok())
            .is_some_and(|d| d >= age);
        if old && e.file_type().is_ok_and(|t| t.is_file()) {
            let _ = std::fs::remove_file(e.path());
        }
    }
}
