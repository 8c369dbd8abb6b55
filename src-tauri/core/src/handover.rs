//! 工作交接 (hand-over): the whole data folder as one `.shifan` file for another PC or the next
//! person, and its import with a verification report.
//!
//! A `.shifan` file is a zip: `manifest.json` ([`HandoverManifest`]), `shifan.db` (a consistent
//! snapshot made with the online backup API) and, once evidence exists, `evidence/<path>` for
//! every file listed in the manifest. Import re-hashes every part against the manifest.
//!
//! Import never overwrites campaigns: it goes only into a data folder with no real campaign (a
//! new PC, a fresh folder, or one holding just the demo campaign of `shifan demo`, marked as
//! such by `demo::create`). A campaign the user created is real work even on the embedded demo
//! *system*. A folder with real campaigns is refused, the preview naming them with their units
//! and tasks and pointing to a separate data folder (`shifan --data-dir 新文件夹 handover
//! import …`). Merging two databases row by row would have to remap every id of every table the
//! later issues add, and a half-right merge is worse than a clear refusal.

use std::io::{Read, Write};
use std::path::Path;

use sha2::{Digest, Sha256};

use crate::action::Action;
use crate::atomic::write_error;
use crate::backup;
use crate::error::{Error, Result};
use crate::model::{BackupReason, HandoverManifest, HandoverReport};
use crate::progress::Job;
use crate::sheet::display_name;
use crate::workspace::Workspace;

pub const FORMAT: &str = "shifan-handover";
pub const FORMAT_VERSION: i64 = 1;
const DB_ENTRY: &str = "shifan.db";
const MANIFEST_ENTRY: &str = "manifest.json";
/// Largest database a hand-over file may carry once unpacked.
const MAX_DB: u64 = 4 * 1024 * 1024 * 1024;

/// (key, name) of the indicator systems imported into a library (not the embedded ones).
fn imported_systems(conn: &rusqlite::Connection) -> Result<Vec<(String, String)>> {
    Ok(conn
        .prepare("SELECT key, name FROM indicator_system WHERE embedded = 0 ORDER BY id")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?)
}

fn bad(file: &str, why: &str) -> Error {
    Error::BadFile(format!("无法读取交接文件“{file}”：{why}未做任何修改。"))
}

