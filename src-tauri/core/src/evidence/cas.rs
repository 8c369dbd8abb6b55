//! The object store of the evidence library (证据库): every file's content stored once, under
//! the BLAKE3 hash of its bytes, at `<data>/evidence/objects/<first 2 hex>/<other 62 hex>`.
//!
//! Writing is crash-safe: content is hashed *while* it is copied into a temp file in the objects
//! folder (one read of the source), the temp file is synced, and only then renamed to its hash
//! name. A crash, a full disk or a cancel at any point leaves at most a temp file
//! (`.shifan-*.tmp`, see [`ObjectStore::remove_orphan_temps`]), never a file under a final hash
//! name whose content does not match it. The one exception is damage after the fact (a bad
//! disk, a user editing the file), which [`ObjectStore::verify`] detects.
//!
//! Identical content from two sources is stored once: a second put of the same bytes finds the
//! object already there, drops its temp file and reports `fresh: false`.
//!
//! The temp-file write and the final rename pass through [`crate::fault`], so tests can make
//! them fail like a full disk or a locked file.

use std::fmt;
use std::fs::File;
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::error::{Error, Result, io_reason};
use crate::progress::Cancel;

/// Where the objects live, relative to the data folder.
pub const OBJECTS_DIR: [&str; 2] = ["evidence", "objects"];

/// Size of one copy step: the read buffer, and how often a cancel is noticed.
pub const CHUNK: usize = 1 << 20;

/// The BLAKE3 hash of a file's content (内容指纹); the name of its object in the store.
/// Shown and stored as 64 lowercase hex digits.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ContentHash([u8; 32]);

impl ContentHash {
    /// The hash of `bytes` (for tests and small in-memory content).
    pub fn of_bytes(bytes: &[u8]) -> ContentHash {
        ContentHash(*blake3::hash(bytes).as_bytes())
    }

    pub fn from_bytes(bytes: [u8; 32]) -> ContentHash {
        ContentHash(bytes)
    }

    pub fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }

    /// 64 lowercase hex digits.
    pub fn to_hex(&self) -> String {
        blake3::Hash::from_bytes(self.0).to_hex().to_string()
    }

    /// Parses 64 hex digits (either case); `None` for anything else.
    pub fn from_hex(s: &str) -> Option<ContentHash> {
        if s.len() != 64 {
            return None;
        }
        blake3::Hash::from_hex(s)
            .ok()
            .map(|h| ContentHash(*h.as_bytes()))
    }
}

impl fmt::Display for ContentHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_hex())
    }
}

impl fmt::Debug for ContentHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ContentHash({})", self.to_hex())
    }
}

impl std::str::FromStr for ContentHash {
    type Err = Error;

    fn from_str(s: &str) -> Result<ContentHash> {
        ContentHash::from_hex(s.trim()).ok_or_else(|| {
            Error::Invalid(format!(
                "“{s}”不是有效的内容指纹（应为 64 位十六进制数字）。"
            ))
        })
    }
}

impl serde::Serialize for ContentHash {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_hex())
    }
}

impl<'de> serde::Deserialize<'de> for ContentHash {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        ContentHash::from_hex(&s).ok_or_else(|| serde::de::Error::custom("invalid content hash"))
    }
}

/// What a put stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Stored {
    pub hash: ContentHash,
    /// Bytes of content.
    pub size: u64,
    /// True when this put wrote the object; false when identical content was already stored
    /// (deduplicated: nothing was written).
    pub fresh: bool,
}

/// The result of re-hashing a stored object.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// The object is there and its content matches its name.
    Intact,
    /// No object under that hash.
    Missing,
    /// The object's content no longer matches its name (disk damage, edited by hand).
    Altered {
        /// The hash of what is there now.
        found: ContentHash,
        size: u64,
    },
}

