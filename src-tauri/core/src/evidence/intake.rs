//! Intake (收取材料): what a user dropped in — files, folders, `.zip` files, zips inside
//! folders, folders inside zips — as a list of entries to store, then streamed entry by entry.
//!
//! Two steps, so the UI can show a preview with totals before anything is copied:
//!
//! 1. [`scan`] looks at names and sizes only: folders are walked (sorted, symlinks and
//!    junctions not followed, depth-limited), zips are opened at their central directory (no
//!    entry is inflated). It returns a [`Plan`]: the [`Entry`]s, the [`ImportIssue`]s found and
//!    the number of junk files skipped.
//! 2. [`Plan::for_each`] hands out one reader per entry, in plan order. Zip entries are
//!    inflated straight from the archive file (never a whole zip in memory); each reader
//!    checks that no more and no fewer bytes come out than the archive declares, and the
//!    CRC. A file that cannot be read (locked by Excel, removed meanwhile) or a damaged zip
//!    entry becomes an issue naming it, and the rest carries on.
//!
//! Nothing is ever written anywhere: entry names are only data (the store names content by its
//! hash, and the export makes names safe with [`super::winpath`]).
//!
//! Rules:
//! - Zip names are UTF-8 when the entry's UTF-8 flag is set or the bytes are valid UTF-8, else
//!   GBK (Windows' "发送到 → 压缩(zipped)文件夹" writes GBK without the flag). `\` counts as a
//!   folder separator.
//! - **Path traversal refuses the whole archive**: an entry named with `..`, an absolute path
//!   (`/x`, `\x`, `\\server\x`), a drive letter (`C:`) or a NUL character means the archive was
//!   made by something other than an office PC's zip tool; none of its entries is taken.
//! - **Zip bombs refuse the whole archive**, before anything is inflated, by the declared sizes:
//!   too many entries, an entry or the total too large, or a compression ratio beyond
//!   [`Limits::max_ratio`] (for entries and totals of at least [`Limits::ratio_floor`]). While
//!   reading, an entry that inflates beyond its declared size stops the archive (its earlier
//!   entries, fully checked, stay delivered).
//! - Encrypted entries ("设置了密码") and unsupported compression methods are refused (one
//!   issue per archive naming the first few); the archive's other entries are taken.
//! - Symlink entries and symlinked files/folders are skipped with a warning.
//! - Junk is skipped and counted, never an error: `Thumbs.db`, `desktop.ini`, `~$` owner files,
//!   `.DS_Store`, `__MACOSX/`, `._*` AppleDouble files, LibreOffice `.~lock.*#` files,
//!   zero-byte `*.tmp` (`~WRL0001.tmp`), recycle bins.
//! - `.rar`/`.7z` files and zips inside zips are taken as one file each, with a warning that
//!   their content is not listed (they would have to be extracted first).

use std::cell::{Cell, RefCell};
use std::fs::File;
use std::io::{self, BufReader, Read, Seek};
use std::path::{Path, PathBuf};

use chrono::NaiveDateTime;
use zip::ZipArchive;

use super::cas::SourceRefused;
use super::issue;
use crate::error::{Result, io_reason};
use crate::model::{ImportIssue, Severity};
use crate::progress::{Cancel, Progress};

/// Bounds against hostile archives and runaway folders. The defaults fit what units send
/// (scans of a few hundred MB, zips of a few GB) with a wide margin.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    /// Files taken from one drop, all sources together.
    pub max_files: usize,
    /// Entries (files and folders) in one zip's central directory.
    pub max_archive_entries: usize,
    /// Uncompressed size of one zip entry.
    pub max_entry_size: u64,
    /// Uncompressed size of all entries of one zip.
    pub max_archive_total: u64,
    /// Largest accepted ratio of uncompressed to compressed size (deflate tops out near 1032:1
    /// on zeros; real scans and documents stay far below 100:1).
    pub max_ratio: u64,
    /// Entries (and archives) smaller than this uncompressed are not ratio-checked: a small
    /// blank page may compress very well and is harmless.
    pub ratio_floor: u64,
    /// Folder levels below a dropped folder.
    pub max_depth: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_files: 200_000,
            max_archive_entries: 50_000,
            max_entry_size: 16 << 30,
            max_archive_total: 64 << 30,
            max_ratio: 500,
            ratio_floor: 64 << 20,
            max_depth: 32,
        }
    }
}

/// One file to store (一份材料), as found by [`scan`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// What the user dropped, by name: "单位材料.zip", "区司法局" (a folder), "通知.pdf".
    pub source: String,
    /// For an entry from a zip: the zip as the user would find it, starting with the dropped
    /// item ("单位材料.zip", or "区司法局/2024/附件.zip" for a zip inside a dropped folder).
    pub archive: Option<String>,
    /// Path inside its container (the zip for zip entries, the dropped folder for folder files),
    /// `/`-joined and decoded ("材料/2024/通知.pdf"); for a dropped file, its name.
    pub rel_path: String,
    /// File name (last component of `rel_path`).
    pub name: String,
    /// Size in bytes (for zip entries: as declared, and checked while reading).
    pub size: u64,
    /// Last modified, local wall-clock time (zip entries store no time zone), when known.
    pub modified: Option<NaiveDateTime>,
    origin: Origin,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Origin {
    /// A dropped file on its own.
    Single(PathBuf),
    /// A file inside a dropped folder.
    Folder(PathBuf),
    /// An entry of `Plan::archives[archive]`, with what the scan saw, to notice an archive
    /// replaced between scan and read.
    Zip {
        archive: usize,
        index: usize,
        name_raw: Vec<u8>,
        crc32: u32,
        compressed: u64,
    },
}

impl Entry {
    /// Whether the entry comes out of a zip.
    pub fn from_zip(&self) -> bool {
        self.archive.is_some()
    }

    /// Where the user finds it, for messages and lists: "单位材料.zip/材料/通知.pdf",
    /// "区司法局/2024/通知.pdf", "通知.pdf".
    pub fn location(&self) -> String {
        match (&self.archive, &self.origin) {
            (Some(a), _) => format!("{a}/{}", self.rel_path),
            (None, Origin::Single(_)) => self.source.clone(),
            (None, _) => format!("{}/{}", self.source, self.rel_path),
        }
    }

    /// The folder part of `rel_path` ("材料/2024"), empty at the top.
    pub fn folder(&self) -> &str {
        self.rel_path.rsplit_once('/').map_or("", |(d, _)| d)
    }

    /// The file on disk, for entries that are not inside a zip.
    pub fn file_path(&self) -> Option<&Path> {
        match &self.origin {
            Origin::Single(p) | Origin::Folder(p) => Some(p),
            Origin::Zip { .. } => None,
        }
    }
}

/// What [`scan`] found: the entries to store, in a deterministic order (dropped items in the
/// order given, folders sorted by name, zip entries in archive order), and the issues.
#[derive(Debug, Default)]
pub struct Plan {
    entries: Vec<Entry>,
    issues: Vec<ImportIssue>,
    junk_skipped: usize,
    total_bytes: u64,
    archives: Vec<ArchiveRef>,
}

#[derive(Debug)]
struct ArchiveRef {
    path: PathBuf,
    display: String,
    /// Central directory entries at scan time.
    len: usize,
}

/// What [`Plan::for_each`] read.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct ReadReport {
    /// Problems met while reading (the scan's are in [`Plan::issues`]).
    pub issues: Vec<ImportIssue>,
    /// Indexes (into [`Plan::entries`]) of entries not delivered completely: unreadable,
    /// damaged, or in an archive refused while reading. Ascending.
    pub failed: Vec<usize>,
    /// Entries whose callback completed without a read failure.
    pub delivered: usize,
    /// Bytes read from all entries.
    pub bytes: u64,
    /// The entry index of each of `issues`.
    pub(super) issue_entries: Vec<usize>,
}

impl ReadReport {
    fn fail(&mut self, index: usize, issue: Option<ImportIssue>) {
        self.failed.push(index);
        if let Some(issue) = issue {
            self.issues.push(issue);
            self.issue_entries.push(index);
        }
    }
}

/// How a visit callback says an entry went.
pub(super) enum Delivery {
    Done,
    Failed(ImportIssue),
}

