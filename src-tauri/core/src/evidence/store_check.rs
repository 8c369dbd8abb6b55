//! 校验证据库: every object the library refers to re-hashed (both cores), missing and altered
//! ones reported with the items they belong to, and re-linked from a file the user points to
//! (only when its content is the original one). Also the evidence manifest that backups and
//! hand-over files record, and the path of an item's file for the viewer (only ever inside the
//! store).

use std::collections::{HashMap, HashSet};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

use rusqlite::{Connection, params};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::cas::{self, ContentHash, ObjectStore, Verdict};
use super::names::extension;
use crate::action::Action;
use crate::campaign;
use crate::error::{Error, Result};
use crate::model::EvidenceFileEntry;
use crate::progress::Job;
use crate::workspace::Workspace;

/// An item whose file has a problem.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ProblemItem {
    #[ts(type = "number")]
    pub id: i64,
    pub title: String,
    pub campaign: String,
}

/// What is wrong with a stored file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum ObjectFault {
    /// Not in the store any more.
    Missing,
    /// Its content no longer hashes to what was stored.
    Altered,
}

impl ObjectFault {
    pub const ALL: [ObjectFault; 2] = [ObjectFault::Missing, ObjectFault::Altered];

    pub fn label(self) -> &'static str {
        match self {
            ObjectFault::Missing => "缺失",
            ObjectFault::Altered => "已被改动",
        }
    }
}

/// A stored file that is missing or no longer what was stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ObjectProblem {
    pub hash: String,
    #[ts(type = "number")]
    pub size: i64,
    pub problem: ObjectFault,
    /// For an altered file: what its content hashes to now.
    pub found_hash: String,
    pub items: Vec<ProblemItem>,
    pub message: String,
}

/// The result of 校验证据库.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct EvidenceVerifyReport {
    #[ts(type = "number")]
    pub checked: i64,
    #[ts(type = "number")]
    pub intact: i64,
    #[ts(type = "number")]
    pub bytes: i64,
    pub problems: Vec<ObjectProblem>,
    /// Files in the store no item refers to (left by removed items or an abandoned ingest;
    /// kept, since a backup may refer to them).
    #[ts(type = "number")]
    pub unreferenced: i64,
    pub ok: bool,
    pub summary: String,
}

/// A re-linked file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct RelinkResult {
    pub hash: String,
    #[ts(type = "number")]
    pub items: i64,
    pub message: String,
}

/// What the drawer shows of an item's file without leaving the app: an image or a PDF itself
/// (drawn with pdf.js), or why it cannot be shown.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct EvidencePreview {
    #[ts(type = "number")]
    pub id: i64,
    pub name: String,
    pub mime: String,
    /// `data:` URL of an image or a readable PDF no larger than [`PREVIEW_MAX_BYTES`].
    pub data_url: Option<String>,
    /// Pages of a PDF that could be read.
    #[ts(type = "number | null")]
    pub pages: Option<i64>,
    /// One sentence for the user: what is shown, or why nothing is.
    pub note: String,
}

/// Files above this size are not previewed (the drawer would stall on them).
pub const PREVIEW_MAX_BYTES: i64 = 20 * 1024 * 1024;

/// Standard base64 (with padding) of `bytes`.
fn base64(bytes: &[u8]) -> String {
    const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for c in bytes.chunks(3) {
        let n = (u32::from(c[0]) << 16)
            | (u32::from(*c.get(1).unwrap_or(&0)) << 8)
            | u32::from(*c.get(2).unwrap_or(&0));
        out.push(A[(n >> 18) as usize & 63] as char);
        out.push(A[(n >> 12) as usize & 63] as char);
        out.push(if c.len() > 1 {
            A[(n >> 6) as usize & 63] as char
        } else {
            '='
        });
        out.push(if c.len() > 2 {
            A[n as usize & 63] as char
        } else {
            '='
        });
    }
    out
}

/// An item's file, for the viewer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct EvidenceFile {
    #[ts(type = "number")]
    pub id: i64,
    /// Full path of the object in the store (always inside it).
    pub path: String,
    /// By content: application/pdf, image/jpeg, image/png …
    pub mime: String,
    /// The original name, for "save as" and the window title.
    pub name: String,
    #[ts(type = "number")]
    pub size: i64,
}