/// Read and check the manifest, and unpack the database into `work`; returns the report
/// (without the import decision) and the unpacked database path.
fn unpack(path: &Path, work: &Path, job: &Job) -> Result<(HandoverReport, std::path::PathBuf)> {
    let file = display_name(path);
    let f = std::fs::File::open(path).map_err(|e| Error::io("读取交接文件", path, &e))?;
    let mut zip = zip::ZipArchive::new(std::io::BufReader::new(f)).map_err(|_| {
        bad(
            &file,
            "文件已损坏或不是示范创建工作台的交接文件（.shifan）。",
        )
    })?;
    let manifest: HandoverManifest = {
        let mut e = zip
            .by_name(MANIFEST_ENTRY)
            .map_err(|_| bad(&file, "缺少说明文件 manifest.json，不是完整的交接文件。"))?;
        if e.size() > 16 * 1024 * 1024 {
            return Err(bad(&file, "说明文件异常（过大）。"));
        }
        let mut s = String::new();
        e.by_ref()
            .take(16 * 1024 * 1024)
            .read_to_string(&mut s)
            .map_err(|_| bad(&file, "说明文件 manifest.json 已损坏。"))?;
        serde_json::from_str(&s).map_err(|_| bad(&file, "说明文件 manifest.json 格式不对。"))?
    };
    if manifest.format != FORMAT {
        return Err(bad(&file, "不是示范创建工作台的交接文件。"));
    }
    if manifest.format_version > FORMAT_VERSION {
        return Err(Error::Invalid(format!(
            "交接文件“{file}”来自更新版本的示范创建工作台，请先升级程序后再导入。未做任何修改。"
        )));
    }
    // Only the known entries are ever read; names are never used as paths except evidence
    // entries checked below, so `../` or absolute names cannot escape.
    let db = work.join("incoming.db");
    let (sha, size) = {
        let mut e = zip
            .by_name(DB_ENTRY)
            .map_err(|_| bad(&file, "缺少数据库文件 shifan.db。"))?;
        if e.size() > MAX_DB {
            return Err(bad(&file, "数据库文件异常（过大）。"));
        }
        let total = e.size().max(1);
        let mut out = std::fs::File::create(&db).map_err(|e| write_error(&db, &e))?;
        let mut h = Sha256::new();
        let mut buf = vec![0u8; 256 * 1024];
        let mut size = 0u64;
        loop {
            job.check()?;
            let n = e
                .read(&mut buf)
                .map_err(|_| bad(&file, "数据库部分已损坏（解压失败）。"))?;
            if n == 0 {
                break;
            }
            size += n as u64;
            if size > MAX_DB {
                return Err(bad(&file, "数据库文件异常（过大）。"));
            }
            h.update(&buf[..n]);
            out.write_all(&buf[..n]).map_err(|e| write_error(&db, &e))?;
            job.report(size.min(total), total, "校验交接文件");
        }
        out.sync_all().map_err(|e| write_error(&db, &e))?;
        (format!("{:x}", h.finalize()), size as i64)
    };
    let mut notes = Vec::new();
    let mut database_ok = sha == manifest.database_sha256 && size == manifest.database_size;
    if !database_ok {
        notes.push("数据库文件的校验值与说明文件不一致（文件在传输中损坏或被改动）。".into());
    }
    let integrity = match backup::inspect(&db) {
        Ok((_, i)) => i,
        Err(e) => {
            notes.push(e.to_string());
            "无法读取".into()
        }
    };
    if integrity != "ok" {
        database_ok = false;
        if integrity != "无法读取" {
            notes.push(format!("数据库完整性检查未通过：{integrity}"));
        }
    } else if sha == manifest.database_sha256 {
        notes.push(format!(
            "数据库完好（SHA-256 校验一致，{} KB）。",
            (size + 1023) / 1024
        ));
    }
    // Evidence: every listed file re-hashed (BLAKE3, its name in the store) from the zip.
    let evidence_bad = evidence_part(&mut zip, &manifest, None, job)?;
    notes.push(if manifest.evidence.is_empty() {
        "佐证材料：交接文件中没有佐证材料文件。".to_string()
    } else {
        format!(
            "佐证材料：逐一校验 {} 个文件，{} 个完好。",
            manifest.evidence.len(),
            manifest.evidence.len() - evidence_bad.len()
        )
    });
    Ok((
        HandoverReport {
            file,
            evidence_checked: manifest.evidence.len() as i64,
            manifest,
            database_ok,
            integrity,
            evidence_bad,
            can_import: false,
            notes,
            safety_backup: None,
            imported: false,
        },
        db,
    ))
}

/// The evidence objects of a hand-over file: each listed entry `evidence/objects/ab/cd…` read,
/// its size and BLAKE3 hash checked against the manifest (the hash is also its name, so an
/// entry is only ever used by its hash, never as a path). With `store`, each good object is
/// also put into that store (hashed again while copied; content-addressed, so a good object
/// can only land under its own name). Returns the paths that are missing or differ.
fn evidence_part<R: Read + std::io::Seek>(
    zip: &mut zip::ZipArchive<R>,
    manifest: &HandoverManifest,
    store: Option<&crate::evidence::ObjectStore>,
    job: &Job,
) -> Result<Vec<String>> {
    use crate::evidence::ContentHash;
    let mut bad = Vec::new();
    let total = manifest.evidence.len() as u64;
    for (i, ev) in manifest.evidence.iter().enumerate() {
        job.check()?;
        job.report(i as u64, total, "校验交接文件中的佐证材料");
        let expected = ContentHash::from_hex(&ev.hash);
        let named_by_hash =
            expected.is_some_and(|h| crate::evidence::store_check::manifest_path(&h) == ev.path);
        let ok = match (
            expected,
            named_by_hash,
            zip.by_name(&format!("evidence/{}", ev.path)),
        ) {
            (Some(want), true, Ok(mut e)) if e.size() == ev.size.max(0) as u64 => {
                let what = format!("交接文件中的“{}”", ev.path);
                let cancel = job.cancel();
                match store {
                    None => match crate::evidence::cas::hash_reader(&mut e, &what, cancel) {
                        Ok((h, n)) => h == want && n == ev.size as u64,
                        Err(Error::Cancelled) => return Err(Error::Cancelled),
                        Err(_) => false,
                    },
                    Some(s) => {
                        use crate::evidence::PutError;
                        match s.put_with(&mut e, &what, Some(ev.size as u64), cancel, &mut |_| {}) {
                            Ok(st) => st.hash == want,
                            Err(PutError::Source(_)) => false,
                            Err(PutError::Store(e)) => return Err(e),
                            Err(PutError::Cancelled) => return Err(Error::Cancelled),
                        }
                    }
                }
            }
            _ => false,
        };
        if !ok {
            bad.push(ev.path.clone());
        }
    }
    Ok(bad)
}