/// What a visit callback gets for an entry: a file on disk to open itself, or a reader.
pub(super) enum Src<'p, 'r> {
    Path(&'p Path),
    Reader(&'r mut dyn Read),
}

/// Progress is reported at most every this many bytes within an entry.
const REPORT_EVERY: u64 = 4 << 20;

impl Plan {
    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// Warnings and errors of the scan, each naming the file, archive or entry.
    pub fn issues(&self) -> &[ImportIssue] {
        &self.issues
    }

    /// Junk files (and junk folders, each counted once) skipped.
    pub fn junk_skipped(&self) -> usize {
        self.junk_skipped
    }

    /// Sum of the entries' sizes.
    pub fn total_bytes(&self) -> u64 {
        self.total_bytes
    }

    /// Calls `f(index, entry, reader)` for every entry in plan order. `f` should read the
    /// reader to its end (the CRC and size checks of a zip entry happen there). A read failure
    /// of the entry (file locked or gone, zip entry damaged or oversized) is recorded in the
    /// report and the walk goes on, whatever `f` returned; any other error `f` returns (the
    /// store's disk is full, [`crate::Error::Cancelled`]) stops the walk and is returned.
    /// `progress` gets bytes read of [`Plan::total_bytes`]; `cancel` is checked between entries
    /// (and by `f`, inside long entries, if it wants).
    pub fn for_each(
        &self,
        progress: &dyn Progress,
        cancel: &Cancel,
        mut f: impl FnMut(usize, &Entry, &mut dyn Read) -> Result<()>,
    ) -> Result<ReadReport> {
        let total = self.total_bytes;
        let done = Cell::new(0u64);
        let reported = Cell::new(0u64);
        let what = RefCell::new(String::new());
        let on_bytes = |n: u64| {
            let d = done.get() + n;
            done.set(d);
            if d - reported.get() >= REPORT_EVERY {
                reported.set(d);
                progress.report(d, total, &what.borrow());
            }
        };
        let mut report = self.visit(cancel, &on_bytes, &mut |i, entry, src| {
            *what.borrow_mut() = format!("正在读取“{}”", entry.location());
            progress.report(done.get(), total, &what.borrow());
            match src {
                Src::Reader(r) => f(i, entry, r).map(|()| Delivery::Done),
                Src::Path(p) => {
                    let mut file = match File::open(p) {
                        Ok(file) => file,
                        Err(e) => return Ok(Delivery::Failed(open_issue(entry, &e))),
                    };
                    let mut reader = EntryReader::new(&mut file, entry, None, &on_bytes);
                    let r = f(i, entry, &mut reader);
                    if let Some(failure) = reader.failure.take() {
                        return Ok(Delivery::Failed(failure.issue));
                    }
                    r.map(|()| Delivery::Done)
                }
            }
        })?;
        report.bytes = done.get();
        progress.report(done.get(), total, "读取完成");
        Ok(report)
    }

    /// The walk under [`Plan::for_each`] and the parallel ingest: files are given as paths
    /// (the callback opens them, possibly on another thread), zip entries as checked readers.
    /// `on_bytes` is told every chunk read from a zip entry.
    pub(super) fn visit<'p>(
        &'p self,
        cancel: &Cancel,
        on_bytes: &dyn Fn(u64),
        f: &mut dyn FnMut(usize, &'p Entry, Src<'p, '_>) -> Result<Delivery>,
    ) -> Result<ReadReport> {
        let mut report = ReadReport::default();
        let mut open: Option<(usize, ZipArchive<BufReader<File>>)> = None;
        let mut refused: Option<usize> = None;
        for (i, entry) in self.entries.iter().enumerate() {
            cancel.check()?;
            let (archive, index, name_raw, crc32, compressed) = match &entry.origin {
                Origin::Single(p) | Origin::Folder(p) => {
                    match f(i, entry, Src::Path(p))? {
                        Delivery::Done => report.delivered += 1,
                        Delivery::Failed(issue) => report.fail(i, Some(issue)),
                    }
                    continue;
                }
                Origin::Zip {
                    archive,
                    index,
                    name_raw,
                    crc32,
                    compressed,
                } => (*archive, *index, name_raw, *crc32, *compressed),
            };
            if refused == Some(archive) {
                report.fail(i, None);
                continue;
            }
            let Some(aref) = self.archives.get(archive) else {
                report.fail(i, None);
                continue;
            };
            if open.as_ref().map(|(a, _)| *a) != Some(archive) {
                open = None;
                match reopen(aref) {
                    Ok(z) => open = Some((archive, z)),
                    Err(issue) => {
                        report.fail(i, Some(issue));
                        refused = Some(archive);
                        continue;
                    }
                }
            }
            let Some((_, zip)) = open.as_mut() else {
                report.fail(i, None);
                continue;
            };
            let unchanged = zip.by_index_data(index).is_ok_and(|d| {
                d.name_raw() == &name_raw[..]
                    && d.crc32() == crc32
                    && d.size() == entry.size
                    && d.compressed_size() == compressed
            });
            if !unchanged {
                let m = format!(
                    "压缩包“{}”在清点之后被修改或替换，其余文件未收取；请重新添加该压缩包。",
                    aref.display
                );
                report.fail(i, Some(issue(Severity::Error, &aref.display, m)));
                refused = Some(archive);
                continue;
            }
            let mut zf = match zip.by_index(index) {
                Ok(zf) => zf,
                Err(e) => {
                    let m = format!(
                        "压缩包“{}”中的“{}”已损坏，无法解压（{}），未能收取；请让报送单位重新发送。",
                        aref.display,
                        entry.rel_path,
                        zip_detail(&e.to_string())
                    );
                    report.fail(i, Some(issue(Severity::Error, &entry.location(), m)));
                    continue;
                }
            };
            let mut reader = EntryReader::new(&mut zf, entry, Some(entry.size), on_bytes);
            let r = f(i, entry, Src::Reader(&mut reader));
            match reader.failure.take() {
                Some(failure) => {
                    if failure.stops_archive {
                        refused = Some(archive);
                    }
                    report.fail(i, Some(failure.issue));
                }
                None => match r? {
                    Delivery::Done => report.delivered += 1,
                    Delivery::Failed(issue) => report.fail(i, Some(issue)),
                },
            }
        }
        Ok(report)
    }
}

/// Opens an archive again for reading and checks it still has the entries the scan saw.
fn reopen(a: &ArchiveRef) -> std::result::Result<ZipArchive<BufReader<File>>, ImportIssue> {
    let file = File::open(&a.path).map_err(|e| {
        let m = format!(
            "无法读取压缩包“{}”：{}。其中的文件未收取。",
            a.display,
            io_reason(&e)
        );
        issue(Severity::Error, &a.display, m)
    })?;
    let zip = ZipArchive::new(BufReader::new(file))
        .ok()
        .filter(|z| z.len() == a.len)
        .ok_or_else(|| {
            let m = format!(
                "压缩包“{}”在清点之后被修改或替换，其中的文件未收取；请重新添加该压缩包。",
                a.display
            );
            issue(Severity::Error, &a.display, m)
        })?;
    Ok(zip)
}

/// Walks what the user dropped and returns the plan; looks at names and sizes only. Only a
/// cancel is an error; every problem with a file is an issue in the plan.
pub fn scan(
    paths: &[PathBuf],
    limits: &Limits,
    progress: &dyn Progress,
    cancel: &Cancel,
) -> Result<Plan> {
    let mut s = Scanner {
        limits,
        progress,
        cancel,
        plan: Plan::default(),
        full: false,
        seen: 0,
    };
    progress.report(0, 0, "正在清点所选的文件");
    for p in paths {
        cancel.check()?;
        s.dropped(p)?;
    }
    let n = s.plan.entries.len() as u64;
    progress.report(n, n, &format!("清点完成，共 {n} 个文件"));
    Ok(s.plan)
}

/// [`scan`] then [`Plan::for_each`] in one go, for callers that need no preview.
pub fn for_each_entry(
    paths: &[PathBuf],
    limits: &Limits,
    progress: &dyn Progress,
    cancel: &Cancel,
    f: impl FnMut(usize, &Entry, &mut dyn Read) -> Result<()>,
) -> Result<(Plan, ReadReport)> {
    let plan = scan(paths, limits, progress, cancel)?;
    let report = plan.for_each(progress, cancel, f)?;
    Ok((plan, report))
}

struct Scanner<'a> {
    limits: &'a Limits,
    progress: &'a dyn Progress,
    cancel: &'a Cancel,
    plan: Plan,
    /// `max_files` reached: nothing more is taken.
    full: bool,
    /// Items looked at, for progress.
    seen: u64,
}

impl Scanner<'_> {
    fn note(&mut self, severity: Severity, file: &str, message: String) {
        self.plan.issues.push(issue(severity, file, message));
    }

    fn tick(&mut self, source: &str) {
        self.seen += 1;
        if self.seen.is_multiple_of(256) {
            self.progress.report(
                self.plan.entries.len() as u64,
                0,
                &format!(
                    "正在清点“{source}”（已找到 {} 个文件）",
                    self.plan.entries.len()
                ),
            );
        }
    }