/// The path of an object inside the objects folder, as manifests list it.
pub fn manifest_path(hash: &ContentHash) -> String {
    let hex = hash.to_hex();
    format!("objects/{}/{}", &hex[..2], &hex[2..])
}

/// The objects the library refers to, for a backup or hand-over manifest.
pub fn manifest(conn: &Connection) -> Result<Vec<EvidenceFileEntry>> {
    let has: bool = conn
        .query_row(
            "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'evidence'",
            [],
            |r| r.get::<_, i64>(0),
        )
        .map(|n| n > 0)?;
    if !has {
        return Ok(Vec::new());
    }
    let mut st = conn.prepare(
        "SELECT o.hash, o.size FROM evidence_object o
         WHERE EXISTS (SELECT 1 FROM evidence e WHERE e.hash = o.hash) ORDER BY o.hash",
    )?;
    let rows = st
        .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows
        .into_iter()
        .filter_map(|(h, size)| {
            let hash = ContentHash::from_hex(&h)?;
            Some(EvidenceFileEntry {
                path: manifest_path(&hash),
                size,
                hash: hash.to_hex(),
            })
        })
        .collect())
}

/// The MIME type of content, by its first bytes (the name decides only among zip- and
/// OLE-based office files and plain formats).
pub fn sniff_mime(head: &[u8], name: &str) -> &'static str {
    let ext = extension(name);
    if head.starts_with(b"%PDF") {
        return "application/pdf";
    }
    if head.starts_with(&[0xFF, 0xD8, 0xFF]) {
        return "image/jpeg";
    }
    if head.starts_with(b"\x89PNG\r\n\x1a\n") {
        return "image/png";
    }
    if head.starts_with(b"GIF8") {
        return "image/gif";
    }
    if head.starts_with(b"BM") && ext == "bmp" {
        return "image/bmp";
    }
    if head.len() >= 12 && &head[..4] == b"RIFF" && &head[8..12] == b"WEBP" {
        return "image/webp";
    }
    if head.starts_with(b"PK\x03\x04") {
        return match ext.as_str() {
            "docx" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "pptx" => "application/vnd.openxmlformats-officedocument.presentationml.presentation",
            "ofd" => "application/ofd",
            _ => "application/zip",
        };
    }
    if head.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        return match ext.as_str() {
            "doc" | "wps" => "application/msword",
            "xls" | "et" => "application/vnd.ms-excel",
            "ppt" => "application/vnd.ms-powerpoint",
            _ => "application/octet-stream",
        };
    }
    match ext.as_str() {
        "txt" => "text/plain",
        "mp4" => "video/mp4",
        "mp3" => "audio/mpeg",
        _ => "application/octet-stream",
    }
}

fn head_of(path: &Path) -> Vec<u8> {
    let mut buf = vec![0u8; 16];
    let n = std::fs::File::open(path)
        .and_then(|mut f| f.read(&mut buf))
        .unwrap_or(0);
    buf.truncate(n);
    buf
}

/// (hash, size) of every object the library refers to, with its items.
fn referenced(
    conn: &Connection,
) -> Result<(Vec<(ContentHash, i64)>, HashMap<String, Vec<ProblemItem>>)> {
    let mut st = conn.prepare(
        "SELECT e.hash, o.size, e.id, e.title, c.name FROM evidence e
         JOIN evidence_object o ON o.hash = e.hash JOIN campaign c ON c.id = e.campaign_id
         ORDER BY e.hash, e.id",
    )?;
    let mut objects: Vec<(ContentHash, i64)> = Vec::new();
    let mut items: HashMap<String, Vec<ProblemItem>> = HashMap::new();
    for row in st.query_map([], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, i64>(1)?,
            r.get::<_, i64>(2)?,
            r.get::<_, String>(3)?,
            r.get::<_, String>(4)?,
        ))
    })? {
        let (hex, size, id, title, campaign) = row?;
        let Some(hash) = ContentHash::from_hex(&hex) else {
            continue;
        };
        let e = items.entry(hex).or_default();
        if e.is_empty() {
            objects.push((hash, size));
        }
        e.push(ProblemItem {
            id,
            title,
            campaign,
        });
    }
    Ok((objects, items))
}