/// Puts the evidence objects of the hand-over file at `path` into `store` (after the file
/// was verified); any object that does not match refuses the import.
fn store_evidence(
    path: &Path,
    manifest: &HandoverManifest,
    store: &crate::evidence::ObjectStore,
    job: &Job,
) -> Result<()> {
    if manifest.evidence.is_empty() {
        return Ok(());
    }
    let file = display_name(path);
    let f = std::fs::File::open(path).map_err(|e| Error::io("读取交接文件", path, &e))?;
    let mut zip = zip::ZipArchive::new(std::io::BufReader::new(f))
        .map_err(|_| bad(&file, "文件在校验之后被修改或损坏。"))?;
    let wrong = evidence_part(&mut zip, manifest, Some(store), job)?;
    if let Some(first) = wrong.first() {
        return Err(bad(
            &file,
            &format!(
                "其中的佐证材料“{first}”等 {} 个文件与说明不一致（文件在校验之后被修改或损坏）。",
                wrong.len()
            ),
        ));
    }
    Ok(())
}

/// Writes the objects of `entries` from the data folder's store into the hand-over zip.
fn write_evidence<W: Write + std::io::Seek>(
    z: &mut zip::ZipWriter<W>,
    dir: &Path,
    entries: &[crate::model::EvidenceFileEntry],
    path: &Path,
    job: &Job,
) -> Result<()> {
    if entries.is_empty() {
        return Ok(());
    }
    let store = crate::evidence::ObjectStore::open(dir)?;
    let total: u64 = entries
        .iter()
        .map(|e| e.size.max(0) as u64)
        .sum::<u64>()
        .max(1);
    let mut done = 0u64;
    for ev in entries {
        job.check()?;
        let hash: crate::evidence::ContentHash = ev.hash.parse()?;
        let src = store.path_of(&hash);
        let mut f = std::fs::File::open(&src).map_err(|e| {
            if e.kind() == std::io::ErrorKind::NotFound {
                Error::NotFound(format!(
                    "证据库中缺少文件“{}”，交接文件未生成；请先运行“校验证据库”并重新关联缺失的文件。",
                    ev.path
                ))
            } else {
                Error::io("读取证据文件", &src, &e)
            }
        })?;
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Stored)
            .large_file(ev.size >= u32::MAX as i64);
        z.start_file(format!("evidence/{}", ev.path), opts)
            .map_err(|e| match e {
                zip::result::ZipError::Io(io) => write_error(path, &io),
                other => Error::Io(format!("写入交接文件“{}”失败：{other}", path.display())),
            })?;
        std::io::copy(&mut f, z).map_err(|e| write_error(path, &e))?;
        done += ev.size.max(0) as u64;
        job.report(done, total, "写入交接文件中的佐证材料");
    }
    Ok(())
}

