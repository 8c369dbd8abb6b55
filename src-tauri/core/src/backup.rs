//! Backups (备份): consistent snapshots of the database taken with SQLite's online backup API,
//! each stored as `backups/<id>.db` with a manifest `backups/<id>.json` beside it.
//!
//! A backup is written to a temp name, fsynced and renamed; the manifest is written last, so a
//! backup is listed only once it is whole. Rotation keeps the newest 10 plus the newest backup of
//! each ISO week for 12 weeks, and says in the list why each one is kept. Backups to a folder the
//! user picks (a USB disk) are copied there the same crash-safe way, manifest beside.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use chrono::Datelike;
use rusqlite::{Connection, OpenFlags, OptionalExtension};
use sha2::{Digest, Sha256};

use crate::action::Action;
use crate::atomic::{persist, temp_beside, write_atomic, write_error};
use crate::error::{Error, Result};
use crate::model::{
    BackupInfo, BackupReason, DataCount, RestorePreview, RestoreReport, SnapshotSummary,
};
use crate::progress::Job;
use crate::workspace::Workspace;

/// Folder of the backups inside the data folder.
pub const BACKUP_DIR: &str = "backups";
/// How many of the newest backups rotation always keeps.
pub const KEEP_LAST: usize = 10;
/// How many weeks back rotation keeps one backup per ISO week.
pub const KEEP_WEEKS: i64 = 12;

const TMP_PREFIX: &str = ".tmp-";

/// Chinese label of a table for previews. A table added later without a label is counted under
/// "其他记录" rather than showing its English name (a test keeps every table labelled).
pub fn table_label(t: &str) -> Option<&'static str> {
    Some(match t {
        "campaign" => "创建项目",
        "indicator_system" => "指标体系",
        "indicator" => "指标",
        "oplog" => "操作日志",
        "setting" => "设置项",
        "unit" => "责任单位",
        "unit_alias" => "单位别称",
        "roster_member" => "明白人",
        "task" | "assignment" => "任务分解",
        "evidence" => "佐证材料",
        "evidence_object" => "证据库文件",
        "evidence_source" => "材料来源",
        "evidence_link" => "材料归类",
        "evidence_candidate" => "待归类建议",
        "search_index" => "搜索索引",
        "search_index_data" => "搜索索引数据",
        "search_index_idx" => "搜索索引目录",
        "search_index_content" => "搜索索引内容",
        "search_index_docsize" => "搜索索引长度",
        "search_index_config" => "搜索索引设置",
        "problem" => "问题",
        "assignment_unit" => "任务分工",
        "unit_export" => "工作表导出记录",
        "unit_export_row" => "导出明细",
        "unit_report" => "单位填报",
        "phase" => "创建阶段",
        "phase_event" => "阶段工作",
        "round" => "督察轮次",
        "round_unit" => "被督察单位",
        "problem_indicator" => "问题所涉指标",
        "problem_unit" => "问题整改责任",
        "problem_event" => "整改记录",
        "problem_export" => "问题整改表导出记录",
        "problem_export_row" => "问题整改表导出明细",
        "problem_letter" => "反馈函文号",
        "self_assessment" => "自查评价",
        "eval_model" => "评分方案",
        "eval_points" => "自定分值",
        "eval_rule" => "评分标准",
        "eval_veto" => "否决项",
        "eval_round" => "评估轮次",
        "eval_expert" => "评估专家",
        "eval_assign" => "专家分工",
        "eval_mark" => "专家评分",
        "eval_mark_rule" => "扣分明细",
        "eval_pick" => "采用的评分",
        "eval_veto_hit" => "触发的否决项",
        "eval_bonus" => "附加项",
        "eval_case" => "评查案卷",
        "eval_export" => "评分表导出记录",
        "eval_export_row" => "评分表导出明细",
        _ => return None,
    })
}