    fn push(&mut self, entry: Entry) {
        if self.plan.entries.len() >= self.limits.max_files {
            if !self.full {
                self.full = true;
                let max = self.limits.max_files;
                let m = format!(
                    "所选内容中的文件超过 {max} 个，只清点了前 {max} 个，其余未收取；请分批添加。"
                );
                self.note(Severity::Error, &entry.source, m);
            }
            return;
        }
        self.plan.total_bytes = self.plan.total_bytes.saturating_add(entry.size);
        self.plan.entries.push(entry);
    }

    fn dropped(&mut self, path: &Path) -> Result<()> {
        let source = dropped_name(path);
        let meta = match std::fs::metadata(path) {
            Ok(m) => m,
            Err(e) => {
                let m = format!("无法读取“{}”：{}。", path.display(), io_reason(&e));
                self.note(Severity::Error, &source, m);
                return Ok(());
            }
        };
        if meta.is_dir() {
            return self.walk(path, &source, "", 0);
        }
        if is_junk(&source, meta.len()) {
            self.plan.junk_skipped += 1;
            return Ok(());
        }
        if is_zip_name(&source) {
            return self.zip(path, &source, &source);
        }
        let rel = source.clone();
        self.file(path.to_path_buf(), &source, rel, &meta, true);
        Ok(())
    }

    /// A file on disk (dropped alone, or found in a dropped folder).
    fn file(
        &mut self,
        path: PathBuf,
        source: &str,
        rel: String,
        meta: &std::fs::Metadata,
        single: bool,
    ) {
        let name = rel.rsplit('/').next().unwrap_or(&rel).to_string();
        let origin = if single {
            Origin::Single(path)
        } else {
            Origin::Folder(path)
        };
        let entry = Entry {
            source: source.to_string(),
            archive: None,
            rel_path: rel,
            name,
            size: meta.len(),
            modified: meta
                .modified()
                .ok()
                .map(|t| chrono::DateTime::<chrono::Local>::from(t).naive_local()),
            origin,
        };
        let location = entry.location();
        if entry.name.to_lowercase().ends_with(".lnk") {
            let m = format!("“{location}”是快捷方式，不是文件本身，已跳过；请添加它指向的文件。");
            self.note(Severity::Warning, &location, m);
            return;
        }
        for (severity, m) in entry_notes(&location, &entry.name, entry.size, false) {
            self.note(severity, &location, m);
        }
        self.push(entry);
    }

    /// A dropped folder, or a folder below one (`rel` from the dropped folder, "" at its top).
    fn walk(&mut self, dir: &Path, source: &str, rel: &str, depth: usize) -> Result<()> {
        let shown = if rel.is_empty() {
            source.to_string()
        } else {
            format!("{source}/{rel}")
        };
        let rd = match std::fs::read_dir(dir) {
            Ok(rd) => rd,
            Err(e) => {
                let m = format!(
                    "无法读取文件夹“{shown}”：{}。其中的文件未收取。",
                    io_reason(&e)
                );
                self.note(Severity::Error, &shown, m);
                return Ok(());
            }
        };
        let mut items = Vec::new();
        let mut unreadable = 0;
        for item in rd {
            match item {
                Ok(item) => items.push(item),
                Err(_) => unreadable += 1,
            }
        }
        if unreadable > 0 {
            let m = format!("文件夹“{shown}”中有 {unreadable} 项无法读取，已跳过。");
            self.note(Severity::Warning, &shown, m);
        }
        items.sort_by_key(|e| e.file_name());
        for item in items {
            self.cancel.check()?;
            self.tick(source);
            if self.full {
                return Ok(());
            }
            let name = item.file_name().to_string_lossy().into_owned();
            let child_rel = if rel.is_empty() {
                name.clone()
            } else {
                format!("{rel}/{name}")
            };
            let child_shown = format!("{source}/{child_rel}");
            let kind = match item.file_type() {
                Ok(t) => t,
                Err(e) => {
                    let m = format!("无法读取“{child_shown}”：{}。", io_reason(&e));
                    self.note(Severity::Error, &child_shown, m);
                    continue;
                }
            };
            if kind.is_symlink() {
                let m = format!(
                    "“{child_shown}”是符号链接或目录联接（指向其他位置），已跳过；请直接添加它指向的文件或文件夹。"
                );
                self.note(Severity::Warning, &child_shown, m);
                continue;
            }
            if kind.is_dir() {
                if is_junk_dir(&name) {
                    self.plan.junk_skipped += 1;
                } else if depth + 1 > self.limits.max_depth {
                    let m = format!(
                        "文件夹“{child_shown}”的层级超过 {} 层，其中的内容未收取；请整理文件夹后再添加。",
                        self.limits.max_depth
                    );
                    self.note(Severity::Warning, &child_shown, m);
                } else {
                    self.walk(&item.path(), source, &child_rel, depth + 1)?;
                }
                continue;
            }
            if !kind.is_file() {
                continue;
            }
            let meta = match item.metadata() {
                Ok(m) => m,
                Err(e) => {
                    let m = format!("无法读取“{child_shown}”：{}。", io_reason(&e));
                    self.note(Severity::Error, &child_shown, m);
                    continue;
                }
            };
            if is_junk(&name, meta.len()) {
                self.plan.junk_skipped += 1;
            } else if is_zip_name(&name) {
                self.zip(&item.path(), source, &child_shown)?;
            } else {
                self.file(item.path(), source, child_rel, &meta, false);
            }
        }
        Ok(())
    }

