//! What every kind of per-unit workbook that goes out and comes back shares (the 各单位工作表 of
//! 任务分解, the 问题整改表 of a 督察 round):
//!
//! - the **stamp**: which campaign, unit, export revision (and more) a file came from, with a
//!   check key, written twice — in a very hidden sheet and in a workbook-level defined name
//!   (LibreOffice and WPS keep both) — and found again in a returned file;
//! - **bundles**: writing one file per unit into a folder (all files or none) or into one zip
//!   (atomic), with progress and cancel; and **gathering** returned files from a folder, a zip
//!   (read in memory only, never extracted; GBK names; symlinks skipped; encrypted and
//!   inflating entries refused) or a single workbook;
//! - Windows-safe file names.
//!
//! Each kind of workbook has its own [`StampKind`] (its own sheet, name, mark and key salt),
//! so a file of one kind is never mistaken for the other.

use std::collections::HashMap;
use std::io::{Cursor, Read, Write};
use std::path::{Path, PathBuf};

use chrono::NaiveDateTime;
use sha2::{Digest, Sha256};

use super::write::{Book, Style};
use super::{FileKind, Grid, display_name, read_file, sniff};
use crate::atomic::{write_all_atomic, write_atomic};
use crate::error::{Error, Result};
use crate::model::{ImportIssue, Severity};
use crate::progress::Job;

/// One kind of stamped workbook.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StampKind {
    /// Name of the very hidden sheet.
    pub sheet: &'static str,
    /// Name of the workbook-level defined name.
    pub name: &'static str,
    /// Text of cell A1 of the stamp sheet; the stamp itself is in B1.
    pub mark: &'static str,
    /// Prefix of the check key's hash input.
    pub salt: &'static str,
    /// The stamp's fields, in order ("c", "u", "r").
    pub fields: &'static [&'static str],
    /// What such a file is called, for messages ("创建任务工作表").
    pub what: &'static str,
}

/// The 各单位工作表 of 任务分解: campaign, unit, revision.
pub const TASK_SHEETS: StampKind = StampKind {
    sheet: "_shifan_stamp",
    name: "ShifanStamp",
    mark: "SHIFAN-STAMP",
    salt: "shifan",
    fields: &["c", "u", "r"],
    what: "创建任务工作表",
};

/// The per-unit 问题整改表 of a 督察 round: campaign, round, unit, revision.
pub const PROBLEM_SHEETS: StampKind = StampKind {
    sheet: "_shifan_problems",
    name: "ShifanProblemStamp",
    mark: "SHIFAN-PROBLEM-STAMP",
    salt: "shifan-problems",
    fields: &["c", "g", "u", "r"],
    what: "问题整改表",
};

/// Every kind, for telling a returned file of another kind apart.
pub const ALL_KINDS: &[StampKind] = &[TASK_SHEETS, PROBLEM_SHEETS, EVAL_SHEETS];

/// The per-expert 评分表 of a 模拟评估 round: campaign, round, expert, revision. Written and read
/// by `evaluation::sheets` through the free functions below (its extra rows name the round and
/// the expert); listed here so the other collections recognise one picked by mistake.
pub const EVAL_SHEETS: StampKind = StampKind {
    sheet: STAMP_SHEET,
    name: "ShifanEvalStamp",
    mark: "SHIFAN-EVAL-STAMP",
    salt: "shifan-eval",
    fields: &["c", "round", "e", "r"],
    what: "专家评分表",
};

/// Name of the very hidden stamp sheet of the task and scoring sheets (its first cell says
/// which kind).
pub const STAMP_SHEET: &str = "_shifan_stamp";

impl StampKind {
    /// The check key of `values` (ten hex digits).
    pub fn key(&self, values: &[i64]) -> String {
        let mut input = self.salt.to_string();
        for v in values {
            input.push('/');
            input.push_str(&v.to_string());
        }
        check_key(&input)
    }

    /// The stamp text: "c=1;u=2;r=3;k=…" (one value per field, in order).
    pub fn text(&self, values: &[i64]) -> String {
        let mut s = String::new();
        for (f, v) in self.fields.iter().zip(values) {
            s.push_str(&format!("{f}={v};"));
        }
        s.push_str(&format!("k={}", self.key(values)));
        s
    }

    /// Parse a stamp text: the values of every field, in order, and the key written.
    pub fn parse(&self, s: &str) -> Option<(Vec<i64>, String)> {
        let s = s.trim().trim_matches('"');
        let mut found: HashMap<&str, &str> = HashMap::new();
        for part in s.split(';') {
            let (a, b) = part.split_once('=')?;
            found.insert(a.trim(), b.trim());
        }
        let values = self
            .fields
            .iter()
            .map(|f| found.get(f).and_then(|v| v.parse().ok()))
            .collect::<Option<Vec<i64>>>()?;
        // A stamp with more fields than ours is another kind's.
        if found.len() != self.fields.len() + 1 {
            return None;
        }
        Some((values, found.get("k")?.to_string()))
    }