/// Campaigns, row counts and the last change of the database behind `conn`.
pub fn summarize(conn: &Connection) -> Result<SnapshotSummary> {
    let tables: Vec<String> = conn
        .prepare(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
        )?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let mut counts = Vec::new();
    let mut other = 0;
    for t in &tables {
        let n: i64 = conn.query_row(&format!("SELECT count(*) FROM \"{t}\""), [], |r| r.get(0))?;
        match table_label(t) {
            Some(label) => counts.push(DataCount {
                table: t.clone(),
                label: label.to_string(),
                count: n,
            }),
            None => other += n,
        }
    }
    if other > 0 {
        counts.push(DataCount {
            table: "other".into(),
            label: "其他记录".into(),
            count: other,
        });
    }
    // Most telling first.
    let order = |t: &str| match t {
        "campaign" => 0,
        "indicator_system" => 1,
        "indicator" => 2,
        "oplog" => 9,
        "setting" => 10,
        _ => 5,
    };
    counts.sort_by_key(|c| order(&c.table));
    let has = |t: &str| tables.iter().any(|x| x == t);
    let campaigns = if has("campaign") {
        conn.prepare("SELECT name FROM campaign ORDER BY id")?
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?
    } else {
        Vec::new()
    };
    let (last_change_id, last_change_at) = if has("oplog") {
        conn.query_row(
            "SELECT id, at FROM oplog ORDER BY id DESC LIMIT 1",
            [],
            |r| Ok((r.get::<_, i64>(0)?, Some(r.get::<_, String>(1)?))),
        )
        .optional()?
        .unwrap_or((0, None))
    } else {
        (0, None)
    };
    let schema_version: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    Ok(SnapshotSummary {
        campaigns,
        counts,
        schema_version,
        last_change_id,
        last_change_at,
    })
}

/// Copy the database behind `conn` into a new file `dest` with the online backup API, page by
/// page (readers and the writer may go on meanwhile). The copy is a self-contained rollback-
/// journal database, fsynced. On error or cancel `dest` is removed.
pub fn snapshot(conn: &Connection, dest: &Path, job: &Job) -> Result<()> {
    let r = snapshot_inner(conn, dest, job);
    if r.is_err() {
        let _ = std::fs::remove_file(dest);
        let _ = std::fs::remove_file(sidecar(dest, "-journal"));
    }
    r
}

/// `p` with `suffix` appended to its name ("shifan.db" + "-wal").
pub(crate) fn sidecar(p: &Path, suffix: &str) -> PathBuf {
    let mut s = p.as_os_str().to_owned();
    s.push(suffix);
    PathBuf::from(s)
}

fn snapshot_inner(conn: &Connection, dest: &Path, job: &Job) -> Result<()> {
    use rusqlite::backup::{Backup, StepResult};
    if dest.exists() {
        std::fs::remove_file(dest).map_err(|e| write_error(dest, &e))?;
    }
    let mut dst = Connection::open(dest).map_err(|e| sqlite_write_error(dest, e))?;
    {
        let b = Backup::new(conn, &mut dst).map_err(|e| sqlite_write_error(dest, e))?;
        loop {
            job.check()?;
            match b.step(256).map_err(|e| sqlite_write_error(dest, e))? {
                StepResult::Done => break,
                StepResult::More => {
                    let p = b.progress();
                    let total = p.pagecount.max(1) as u64;
                    job.report(total - p.remaining.max(0) as u64, total, "备份数据库");
                }
                StepResult::Busy | StepResult::Locked => {
                    std::thread::sleep(std::time::Duration::from_millis(20));
                }
                _ => {}
            }
        }
    }
    // A standalone file: no WAL beside it.
    dst.pragma_update(None, "journal_mode", "DELETE")
        .map_err(|e| sqlite_write_error(dest, e))?;
    dst.close().map_err(|(_, e)| sqlite_write_error(dest, e))?;
    let f = std::fs::OpenOptions::new()
        .write(true)
        .open(dest)
        .map_err(|e| write_error(dest, &e))?;
    f.sync_all().map_err(|e| write_error(dest, &e))?;
    Ok(())
}

fn sqlite_write_error(dest: &Path, e: rusqlite::Error) -> Error {
    match Error::from(e) {
        Error::Db(m) => Error::Io(format!("写入备份“{}”失败：{m}", dest.display())),
        Error::Io(m) => Error::Io(format!("写入备份“{}”失败：{m}", dest.display())),
        other => other,
    }
}