/// Why a put failed, split by side, so a caller ingesting many files can tell a problem of one
/// source (skip it, carry on) from a problem of the store (stop: the disk is full).
#[derive(Debug)]
pub enum PutError {
    /// Reading the source failed (locked by Excel, damaged zip entry, changed while read…).
    /// Nothing was stored.
    Source(Error),
    /// Writing into the store failed (disk full, folder read-only…). Nothing was stored.
    Store(Error),
    /// The cancel flag was set. Nothing was stored.
    Cancelled,
}

impl From<PutError> for Error {
    fn from(e: PutError) -> Error {
        match e {
            PutError::Source(e) | PutError::Store(e) => e,
            PutError::Cancelled => Error::Cancelled,
        }
    }
}

/// An I/O error a reader raises on purpose, carrying a complete Chinese sentence for the user
/// (an intake reader refusing a zip entry that inflates beyond its declared size, say). A put
/// whose source fails with one reports exactly that message.
#[derive(Debug)]
pub struct SourceRefused(pub String);

impl fmt::Display for SourceRefused {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for SourceRefused {}

impl SourceRefused {
    /// An `io::Error` carrying `message`.
    pub fn io(message: String) -> io::Error {
        io::Error::other(SourceRefused(message))
    }

    /// The message inside `e`, when `e` was made by [`SourceRefused::io`].
    pub fn message_of(e: &io::Error) -> Option<&str> {
        e.get_ref()
            .and_then(|r| r.downcast_ref::<SourceRefused>())
            .map(|r| r.0.as_str())
    }
}

/// The content-addressed object store of one data folder (证据库对象). Cheap to clone; safe to
/// share between threads (every put writes its own temp file).
#[derive(Debug, Clone)]
pub struct ObjectStore {
    dir: PathBuf,
}

impl ObjectStore {
    /// The store of the data folder `data_dir` (objects in `<data_dir>/evidence/objects`),
    /// creating its folder when needed.
    pub fn open(data_dir: &Path) -> Result<ObjectStore> {
        let dir = OBJECTS_DIR
            .iter()
            .fold(data_dir.to_path_buf(), |p, c| p.join(c));
        std::fs::create_dir_all(&dir).map_err(|e| Error::io("创建证据库文件夹", &dir, &e))?;
        Ok(ObjectStore { dir })
    }

    /// The objects folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Where the object `hash` is (or would be) stored.
    pub fn path_of(&self, hash: &ContentHash) -> PathBuf {
        let hex = hash.to_hex();
        self.dir.join(&hex[..2]).join(&hex[2..])
    }

    /// Whether an object named `hash` exists (its content is not checked; see [`Self::verify`]).
    pub fn contains(&self, hash: &ContentHash) -> bool {
        self.path_of(hash).is_file()
    }

    /// Opens the object `hash` for reading.
    pub fn open_object(&self, hash: &ContentHash) -> Result<File> {
        let path = self.path_of(hash);
        File::open(&path).map_err(|e| {
            if e.kind() == io::ErrorKind::NotFound {
                Error::NotFound(format!(
                    "证据库中缺少内容指纹为 {hash} 的文件（“{}”），可能已被删除。",
                    path.display()
                ))
            } else {
                Error::io("读取证据文件", &path, &e)
            }
        })
    }

    /// Stores everything `reader` yields. `source` names it in messages ("单位材料.zip/通知.pdf");
    /// `expected_size`, when given, is the size the source must have: a source that yields a
    /// different number of bytes (a file being written while read) is refused. It also sizes
    /// the copy buffer (small files need no 1 MiB buffer).
    pub fn put_reader(
        &self,
        reader: &mut dyn Read,
        source: &str,
        expected_size: Option<u64>,
        cancel: &Cancel,
    ) -> Result<Stored> {
        Ok(self.put_with(reader, source, expected_size, cancel, &mut |_| {})?)
    }

    /// Stores the content of the file at `path` (named by its full path in messages).
    pub fn put_file(&self, path: &Path, cancel: &Cancel) -> Result<Stored> {
        let source = path.display().to_string();
        Ok(self.put_file_with(path, &source, cancel, &mut |_| {})?)
    }