    /// The stamp text of a workbook: the stamp sheet, else the defined name.
    pub fn find(&self, grids: &[Grid], bytes: &[u8]) -> Option<String> {
        find(grids, bytes, self.mark, self.name)
    }

    /// Whether `g` is a stamp sheet of this kind.
    pub fn is_stamp_sheet(&self, g: &Grid) -> bool {
        g.text(0, 0) == self.mark
    }

    /// Write the stamp sheet (very hidden) and the defined name into `book`.
    pub fn write(&self, book: &mut Book, stamp_text: &str, unit: &str) -> Result<()> {
        {
            let mut ws = book.sheet(self.sheet)?;
            ws.text(0, 0, self.mark, Style::Body)?;
            ws.text(0, 1, stamp_text, Style::Body)?;
            ws.text(1, 0, "unit", Style::Body)?;
            ws.text(1, 1, unit, Style::Body)?;
            ws.very_hidden();
        }
        book.define_text_name(self.name, stamp_text)
    }
}

/// The kind of stamp (other than `mine`) a returned workbook carries, if any: a file of
/// another kind picked by mistake. The stamp sheets are looked at first; the defined names
/// (one more read of the workbook) only when `mine_found` is false.
pub fn other_kind(
    mine: &StampKind,
    grids: &[Grid],
    bytes: &[u8],
    mine_found: bool,
) -> Option<StampKind> {
    let others = || ALL_KINDS.iter().filter(|k| *k != mine);
    if let Some(k) = others().find(|k| grids.iter().any(|g| k.is_stamp_sheet(g))) {
        return Some(*k);
    }
    if mine_found {
        return None;
    }
    others()
        .find(|k| super::defined_name(bytes, k.name).is_some())
        .copied()
}

/// A file name Windows accepts.
pub fn safe_file_name(name: &str) -> String {
    let s: String = name
        .chars()
        .map(|c| {
            if "\\/:*?\"<>|".contains(c) || c.is_control() {
                '_'
            } else {
                c
            }
        })
        .collect();
    s.trim().trim_end_matches('.').to_string()
}

/// Whether `target` names a zip (else a folder).
pub fn is_zip_target(target: &Path) -> bool {
    target
        .extension()
        .is_some_and(|e| e.to_string_lossy().eq_ignore_ascii_case("zip"))
}

/// Write one file per unit into the folder `target` (all files or none), or into one zip when
/// `target` ends in .zip (atomic). Reports each file while zipping; a cancel before the files
/// are written leaves `target` as it was.
pub fn write_bundle(target: &Path, files: &[(String, Vec<u8>)], job: &Job) -> Result<()> {
    let total = files.len() as u64;
    if is_zip_target(target) {
        let mut buf = Cursor::new(Vec::new());
        {
            let mut z = zip::ZipWriter::new(&mut buf);
            let opts = zip::write::SimpleFileOptions::default()
                .compression_method(zip::CompressionMethod::Deflated);
            for (i, (name, bytes)) in files.iter().enumerate() {
                job.check()?;
                job.report(i as u64, total, &format!("正在压缩“{name}”"));
                z.start_file(name.as_str(), opts)
                    .and_then(|_| z.write_all(bytes).map_err(zip::result::ZipError::Io))
                    .map_err(|e| Error::Io(format!("生成压缩包“{}”失败：{e}", target.display())))?;
            }
            z.finish()
                .map_err(|e| Error::Io(format!("生成压缩包“{}”失败：{e}", target.display())))?;
        }
        job.check()?;
        job.report(total, total, &format!("正在保存“{}”", target.display()));
        write_atomic(target, buf.get_ref())?;
    } else {
        std::fs::create_dir_all(target).map_err(|e| Error::io("创建文件夹", target, &e))?;
        job.check()?;
        job.report(
            total,
            total,
            &format!("正在保存 {} 个文件到“{}”", files.len(), target.display()),
        );
        // All files or none: a failure halfway must not leave files of a revision the
        // database never recorded (their stamps would clash with the next export's).
        let list: Vec<(PathBuf, &[u8])> = files
            .iter()
            .map(|(n, b)| (target.join(n), b.as_slice()))
            .collect();
        write_all_atomic(&list)?;
    }
    Ok(())
}