/// SHA-256 (hex) and size of a file.
pub fn hash_file(path: &Path) -> Result<(String, i64)> {
    let mut f = std::fs::File::open(path).map_err(|e| Error::io("读取文件", path, &e))?;
    let mut h = Sha256::new();
    let mut buf = vec![0u8; 64 * 1024];
    let mut size = 0i64;
    loop {
        let n = f
            .read(&mut buf)
            .map_err(|e| Error::io("读取文件", path, &e))?;
        if n == 0 {
            break;
        }
        size += n as i64;
        h.update(&buf[..n]);
    }
    Ok((format!("{:x}", h.finalize()), size))
}

/// Open a database file read-only (no journal written, nothing changed).
pub fn open_read_only(path: &Path) -> Result<Connection> {
    Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(|e| {
        Error::BadFile(format!(
            "无法打开“{}”：不是有效的数据文件（{e}）。",
            path.display()
        ))
    })
}

/// Check that `path` is a sound Shifan database this program can open: integrity ok, a schema
/// version not newer than ours, the core tables present. Returns its summary.
pub fn inspect(path: &Path) -> Result<(SnapshotSummary, String)> {
    let name = crate::sheet::display_name(path);
    let conn = open_read_only(path)?;
    let integrity: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .map_err(|e| {
            Error::BadFile(format!(
                "“{name}”已损坏或不是示范创建工作台的数据文件（{e}）。"
            ))
        })?;
    let summary = summarize(&conn).map_err(|e| {
        Error::BadFile(format!(
            "“{name}”已损坏或不是示范创建工作台的数据文件（{e}）。"
        ))
    })?;
    let latest = crate::store::MIGRATIONS.len() as i64;
    if summary.schema_version > latest {
        return Err(Error::Invalid(format!(
            "“{name}”来自更新版本的示范创建工作台（数据版本 {}，本程序支持到 {latest}），请先升级程序。",
            summary.schema_version
        )));
    }
    let has = |t: &str| summary.counts.iter().any(|c| c.table == t);
    if summary.schema_version < 1 || !has("campaign") || !has("oplog") {
        return Err(Error::BadFile(format!(
            "“{name}”不是示范创建工作台的数据文件。"
        )));
    }
    Ok((summary, integrity))
}

fn backup_dir(data_dir: &Path) -> PathBuf {
    data_dir.join(BACKUP_DIR)
}

/// A backup id: time to the millisecond plus the reason, unique in the folder.
fn new_id(dir: &Path, reason: BackupReason) -> String {
    let base = chrono::Local::now().format("%Y%m%d-%H%M%S-%3f").to_string();
    let mut id = format!("{base}-{}", reason.key());
    let mut n = 2;
    while dir.join(format!("{id}.json")).exists() || dir.join(format!("{id}.db")).exists() {
        id = format!("{base}-{}-{n}", reason.key());
        n += 1;
    }
    id
}

/// Make a backup of `conn` (the database of `data_dir`) into `data_dir/backups`, then rotate.
pub fn create(
    data_dir: &Path,
    conn: &Connection,
    reason: BackupReason,
    operator: &str,
    job: &Job,
) -> Result<BackupInfo> {
    let dir = backup_dir(data_dir);
    std::fs::create_dir_all(&dir).map_err(|e| Error::io("创建备份文件夹", &dir, &e))?;
    let id = new_id(&dir, reason);
    let tmp = dir.join(format!("{TMP_PREFIX}{id}.db"));
    snapshot(conn, &tmp, job)?;
    let info = (|| -> Result<BackupInfo> {
        let (summary, _) = inspect(&tmp)?;
        let evidence = crate::evidence::store_check::manifest(&open_read_only(&tmp)?)?;
        let (sha256, size) = hash_file(&tmp)?;
        let db_file = format!("{id}.db");
        let final_db = dir.join(&db_file);
        std::fs::rename(&tmp, &final_db).map_err(|e| write_error(&final_db, &e))?;
        sync_dir(&dir);
        let info = BackupInfo {
            id: id.clone(),
            db_file,
            created_at: crate::store::now(),
            reason,
            reason_label: reason.label().to_string(),
            app_version: env!("CARGO_PKG_VERSION").to_string(),
            operator: operator.to_string(),
            size,
            sha256,
            summary,
            evidence,
            path: final_db.display().to_string(),
            kept_because: String::new(),
        };
        write_manifest(&dir.join(format!("{id}.json")), &info)?;
        Ok(info)
    })();
    if info.is_err() {
        let _ = std::fs::remove_file(&tmp);
        let _ = std::fs::remove_file(dir.join(format!("{id}.db")));
    }
    let info = info?;
    job.report(1, 1, "备份完成");
    rotate(data_dir)?;
    Ok(info)
}