    /// [`Self::put_file`] with the file named `source` in messages ("区司法局/通知.pdf"), the
    /// failure side kept, and `on_bytes` told after every chunk copied (for progress). A file
    /// whose size changes while it is copied is refused.
    pub fn put_file_with(
        &self,
        path: &Path,
        source: &str,
        cancel: &Cancel,
        on_bytes: &mut dyn FnMut(u64),
    ) -> Result<Stored, PutError> {
        let mut file = File::open(path).map_err(|e| PutError::Source(read_error(source, &e)))?;
        let size = file
            .metadata()
            .map_err(|e| PutError::Source(read_error(source, &e)))?
            .len();
        self.put_with(&mut file, source, Some(size), cancel, on_bytes)
    }

    /// The one write path: copy `reader` into a temp file in the objects folder while hashing
    /// it, sync, then rename the temp file to the hash name (or drop it when that object
    /// exists already). `on_bytes` is told the length of every chunk copied. The cancel flag is
    /// checked after every chunk ([`CHUNK`] bytes); on cancel or any error the temp file is
    /// removed and nothing is stored.
    pub fn put_with(
        &self,
        reader: &mut dyn Read,
        source: &str,
        expected_size: Option<u64>,
        cancel: &Cancel,
        on_bytes: &mut dyn FnMut(u64),
    ) -> Result<Stored, PutError> {
        if cancel.is_cancelled() {
            return Err(PutError::Cancelled);
        }
        let changed = |size: u64, expected: u64| {
            PutError::Source(Error::BadFile(format!(
                "“{source}”在读取过程中大小发生了变化（应为 {expected} 字节，实际读到 {size} 字节），可能正被其他程序写入，请稍后重试。"
            )))
        };
        let mut tmp = self.temp_file(source).map_err(PutError::Store)?;
        let mut hasher = blake3::Hasher::new();
        let mut size = 0u64;
        // Small files (most of a folder of scans) need no 1 MiB buffer each.
        let cap = expected_size.map_or(CHUNK as u64, |n| n.clamp(8 << 10, CHUNK as u64));
        let mut buf = vec![0u8; cap as usize];
        {
            let mut out = crate::fault::writer(tmp.as_file_mut());
            loop {
                let n = match reader.read(&mut buf) {
                    Ok(0) => break,
                    Ok(n) => n,
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                    Err(e) => return Err(PutError::Source(read_error(source, &e))),
                };
                let chunk = &buf[..n];
                hasher.update(chunk);
                out.write_all(chunk)
                    .map_err(|e| PutError::Store(self.write_error(source, &e)))?;
                size += n as u64;
                if let Some(expected) = expected_size
                    && size > expected
                {
                    // Growing while read: stop now rather than copy what keeps coming.
                    return Err(changed(size, expected));
                }
                on_bytes(n as u64);
                if cancel.is_cancelled() {
                    return Err(PutError::Cancelled);
                }
            }
        }
        if let Some(expected) = expected_size
            && expected != size
        {
            return Err(changed(size, expected));
        }
        tmp.as_file()
            .sync_all()
            .map_err(|e| PutError::Store(self.write_error(source, &e)))?;
        let hash = ContentHash(*hasher.finalize().as_bytes());
        let target = self.path_of(&hash);
        if same_size(&target, size) {
            // Deduplicated: the temp file is removed when `tmp` drops.
            return Ok(Stored {
                hash,
                size,
                fresh: false,
            });
        }
        if cancel.is_cancelled() {
            return Err(PutError::Cancelled);
        }
        let fresh = self
            .persist(tmp, &target, size, source)
            .map_err(PutError::Store)?;
        Ok(Stored { hash, size, fresh })
    }