/// File names a returned sheet may have.
pub const SHEET_EXTENSIONS: [&str; 5] = [".xlsx", ".xlsm", ".xls", ".ods", ".et"];

/// A zip entry's name: UTF-8, else GBK (Windows zip tools write GBK without the UTF-8 flag).
pub fn entry_name(raw: &[u8]) -> String {
    match std::str::from_utf8(raw) {
        Ok(s) => s.to_string(),
        Err(_) => encoding_rs::GBK.decode(raw).0.into_owned(),
    }
}

/// Where a returned file was found.
#[derive(Debug, Clone)]
pub struct Meta {
    /// As shown (see [`CollectedSheet::file`]).
    pub label: String,
    /// Inside the chosen folder or zip, `/`-separated.
    pub path: String,
    pub folder: String,
    pub modified: Option<NaiveDateTime>,
}

impl Meta {
    pub fn new(label: String, path: String, modified: Option<NaiveDateTime>) -> Meta {
        let folder = path
            .rsplit_once('/')
            .map(|(f, _)| f.to_string())
            .unwrap_or_default();
        Meta {
            label,
            path,
            folder,
            modified,
        }
    }

    pub fn base(&self) -> &str {
        self.path.rsplit('/').next().unwrap_or(&self.path)
    }

    pub fn modified_text(&self) -> Option<String> {
        self.modified
            .map(|t| t.format("%Y-%m-%d %H:%M").to_string())
    }
}

/// A spreadsheet file of the folder or zip.
pub struct Source {
    pub meta: Meta,
    pub bytes: Vec<u8>,
}

fn local_time(t: std::time::SystemTime) -> NaiveDateTime {
    chrono::DateTime::<chrono::Local>::from(t).naive_local()
}

/// [`gather`], refusing a source without any spreadsheet file (naming what was skipped).
pub fn gather_some(path: &Path, issues: &mut Vec<ImportIssue>) -> Result<Vec<Source>> {
    let files = gather(path, issues)?;
    if files.is_empty() {
        let skipped: Vec<&str> = issues.iter().map(|i| i.message.as_str()).collect();
        let mut msg = format!(
            "“{}”中没有找到 Excel 文件（.xlsx/.xls/.ods）。",
            display_name(path)
        );
        if !skipped.is_empty() {
            msg.push('\n');
            msg.push_str(&skipped.join("\n"));
        }
        return Err(Error::BadFile(msg));
    }
    Ok(files)
}

fn is_archive_name(name: &str) -> bool {
    let lower = name.to_lowercase();
    [".zip", ".rar", ".7z"].iter().any(|e| lower.ends_with(e))
}

/// A compressed file inside the chosen folder or zip: not opened, and said so.
fn inner_archive(source: &str, rel: &str) -> ImportIssue {
    ImportIssue::about_file(
        source,
        Severity::Warning,
        format!(
            "“{source}”中的“{rel}”是压缩包，其中的文件未读取；请先解压，再选择解压后的文件夹收回。"
        ),
    )
}

pub fn is_sheet_name(name: &str) -> bool {
    let lower = name.to_lowercase();
    SHEET_EXTENSIONS.iter().any(|e| lower.ends_with(e))
}

/// The spreadsheet files of a folder (up to three levels of subfolders), in path order.
fn gather_dir(root: &Path, issues: &mut Vec<ImportIssue>) -> Result<Vec<Source>> {
    let mut found: Vec<(Vec<String>, PathBuf)> = Vec::new();
    let mut stack: Vec<(PathBuf, Vec<String>)> = vec![(root.to_path_buf(), Vec::new())];
    while let Some((d, rel)) = stack.pop() {
        let rd = std::fs::read_dir(&d).map_err(|e| Error::io("读取文件夹", &d, &e))?;
        for p in rd.filter_map(|e| e.ok()).map(|e| e.path()) {
            let name = display_name(&p);
            if name.starts_with("~$") || name.starts_with('.') {
                continue;
            }
            let mut here = rel.clone();
            here.push(name.clone());
            if p.is_dir() {
                if rel.len() < 3 {
                    stack.push((p, here));
                }
                continue;
            }
            if is_archive_name(&name) {
                issues.push(inner_archive(&display_name(root), &here.join("/")));
            }
            if is_sheet_name(&name) {
                found.push((here, p));
            }
        }
    }
    found.sort();
    let mut out = Vec::new();
    for (rel, p) in found {
        let modified = std::fs::metadata(&p)
            .and_then(|m| m.modified())
            .ok()
            .map(local_time);
        let path = rel.join("/");
        out.push(Source {
            meta: Meta::new(path.clone(), path, modified),
            bytes: read_file(&p)?,
        });
    }
    Ok(out)
}