fn write_manifest(path: &Path, info: &BackupInfo) -> Result<()> {
    let mut stored = info.clone();
    stored.path = String::new();
    stored.kept_because = String::new();
    let json = serde_json::to_vec_pretty(&stored)
        .map_err(|e| Error::Io(format!("生成备份说明文件失败：{e}")))?;
    write_atomic(path, &json)
}

/// Make renames in `dir` durable (no-op where directories cannot be synced).
#[cfg(unix)]
pub(crate) fn sync_dir(dir: &Path) {
    if let Ok(f) = std::fs::File::open(dir) {
        let _ = f.sync_all();
    }
}

#[cfg(not(unix))]
pub(crate) fn sync_dir(_dir: &Path) {}

fn read_manifest(path: &Path) -> Option<BackupInfo> {
    let bytes = std::fs::read(path).ok()?;
    serde_json::from_slice(&bytes).ok()
}

/// Every complete backup of the data folder, newest first, each with why rotation keeps it.
pub fn list(data_dir: &Path) -> Result<Vec<BackupInfo>> {
    let dir = backup_dir(data_dir);
    let mut v = Vec::new();
    let entries = match std::fs::read_dir(&dir) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(v),
        Err(e) => return Err(Error::io("读取备份文件夹", &dir, &e)),
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.extension().and_then(|x| x.to_str()) != Some("json") {
            continue;
        }
        let Some(mut info) = read_manifest(&p) else {
            continue;
        };
        let db = dir.join(&info.db_file);
        if info.db_file.contains(['/', '\\']) || !db.is_file() {
            continue;
        }
        info.path = db.display().to_string();
        v.push(info);
    }
    v.sort_by(|a, b| b.id.cmp(&a.id));
    let keep = keep_plan(&v, chrono::Local::now().date_naive());
    for (info, why) in v.iter_mut().zip(keep) {
        info.kept_because = why.unwrap_or_else(|| "将在下次备份时清理".to_string());
    }
    Ok(v)
}

/// For backups sorted newest first: why each is kept, or None if rotation removes it.
pub fn keep_plan(newest_first: &[BackupInfo], today: chrono::NaiveDate) -> Vec<Option<String>> {
    let mut seen_weeks = std::collections::HashSet::new();
    newest_first
        .iter()
        .enumerate()
        .map(|(i, b)| {
            let date = chrono::NaiveDate::parse_from_str(b.created_at.get(0..10)?, "%Y-%m-%d")
                .ok()
                .or_else(|| chrono::NaiveDate::parse_from_str(b.id.get(0..8)?, "%Y%m%d").ok());
            let week = date.map(|d| d.iso_week());
            let first_of_week = week.is_some_and(|w| seen_weeks.insert((w.year(), w.week())));
            if i < KEEP_LAST {
                return Some(format!("最近 {KEEP_LAST} 份之一"));
            }
            let recent = date.is_some_and(|d| (today - d).num_days() < KEEP_WEEKS * 7);
            match (first_of_week, recent, week) {
                (true, true, Some(w)) => {
                    Some(format!("{} 年第 {} 周的保留备份", w.year(), w.week()))
                }
                _ => None,
            }
        })
        .collect()
}