    /// Renames the finished temp file onto `target`. Never replaces an intact-looking object
    /// (same size) another put stored meanwhile; replaces one whose size is wrong (damaged).
    /// Returns whether this put's content was kept.
    fn persist(
        &self,
        tmp: tempfile::NamedTempFile,
        target: &Path,
        size: u64,
        source: &str,
    ) -> Result<bool> {
        if let Some(fan) = target.parent() {
            std::fs::create_dir_all(fan).map_err(|e| self.write_error(source, &e))?;
        }
        crate::fault::before_rename(target).map_err(|e| self.write_error(source, &e))?;
        match tmp.persist_noclobber(target) {
            Ok(_) => {}
            Err(e) if e.error.kind() == io::ErrorKind::AlreadyExists => {
                if same_size(target, size) {
                    // Another put of the same content won the race; ours is dropped.
                    return Ok(false);
                }
                // What is there is damaged (wrong size): replace it with the good content.
                e.file
                    .persist(target)
                    .map_err(|e| self.write_error(source, &e.error))?;
            }
            Err(e) => return Err(self.write_error(source, &e.error)),
        }
        sync_dir(target.parent());
        Ok(true)
    }

    /// A temp file in the objects folder (same volume as the objects, so the rename is atomic).
    fn temp_file(&self, source: &str) -> Result<tempfile::NamedTempFile> {
        if !self.dir.is_dir() {
            // Recreated when the folder vanished (cleaned by hand); a missing drive fails here.
            std::fs::create_dir_all(&self.dir).map_err(|e| self.write_error(source, &e))?;
        }
        tempfile::Builder::new()
            .prefix(TEMP_PREFIX)
            .suffix(TEMP_SUFFIX)
            .tempfile_in(&self.dir)
            .map_err(|e| self.write_error(source, &e))
    }

    fn write_error(&self, source: &str, e: &io::Error) -> Error {
        Error::Io(format!(
            "无法把“{source}”存入证据库（文件夹“{}”）：{}。",
            self.dir.display(),
            io_reason(e)
        ))
    }

    /// Re-hashes the object `hash` and says whether it is intact, missing or altered. Checks
    /// the cancel flag after every chunk.
    pub fn verify(&self, hash: &ContentHash, cancel: &Cancel) -> Result<Verdict> {
        let path = self.path_of(hash);
        let mut file = match File::open(&path) {
            Ok(f) => f,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Verdict::Missing),
            Err(e) => return Err(Error::io("读取证据文件", &path, &e)),
        };
        let (found, size) = hash_reader(&mut file, &path.display().to_string(), cancel)?;
        Ok(if found == *hash {
            Verdict::Intact
        } else {
            Verdict::Altered { found, size }
        })
    }

    /// Every object in the store (names that are not hashes are ignored), sorted.
    pub fn list(&self) -> Result<Vec<ContentHash>> {
        let mut out = Vec::new();
        let rd = std::fs::read_dir(&self.dir)
            .map_err(|e| Error::io("读取证据库文件夹", &self.dir, &e))?;
        for fan in rd.flatten() {
            let prefix = fan.file_name().to_string_lossy().into_owned();
            if prefix.len() != 2 || !fan.file_type().is_ok_and(|t| t.is_dir()) {
                continue;
            }
            let sub = fan.path();
            let rd =
                std::fs::read_dir(&sub).map_err(|e| Error::io("读取证据库文件夹", &sub, &e))?;
            for obj in rd.flatten() {
                let rest = obj.file_name().to_string_lossy().into_owned();
                if let Some(h) = ContentHash::from_hex(&format!("{prefix}{rest}"))
                    && obj.file_type().is_ok_and(|t| t.is_file())
                    && h.to_hex() == format!("{prefix}{rest}")
                {
                    out.push(h);
                }
            }
        }
        out.sort();
        Ok(out)
    }