    /// A zip file: its central directory read, its entries checked and listed. `display` is
    /// the archive as the user finds it ("区司法局/附件.zip").
    fn zip(&mut self, path: &Path, source: &str, display: &str) -> Result<()> {
        let refuse = |s: &mut Self, detail: String| {
            s.note(Severity::Error, display, detail);
        };
        let mut file = match File::open(path) {
            Ok(f) => f,
            Err(e) => {
                refuse(
                    self,
                    format!("无法读取压缩包“{display}”：{}。", io_reason(&e)),
                );
                return Ok(());
            }
        };
        let mut head = [0u8; 6];
        let head_len = read_up_to(&mut file, &mut head);
        if let Some(kind) = other_archive_kind(&head[..head_len]) {
            refuse(
                self,
                format!(
                    "“{display}”虽然以 .zip 结尾，实际是 {kind} 压缩包，本程序无法展开；请先解压，再添加解压出的文件夹。"
                ),
            );
            return Ok(());
        }
        let corrupt = format!(
            "压缩包“{display}”已损坏或不完整（可能下载或复制时中断），无法读取；请让报送单位重新发送。"
        );
        if file.rewind().is_err() {
            refuse(self, corrupt);
            return Ok(());
        }
        let zip = match ZipArchive::new(BufReader::new(file)) {
            Ok(z) => z,
            Err(e) if e.to_string().contains("multi-disk") => {
                refuse(
                    self,
                    format!(
                        "“{display}”是分卷压缩包的一部分，本程序无法直接读取；请用解压软件把全部分卷解压后，再添加解压出的文件夹。"
                    ),
                );
                return Ok(());
            }
            Err(_) => {
                refuse(self, corrupt);
                return Ok(());
            }
        };
        let n = zip.len();
        let limits = self.limits;
        if n > limits.max_archive_entries {
            refuse(
                self,
                format!(
                    "压缩包“{display}”中有 {n} 个文件，超过 {} 个的上限（可能是异常或恶意文件），已拒绝整个压缩包。",
                    limits.max_archive_entries
                ),
            );
            return Ok(());
        }
        let bomb = |detail: String| {
            format!(
                "压缩包“{display}”{detail}，可能是“压缩炸弹”等异常文件，已拒绝整个压缩包；如确属正常材料，请解压后分批添加。"
            )
        };
        let archive = self.plan.archives.len();
        let mut found: Vec<Entry> = Vec::new();
        let mut notes: Vec<(Severity, String, String)> = Vec::new();
        let mut encrypted: Vec<String> = Vec::new();
        let mut unsupported: Vec<String> = Vec::new();
        let mut junk = 0usize;
        let (mut total, mut total_compressed) = (0u64, 0u64);
        for i in 0..n {
            if i.is_multiple_of(256) {
                self.cancel.check()?;
                self.tick(source);
            }
            let Ok(e) = zip.by_index_data(i) else {
                refuse(self, corrupt.clone());
                return Ok(());
            };
            let raw = e.name_raw();
            let name = decode_name(raw, e.flags().as_u16() & UTF8_FLAG != 0);
            let rel = match normalize_entry_name(&name) {
                Ok(rel) => rel,
                Err(why) => {
                    let name = name.replace('\0', "\\0");
                    refuse(
                        self,
                        format!(
                            "压缩包“{display}”中的“{name}”{why}，会指向压缩包以外的位置（可能是恶意文件），已拒绝整个压缩包；请让报送单位检查后重新压缩。"
                        ),
                    );
                    return Ok(());
                }
            };
            if rel.is_empty() || e.is_dir() || name.ends_with(['/', '\\']) {
                continue;
            }
            let (folder, base) = rel.rsplit_once('/').unwrap_or(("", &rel));
            if folder.split('/').any(is_junk_dir) || is_junk(base, e.size()) {
                junk += 1;
                continue;
            }
            let location = format!("{display}/{rel}");
            if e.is_symlink() {
                notes.push((
                    Severity::Warning,
                    location,
                    format!("压缩包“{display}”中的“{rel}”是符号链接（指向其他位置），已跳过。"),
                ));
                continue;
            }
            if e.encrypted() {
                encrypted.push(rel);
                continue;
            }
            if !zip::SUPPORTED_COMPRESSION_METHODS.contains(&e.compression()) {
                unsupported.push(rel);
                continue;
            }
            let (size, compressed) = (e.size(), e.compressed_size());
            if size > limits.max_entry_size {
                refuse(
                    self,
                    bomb(format!(
                        "中的“{rel}”解压后有 {}，超过单个文件 {} 的上限",
                        human(size),
                        human(limits.max_entry_size)
                    )),
                );
                return Ok(());
            }
            total = total.saturating_add(size);
            total_compressed = total_compressed.saturating_add(compressed);
            if total > limits.max_archive_total {
                refuse(
                    self,
                    bomb(format!(
                        "解压后的总大小超过 {} 的上限",
                        human(limits.max_archive_total)
                    )),
                );
                return Ok(());
            }
            if size >= limits.ratio_floor && size / compressed.max(1) > limits.max_ratio {
                refuse(
                    self,
                    bomb(format!(
                        "中的“{rel}”压缩比高达 {}:1（{} 解压后为 {}）",
                        size / compressed.max(1),
                        human(compressed),
                        human(size)
                    )),
                );
                return Ok(());
            }
            for (severity, m) in entry_notes(&location, base, size, true) {
                notes.push((severity, location.clone(), m));
            }
            found.push(Entry {
                source: source.to_string(),
                archive: Some(display.to_string()),
                name: base.to_string(),
                rel_path: rel.clone(),
                size,
                modified: e.last_modified().and_then(dos_time),
                origin: Origin::Zip {
                    archive,
                    index: i,
                    name_raw: raw.to_vec(),
                    crc32: e.crc32(),
                    compressed,
                },
            });
        }
        if total >= limits.ratio_floor && total / total_compressed.max(1) > limits.max_ratio {
            refuse(
                self,
                bomb(format!(
                    "的压缩比高达 {}:1（{} 解压后为 {}）",
                    total / total_compressed.max(1),
                    human(total_compressed),
                    human(total)
                )),
            );
            return Ok(());
        }
        if zip.has_duplicate_names() {
            notes.push((
                Severity::Warning,
                display.to_string(),
                format!("压缩包“{display}”中有重名的文件，同名的只收取了一个；请让报送单位检查。"),
            ));
        }
        if !encrypted.is_empty() {
            notes.push((
                Severity::Error,
                display.to_string(),
                format!(
                    "压缩包“{display}”中有 {} 个文件设置了密码（加密压缩），无法读取，未收取：{}。请让报送单位重新压缩时不设密码。",
                    encrypted.len(),
                    some_names(&encrypted)
                ),
            ));
        }
        if !unsupported.is_empty() {
            notes.push((
                Severity::Error,
                display.to_string(),
                format!(
                    "压缩包“{display}”中有 {} 个文件使用了本程序不支持的压缩方式（如 LZMA、BZip2），未收取：{}。请用 Windows 自带的“压缩为 ZIP 文件”重新压缩。",
                    unsupported.len(),
                    some_names(&unsupported)
                ),
            ));
        }
        for (severity, file, m) in notes {
            self.note(severity, &file, m);
        }
        self.plan.junk_skipped += junk;
        self.plan.archives.push(ArchiveRef {
            path: path.to_path_buf(),
            display: display.to_string(),
            len: n,
        });
        for e in found {
            self.push(e);
        }
        Ok(())
    }
}

/// Warnings about one entry that is still taken: empty, or an archive whose content is not
/// listed.
fn entry_notes(location: &str, name: &str, size: u64, in_zip: bool) -> Vec<(Severity, String)> {
    let mut out = Vec::new();
    if size == 0 {
        out.push((
            Severity::Warning,
            format!("“{location}”是空文件（0 字节），已照常收取；请确认报送单位是否发错了文件。"),
        ));
    }
    let lower = name.to_lowercase();
    let kind = if lower.ends_with(".rar") {
        Some("RAR 压缩包")
    } else if lower.ends_with(".7z") {
        Some("7z 压缩包")
    } else if in_zip && is_zip_name(name) {
        Some("压缩包中的压缩包")
    } else {
        None
    };
    if let Some(kind) = kind {
        out.push((
            Severity::Warning,
            format!(
                "“{location}”是{kind}，本程序不展开它，已作为一个文件收取；如需逐份收取其中的材料，请先解压后再添加。"
            ),
        ));
    }
    out
}

/// "“a.pdf”“b.pdf”“c.pdf”等" for a message listing what was refused.
fn some_names(names: &[String]) -> String {
    let mut s: String = names.iter().take(3).map(|n| format!("“{n}”")).collect();
    if names.len() > 3 {
        s.push('等');
    }
    s
}

/// "1.5 GB", "200 MB", "12 KB".
fn human(bytes: u64) -> String {
    const K: f64 = 1024.0;
    let b = bytes as f64;
    if b >= K * K * K {
        format!("{:.1} GB", b / K / K / K)
    } else if b >= K * K {
        format!("{:.0} MB", b / K / K)
    } else {
        format!("{:.0} KB", (b / K).ceil())
    }
}

/// General purpose flag bit 11: the entry's name and comment are UTF-8.
const UTF8_FLAG: u16 = 0x0800;

/// A zip entry's name: UTF-8 when flagged or valid, else GBK (the Chinese Windows code page).
fn decode_name(raw: &[u8], utf8_flag: bool) -> String {
    if utf8_flag {
        return String::from_utf8_lossy(raw).into_owned();
    }
    match std::str::from_utf8(raw) {
        Ok(s) => s.to_string(),
        Err(_) => encoding_rs::GBK.decode(raw).0.into_owned(),
    }
}

/// A zip entry's name as a relative `/`-joined path ("" for the root), or why it would point
/// outside the archive.
fn normalize_entry_name(name: &str) -> std::result::Result<String, &'static str> {
    if name.contains('\0') {
        return Err("的名称中含有空字符");
    }
    let n = name.replace('\\', "/");
    if n.starts_with('/') {
        return Err("是绝对路径");
    }
    let b = n.as_bytes();
    if b.len() >= 2 && b[1] == b':' && b[0].is_ascii_alphabetic() {
        return Err("带有盘符");
    }
    let mut parts = Vec::new();
    for p in n.split('/') {
        if p.is_empty() || p == "." {
            continue;
        }
        // "..", and what Windows reads as ".." ("...", ".. "): trailing dots and spaces are
        // dropped from path components there.
        if p.contains("..") && p.trim_end_matches(['.', ' ']).is_empty() {
            return Err("含有“..”（上一级文件夹）");
        }
        parts.push(p);
    }
    Ok(parts.join("/"))
}

/// What a dropped item is called: its name, or for a drive root ("E:\\") the drive ("E:").
fn dropped_name(path: &Path) -> String {
    match path.file_name() {
        Some(n) => n.to_string_lossy().into_owned(),
        None => {
            let s = path.display().to_string();
            let t = s.trim_end_matches(['/', '\\']);
            if t.is_empty() { s } else { t.to_string() }
        }
    }
}

fn is_zip_name(name: &str) -> bool {
    name.to_lowercase().ends_with(".zip")
}

/// RAR or 7z content behind a `.zip` name.
fn other_archive_kind(head: &[u8]) -> Option<&'static str> {
    if head.starts_with(b"Rar!") {
        Some("RAR")
    } else if head.starts_with(&[b'7', b'z', 0xbc, 0xaf, 0x27, 0x1c]) {
        Some("7z")
    } else {
        None
    }
}