/// Apply the rotation, and remove half-written leftovers of interrupted backups.
pub fn rotate(data_dir: &Path) -> Result<()> {
    let dir = backup_dir(data_dir);
    let all = list(data_dir)?;
    let keep = keep_plan(&all, chrono::Local::now().date_naive());
    let mut kept_files = std::collections::HashSet::new();
    for (b, k) in all.iter().zip(keep) {
        if k.is_some() {
            kept_files.insert(b.db_file.clone());
            kept_files.insert(format!("{}.json", b.id));
        } else {
            // Manifest first: a backup without manifest is never listed.
            let _ = std::fs::remove_file(dir.join(format!("{}.json", b.id)));
            let _ = std::fs::remove_file(dir.join(&b.db_file));
        }
    }
    // Leftovers: temp files and databases without manifest (crash mid-backup), older than a
    // minute so that a backup being written right now is never touched.
    if let Ok(entries) = std::fs::read_dir(&dir) {
        for e in entries.flatten() {
            let name = e.file_name().to_string_lossy().into_owned();
            let old = e
                .metadata()
                .and_then(|m| m.modified())
                .ok()
                .and_then(|t| t.elapsed().ok())
                .is_some_and(|d| d.as_secs() > 60);
            let orphan = name.starts_with(TMP_PREFIX)
                || name.starts_with(".shifan-")
                || (name.ends_with(".db") && !kept_files.contains(&name));
            if orphan && old {
                let _ = std::fs::remove_file(e.path());
            }
        }
    }
    Ok(())
}

/// Find a backup by id (as listed) or by the path of a backup file (e.g. on a USB disk).
pub fn find(data_dir: &Path, id_or_file: &str) -> Result<BackupInfo> {
    let id_or_file = id_or_file.trim();
    if let Some(b) = list(data_dir)?.into_iter().find(|b| b.id == id_or_file) {
        return Ok(b);
    }
    let p = Path::new(id_or_file);
    if !p.is_file() {
        return Err(Error::NotFound(format!(
            "找不到备份“{id_or_file}”：既不是备份列表中的编号，也不是存在的文件。"
        )));
    }
    let manifest = p.with_extension("json");
    if let Some(mut info) = read_manifest(&manifest) {
        info.path = p.display().to_string();
        info.kept_because = "备份文件".into();
        return Ok(info);
    }
    // A bare database file (e.g. a copy of shifan.db): describe it from its content.
    let (summary, _) = inspect(p)?;
    let (sha256, size) = hash_file(p)?;
    let modified = std::fs::metadata(p)
        .and_then(|m| m.modified())
        .ok()
        .map(|t| {
            chrono::DateTime::<chrono::Local>::from(t)
                .format("%Y-%m-%d %H:%M:%S")
                .to_string()
        })
        .unwrap_or_default();
    Ok(BackupInfo {
        id: crate::sheet::display_name(p),
        db_file: crate::sheet::display_name(p),
        created_at: modified,
        reason: BackupReason::Manual,
        reason_label: "备份文件（无说明文件）".into(),
        app_version: String::new(),
        operator: String::new(),
        size,
        sha256,
        summary,
        evidence: open_read_only(p)
            .and_then(|c| crate::evidence::store_check::manifest(&c))
            .unwrap_or_default(),
        path: p.display().to_string(),
        kept_because: "备份文件".into(),
    })
}

/// Copy `src` to `dst` crash-safely: a temp file in the target folder, fsync, rename. A removed
/// disk or a full one leaves no partial file under the final name.
pub fn copy_atomic(src: &Path, dst: &Path) -> Result<()> {
    let mut input = std::fs::File::open(src).map_err(|e| Error::io("读取文件", src, &e))?;
    let mut tmp = temp_beside(dst)?;
    {
        let mut w = crate::fault::writer(tmp.as_file_mut());
        std::io::copy(&mut input, &mut w).map_err(|e| write_error(dst, &e))?;
        w.flush().map_err(|e| write_error(dst, &e))?;
    }
    tmp.as_file().sync_all().map_err(|e| write_error(dst, &e))?;
    persist(tmp, dst)
}