    /// Removes temp files a crashed or killed put left in the objects folder, when older than
    /// `older_than`; returns how many were removed. Pass `Duration::ZERO` only while no put is
    /// running on this store (e.g. right after opening the data folder under its lock); a live
    /// put's temp file is younger than a minute or so per GiB. Best effort: files that cannot
    /// be removed are left for the next time.
    pub fn remove_orphan_temps(&self, older_than: Duration) -> usize {
        let Ok(rd) = std::fs::read_dir(&self.dir) else {
            return 0;
        };
        let now = std::time::SystemTime::now();
        let mut removed = 0;
        for e in rd.flatten() {
            let name = e.file_name();
            let name = name.to_string_lossy();
            if !(name.starts_with(TEMP_PREFIX) && name.ends_with(TEMP_SUFFIX)) {
                continue;
            }
            if !e.file_type().is_ok_and(|t| t.is_file()) {
                continue;
            }
            let age = e
                .metadata()
                .and_then(|m| m.modified())
                .ok()
                .and_then(|t| now.duration_since(t).ok())
                .unwrap_or(Duration::ZERO);
            if age >= older_than && std::fs::remove_file(e.path()).is_ok() {
                removed += 1;
            }
        }
        removed
    }
}

const TEMP_PREFIX: &str = ".shifan-";
const TEMP_SUFFIX: &str = ".tmp";

/// BLAKE3 of everything `reader` yields, and its length, without storing it (to check a file
/// against the store, or to benchmark hashing). `source` names the reader in messages.
pub fn hash_reader(
    reader: &mut dyn Read,
    source: &str,
    cancel: &Cancel,
) -> Result<(ContentHash, u64)> {
    let mut hasher = blake3::Hasher::new();
    let mut buf = vec![0u8; CHUNK];
    let mut size = 0u64;
    loop {
        let n = match reader.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(read_error(source, &e)),
        };
        hasher.update(&buf[..n]);
        size += n as u64;
        cancel.check()?;
    }
    Ok((ContentHash(*hasher.finalize().as_bytes()), size))
}

/// A read failure of `source` in Chinese; a reader's own refusal ([`SourceRefused`]) as is.
fn read_error(source: &str, e: &io::Error) -> Error {
    match SourceRefused::message_of(e) {
        Some(m) => Error::BadFile(m.to_string()),
        None => Error::Io(format!("读取“{source}”失败：{}。", io_reason(e))),
    }
}

fn same_size(path: &Path, size: u64) -> bool {
    std::fs::metadata(path).is_ok_and(|m| m.is_file() && m.len() == size)
}