/// An entry's path inside a zip, for display: folders kept, without "..", ".", a leading "/" or
/// a drive letter.
fn entry_path(full: &str) -> String {
    full.split(['/', '\\'])
        .filter(|c| !c.is_empty() && *c != "." && *c != ".." && !c.ends_with(':'))
        .collect::<Vec<_>>()
        .join("/")
}

/// Spreadsheet files of a folder (up to three levels of subfolders), a zip or one workbook.
/// A zip is read in memory only, never extracted: GBK names are decoded, symlinks and damaged
/// entries skipped with a warning in `issues`, encrypted and inflating entries refused.
pub fn gather(path: &Path, issues: &mut Vec<ImportIssue>) -> Result<Vec<Source>> {
    let meta = std::fs::metadata(path).map_err(|e| Error::io("读取", path, &e))?;
    if meta.is_dir() {
        return gather_dir(path, issues);
    }
    let bytes = read_file(path)?;
    let file = display_name(path);
    let one = |bytes| {
        let modified = meta.modified().ok().map(local_time);
        Ok(vec![Source {
            meta: Meta::new(file.clone(), file.clone(), modified),
            bytes,
        }])
    };
    match sniff(&bytes) {
        FileKind::Xlsx | FileKind::Xls | FileKind::Ods => return one(bytes),
        // Named like a workbook but something else (encrypted, a CSV, damaged): read as one,
        // so the reader says what it really is.
        _ if is_sheet_name(&file) => return one(bytes),
        FileKind::Unknown if bytes.starts_with(b"PK") => {}
        _ => {
            return Err(Error::BadFile(format!(
                "无法收回“{file}”：请选择存放各单位工作表的文件夹、一个 .zip 压缩包或一个 Excel 文件。"
            )));
        }
    }
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|e| Error::BadFile(format!("无法读取压缩包“{file}”：文件已损坏（{e}）。")))?;
    let mut out = Vec::new();
    let mut total = 0u64;
    for i in 0..zip.len() {
        // Look at the entry before inflating or decrypting anything.
        let (encrypted, symlink, raw_name) = match zip.by_index_raw(i) {
            Ok(f) => (f.encrypted(), f.is_symlink(), f.name_raw().to_vec()),
            Err(_) => (false, false, Vec::new()),
        };
        if encrypted {
            return Err(Error::BadFile(format!(
                "无法读取压缩包“{file}”：其中的文件设置了密码（加密压缩）。请解压后直接选择文件夹，或重新压缩时不设密码。"
            )));
        }
        if symlink {
            issues.push(ImportIssue::about_file(
                &file,
                Severity::Warning,
                format!(
                    "压缩包“{file}”中的“{}”是符号链接（指向其他位置），已跳过。",
                    entry_name(&raw_name)
                ),
            ));
            continue;
        }
        let Ok(mut f) = zip.by_index(i) else {
            issues.push(ImportIssue::about_file(
                &file,
                Severity::Warning,
                format!("压缩包“{file}”中第 {} 个文件已损坏，已跳过。", i + 1),
            ));
            continue;
        };
        if f.is_dir() {
            continue;
        }
        let full = entry_name(f.name_raw());
        // The path is used only for display and name matching, never to write anything.
        let rel = entry_path(&full);
        let base = rel.rsplit('/').next().unwrap_or("").to_string();
        if base.is_empty()
            || base.starts_with("~$")
            || base.starts_with('.')
            || full.starts_with("__MACOSX")
        {
            continue;
        }
        if is_archive_name(&base) {
            issues.push(inner_archive(&file, &rel));
            continue;
        }
        if !is_sheet_name(&base) {
            continue;
        }
        const MAX: u64 = 50 * 1024 * 1024;
        let too_big = || {
            Error::BadFile(format!(
                "压缩包“{file}”中的“{base}”解压后过大（可能是异常或恶意文件），已拒绝读取。"
            ))
        };
        if f.size() > MAX || total + f.size() > 10 * MAX {
            return Err(too_big());
        }
        let modified = f.last_modified().and_then(|t| {
            chrono::NaiveDate::from_ymd_opt(t.year().into(), t.month().into(), t.day().into())?
                .and_hms_opt(t.hour().into(), t.minute().into(), t.second().into())
        });
        // The declared size may lie: count what really comes out.
        let mut buf = Vec::with_capacity(f.size().min(MAX) as usize);
        f.by_ref()
            .take(MAX + 1)
            .read_to_end(&mut buf)
            .map_err(|_| {
                Error::BadFile(format!(
                    "无法读取压缩包“{file}”中的“{base}”：文件已损坏，或解压后的大小与压缩包记录的不符（可能是异常或恶意文件）。"
                ))
            })?;
        total += buf.len() as u64;
        if buf.len() as u64 > MAX || total > 10 * MAX {
            return Err(too_big());
        }
        out.push(Source {
            meta: Meta::new(format!("{file}/{rel}"), rel, modified),
            bytes: buf,
        });
    }
    Ok(out)
}