impl Workspace {
    /// Write the whole data folder to one `.shifan` file at `path` (appears whole or not at all).
    pub fn export_handover(&self, path: &Path, job: &Job) -> Result<HandoverManifest> {
        let work = tempfile::Builder::new()
            .prefix(".tmp-handover-")
            .tempdir_in(&self.dir)
            .map_err(|e| write_error(&self.dir, &e))?;
        let db = work.path().join(DB_ENTRY);
        backup::snapshot(self.store.conn(), &db, job)?;
        let (summary, _) = backup::inspect(&db)?;
        let (sha, size) = backup::hash_file(&db)?;
        let evidence = crate::evidence::store_check::manifest(&backup::open_read_only(&db)?)?;
        let manifest = HandoverManifest {
            format: FORMAT.into(),
            format_version: FORMAT_VERSION,
            created_at: crate::store::now(),
            app_version: env!("CARGO_PKG_VERSION").into(),
            operator: self.operator(),
            source_dir: self.dir.display().to_string(),
            database_sha256: sha,
            database_size: size,
            summary,
            evidence,
        };
        let mut tmp = crate::atomic::temp_beside(path)?;
        {
            let w = std::io::BufWriter::new(crate::fault::writer(tmp.as_file_mut()));
            let mut z = zip::ZipWriter::new(w);
            let opts = zip::write::SimpleFileOptions::default()
                .compression_method(zip::CompressionMethod::Deflated)
                .large_file(size > 2_000_000_000);
            let zerr = |e: zip::result::ZipError| match e {
                zip::result::ZipError::Io(io) => write_error(path, &io),
                other => Error::Io(format!("写入交接文件“{}”失败：{other}", path.display())),
            };
            z.start_file(MANIFEST_ENTRY, opts).map_err(zerr)?;
            let json = serde_json::to_vec_pretty(&manifest)
                .map_err(|e| Error::Io(format!("生成交接说明失败：{e}")))?;
            z.write_all(&json).map_err(|e| write_error(path, &e))?;
            z.start_file(DB_ENTRY, opts).map_err(zerr)?;
            let mut src = std::fs::File::open(&db).map_err(|e| Error::io("读取文件", &db, &e))?;
            let mut buf = vec![0u8; 256 * 1024];
            let mut done = 0u64;
            loop {
                job.check()?;
                let n = src
                    .read(&mut buf)
                    .map_err(|e| Error::io("读取文件", &db, &e))?;
                if n == 0 {
                    break;
                }
                z.write_all(&buf[..n]).map_err(|e| write_error(path, &e))?;
                done += n as u64;
                job.report(done, size.max(1) as u64, "写入交接文件");
            }
            write_evidence(&mut z, &self.dir, &manifest.evidence, path, job)?;
            let mut w = z.finish().map_err(zerr)?;
            w.flush().map_err(|e| write_error(path, &e))?;
        }
        tmp.as_file()
            .sync_all()
            .map_err(|e| write_error(path, &e))?;
        crate::atomic::persist(tmp, path)?;
        Ok(manifest)
    }

    /// Verify a `.shifan` file (every part re-hashed) and say whether it can be imported here.
    pub fn preview_handover(&self, path: &Path, job: &Job) -> Result<HandoverReport> {
        let work = tempfile::Builder::new()
            .prefix(".tmp-handover-")
            .tempdir_in(&self.dir)
            .map_err(|e| write_error(&self.dir, &e))?;
        let (mut report, db) = unpack(path, work.path(), job)?;
        self.decide(&mut report, &db)?;
        Ok(report)
    }