fn titles(items: &[ProblemItem]) -> String {
    let mut s = items
        .iter()
        .take(3)
        .map(|i| format!("“{}”", i.title))
        .collect::<Vec<_>>()
        .join("");
    if items.len() > 3 {
        s.push_str(&format!("等 {} 份材料", items.len()));
    }
    s
}

impl Workspace {
    /// Re-hash every stored file the library refers to (two at a time); nothing is changed.
    pub fn verify_evidence(&self, job: &Job) -> Result<EvidenceVerifyReport> {
        let conn = self.store().conn();
        let (objects, items) = referenced(conn)?;
        let store = ObjectStore::open(self.data_dir())?;
        let total: u64 = objects.iter().map(|o| o.1.max(0) as u64).sum();
        let done = AtomicU64::new(0);
        let results: Mutex<Vec<(usize, Verdict)>> = Mutex::new(Vec::new());
        let failure: Mutex<Option<Error>> = Mutex::new(None);
        let next = AtomicU64::new(0);
        job.report(0, total, "正在校验证据库中的文件");
        std::thread::scope(|s| {
            for _ in 0..super::add::INGEST_WORKERS {
                s.spawn(|| {
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed) as usize;
                        let Some((hash, size)) = objects.get(i) else {
                            return;
                        };
                        if job.check().is_err()
                            || failure
                                .lock()
                                .unwrap_or_else(std::sync::PoisonError::into_inner)
                                .is_some()
                        {
                            return;
                        }
                        match store.verify(hash, job.cancel()) {
                            Ok(v) => results
                                .lock()
                                .unwrap_or_else(std::sync::PoisonError::into_inner)
                                .push((i, v)),
                            Err(e) => {
                                failure
                                    .lock()
                                    .unwrap_or_else(std::sync::PoisonError::into_inner)
                                    .get_or_insert(e);
                                return;
                            }
                        }
                        let n = (*size).max(0) as u64;
                        let d = done.fetch_add(n, Ordering::Relaxed) + n;
                        job.report(d, total, &format!("已校验 {} 个文件", i + 1));
                    }
                });
            }
        });
        job.check()?;
        if let Some(e) = failure
            .into_inner()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
        {
            return Err(e);
        }
        let mut results = results
            .into_inner()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        results.sort_by_key(|r| r.0);
        let mut problems = Vec::new();
        let mut intact = 0i64;
        for (i, v) in results {
            let (hash, size) = objects[i];
            let its = items.get(&hash.to_hex()).cloned().unwrap_or_default();
            match v {
                Verdict::Intact => intact += 1,
                Verdict::Missing => problems.push(ObjectProblem {
                    hash: hash.to_hex(),
                    size,
                    problem: ObjectFault::Missing,
                    found_hash: String::new(),
                    message: format!(
                        "{}的文件在证据库中不见了（可能被误删）。如有原文件，可选择该文件重新关联。",
                        titles(&its)
                    ),
                    items: its,
                }),
                Verdict::Altered { found, size: now } => problems.push(ObjectProblem {
                    hash: hash.to_hex(),
                    size,
                    problem: ObjectFault::Altered,
                    found_hash: found.to_hex(),
                    message: format!(
                        "{}的文件已被改动或损坏（内容与存入时不一致，现为 {now} 字节）。如有原文件，可选择该文件重新关联。",
                        titles(&its)
                    ),
                    items: its,
                }),
            }
        }
        let referenced: HashSet<ContentHash> = objects.iter().map(|o| o.0).collect();
        let unreferenced = store
            .list()?
            .into_iter()
            .filter(|h| !referenced.contains(h))
            .count() as i64;
        let ok = problems.is_empty();
        let summary = if ok {
            format!(
                "证据库完好：{} 个文件逐一校验，内容与存入时一致。",
                objects.len()
            )
        } else {
            format!(
                "校验 {} 个文件，{} 个完好，{} 个缺失或被改动，请处理。",
                objects.len(),
                intact,
                problems.len()
            )
        };
        job.report(total, total, &summary);
        Ok(EvidenceVerifyReport {
            checked: objects.len() as i64,
            intact,
            bytes: total as i64,
            problems,
            unreferenced,
            ok,
            summary,
        })
    }

    /// Put a missing or altered file back from `file`, which must have the original content
    /// (the same BLAKE3 hash); the altered copy is kept under `evidence/damaged/`.
    pub fn relink_evidence(&mut self, hash: &str, file: &Path) -> Result<RelinkResult> {
        self.require_writer()?;
        let hash: ContentHash = hash.parse()?;
        let conn = self.store().conn();
        let n: i64 = conn.query_row(
            "SELECT count(*) FROM evidence WHERE hash = ?1",
            [hash.to_hex()],
            |r| r.get(0),
        )?;
        if n == 0 {
            return Err(Error::NotFound(format!(
                "没有材料使用内容指纹为 {hash} 的文件，无需重新关联。"
            )));
        }
        let shown = file.display().to_string();
        let mut f = std::fs::File::open(file).map_err(|e| Error::io("读取文件", file, &e))?;
        let (found, _) = cas::hash_reader(&mut f, &shown, &crate::progress::Cancel::new())?;
        if found != hash {
            return Err(Error::Invalid(format!(
                "“{shown}”的内容与原材料不一致（内容指纹不同），不能用来重新关联；如要换成新的文件，请把它作为新材料添加。未做任何修改。"
            )));
        }
        let store = ObjectStore::open(self.data_dir())?;
        if store.verify(&hash, &crate::progress::Cancel::new())? == Verdict::Intact {
            return Ok(RelinkResult {
                hash: hash.to_hex(),
                items: n,
                message: format!("证据库中的这个文件完好（{n} 份材料使用它），无需重新关联。"),
            });
        }
        let target = store.path_of(&hash);
        if target.exists() {
            let damaged = self.data_dir().join("evidence").join("damaged");
            std::fs::create_dir_all(&damaged).map_err(|e| Error::io("创建文件夹", &damaged, &e))?;
            let stamp = chrono::Local::now().format("%Y%m%d-%H%M%S");
            let aside = damaged.join(format!("{}-{stamp}", hash.to_hex()));
            std::fs::rename(&target, &aside)
                .map_err(|e| Error::io("移走损坏的文件", &target, &e))?;
        }
        store.put_file(file, &crate::progress::Cancel::new())?;
        let message = format!("已用“{shown}”恢复 {n} 份材料的文件，内容校验一致。");
        let detail = format!(
            "用“{shown}”恢复内容指纹为 {} 的文件（{n} 份材料）",
            &hash.to_hex()[..12]
        );
        self.store_mut()
            .write(Action::RelinkEvidence, |_| detail, |_| Ok(()))?;
        Ok(RelinkResult {
            hash: hash.to_hex(),
            items: n,
            message,
        })
    }

    /// What the drawer can show of item `id`'s file: an image or a PDF as a `data:` URL (with
    /// the PDF's pages), or a sentence saying why nothing can be shown. A missing file is an error, as for
    /// [`Workspace::evidence_file`].
    pub fn evidence_preview(&self, id: i64) -> Result<EvidencePreview> {
        let f = self.evidence_file(id)?;
        let read = || {
            std::fs::read(&f.path).map_err(|e| Error::io("读取材料文件", Path::new(&f.path), &e))
        };
        let (data_url, pages, note) = if f.mime.starts_with("image/") {
            if f.size > PREVIEW_MAX_BYTES {
                (
                    None,
                    None,
                    format!(
                        "图片较大（{} MB），不在程序内预览；请用看图软件打开。",
                        f.size / (1024 * 1024)
                    ),
                )
            } else {
                let bytes = read()?;
                (
                    Some(format!("data:{};base64,{}", f.mime, base64(&bytes))),
                    None,
                    String::new(),
                )
            }
        } else if f.mime == "application/pdf" {
            let bytes = read()?;
            match super::pdf::page_count(&bytes) {
                Ok(n) if f.size <= PREVIEW_MAX_BYTES => (
                    Some(format!("data:application/pdf;base64,{}", base64(&bytes))),
                    Some(i64::from(n)),
                    format!("PDF 文件，共 {n} 页。"),
                ),
                Ok(n) => (
                    None,
                    Some(i64::from(n)),
                    format!("PDF 文件较大（共 {n} 页），不在程序内预览；请用 PDF 阅读器打开。"),
                ),
                Err(_) => (
                    None,
                    None,
                    "PDF 文件无法读取页数（可能已损坏或加密），请用 PDF 阅读器打开检查。".into(),
                ),
            }
        } else {
            (
                None,
                None,
                format!(
                    "“{}”这类文件不能在程序内预览；请点“用系统程序打开”。",
                    extension(&f.name)
                ),
            )
        };
        Ok(EvidencePreview {
            id,
            name: f.name,
            mime: f.mime,
            data_url,
            pages,
            note,
        })
    }

    /// A read-only copy of item `id`'s file under its own name (in the system's temporary
    /// folder, `示范创建工作台-查看副本`), for opening with the system's program: the store's
    /// objects have no names or extensions, and are never handed out to be edited. An
    /// unchanged earlier copy is reused.
    pub fn evidence_view_copy(&self, id: i64) -> Result<EvidenceFile> {
        let f = self.evidence_file(id)?;
        let dir = std::env::temp_dir().join("示范创建工作台-查看副本");
        std::fs::create_dir_all(&dir).map_err(|e| Error::io("创建文件夹", &dir, &e))?;
        let mut name = crate::sheet::stamp::safe_file_name(&f.name);
        if name.is_empty() {
            name = "材料".into();
        }
        let target = dir.join(format!("{id}-{name}"));
        let same = std::fs::metadata(&target).is_ok_and(|m| m.len() as i64 == f.size);
        if !same {
            if let Ok(m) = std::fs::metadata(&target) {
                let mut p = m.permissions();
                #[allow(clippy::permissions_set_readonly_false)]
                p.set_readonly(false);
                let _ = std::fs::set_permissions(&target, p);
            }
            let src = Path::new(&f.path);
            let mut from =
                std::fs::File::open(src).map_err(|e| Error::io("读取材料文件", src, &e))?;
            let mut tmp = crate::atomic::temp_beside(&target)?;
            std::io::copy(&mut from, tmp.as_file_mut())
                .map_err(|e| Error::io("写入查看副本", &target, &e))?;
            crate::atomic::persist(tmp, &target)?;
            if let Ok(m) = std::fs::metadata(&target) {
                let mut p = m.permissions();
                p.set_readonly(true);
                let _ = std::fs::set_permissions(&target, p);
            }
        }
        Ok(EvidenceFile {
            path: target.display().to_string(),
            ..f
        })
    }

    /// Where the file of item `id` is, for the viewer: always a path inside the store, or an
    /// error when it is missing.
    pub fn evidence_file(&self, id: i64) -> Result<EvidenceFile> {
        let conn = self.store().conn();
        let c = campaign::active(conn)?;
        let (hex, name, size): (String, String, i64) = conn
            .query_row(
                "SELECT e.hash, e.file_name, o.size FROM evidence e
                 JOIN evidence_object o ON o.hash = e.hash WHERE e.id = ?1 AND e.campaign_id = ?2",
                params![id, c.id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .map_err(|e| match e {
                rusqlite::Error::QueryReturnedNoRows => {
                    Error::NotFound(format!("当前创建项目中没有编号为 {id} 的佐证材料。"))
                }
                e => e.into(),
            })?;
        let hash: ContentHash = hex.parse()?;
        let store = ObjectStore::open(self.data_dir())?;
        let path = store.path_of(&hash);
        let missing = || {
            Error::NotFound(format!(
                "“{name}”的文件不在证据库中（可能已被删除或移动），请运行“校验证据库”并重新关联原文件。"
            ))
        };
        let inside = |p: &Path| -> Option<PathBuf> {
            let root = std::fs::canonicalize(store.dir()).ok()?;
            let real = std::fs::canonicalize(p).ok()?;
            (real.starts_with(&root) && real.is_file()).then_some(real)
        };
        let real = inside(&path).ok_or_else(missing)?;
        Ok(EvidenceFile {
            id,
            path: path.display().to_string(),
            mime: sniff_mime(&head_of(&real), &name).to_string(),
            name,
            size,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::base64;

    #[test]
    fn base64_matches_the_standard_vectors() {
        for (plain, coded) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(base64(plain.as_bytes()), coded, "{plain:?}");
        }
        assert_eq!(base64(&[0xFF, 0xFE, 0xFD]), "//79");
    }
}