/// Write a backup of `conn` into a folder the user chose: `示范创建工作台备份-<time>.db` plus its
/// manifest `.json`. Returns the description with `path` set to the written database.
pub fn create_in_folder(
    data_dir: &Path,
    conn: &Connection,
    folder: &Path,
    operator: &str,
    job: &Job,
) -> Result<BackupInfo> {
    if !folder.is_dir() {
        return Err(Error::Io(format!(
            "备份失败：文件夹“{}”不存在或无法访问（U 盘是否已插好？）。未做任何修改。",
            folder.display()
        )));
    }
    let work = tempfile::Builder::new()
        .prefix(".tmp-export-")
        .tempdir_in(data_dir)
        .map_err(|e| write_error(data_dir, &e))?;
    let local = work.path().join("snapshot.db");
    snapshot(conn, &local, job)?;
    let (summary, _) = inspect(&local)?;
    let evidence = crate::evidence::store_check::manifest(&open_read_only(&local)?)?;
    let (sha256, size) = hash_file(&local)?;
    let stamp = chrono::Local::now().format("%Y%m%d-%H%M%S").to_string();
    let mut stem = format!("示范创建工作台备份-{stamp}");
    let mut n = 2;
    while folder.join(format!("{stem}.db")).exists() {
        stem = format!("示范创建工作台备份-{stamp}-{n}");
        n += 1;
    }
    let db = folder.join(format!("{stem}.db"));
    job.check()?;
    copy_atomic(&local, &db)?;
    // Verify what landed on the disk (a failing USB stick may accept writes and lose them).
    let landed = hash_file(&db).map(|(h, _)| h).unwrap_or_default();
    if landed != sha256 {
        let _ = std::fs::remove_file(&db);
        return Err(Error::Io(format!(
            "备份到“{}”后校验不一致（U 盘可能已拔出或损坏），已删除该不完整的备份。",
            folder.display()
        )));
    }
    let info = BackupInfo {
        id: stem.clone(),
        db_file: format!("{stem}.db"),
        created_at: crate::store::now(),
        reason: BackupReason::Manual,
        reason_label: "备份到指定文件夹".into(),
        app_version: env!("CARGO_PKG_VERSION").to_string(),
        operator: operator.to_string(),
        size,
        sha256,
        summary,
        evidence,
        path: db.display().to_string(),
        kept_because: String::new(),
    };
    if let Err(e) = write_manifest(&folder.join(format!("{stem}.json")), &info) {
        let _ = std::fs::remove_file(&db);
        return Err(e);
    }
    Ok(info)
}

/// What checking a backup file found.
pub(crate) struct Verdict {
    /// `integrity_check` of the file ("ok" when sound, "无法读取" when it cannot be opened).
    pub integrity: String,
    /// The file opens and passes `integrity_check`.
    pub sound: bool,
    /// Its SHA-256 is the one its manifest recorded.
    pub hash_ok: bool,
    /// What is wrong, in Chinese.
    pub notes: Vec<String>,
}