    /// Whether the verified file may replace this folder's data; says which in the notes.
    /// Returns the reason of a refusal. Only the demo campaign of `shifan demo` (marked by
    /// [`crate::demo`]) may be replaced; every other campaign is real work, also one on the
    /// embedded demo *system*. The file is never merged beside it: that would have to remap
    /// every id of every table, and a half-right merge is worse than a clear refusal.
    fn decide(&self, report: &mut HandoverReport, incoming: &Path) -> Result<Option<String>> {
        let conn = self.store.conn();
        let demo = crate::demo::demo_campaign_ids(conn)?;
        let (demo_campaigns, real): (Vec<_>, Vec<_>) = crate::campaign::list(conn)?
            .into_iter()
            .partition(|c| demo.contains(&c.id));
        let sound = report.database_ok && report.evidence_bad.is_empty();
        let count =
            |sql: &str, id: i64| -> Result<i64> { Ok(conn.query_row(sql, [id], |r| r.get(0))?) };
        if !real.is_empty() {
            let mut named = Vec::new();
            for c in &real {
                let units = count("SELECT count(*) FROM unit WHERE campaign_id = ?1", c.id)?;
                let tasks = count(
                    "SELECT count(*) FROM assignment WHERE campaign_id = ?1",
                    c.id,
                )?;
                named.push(format!(
                    "“{}”（{} 个单位、{} 条任务分解）",
                    c.name, units, tasks
                ));
            }
            let on_demo_system = if real.iter().any(|c| c.system_is_demo) {
                "虽然使用的是内置演示指标体系，但这是新建的正式项目，不是“演示数据”。"
            } else {
                ""
            };
            let why = format!(
                "本数据文件夹中已有正式创建项目{}，是本机的工作成果。{on_demo_system}导入交接文件会替换整个数据文件夹，为避免覆盖，不能导入到这里，也不会与现有项目合并。请把交接文件导入到一个新的数据文件夹（命令行：shifan --data-dir 新的数据文件夹 handover import 文件），或在另一台电脑上导入。",
                named.join("、")
            );
            report.notes.push(why.clone());
            report.can_import = false;
            return Ok(Some(why));
        }
        if !sound {
            report.can_import = false;
            return Ok(Some(report.notes.last().cloned().unwrap_or_default()));
        }
        let mut note = format!(
            "可以导入：将带来 {} 个创建项目（{}）。",
            report.manifest.summary.campaigns.len(),
            report.manifest.summary.campaigns.join("、")
        );
        if !demo_campaigns.is_empty() {
            let names: Vec<String> = demo_campaigns
                .iter()
                .map(|c| format!("“{}”", c.name))
                .collect();
            note.push_str(&format!(
                "本数据文件夹中只有演示数据（{}，由“演示数据”功能建立），导入后将被交接文件的内容替换。",
                names.join("、")
            ));
        }
        // Indicator systems imported into this folder's library travel with the folder: name
        // those the file does not bring, since the import replaces the library too.
        let here = imported_systems(conn)?;
        let there = backup::open_read_only(incoming)
            .and_then(|c| imported_systems(&c))
            .unwrap_or_default();
        let lost: Vec<String> = here
            .into_iter()
            .filter(|(k, _)| !there.iter().any(|(t, _)| t == k))
            .map(|(_, name)| format!("“{name}”"))
            .collect();
        if !lost.is_empty() {
            note.push_str(&format!(
                "本机指标体系库中导入的{}不在交接文件中，导入后将不再列出（仍保存在导入前的自动备份里，也可以再次导入原文件）。",
                lost.join("、")
            ));
        }
        note.push_str("导入前会自动备份本机现有数据。");
        report.notes.push(note);
        report.can_import = true;
        Ok(None)
    }

    /// Import a `.shifan` file into this (empty or demo-only) data folder: verify it, make a
    /// safety backup, swap the database in atomically. Refused, with nothing changed, when the
    /// file fails verification or the folder holds campaigns.
    pub fn import_handover(&mut self, path: &Path, job: &Job) -> Result<HandoverReport> {
        self.require_writer()?;
        let work = tempfile::Builder::new()
            .prefix(".tmp-handover-")
            .tempdir_in(&self.dir)
            .map_err(|e| write_error(&self.dir, &e))?;
        let (mut report, db) = unpack(path, work.path(), job)?;
        if let Some(why) = self.decide(&mut report, &db)? {
            return Err(Error::Invalid(format!(
                "不能导入交接文件“{}”：{why}未做任何修改。",
                report.file
            )));
        }
        job.check()?;
        // The evidence first: content-addressed objects, harmless if the import stops here.
        let store = crate::evidence::ObjectStore::open(&self.dir)?;
        store_evidence(path, &report.manifest, &store, job)?;
        let staged = self.stage_file(&db)?;
        let safety = match self.backup_now(BackupReason::BeforeHandover, job) {
            Ok(b) => b,
            Err(e) => {
                let _ = std::fs::remove_file(&staged);
                return Err(e);
            }
        };
        let detail = format!(
            "导入交接文件“{}”（{} 由 {} 导出，{} 个创建项目：{}）；导入前的数据已保存为安全备份“{}”",
            report.file,
            report.manifest.created_at,
            report.manifest.operator,
            report.manifest.summary.campaigns.len(),
            report.manifest.summary.campaigns.join("、"),
            safety.id
        );
        let local_operator = self.store.setting("operator")?;
        self.replace_database(&staged, Action::ImportHandover, detail)?;
        // The person importing carries on the work: keep this PC's operator name.
        if let Some(name) = local_operator {
            self.set_operator(&name)?;
        }
        report.safety_backup = Some(safety);
        report.imported = true;
        report.notes.push("已导入。".into());
        Ok(report)
    }
}