fn read_up_to(r: &mut dyn Read, buf: &mut [u8]) -> usize {
    let mut n = 0;
    while n < buf.len() {
        match r.read(&mut buf[n..]) {
            Ok(0) | Err(_) => break,
            Ok(k) => n += k,
        }
    }
    n
}

/// Files that systems and programs leave beside real material: never evidence.
pub fn is_junk(name: &str, size: u64) -> bool {
    let lower = name.to_lowercase();
    matches!(
        lower.as_str(),
        "thumbs.db"
            | "ehthumbs.db"
            | "ehthumbs_vista.db"
            | "desktop.ini"
            | ".ds_store"
            | ".localized"
            | "icon\r"
    ) || name.starts_with("~$")
        || name.starts_with("._")
        || name.starts_with(".~lock.")
        || (size == 0 && lower.ends_with(".tmp"))
}

/// Folders that systems leave: never evidence.
pub fn is_junk_dir(name: &str) -> bool {
    matches!(
        name.to_lowercase().as_str(),
        "__macosx"
            | "$recycle.bin"
            | "system volume information"
            | ".trashes"
            | ".spotlight-v100"
            | ".fseventsd"
            | ".temporaryitems"
    )
}

/// A zip entry's DOS time; 1980-01-01 00:00:00 (the DOS epoch, what tools write for "no
/// time") counts as unknown.
fn dos_time(t: zip::DateTime) -> Option<NaiveDateTime> {
    if (
        t.year(),
        t.month(),
        t.day(),
        t.hour(),
        t.minute(),
        t.second(),
    ) == (1980, 1, 1, 0, 0, 0)
    {
        return None;
    }
    chrono::NaiveDate::from_ymd_opt(t.year() as i32, t.month() as u32, t.day() as u32)?.and_hms_opt(
        t.hour() as u32,
        t.minute() as u32,
        t.second() as u32,
    )
}

/// The zip crate's English reason, for support staff, kept short.
fn zip_detail(e: &str) -> String {
    let e: String = e.chars().take(80).collect();
    format!("详细信息：{e}")
}

fn open_issue(entry: &Entry, e: &io::Error) -> ImportIssue {
    let location = entry.location();
    let m = format!(
        "无法读取“{location}”：{}。未收取该文件，其余文件照常收取。",
        io_reason(e)
    );
    issue(Severity::Error, &location, m)
}

/// A read failure of one entry, and whether the rest of its archive must be left.
struct ReadFailure {
    issue: ImportIssue,
    stops_archive: bool,
}

/// The reader handed out for one entry: counts what really comes out (a zip entry may not
/// yield more or fewer bytes than it declares), turns a reader panic into a failure, and
/// remembers the first failure so the caller can tell a bad source from a full disk.
struct EntryReader<'a> {
    inner: &'a mut dyn Read,
    location: String,
    /// The archive's display name and the entry's path in it, for zip entries.
    zip: Option<(String, String)>,
    expected: Option<u64>,
    read: u64,
    failure: Option<ReadFailure>,
    on_bytes: &'a dyn Fn(u64),
}

impl<'a> EntryReader<'a> {
    fn new(
        inner: &'a mut dyn Read,
        entry: &Entry,
        expected: Option<u64>,
        on_bytes: &'a dyn Fn(u64),
    ) -> Self {
        EntryReader {
            inner,
            location: entry.location(),
            zip: entry
                .archive
                .as_ref()
                .map(|a| (a.clone(), entry.rel_path.clone())),
            expected,
            read: 0,
            failure: None,
            on_bytes,
        }
    }

    fn fail(&mut self, message: String, stops_archive: bool) -> io::Error {
        let e = SourceRefused::io(message.clone());
        self.failure = Some(ReadFailure {
            issue: issue(Severity::Error, &self.location, message),
            stops_archive,
        });
        e
    }

    fn oversize(&mut self) -> io::Error {
        let m = match &self.zip {
            Some((a, r)) => format!(
                "压缩包“{a}”中的“{r}”解压后比压缩包记录的大小更大（可能是“压缩炸弹”等异常文件），该压缩包中其余的文件未收取；请让报送单位检查后重新发送。"
            ),
            None => format!(
                "“{}”在读取过程中变大了，可能正被其他程序写入，未收取；请稍后重试。",
                self.location
            ),
        };
        self.fail(m, true)
    }

    fn broken(&mut self, e: &io::Error) -> io::Error {
        let text = e.to_string();
        if self.zip.is_some() && text.contains("declared uncompressed size") {
            return self.oversize();
        }
        let m = match &self.zip {
            Some((a, r)) if text.to_lowercase().contains("checksum") => format!(
                "压缩包“{a}”中的“{r}”已损坏（校验值不符），未能收取；请让报送单位重新发送。"
            ),
            Some((a, r)) => format!(
                "压缩包“{a}”中的“{r}”已损坏，无法解压（{}），未能收取；请让报送单位重新发送。",
                zip_detail(&text)
            ),
            None => format!(
                "读取“{}”失败：{}。未收取该文件，其余文件照常收取。",
                self.location,
                io_reason(e)
            ),
        };
        self.fail(m, false)
    }
}