/// Check the file of `backup`: read it (`integrity_check`) and re-hash it against its manifest.
pub(crate) fn verify(backup: &BackupInfo) -> Verdict {
    let mut notes = Vec::new();
    let (integrity, sound) = match inspect(Path::new(&backup.path)) {
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
    let hash_ok = backup.sha256.is_empty()
        || hash_file(Path::new(&backup.path)).is_ok_and(|(sha, _)| sha == backup.sha256);
    if !hash_ok {
        notes.push("备份文件的校验值与说明文件不一致（文件可能被改动或损坏）。".into());
    }
    Verdict {
        integrity,
        sound,
        hash_ok,
        notes,
    }
}

/// Whether the file of a listed backup still is what its manifest says (same SHA-256).
pub(crate) fn matches_manifest(backup: &BackupInfo) -> bool {
    !backup.sha256.is_empty()
        && hash_file(Path::new(&backup.path)).is_ok_and(|(sha, _)| sha == backup.sha256)
}

/// Copy a database file into the data folder `dir` under a temp name, checked, ready to be
/// swapped in as `shifan.db`.
pub(crate) fn stage(dir: &Path, src: &Path) -> Result<PathBuf> {
    let staged = dir.join(".tmp-restore.db");
    copy_atomic(src, &staged)?;
    let (_, integrity) = match inspect(&staged) {
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

impl Workspace {
    /// Make a backup now into `backups/` (then rotate).
    pub fn backup_now(&self, reason: BackupReason, job: &Job) -> Result<BackupInfo> {
        self.require_writer()?;
        create(&self.dir, self.store.conn(), reason, &self.operator(), job)
    }

    /// A backup before an import or bulk change; skipped (returning the newest backup) when the
    /// newest backup already holds exactly the current data, so repeated imports stay cheap.
    pub fn backup_if_changed(&self, reason: BackupReason) -> Result<BackupInfo> {
        let current = summarize(self.store.conn())?;
        if let Some(b) = list(&self.dir)?.into_iter().next()
            && b.summary.last_change_id == current.last_change_id
            && b.summary.schema_version == current.schema_version
            && b.summary.last_change_at == current.last_change_at
        {
            return Ok(b);
        }
        self.backup_now(reason, &Job::quiet())
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
        list(&self.dir)
    }

    /// Back up into a folder the user picked (e.g. a USB disk).
    pub fn backup_to_folder(&self, folder: &Path, job: &Job) -> Result<BackupInfo> {
        create_in_folder(&self.dir, self.store.conn(), folder, &self.operator(), job)
    }

    /// What restoring `source` (a backup id from the list, or a backup file path) would bring
    /// back, compared with what the folder holds now. Nothing changes.
    pub fn preview_restore(&self, source: &str) -> Result<RestorePreview> {
        let backup = find(&self.dir, source)?;
        let current = summarize(self.store.conn())?;
        let Verdict {
            integrity,
            sound: can_restore,
            mut notes,
            ..
        } = verify(&backup);
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
    pub fn restore_backup(&mut self, source: &str, job: &Job) -> Result<RestoreReport> {
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
        job.check()?;
        let safety = self.backup_now(BackupReason::BeforeRestore, job)?;
        let detail = format!(
            "恢复到备份“{}”（{}，{}）；恢复前的数据已保存为安全备份“{}”",
            preview.backup.id, preview.backup.created_at, preview.backup.reason_label, safety.id
        );
        self.replace_database(&staged, Action::RestoreBackup, detail)?;
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
}

#[cfg(test)]
mod tests {
    use super::*;

    fn info(id: &str, day: &str) -> BackupInfo {
        BackupInfo {
            id: id.into(),
            db_file: format!("{id}.db"),
            created_at: format!("{day} 10:00:00"),
            reason: BackupReason::Daily,
            reason_label: String::new(),
            app_version: String::new(),
            operator: String::new(),
            size: 0,
            sha256: String::new(),
            summary: SnapshotSummary {
                campaigns: vec![],
                counts: vec![],
                schema_version: 1,
                last_change_id: 0,
                last_change_at: None,
            },
            evidence: vec![],
            path: String::new(),
            kept_because: String::new(),
        }
    }

    #[test]
    fn every_table_of_the_current_schema_has_a_chinese_label_in_previews() {
        let store = crate::store::Store::open_in_memory().expect("store");
        let summary = summarize(store.conn()).expect("summary");
        assert!(
            summary.counts.iter().any(|c| c.table == "unit_report"),
            "migrated schema"
        );
        assert!(
            summary.counts.iter().all(|c| c.table != "other"),
            "{:?}",
            summary.counts
        );
        for c in &summary.counts {
            assert!(
                c.label.chars().all(|ch| !ch.is_ascii_alphabetic()),
                "table {} shows as {}",
                c.table,
                c.label
            );
        }
    }

    #[test]
    fn rotation_keeps_last_ten_and_one_per_week_for_twelve_weeks() {
        let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 23).expect("date");
        // One backup a day for 120 days, newest first.
        let v: Vec<BackupInfo> = (0..120)
            .map(|i| {
                let d = today - chrono::Duration::days(i);
                info(
                    &d.format("%Y%m%d").to_string(),
                    &d.format("%Y-%m-%d").to_string(),
                )
            })
            .collect();
        let plan = keep_plan(&v, today);
        let kept: Vec<usize> = (0..v.len()).filter(|&i| plan[i].is_some()).collect();
        assert!((0..10).all(|i| plan[i].is_some()), "last ten kept");
        let older: Vec<usize> = kept.iter().copied().filter(|&i| i >= 10).collect();
        assert!(
            (9..=12).contains(&older.len()),
            "about one per week beyond the last ten: {older:?}"
        );
        assert!(kept.iter().all(|&i| i < 84), "nothing older than 12 weeks");
    }
}