/// The first 10 hex digits of SHA-256 of `text`: the check key of a stamp.
pub fn check_key(text: &str) -> String {
    let h = Sha256::digest(text.as_bytes());
    format!("{h:x}").chars().take(10).collect()
}

/// `k=v` fields of a stamp text ("c=1;round=2;e=3;r=1;k=…"), None when it does not parse.
pub fn fields(s: &str) -> Option<Vec<(String, String)>> {
    let s = s.trim().trim_matches('"');
    let mut out = Vec::new();
    for part in s.split(';') {
        let (a, b) = part.split_once('=')?;
        out.push((a.trim().to_string(), b.trim().to_string()));
    }
    Some(out)
}

/// The number in field `key` of parsed stamp fields.
pub fn number(fields: &[(String, String)], key: &str) -> Option<i64> {
    fields
        .iter()
        .find(|(k, _)| k == key)
        .and_then(|(_, v)| v.parse().ok())
}

/// The text in field `key`.
pub fn text<'a>(fields: &'a [(String, String)], key: &str) -> Option<&'a str> {
    fields
        .iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.as_str())
}

/// Add a stamp to a workbook: the very hidden sheet (`mark` and the stamp text in row 1, then
/// `extra` label/value rows for a human reader) and the defined name `name`.
pub fn write(
    book: &mut Book,
    mark: &str,
    name: &str,
    stamp: &str,
    extra: &[(&str, &str)],
) -> Result<()> {
    {
        let mut ws = book.sheet(STAMP_SHEET)?;
        ws.text(0, 0, mark, Style::Body)?;
        ws.text(0, 1, stamp, Style::Body)?;
        for (i, (k, v)) in extra.iter().enumerate() {
            ws.text(1 + i as u32, 0, k, Style::Body)?;
            ws.text(1 + i as u32, 1, v, Style::Body)?;
        }
        ws.very_hidden();
    }
    book.define_text_name(name, stamp)
}

/// The stamp text of a workbook: the stamp sheet's cell beside `mark`, else the defined name
/// `name`.
pub fn find(grids: &[Grid], bytes: &[u8], mark: &str, name: &str) -> Option<String> {
    for g in grids {
        for r in 0..g.rows.len().min(5) {
            if g.text(r, 0) == mark && !g.text(r, 1).is_empty() {
                return Some(g.text(r, 1).to_string());
            }
        }
    }
    super::defined_name(bytes, name)
}

/// Whether a grid is a stamp sheet of any kind (skipped when looking for the data sheet).
pub fn is_stamp_sheet(g: &Grid) -> bool {
    g.name == STAMP_SHEET || g.text(0, 0).starts_with("SHIFAN-")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn task_stamps_keep_their_format_and_key() {
        // The key of the stamps already sent out (fixtures, units' files) must not change.
        let want = {
            let h = Sha256::digest(b"shifan/3/7/2");
            format!("{h:x}").chars().take(10).collect::<String>()
        };
        assert_eq!(
            TASK_SHEETS.text(&[3, 7, 2]),
            format!("c=3;u=7;r=2;k={want}")
        );
        let (v, k) = TASK_SHEETS
            .parse(&TASK_SHEETS.text(&[3, 7, 2]))
            .expect("parses");
        assert_eq!((v, k), (vec![3, 7, 2], want));
    }

    #[test]
    fn a_stamp_of_one_kind_does_not_parse_as_the_other() {
        let p = PROBLEM_SHEETS.text(&[1, 4, 7, 1]);
        assert!(TASK_SHEETS.parse(&p).is_none());
        assert!(
            PROBLEM_SHEETS
                .parse(&TASK_SHEETS.text(&[1, 7, 1]))
                .is_none()
        );
        let (v, k) = PROBLEM_SHEETS.parse(&p).expect("parses");
        assert_eq!(v, vec![1, 4, 7, 1]);
        assert_eq!(k, PROBLEM_SHEETS.key(&v));
        assert_ne!(PROBLEM_SHEETS.key(&[1, 7, 1]), TASK_SHEETS.key(&[1, 7, 1]));
    }

    #[test]
    fn file_names_are_windows_safe() {
        assert_eq!(safe_file_name("区司法局/执法:科?."), "区司法局_执法_科_");
    }
}