/// Makes a rename durable on systems that need the folder synced (best effort; Windows has no
/// such call and NTFS journals the rename).
fn sync_dir(dir: Option<&Path>) {
    #[cfg(unix)]
    if let Some(d) = dir
        && let Ok(f) = File::open(d)
    {
        let _ = f.sync_all();
    }
    #[cfg(not(unix))]
    let _ = dir;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fault::{self, FaultError, Step};

    fn store() -> (tempfile::TempDir, ObjectStore) {
        let d = tempfile::tempdir().unwrap();
        let s = ObjectStore::open(d.path()).unwrap();
        (d, s)
    }

    /// Every file under the objects folder, as paths relative to it.
    fn files(s: &ObjectStore) -> Vec<String> {
        fn walk(base: &Path, d: &Path, out: &mut Vec<String>) {
            for e in std::fs::read_dir(d).unwrap().flatten() {
                if e.file_type().unwrap().is_dir() {
                    walk(base, &e.path(), out);
                } else {
                    let rel = e.path().strip_prefix(base).unwrap().to_path_buf();
                    out.push(rel.to_string_lossy().replace('\\', "/"));
                }
            }
        }
        let mut out = Vec::new();
        walk(s.dir(), s.dir(), &mut out);
        out.sort();
        out
    }

    /// A reader that yields `len` bytes of a fixed pattern and counts the reads.
    struct Pattern {
        left: u64,
        pos: u64,
        reads: std::rc::Rc<std::cell::Cell<u32>>,
    }

    impl Pattern {
        fn new(len: u64) -> Pattern {
            Pattern {
                left: len,
                pos: 0,
                reads: Default::default(),
            }
        }
    }

    impl Read for Pattern {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            self.reads.set(self.reads.get() + 1);
            let n = (buf.len() as u64).min(self.left) as usize;
            for b in &mut buf[..n] {
                *b = (self.pos % 251) as u8;
                self.pos += 1;
            }
            self.left -= n as u64;
            Ok(n)
        }
    }

    #[test]
    fn put_stores_under_the_hash_of_the_content_in_a_fan_out_folder() {
        let (d, s) = store();
        let content = b"\xe5\x85\xb3\xe4\xba\x8e\xe5\x8d\xb0\xe5\x8f\x91 PDF bytes".to_vec();
        let st = s
            .put_reader(
                &mut &content[..],
                "通知.pdf",
                Some(content.len() as u64),
                &Cancel::new(),
            )
            .unwrap();
        assert_eq!(st.hash, ContentHash::of_bytes(&content));
        assert_eq!(st.size, content.len() as u64);
        assert!(st.fresh);
        let hex = st.hash.to_hex();
        let path = d
            .path()
            .join("evidence")
            .join("objects")
            .join(&hex[..2])
            .join(&hex[2..]);
        assert_eq!(s.path_of(&st.hash), path);
        assert_eq!(std::fs::read(&path).unwrap(), content);
        assert_eq!(files(&s), vec![format!("{}/{}", &hex[..2], &hex[2..])]);
        assert!(s.contains(&st.hash));
        assert_eq!(s.list().unwrap(), vec![st.hash]);
        let mut back = Vec::new();
        s.open_object(&st.hash)
            .unwrap()
            .read_to_end(&mut back)
            .unwrap();
        assert_eq!(back, content);
    }

    #[test]
    fn identical_content_from_two_sources_is_stored_once() {
        let (d, s) = store();
        let a = d.path().join("区司法局-通知.pdf");
        let b = d.path().join("区财政局-通知（副本）.pdf");
        std::fs::write(&a, b"same scan").unwrap();
        std::fs::write(&b, b"same scan").unwrap();
        let first = s.put_file(&a, &Cancel::new()).unwrap();
        let second = s.put_file(&b, &Cancel::new()).unwrap();
        assert!(first.fresh);
        assert!(!second.fresh, "deduplicated");
        assert_eq!(first.hash, second.hash);
        assert_eq!(
            files(&s).len(),
            1,
            "one object, no temp left: {:?}",
            files(&s)
        );
    }

    #[test]
    fn a_large_source_is_read_once_in_big_chunks() {
        let (_d, s) = store();
        let len = 5 * CHUNK as u64 + 17;
        let mut r = Pattern::new(len);
        let reads = r.reads.clone();
        let mut seen = 0;
        let st = s
            .put_with(
                &mut r,
                "扫描件.tif",
                Some(len),
                &Cancel::new(),
                &mut |n| seen += n,
            )
            .unwrap();
        assert_eq!(st.size, len);
        assert_eq!(seen, len);
        // 6 chunks plus the read that returns 0: the source is not read twice.
        assert_eq!(reads.get(), 7);
        let mut all = Vec::new();
        Pattern::new(len).read_to_end(&mut all).unwrap();
        assert_eq!(st.hash, ContentHash::of_bytes(&all));
    }

    #[test]
    fn cancel_mid_copy_leaves_no_temp_and_no_object() {
        let (_d, s) = store();
        let cancel = Cancel::new();
        let mut r = Pattern::new(10 * CHUNK as u64);
        let mut chunks = 0;
        let e = s
            .put_with(&mut r, "录像.mp4", None, &cancel, &mut |_| {
                chunks += 1;
                if chunks == 3 {
                    cancel.cancel();
                }
            })
            .unwrap_err();
        assert!(matches!(e, PutError::Cancelled), "{e:?}");
        assert_eq!(
            chunks, 3,
            "stopped right after the chunk that saw the cancel"
        );
        assert!(files(&s).is_empty(), "{:?}", files(&s));
        assert!(matches!(Error::from(e), Error::Cancelled));
    }

    #[test]
    fn a_failing_rename_leaves_no_object_and_no_temp() {
        let (_d, s) = store();
        let g = fault::arm(Step::Rename, 1, FaultError::file_in_use());
        let e = s
            .put_reader(
                &mut &b"content"[..],
                "单位材料.zip/通知.pdf",
                None,
                &Cancel::new(),
            )
            .unwrap_err();
        assert!(g.fired());
        let m = e.to_string();
        assert!(
            m.contains("单位材料.zip/通知.pdf") && m.contains("占用"),
            "{m}"
        );
        assert!(s.list().unwrap().is_empty());
        assert!(
            files(&s).is_empty(),
            "no object and no temp file: {:?}",
            files(&s)
        );
        drop(g);
        // The same content goes in once the fault is gone.
        let st = s
            .put_reader(&mut &b"content"[..], "通知.pdf", None, &Cancel::new())
            .unwrap();
        assert!(st.fresh);
    }

    #[test]
    fn a_full_disk_during_the_copy_names_the_source_and_leaves_nothing() {
        let (_d, s) = store();
        let g = fault::arm(Step::Write, 2, FaultError::disk_full());
        s.put_reader(&mut &b"first"[..], "一.pdf", None, &Cancel::new())
            .unwrap();
        let big = vec![7u8; 3 * CHUNK];
        let e = s
            .put_with(&mut &big[..], "二.pdf", None, &Cancel::new(), &mut |_| {})
            .unwrap_err();
        assert!(g.fired());
        let PutError::Store(e) = e else {
            panic!("a store-side failure: {e:?}")
        };
        let m = e.to_string();
        assert!(m.contains("二.pdf") && m.contains("磁盘空间不足"), "{m}");
        assert_eq!(files(&s).len(), 1, "only the first object: {:?}", files(&s));
    }

    #[test]
    fn a_source_that_fails_is_reported_as_the_source_side() {
        struct Broken;
        impl Read for Broken {
            fn read(&mut self, _: &mut [u8]) -> io::Result<usize> {
                Err(io::Error::from(io::ErrorKind::PermissionDenied))
            }
        }
        struct Refusing;
        impl Read for Refusing {
            fn read(&mut self, _: &mut [u8]) -> io::Result<usize> {
                Err(SourceRefused::io("压缩包“a.zip”中的“b.pdf”已损坏。".into()))
            }
        }
        let (_d, s) = store();
        let c = Cancel::new();
        let e = s
            .put_with(&mut Broken, "表.xlsx", None, &c, &mut |_| {})
            .unwrap_err();
        let PutError::Source(e) = e else {
            panic!("{e:?}")
        };
        assert!(e.to_string().starts_with("读取“表.xlsx”失败："), "{e}");
        let e = s
            .put_with(&mut Refusing, "b.pdf", None, &c, &mut |_| {})
            .unwrap_err();
        let PutError::Source(e) = e else {
            panic!("{e:?}")
        };
        assert_eq!(e.to_string(), "压缩包“a.zip”中的“b.pdf”已损坏。");
        // A size that changed while reading (someone still writing the file): shorter, or
        // longer (noticed at the first chunk beyond, not at the end).
        let e = s
            .put_with(&mut &b"abc"[..], "c.pdf", Some(10), &c, &mut |_| {})
            .unwrap_err();
        let PutError::Source(e) = e else {
            panic!("{e:?}")
        };
        assert!(e.to_string().contains("大小发生了变化"), "{e}");
        let mut r = Pattern::new(20 * CHUNK as u64);
        let e = s
            .put_with(&mut r, "d.pdf", Some(10), &c, &mut |_| {})
            .unwrap_err();
        assert!(matches!(e, PutError::Source(_)), "{e:?}");
        assert_eq!(r.reads.get(), 1);
        assert!(files(&s).is_empty(), "{:?}", files(&s));
    }

    #[test]
    fn put_file_names_a_missing_file() {
        let (d, s) = store();
        let e = s
            .put_file(&d.path().join("不存在.pdf"), &Cancel::new())
            .unwrap_err();
        let m = e.to_string();
        assert!(m.contains("不存在.pdf") && m.contains("不存在"), "{m}");
    }

    #[test]
    fn verify_tells_intact_altered_and_missing() {
        let (_d, s) = store();
        let c = Cancel::new();
        let st = s.put_reader(&mut &b"original"[..], "a", None, &c).unwrap();
        assert_eq!(s.verify(&st.hash, &c).unwrap(), Verdict::Intact);
        std::fs::write(s.path_of(&st.hash), b"tampered").unwrap();
        assert_eq!(
            s.verify(&st.hash, &c).unwrap(),
            Verdict::Altered {
                found: ContentHash::of_bytes(b"tampered"),
                size: 8
            }
        );
        std::fs::remove_file(s.path_of(&st.hash)).unwrap();
        assert_eq!(s.verify(&st.hash, &c).unwrap(), Verdict::Missing);
        let e = s.open_object(&st.hash).unwrap_err();
        assert_eq!(e.kind(), "notFound");
        assert!(e.to_string().contains(&st.hash.to_hex()), "{e}");
    }

    #[test]
    fn a_damaged_object_of_the_wrong_size_is_replaced_by_a_new_put() {
        let (_d, s) = store();
        let c = Cancel::new();
        let st = s
            .put_reader(&mut &b"good content"[..], "a", None, &c)
            .unwrap();
        std::fs::write(s.path_of(&st.hash), b"trunc").unwrap();
        let again = s
            .put_reader(&mut &b"good content"[..], "a", None, &c)
            .unwrap();
        assert!(again.fresh, "rewritten");
        assert_eq!(s.verify(&st.hash, &c).unwrap(), Verdict::Intact);
    }

    #[test]
    fn orphan_temps_are_removed_and_objects_kept() {
        let (_d, s) = store();
        let c = Cancel::new();
        let st = s.put_reader(&mut &b"keep"[..], "a", None, &c).unwrap();
        std::fs::write(s.dir().join(".shifan-crashed.tmp"), b"half").unwrap();
        std::fs::write(s.dir().join("readme.txt"), b"not ours").unwrap();
        assert_eq!(
            s.remove_orphan_temps(Duration::from_secs(3600)),
            0,
            "too young"
        );
        assert_eq!(s.remove_orphan_temps(Duration::ZERO), 1);
        assert!(s.contains(&st.hash));
        assert!(s.dir().join("readme.txt").exists());
    }

    #[test]
    fn hashes_print_and_parse_as_hex() {
        let h = ContentHash::of_bytes(b"abc");
        // The BLAKE3 test vector for "abc".
        assert_eq!(
            h.to_hex(),
            "6437b3ac38465133ffb63b75273a8db548c558465d79db03fd359c6cd5bd9d85"
        );
        assert_eq!(h.to_hex().parse::<ContentHash>().unwrap(), h);
        assert_eq!(h.to_hex().to_uppercase().parse::<ContentHash>().unwrap(), h);
        let e = "xyz".parse::<ContentHash>().unwrap_err();
        assert!(e.to_string().contains("内容指纹"), "{e}");
        assert_eq!(
            serde_json::to_string(&h).unwrap(),
            format!("\"{}\"", h.to_hex())
        );
        let back: ContentHash = serde_json::from_str(&format!("\"{}\"", h.to_hex())).unwrap();
        assert_eq!(back, h);
    }

    #[test]
    fn an_empty_source_is_a_valid_object() {
        let (_d, s) = store();
        let st = s
            .put_reader(&mut &b""[..], "空.txt", Some(0), &Cancel::new())
            .unwrap();
        assert_eq!(st.size, 0);
        assert_eq!(st.hash, ContentHash::of_bytes(b""));
        assert_eq!(s.verify(&st.hash, &Cancel::new()).unwrap(), Verdict::Intact);
    }
}