impl Read for EntryReader<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if let Some(f) = &self.failure {
            return Err(SourceRefused::io(f.issue.message.clone()));
        }
        let inner = &mut self.inner;
        let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| inner.read(buf)));
        match r {
            Ok(Ok(n)) => {
                self.read += n as u64;
                if let Some(expected) = self.expected {
                    if self.read > expected {
                        return Err(self.oversize());
                    }
                    if n == 0 && !buf.is_empty() && self.read < expected {
                        let m = match &self.zip {
                            Some((a, r)) => format!(
                                "压缩包“{a}”中的“{r}”解压后比压缩包记录的大小要小，文件不完整，未能收取；请让报送单位重新发送。"
                            ),
                            None => format!(
                                "“{}”在读取过程中变小了，未收取；请稍后重试。",
                                self.location
                            ),
                        };
                        return Err(self.fail(m, false));
                    }
                }
                (self.on_bytes)(n as u64);
                Ok(n)
            }
            Ok(Err(e)) if e.kind() == io::ErrorKind::Interrupted => Err(e),
            Ok(Err(e)) => Err(self.broken(&e)),
            Err(_) => {
                let m = match &self.zip {
                    Some((a, r)) => format!(
                        "压缩包“{a}”中的“{r}”已损坏，解压时出错，该压缩包中其余的文件未收取；请让报送单位重新发送。"
                    ),
                    None => format!("读取“{}”时出错，未收取该文件。", self.location),
                };
                Err(self.fail(m, true))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::evidence::testzip::{self, TestZip};
    use crate::progress::NoProgress;
    use std::sync::Mutex;

    fn io(e: std::io::Error) -> crate::Error {
        crate::Error::Io(e.to_string())
    }

    fn scan_all(paths: &[PathBuf]) -> Plan {
        scan(paths, &Limits::default(), &NoProgress, &Cancel::new()).unwrap()
    }

    /// Every entry read to its end: (location, content), plus the report.
    fn read_all(plan: &Plan) -> (Vec<(String, Vec<u8>)>, ReadReport) {
        let mut got = Vec::new();
        let report = plan
            .for_each(&NoProgress, &Cancel::new(), |_, e, r| {
                let mut buf = Vec::new();
                r.read_to_end(&mut buf).map_err(io)?;
                got.push((e.location(), buf));
                Ok(())
            })
            .unwrap();
        (got, report)
    }

    fn locations(plan: &Plan) -> Vec<String> {
        plan.entries().iter().map(Entry::location).collect()
    }

    fn messages(issues: &[ImportIssue]) -> String {
        issues
            .iter()
            .map(|i| i.message.as_str())
            .collect::<Vec<_>>()
            .join("\n")
    }

    fn write(path: &Path, bytes: &[u8]) {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, bytes).unwrap();
    }

    /// A dropped zip (written to a temp folder) scanned with `limits`.
    fn scan_zip(name: &str, bytes: &[u8], limits: &Limits) -> (tempfile::TempDir, Plan) {
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join(name);
        std::fs::write(&p, bytes).unwrap();
        let plan = scan(&[p], limits, &NoProgress, &Cancel::new()).unwrap();
        (d, plan)
    }

    #[test]
    fn a_folder_with_a_zip_and_junk_is_listed_in_a_stable_order() {
        let d = tempfile::tempdir().unwrap();
        let root = d.path().join("区司法局");
        write(&root.join("通知.pdf"), b"pdf");
        write(&root.join("2024").join("照片.jpg"), b"jpg");
        write(&root.join("空.pdf"), b"");
        for junk in [
            "Thumbs.db",
            "desktop.ini",
            "~$报告.docx",
            ".DS_Store",
            "._通知.pdf",
        ] {
            write(&root.join(junk), b"junk");
        }
        write(&root.join("~WRL0001.tmp"), b"");
        write(&root.join("__MACOSX").join("x"), b"junk");
        let zip = TestZip::new()
            .dir("材料/")
            .file("材料/a.pdf", b"a in zip")
            .file("材料/b.docx", b"b in zip")
            .file("材料/Thumbs.db", b"junk")
            .file("__MACOSX/材料/._a.pdf", b"junk")
            .finish();
        write(&root.join("附件.zip"), &zip);
        let plan = scan_all(std::slice::from_ref(&root));
        assert_eq!(
            locations(&plan),
            vec![
                "区司法局/2024/照片.jpg",
                "区司法局/空.pdf",
                "区司法局/通知.pdf",
                "区司法局/附件.zip/材料/a.pdf",
                "区司法局/附件.zip/材料/b.docx",
            ]
        );
        assert_eq!(plan.junk_skipped(), 9);
        assert_eq!(plan.total_bytes(), 3 + 3 + 8 + 8);
        // The one issue: the empty PDF, a warning naming it.
        assert_eq!(plan.issues().len(), 1, "{}", messages(plan.issues()));
        assert_eq!(plan.issues()[0].severity, Severity::Warning);
        assert!(plan.issues()[0].message.contains("区司法局/空.pdf"));
        let e = &plan.entries()[3];
        assert_eq!(e.source, "区司法局");
        assert_eq!(e.archive.as_deref(), Some("区司法局/附件.zip"));
        assert_eq!(
            (e.rel_path.as_str(), e.name.as_str(), e.folder()),
            ("材料/a.pdf", "a.pdf", "材料")
        );
        assert!(e.from_zip() && e.file_path().is_none());
        assert_eq!(
            e.modified.map(|t| t.to_string()).as_deref(),
            Some("2024-03-15 09:30:00")
        );
        let f = &plan.entries()[0];
        assert_eq!((f.rel_path.as_str(), f.folder()), ("2024/照片.jpg", "2024"));
        assert!(!f.from_zip() && f.file_path().is_some() && f.modified.is_some());
        let (got, report) = read_all(&plan);
        assert_eq!(report.delivered, 5);
        assert!(report.failed.is_empty() && report.issues.is_empty());
        assert_eq!(report.bytes, plan.total_bytes());
        assert_eq!(
            got[3],
            (
                "区司法局/附件.zip/材料/a.pdf".to_string(),
                b"a in zip".to_vec()
            )
        );
        assert_eq!(got[2].1, b"pdf");
    }

    #[test]
    fn dropped_files_zips_and_missing_paths() {
        let d = tempfile::tempdir().unwrap();
        let pdf = d.path().join("通知.pdf");
        write(&pdf, b"x");
        let zip = d.path().join("单位材料.zip");
        write(&zip, &TestZip::new().file("说明.docx", b"y").finish());
        let missing = d.path().join("不存在.pdf");
        let plan = scan_all(&[pdf, zip, missing]);
        assert_eq!(locations(&plan), vec!["通知.pdf", "单位材料.zip/说明.docx"]);
        assert_eq!(plan.entries()[0].rel_path, "通知.pdf");
        assert_eq!(plan.entries()[1].source, "单位材料.zip");
        assert_eq!(plan.entries()[1].archive.as_deref(), Some("单位材料.zip"));
        let m = messages(plan.issues());
        assert!(m.contains("不存在.pdf") && m.contains("不存在"), "{m}");
        assert_eq!(plan.issues()[0].severity, Severity::Error);
    }

    #[test]
    fn gbk_names_without_the_utf8_flag_are_decoded() {
        let gbk_name = "材料/关于印发方案的通知.pdf";
        let (raw, _, _) = encoding_rs::GBK.encode(gbk_name);
        let placeholder = "x".repeat(raw.len());
        let mut zip = TestZip::new()
            .file(&placeholder, b"gbk")
            .file("中文名.txt", b"utf8")
            .file("plain.txt", b"ascii")
            .finish();
        testzip::set_raw_name(&mut zip, 0, &raw);
        let (_d, plan) = scan_zip("单位材料.zip", &zip, &Limits::default());
        assert_eq!(
            locations(&plan),
            vec![
                "单位材料.zip/材料/关于印发方案的通知.pdf",
                "单位材料.zip/中文名.txt",
                "单位材料.zip/plain.txt"
            ]
        );
        let (got, _) = read_all(&plan);
        assert_eq!(got[0].1, b"gbk");
        // The flag wins over a GBK guess; invalid bytes under the flag are shown, not guessed.
        assert_eq!(decode_name("中文".as_bytes(), false), "中文");
        assert_eq!(decode_name(&raw, false), gbk_name);
        assert!(decode_name(&raw, true).contains('\u{fffd}'));
    }

    #[test]
    fn backslashes_are_folder_separators() {
        let zip = TestZip::new().file("材料\\2024\\通知.pdf", b"x").finish();
        let (_d, plan) = scan_zip("a.zip", &zip, &Limits::default());
        assert_eq!(plan.entries()[0].rel_path, "材料/2024/通知.pdf");
        assert_eq!(plan.entries()[0].folder(), "材料/2024");
    }

    #[test]
    fn path_traversal_refuses_the_whole_archive() {
        for bad in [
            "../evil.txt",
            "材料/../../evil.txt",
            "..\\evil.txt",
            "材料\\..\\..\\evil.txt",
            "/etc/passwd",
            "\\Windows\\evil.dll",
            "C:\\Windows\\evil.dll",
            "c:evil.txt",
            ".. /evil.txt",
        ] {
            let zip = TestZip::new()
                .file("好的.pdf", b"fine")
                .file(bad, b"evil")
                .finish();
            let (_d, plan) = scan_zip("单位材料.zip", &zip, &Limits::default());
            assert!(plan.entries().is_empty(), "{bad}: {:?}", locations(&plan));
            assert_eq!(plan.issues().len(), 1, "{bad}");
            let i = &plan.issues()[0];
            assert_eq!(i.severity, Severity::Error);
            assert!(
                i.message.contains("单位材料.zip")
                    && i.message.contains(bad)
                    && i.message.contains("拒绝整个压缩包"),
                "{bad}: {}",
                i.message
            );
        }
        // Dots that stay inside are fine.
        assert_eq!(
            normalize_entry_name("a/./b/../c").err(),
            Some("含有“..”（上一级文件夹）")
        );
        assert_eq!(
            normalize_entry_name("./a/b..c/...d").unwrap(),
            "a/b..c/...d"
        );
        assert!(normalize_entry_name("a/...").is_err());
        assert!(normalize_entry_name("a\0b").is_err());
    }

    #[test]
    fn symlink_entries_are_skipped_with_a_warning() {
        let zip = TestZip::new()
            .file("通知.pdf", b"x")
            .symlink("链接.pdf", "/etc/passwd")
            .finish();
        let (_d, plan) = scan_zip("单位材料.zip", &zip, &Limits::default());
        assert_eq!(locations(&plan), vec!["单位材料.zip/通知.pdf"]);
        let i = &plan.issues()[0];
        assert_eq!(i.severity, Severity::Warning);
        assert!(
            i.message.contains("链接.pdf") && i.message.contains("符号链接"),
            "{}",
            i.message
        );
    }

    #[test]
    fn encrypted_entries_are_refused_naming_the_archive() {
        let mut zip = TestZip::new()
            .file("公开.pdf", b"open")
            .zipcrypto("机密.pdf", b"secret")
            .file("标记加密.pdf", b"flagged")
            .finish();
        testzip::set_encrypted_flag(&mut zip, 2);
        let (_d, plan) = scan_zip("单位材料.zip", &zip, &Limits::default());
        assert_eq!(locations(&plan), vec!["单位材料.zip/公开.pdf"]);
        let m = messages(plan.issues());
        assert_eq!(plan.issues().len(), 1, "{m}");
        assert_eq!(plan.issues()[0].severity, Severity::Error);
        assert!(
            m.contains("单位材料.zip")
                && m.contains("2 个文件设置了密码")
                && m.contains("机密.pdf")
                && m.contains("标记加密.pdf"),
            "{m}"
        );
        let (got, report) = read_all(&plan);
        assert_eq!(got.len(), 1);
        assert!(report.failed.is_empty());
    }

    #[test]
    fn a_highly_compressible_200_mb_bomb_is_refused_before_inflating() {
        let zip = TestZip::new()
            .file("说明.txt", b"x")
            .zeros("bomb.bin", 200 << 20)
            .finish();
        assert!(zip.len() < 1 << 20, "{} bytes compressed", zip.len());
        let (_d, plan) = scan_zip("单位材料.zip", &zip, &Limits::default());
        assert!(plan.entries().is_empty());
        let m = messages(plan.issues());
        assert!(
            m.contains("单位材料.zip")
                && m.contains("bomb.bin")
                && m.contains("压缩比")
                && m.contains("压缩炸弹"),
            "{m}"
        );
    }

    #[test]
    fn archive_limits_on_entries_total_and_aggregate_ratio() {
        let limits = Limits {
            max_archive_entries: 3,
            ..Limits::default()
        };
        let mut z = TestZip::new();
        for i in 0..4 {
            z = z.file(&format!("{i}.txt"), b"x");
        }
        let (_d, plan) = scan_zip("多.zip", &z.finish(), &limits);
        assert!(plan.entries().is_empty());
        assert!(messages(plan.issues()).contains("4 个文件，超过 3 个的上限"));

        let limits = Limits {
            max_archive_total: 1000,
            ..Limits::default()
        };
        let zip = TestZip::new()
            .file("a.bin", &[1u8; 600])
            .file("b.bin", &[2u8; 600])
            .finish();
        let (_d, plan) = scan_zip("大.zip", &zip, &limits);
        assert!(plan.entries().is_empty());
        assert!(
            messages(plan.issues()).contains("总大小超过"),
            "{}",
            messages(plan.issues())
        );

        let limits = Limits {
            max_entry_size: 500,
            ..Limits::default()
        };
        let (_d, plan) = scan_zip("大.zip", &zip, &limits);
        assert!(
            messages(plan.issues()).contains("“a.bin”解压后有"),
            "{}",
            messages(plan.issues())
        );

        // Many small entries, each under the floor, still add up to a bomb.
        let limits = Limits {
            ratio_floor: 1 << 20,
            max_ratio: 100,
            ..Limits::default()
        };
        let mut z = TestZip::new();
        for i in 0..4 {
            z = z.zeros(&format!("{i}.bin"), 512 << 10);
        }
        let (_d, plan) = scan_zip("小炸弹.zip", &z.finish(), &limits);
        assert!(plan.entries().is_empty());
        let m = messages(plan.issues());
        assert!(
            m.contains("小炸弹.zip") && m.contains("的压缩比高达"),
            "{m}"
        );
    }

    #[test]
    fn a_lying_entry_is_stopped_at_its_declared_size_and_its_archive_left() {
        let mut zip = TestZip::new()
            .file("a.txt", b"first")
            .zeros("bomb.bin", 8 << 20)
            .file("c.txt", b"after")
            .finish();
        testzip::set_declared_size(&mut zip, 1, 1000);
        let (_d, plan) = scan_zip("单位材料.zip", &zip, &Limits::default());
        assert_eq!(plan.entries().len(), 3, "{}", messages(plan.issues()));
        let mut seen = Vec::new();
        let report = plan
            .for_each(&NoProgress, &Cancel::new(), |i, _, r| {
                let mut buf = Vec::new();
                let res = r.read_to_end(&mut buf);
                seen.push((i, buf.len()));
                res.map_err(io)?;
                Ok(())
            })
            .unwrap();
        assert_eq!(report.delivered, 1);
        assert_eq!(report.failed, vec![1, 2]);
        assert!(
            seen[1].1 <= 1000,
            "never more than declared came out: {seen:?}"
        );
        assert_eq!(seen.len(), 2, "c.txt was not read");
        let m = messages(&report.issues);
        assert!(
            m.contains("bomb.bin") && m.contains("更大") && m.contains("单位材料.zip"),
            "{m}"
        );
    }

    #[test]
    fn a_truncated_archive_is_refused_naming_it_and_other_drops_continue() {
        let zip = TestZip::new()
            .file("a.pdf", &[7u8; 5000])
            .file("b.pdf", b"b")
            .finish();
        let d = tempfile::tempdir().unwrap();
        let bad = d.path().join("坏了.zip");
        write(&bad, &zip[..zip.len() / 2]);
        let good = d.path().join("好.pdf");
        write(&good, b"ok");
        let not_zip = d.path().join("其实是文本.zip");
        write(&not_zip, b"hello");
        let plan = scan_all(&[bad, good, not_zip]);
        assert_eq!(locations(&plan), vec!["好.pdf"]);
        let m = messages(plan.issues());
        assert_eq!(plan.issues().len(), 2, "{m}");
        assert!(m.contains("压缩包“坏了.zip”已损坏或不完整"), "{m}");
        assert!(m.contains("压缩包“其实是文本.zip”已损坏或不完整"), "{m}");
    }

    #[test]
    fn a_part_of_a_split_archive_is_refused_with_a_hint() {
        let mut zip = TestZip::new().file("a.pdf", b"x").finish();
        let eocd = zip.len() - 22;
        zip[eocd + 4] = 2; // this disk
        zip[eocd + 6] = 2; // disk with the central directory
        let (_d, plan) = scan_zip("材料.zip", &zip, &Limits::default());
        assert!(plan.entries().is_empty());
        let m = messages(plan.issues());
        assert!(
            m.contains("“材料.zip”") && (m.contains("分卷") || m.contains("已损坏")),
            "{m}"
        );
    }

    #[test]
    fn a_damaged_entry_fails_alone() {
        let mut zip = TestZip::new()
            .file("a.txt", b"first")
            .file("b.txt", &b"some text that deflates ".repeat(200))
            .file("c.txt", b"third")
            .finish();
        let (start, len) = testzip::data_range(&zip, 1);
        for b in &mut zip[start + len / 3..start + len / 2] {
            *b ^= 0x5a;
        }
        let (_d, plan) = scan_zip("单位材料.zip", &zip, &Limits::default());
        let (got, report) = read_all(&plan);
        assert_eq!(report.failed, vec![1]);
        assert_eq!(report.delivered, 2);
        assert_eq!(
            got.iter().map(|g| g.0.as_str()).collect::<Vec<_>>(),
            vec!["单位材料.zip/a.txt", "单位材料.zip/c.txt"]
        );
        let m = messages(&report.issues);
        assert!(
            m.contains("单位材料.zip") && m.contains("b.txt") && m.contains("已损坏"),
            "{m}"
        );
    }

    #[test]
    fn deflate64_entries_as_windows_writes_for_large_zips_are_read() {
        // A deflate stream without length code 285 or distances beyond 32 KiB is also a
        // valid Deflate64 stream: relabel one as method 9.
        let text: String = (0..400)
            .map(|i| {
                format!(
                    "第{i}条 关于印发法治政府建设示范创建实施方案的通知（第{}号）\n",
                    i * 7
                )
            })
            .collect();
        let mut zip = TestZip::new().file("方案.txt", text.as_bytes()).finish();
        let (central, local) = testzip::headers(&zip)[0];
        assert_eq!(zip[central + 10], 8, "deflated");
        zip[central + 10] = 9;
        zip[local + 8] = 9;
        let (_d, plan) = scan_zip("大文件.zip", &zip, &Limits::default());
        assert!(plan.issues().is_empty(), "{}", messages(plan.issues()));
        let (got, report) = read_all(&plan);
        assert!(report.failed.is_empty(), "{}", messages(&report.issues));
        assert_eq!(got[0].1, text.as_bytes());
    }

    #[test]
    fn an_unsupported_compression_method_is_refused_naming_the_entry() {
        let mut zip = TestZip::new()
            .file("a.txt", b"x")
            .file("lzma.txt", b"y")
            .finish();
        let (central, local) = testzip::headers(&zip)[1];
        zip[central + 10] = 14;
        zip[local + 8] = 14;
        let (_d, plan) = scan_zip("单位材料.zip", &zip, &Limits::default());
        assert_eq!(locations(&plan), vec!["单位材料.zip/a.txt"]);
        let m = messages(plan.issues());
        assert!(
            m.contains("不支持的压缩方式") && m.contains("lzma.txt"),
            "{m}"
        );
    }

    #[test]
    fn files_that_vanish_or_cannot_be_read_are_issues_and_the_rest_continues() {
        let d = tempfile::tempdir().unwrap();
        let root = d.path().join("收到的材料");
        for n in ["a.pdf", "b.pdf", "c.pdf", "d.pdf"] {
            write(&root.join(n), n.as_bytes());
        }
        let plan = scan_all(std::slice::from_ref(&root));
        std::fs::remove_file(root.join("b.pdf")).unwrap();
        std::fs::remove_file(root.join("c.pdf")).unwrap();
        std::fs::create_dir(root.join("c.pdf")).unwrap();
        let (got, report) = read_all(&plan);
        assert_eq!(
            got.iter().map(|g| g.1.clone()).collect::<Vec<_>>(),
            vec![b"a.pdf".to_vec(), b"d.pdf".to_vec()]
        );
        assert_eq!(report.failed, vec![1, 2]);
        let m = messages(&report.issues);
        assert!(
            m.contains("收到的材料/b.pdf") && m.contains("不存在"),
            "{m}"
        );
        assert!(m.contains("收到的材料/c.pdf"), "{m}");
        assert!(report.issues.iter().all(|i| i.severity == Severity::Error));
    }

    #[cfg(unix)]
    #[test]
    fn symlinks_in_folders_are_not_followed() {
        let d = tempfile::tempdir().unwrap();
        let root = d.path().join("材料");
        write(&root.join("真.pdf"), b"x");
        let outside = d.path().join("外面");
        write(&outside.join("秘密.pdf"), b"secret");
        std::os::unix::fs::symlink(&outside, root.join("链接目录")).unwrap();
        std::os::unix::fs::symlink(outside.join("秘密.pdf"), root.join("链接.pdf")).unwrap();
        let plan = scan_all(&[root]);
        assert_eq!(locations(&plan), vec!["材料/真.pdf"]);
        let m = messages(plan.issues());
        assert!(
            m.contains("材料/链接目录") && m.contains("材料/链接.pdf") && m.contains("符号链接"),
            "{m}"
        );
    }

    #[test]
    fn folders_deeper_than_the_limit_are_skipped_with_a_warning() {
        let d = tempfile::tempdir().unwrap();
        let root = d.path().join("根");
        write(&root.join("1/2/浅.pdf"), b"x");
        write(&root.join("1/2/3/深.pdf"), b"y");
        let limits = Limits {
            max_depth: 2,
            ..Limits::default()
        };
        let plan = scan(&[root], &limits, &NoProgress, &Cancel::new()).unwrap();
        assert_eq!(locations(&plan), vec!["根/1/2/浅.pdf"]);
        assert!(messages(plan.issues()).contains("“根/1/2/3”的层级超过 2 层"));
    }

    #[test]
    fn rar_7z_and_nested_zips_are_kept_as_files_with_a_warning_and_a_disguised_rar_refused() {
        let d = tempfile::tempdir().unwrap();
        let root = d.path().join("材料");
        write(&root.join("a.rar"), b"Rar!\x1a\x07\x00");
        write(&root.join("b.7z"), b"7z\xbc\xaf\x27\x1c");
        write(&root.join("c.zip"), b"Rar!\x1a\x07\x00 named zip");
        write(
            &root.join("d.zip"),
            &TestZip::new().file("内层.zip", b"PK").finish(),
        );
        write(&root.join("快捷方式.lnk"), b"L\0\0\0");
        let plan = scan_all(&[root]);
        assert_eq!(
            locations(&plan),
            vec!["材料/a.rar", "材料/b.7z", "材料/d.zip/内层.zip"]
        );
        let m = messages(plan.issues());
        assert!(
            m.contains("“材料/a.rar”是RAR 压缩包，本程序不展开它"),
            "{m}"
        );
        assert!(m.contains("“材料/b.7z”是7z 压缩包"), "{m}");
        assert!(m.contains("“材料/d.zip/内层.zip”是压缩包中的压缩包"), "{m}");
        assert!(
            m.contains("“材料/c.zip”虽然以 .zip 结尾，实际是 RAR 压缩包"),
            "{m}"
        );
        assert!(m.contains("“材料/快捷方式.lnk”是快捷方式"), "{m}");
    }

    #[test]
    fn an_archive_replaced_after_the_scan_is_not_read() {
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("单位材料.zip");
        write(
            &p,
            &TestZip::new()
                .file("a.txt", b"one")
                .file("b.txt", b"two")
                .finish(),
        );
        let plan = scan_all(std::slice::from_ref(&p));
        write(
            &p,
            &TestZip::new()
                .file("a.txt", b"ONE")
                .file("b.txt", b"TWO")
                .finish(),
        );
        let (got, report) = read_all(&plan);
        assert!(got.is_empty());
        assert_eq!(report.failed, vec![0, 1]);
        assert!(messages(&report.issues).contains("压缩包“单位材料.zip”在清点之后被修改或替换"));
    }

    #[test]
    fn cancel_is_noticed_between_entries() {
        let d = tempfile::tempdir().unwrap();
        let root = d.path().join("材料");
        for n in ["a", "b", "c"] {
            write(&root.join(n), b"x");
        }
        let plan = scan_all(&[root]);
        let cancel = Cancel::new();
        let mut calls = 0;
        let r = plan.for_each(&NoProgress, &cancel, |_, _, _| {
            calls += 1;
            cancel.cancel();
            Ok(())
        });
        assert!(matches!(r, Err(crate::Error::Cancelled)));
        assert_eq!(calls, 1);
        let cancelled = Cancel::new();
        cancelled.cancel();
        let d2 = tempfile::tempdir().unwrap();
        assert!(matches!(
            scan(
                &[d2.path().to_path_buf()],
                &Limits::default(),
                &NoProgress,
                &cancelled
            ),
            Err(crate::Error::Cancelled)
        ));
    }

    #[test]
    fn an_error_of_the_callback_itself_stops_the_walk() {
        let zip = TestZip::new()
            .file("a.txt", b"x")
            .file("b.txt", b"y")
            .finish();
        let (_d, plan) = scan_zip("a.zip", &zip, &Limits::default());
        let r = plan.for_each(&NoProgress, &Cancel::new(), |_, _, _| {
            Err(crate::Error::Io("磁盘空间不足。".into()))
        });
        assert_eq!(r.unwrap_err().to_string(), "磁盘空间不足。");
    }

    #[test]
    fn the_file_count_limit_keeps_the_first_files_and_says_so() {
        let d = tempfile::tempdir().unwrap();
        let root = d.path().join("材料");
        for i in 0..5 {
            write(&root.join(format!("{i}.pdf")), b"x");
        }
        let limits = Limits {
            max_files: 3,
            ..Limits::default()
        };
        let plan = scan(&[root], &limits, &NoProgress, &Cancel::new()).unwrap();
        assert_eq!(plan.entries().len(), 3);
        assert_eq!(plan.issues().len(), 1);
        assert!(plan.issues()[0].message.contains("超过 3 个"));
    }

    #[test]
    fn progress_counts_bytes_up_to_the_total() {
        struct Rec(Mutex<Vec<(u64, u64)>>);
        impl Progress for Rec {
            fn report(&self, done: u64, total: u64, _: &str) {
                self.0.lock().unwrap().push((done, total));
            }
        }
        let zip = TestZip::new()
            .zeros("a.bin", 9 << 20)
            .file("b.txt", b"x")
            .finish();
        let (_d, plan) = scan_zip("a.zip", &zip, &Limits::default());
        let rec = Rec(Mutex::new(Vec::new()));
        let (_, report) = {
            let r = plan
                .for_each(&rec, &Cancel::new(), |_, _, r| {
                    std::io::copy(r, &mut std::io::sink()).map_err(io)?;
                    Ok(())
                })
                .unwrap();
            ((), r)
        };
        let seen = rec.0.lock().unwrap().clone();
        let total = (9 << 20) + 1;
        assert_eq!(report.bytes, total);
        assert_eq!(seen.last(), Some(&(total, total)));
        assert!(seen.len() >= 4, "reports within the big entry: {seen:?}");
        assert!(
            seen.windows(2).all(|w| w[0].0 <= w[1].0),
            "monotonic: {seen:?}"
        );
    }

    #[test]
    fn junk_rules() {
        for j in [
            "Thumbs.db",
            "THUMBS.DB",
            "desktop.ini",
            "~$报告.docx",
            ".DS_Store",
            "._照片.jpg",
        ] {
            assert!(is_junk(j, 100), "{j}");
        }
        assert!(is_junk("~WRL0001.tmp", 0));
        assert!(is_junk(".~lock.报告.docx#", 90), "LibreOffice lock file");
        assert_eq!(dropped_name(Path::new("/")), "/");
        assert_eq!(dropped_name(Path::new("材料/区司法局")), "区司法局");
        assert!(
            !is_junk("~WRL0001.tmp", 1200),
            "a non-empty Word temp may be the only copy"
        );
        for ok in ["报告.docx", "_说明.pdf", ".hidden-but-real.pdf", "tmp.pdf"] {
            assert!(!is_junk(ok, 100), "{ok}");
        }
        assert!(is_junk_dir("__MACOSX") && is_junk_dir("$RECYCLE.BIN"));
        assert!(!is_junk_dir("材料"));
    }
}
