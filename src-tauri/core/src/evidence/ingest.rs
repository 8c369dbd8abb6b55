//! Ingest (入库): a [`Plan`] into the [`ObjectStore`], using both cores of the office PC.
//!
//! One thread walks the plan; the workers (the calling thread and `workers - 1` more) store.
//! A file on disk becomes a job a worker copies and hashes on its own
//! ([`ObjectStore::put_file_with`]), so a folder of scans keeps every worker busy. A zip entry
//! has to be inflated in archive order on the walking thread; it is passed to a worker as a
//! stream of chunks (up to 1 MiB) through a small bounded channel, so inflating (one core) and
//! hashing plus writing (another core) overlap. Memory stays bounded: at most `2 × workers`
//! jobs wait, and a stream holds at most 4 chunks in flight.
//!
//! Outcomes come back in plan order, whatever order the workers finish in. A problem with one
//! source (a file locked by Excel, a damaged zip entry) fails that entry only; a problem with
//! the store (disk full) or a cancel stops everything and is returned as the error. Objects
//! already stored by then stay (they are complete and content-addressed); nothing refers to
//! them until the caller records the outcomes.

use std::io::{self, Read};
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};
use std::sync::{Mutex, PoisonError};

use super::cas::{CHUNK, ObjectStore, PutError, SourceRefused, Stored};
use super::intake::{Delivery, Entry, Plan, Src};
use super::issue;
use crate::error::{Error, Result};
use crate::model::{ImportIssue, Severity};
use crate::progress::{Cancel, Progress};

/// What became of one entry of the plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Its content is in the store (freshly written, or already there).
    Stored(Stored),
    /// It could not be read; an issue says why.
    Failed,
}

/// What [`ingest`] did.
#[derive(Debug, Clone, PartialEq)]
pub struct IngestReport {
    /// One per entry of the plan, in plan order.
    pub outcomes: Vec<Outcome>,
    /// The scan's issues followed by those met while reading, in entry order.
    pub issues: Vec<ImportIssue>,
    /// Entries whose content was written now.
    pub fresh: usize,
    /// Entries whose content was already stored (from an earlier ingest or an earlier entry).
    pub deduplicated: usize,
    pub failed: usize,
    /// Bytes of content stored or found stored.
    pub bytes: u64,
}

/// Jobs a worker takes.
enum Job<'p> {
    File {
        index: usize,
        entry: &'p Entry,
        path: &'p Path,
    },
    Stream {
        index: usize,
        entry: &'p Entry,
        chunks: Receiver<Chunk>,
    },
}

enum Chunk {
    Data(Vec<u8>),
    End,
    /// The source failed; the message says how.
    Abort(String),
}

/// Chunks of a stream in flight between the inflating thread and its worker.
const STREAM_DEPTH: usize = 4;

/// Stores every entry of `plan` with `workers` writers (2 on the office PC; at least 1): the
/// calling thread is one of them, the plan is walked on a thread of its own. With one worker
/// every put runs on the calling thread (so [`crate::fault`], armed per thread, applies).
/// `progress` gets bytes stored of [`Plan::total_bytes`]; `cancel` is noticed within a chunk.
pub fn ingest(
    plan: &Plan,
    store: &ObjectStore,
    workers: usize,
    progress: &dyn Progress,
    cancel: &Cancel,
) -> Result<IngestReport> {
    let workers = workers.clamp(1, 16);
    let n = plan.entries().len();
    let shared = Shared {
        store,
        cancel,
        stop: Cancel::new(),
        fatal: Mutex::new(None),
        results: Mutex::new(vec![None; n]),
        issues: Mutex::new(Vec::new()),
        done: AtomicU64::new(0),
        total: plan.total_bytes(),
        progress,
    };
    progress.report(0, shared.total, "正在把材料存入证据库");
    let (jobs, queue) = sync_channel::<Job<'_>>(workers * 2);
    let queue = Mutex::new(queue);
    let walked = std::thread::scope(|s| {
        let shared = &shared;
        let walker = s.spawn(move || {
            let walked = plan.visit(&shared.stop, &|_| {}, &mut |index, entry, src| {
                if cancel.is_cancelled() {
                    shared.stop.cancel();
                }
                shared.stop.check()?;
                match src {
                    Src::Path(path) => {
                        let job = Job::File { index, entry, path };
                        jobs.send(job).map_err(|_| Error::Cancelled)?;
                        Ok(Delivery::Done)
                    }
                    Src::Reader(reader) => {
                        let (tx, chunks) = sync_channel(STREAM_DEPTH);
                        let job = Job::Stream {
                            index,
                            entry,
                            chunks,
                        };
                        jobs.send(job).map_err(|_| Error::Cancelled)?;
                        pump(reader, entry.size, &tx, &shared.stop)?;
                        Ok(Delivery::Done)
                    }
                }
            });
            // Workers finish the queued jobs and leave when the queue is closed.
            drop(jobs);
            walked
        });
        for _ in 1..workers {
            s.spawn(|| shared.work(&queue));
        }
        // The calling thread is worker 0: with one worker every write happens here, which is
        // what lets a test arm `crate::fault` (per thread) on an ingest.
        shared.work(&queue);
        walker
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
    });
    if let Some(e) = shared
        .fatal
        .into_inner()
        .unwrap_or_else(PoisonError::into_inner)
    {
        return Err(e);
    }
    if cancel.is_cancelled() {
        return Err(Error::Cancelled);
    }
    let walked = walked?;
    let results = shared
        .results
        .into_inner()
        .unwrap_or_else(PoisonError::into_inner);
    let mut read_issues = shared
        .issues
        .into_inner()
        .unwrap_or_else(PoisonError::into_inner);
    let mut outcomes: Vec<Outcome> = results
        .into_iter()
        .map(|r| r.unwrap_or(Outcome::Failed))
        .collect();
    for &i in &walked.failed {
        if let Some(o) = outcomes.get_mut(i) {
            *o = Outcome::Failed;
        }
    }
    // Issues of the walk (zip entries) and of the workers (files), in entry order.
    read_issues.extend(walked.issue_entries.iter().copied().zip(walked.issues));
    read_issues.sort_by_key(|(i, _)| *i);
    let mut issues = plan.issues().to_vec();
    issues.extend(read_issues.into_iter().map(|(_, issue)| issue));

    let mut report = IngestReport {
        outcomes,
        issues,
        fresh: 0,
        deduplicated: 0,
        failed: 0,
        bytes: 0,
    };
    for o in &report.outcomes {
        match o {
            Outcome::Stored(s) if s.fresh => report.fresh += 1,
            Outcome::Stored(_) => report.deduplicated += 1,
            Outcome::Failed => report.failed += 1,
        }
        if let Outcome::Stored(s) = o {
            report.bytes += s.size;
        }
    }
    progress.report(
        shared.done.load(Ordering::Relaxed),
        shared.total,
        &format!(
            "入库完成：新存入 {} 份，已有 {} 份，未能收取 {} 份",
            report.fresh, report.deduplicated, report.failed
        ),
    );
    Ok(report)
}

/// State the walking thread and the workers share.
struct Shared<'a> {
    store: &'a ObjectStore,
    /// The user's cancel.
    cancel: &'a Cancel,
    /// Set on the user's cancel or on a store failure: everyone stops.
    stop: Cancel,
    fatal: Mutex<Option<Error>>,
    results: Mutex<Vec<Option<Outcome>>>,
    /// Issues of file jobs, with their entry index.
    issues: Mutex<Vec<(usize, ImportIssue)>>,
    done: AtomicU64,
    total: u64,
    progress: &'a dyn Progress,
}

impl Shared<'_> {
    fn work(&self, queue: &Mutex<Receiver<Job<'_>>>) {
        loop {
            let job = {
                let q = queue.lock().unwrap_or_else(PoisonError::into_inner);
                match q.recv() {
                    Ok(job) => job,
                    Err(_) => return,
                }
            };
            if self.stop.is_cancelled() {
                // Dropping the job closes its stream, so the walking thread stops too.
                continue;
            }
            let (index, entry) = match &job {
                Job::File { index, entry, .. } | Job::Stream { index, entry, .. } => {
                    (*index, *entry)
                }
            };
            let location = entry.location();
            let what = format!("正在存入“{location}”");
            let mut on_bytes = |n: u64| {
                let d = self.done.fetch_add(n, Ordering::Relaxed) + n;
                self.progress.report(d, self.total, &what);
                if self.cancel.is_cancelled() {
                    self.stop.cancel();
                }
            };
            let (put, is_file) = match job {
                Job::File { path, .. } => (
                    self.store
                        .put_file_with(path, &location, &self.stop, &mut on_bytes),
                    true,
                ),
                Job::Stream { chunks, .. } => {
                    let mut r = ChunkReader {
                        chunks,
                        buf: Vec::new(),
                        pos: 0,
                        ended: false,
                    };
                    let put = self.store.put_with(
                        &mut r,
                        &location,
                        Some(entry.size),
                        &self.stop,
                        &mut on_bytes,
                    );
                    (put, false)
                }
            };
            let outcome = match put {
                Ok(stored) => Outcome::Stored(stored),
                Err(PutError::Source(e)) => {
                    // A stream's failure is reported by the walk, which saw it first.
                    if is_file {
                        let issue = issue(Severity::Error, &location, e.to_string());
                        self.issues
                            .lock()
                            .unwrap_or_else(PoisonError::into_inner)
                            .push((index, issue));
                    }
                    Outcome::Failed
                }
                Err(PutError::Store(e)) => {
                    let mut fatal = self.fatal.lock().unwrap_or_else(PoisonError::into_inner);
                    fatal.get_or_insert(e);
                    self.stop.cancel();
                    Outcome::Failed
                }
                Err(PutError::Cancelled) => {
                    self.stop.cancel();
                    Outcome::Failed
                }
            };
            if let Some(slot) = self
                .results
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .get_mut(index)
            {
                *slot = Some(outcome);
            }
        }
    }
}

/// Reads a zip entry (`size` bytes declared) into chunks of up to 1 MiB for its worker. A read
/// failure is passed on as `Abort` (the walk records it); a closed stream (the worker stopped)
/// ends the walk.
fn pump(reader: &mut dyn Read, size: u64, tx: &SyncSender<Chunk>, stop: &Cancel) -> Result<()> {
    let mut sent = 0u64;
    loop {
        // One byte more than what is left, so the end is seen in the same chunk.
        let want = size
            .saturating_sub(sent)
            .saturating_add(1)
            .min(CHUNK as u64);
        let mut buf = vec![0u8; want as usize];
        let mut filled = 0;
        let mut eof = false;
        while filled < buf.len() {
            match reader.read(&mut buf[filled..]) {
                Ok(0) => {
                    eof = true;
                    break;
                }
                Ok(k) => filled += k,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => {
                    let message =
                        SourceRefused::message_of(&e).map_or_else(|| e.to_string(), str::to_string);
                    let _ = tx.send(Chunk::Abort(message));
                    return Ok(());
                }
            }
        }
        if filled > 0 {
            sent += filled as u64;
            buf.truncate(filled);
            tx.send(Chunk::Data(buf)).map_err(|_| Error::Cancelled)?;
        }
        if eof {
            tx.send(Chunk::End).map_err(|_| Error::Cancelled)?;
            return Ok(());
        }
        stop.check()?;
    }
}

/// The worker's side of a stream.
struct ChunkReader {
    chunks: Receiver<Chunk>,
    buf: Vec<u8>,
    pos: usize,
    ended: bool,
}

impl Read for ChunkReader {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        loop {
            if self.pos < self.buf.len() {
                let n = out.len().min(self.buf.len() - self.pos);
                out[..n].copy_from_slice(&self.buf[self.pos..self.pos + n]);
                self.pos += n;
                return Ok(n);
            }
            if self.ended {
                return Ok(0);
            }
            match self.chunks.recv() {
                Ok(Chunk::Data(b)) => {
                    self.buf = b;
                    self.pos = 0;
                }
                Ok(Chunk::End) => self.ended = true,
                Ok(Chunk::Abort(m)) => return Err(SourceRefused::io(m)),
                Err(_) => return Err(SourceRefused::io("读取被中断，未收取该文件。".into())),
            }
        }
    }
}

/// For a benchmark (not used by the app): `files` files of `file_size` distinct pseudo-random
/// bytes are written under `scratch/input` (as loose files, or one Stored-method zip when
/// `zipped`), then scanned and ingested with `workers` workers into a fresh store under
/// `scratch/data`. Time the call; the report tells what was stored.
pub fn bench_ingest(
    scratch: &Path,
    files: usize,
    file_size: usize,
    workers: usize,
    zipped: bool,
) -> Result<IngestReport> {
    use std::io::Write;
    let input = scratch.join("input");
    let data = scratch.join("data");
    for d in [&input, &data] {
        if d.exists() {
            std::fs::remove_dir_all(d).map_err(|e| Error::io("清理文件夹", d, &e))?;
        }
        std::fs::create_dir_all(d).map_err(|e| Error::io("创建文件夹", d, &e))?;
    }
    let content = |i: usize| {
        // xorshift64*, seeded per file: incompressible and distinct.
        let mut x = 0x9E37_79B9_7F4A_7C15u64 ^ (i as u64 + 1);
        let mut v = Vec::with_capacity(file_size);
        while v.len() < file_size {
            x ^= x >> 12;
            x ^= x << 25;
            x ^= x >> 27;
            v.extend_from_slice(&x.wrapping_mul(0x2545_F491_4F6C_DD1D).to_le_bytes());
        }
        v.truncate(file_size);
        v
    };
    let dropped = if zipped {
        let path = input.join("材料.zip");
        let file = std::fs::File::create(&path).map_err(|e| Error::io("创建文件", &path, &e))?;
        let mut w = zip::ZipWriter::new(io::BufWriter::new(file));
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Stored)
            .large_file(file_size as u64 >= u32::MAX as u64);
        let fail = |e: &dyn std::fmt::Display| Error::Io(format!("生成测试压缩包失败：{e}。"));
        for i in 0..files {
            w.start_file(format!("材料/{i:05}.bin"), opts)
                .map_err(|e| fail(&e))?;
            w.write_all(&content(i)).map_err(|e| fail(&e))?;
        }
        w.finish().map_err(|e| fail(&e))?;
        path
    } else {
        for i in 0..files {
            let path = input.join(format!("{i:05}.bin"));
            std::fs::write(&path, content(i)).map_err(|e| Error::io("写入文件", &path, &e))?;
        }
        input.clone()
    };
    let store = ObjectStore::open(&data)?;
    let cancel = Cancel::new();
    let none = crate::progress::NoProgress;
    let plan = super::intake::scan(&[dropped], &Default::default(), &none, &cancel)?;
    ingest(&plan, &store, workers, &none, &cancel)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::evidence::cas::ContentHash;
    use crate::evidence::intake::{Limits, scan};
    use crate::evidence::testzip::{self, TestZip};
    use crate::progress::NoProgress;

    fn write(path: &Path, bytes: &[u8]) {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, bytes).unwrap();
    }

    /// Distinct, incompressible bytes.
    fn noise(seed: u64, len: usize) -> Vec<u8> {
        let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
        (0..len)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                x as u8
            })
            .collect()
    }

    /// Names in the objects folder that are not objects (temp files).
    fn temps(store: &ObjectStore) -> Vec<String> {
        std::fs::read_dir(store.dir())
            .unwrap()
            .flatten()
            .filter(|e| e.file_type().unwrap().is_file())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect()
    }

    fn plan_of(paths: &[PathBuf]) -> Plan {
        scan(paths, &Limits::default(), &NoProgress, &Cancel::new()).unwrap()
    }

    fn stored(o: &Outcome) -> Stored {
        match o {
            Outcome::Stored(s) => *s,
            Outcome::Failed => panic!("not stored"),
        }
    }

    use std::path::PathBuf;

    #[test]
    fn folders_and_zips_are_stored_in_plan_order_and_identical_content_once() {
        let d = tempfile::tempdir().unwrap();
        let folder = d.path().join("区司法局");
        let big = noise(1, 3 * CHUNK + 123);
        write(&folder.join("通知.pdf"), b"same scan");
        write(&folder.join("照片.jpg"), &noise(2, 40_000));
        for i in 0..6 {
            write(&folder.join(format!("材料{i}.pdf")), &noise(10 + i, 5000));
        }
        let zip = d.path().join("区财政局.zip");
        write(
            &zip,
            &TestZip::new()
                .file("材料/通知（副本）.pdf", b"same scan")
                .file("材料/录像.bin", &big)
                .finish(),
        );
        let plan = plan_of(&[folder, zip]);
        assert_eq!(plan.entries().len(), 10);
        let data = tempfile::tempdir().unwrap();
        let store = ObjectStore::open(data.path()).unwrap();
        let report = ingest(&plan, &store, 2, &NoProgress, &Cancel::new()).unwrap();
        assert_eq!(report.outcomes.len(), 10);
        let expect: Vec<Vec<u8>> = plan
            .entries()
            .iter()
            .map(|e| match e.location().as_str() {
                "区司法局/通知.pdf" | "区财政局.zip/材料/通知（副本）.pdf" => {
                    b"same scan".to_vec()
                }
                "区财政局.zip/材料/录像.bin" => big.clone(),
                _ => std::fs::read(e.file_path().unwrap()).unwrap(),
            })
            .collect();
        for (o, bytes) in report.outcomes.iter().zip(&expect) {
            let s = stored(o);
            assert_eq!(s.hash, ContentHash::of_bytes(bytes));
            assert_eq!(s.size, bytes.len() as u64);
            assert_eq!(std::fs::read(store.path_of(&s.hash)).unwrap(), *bytes);
        }
        assert_eq!(
            (report.fresh, report.deduplicated, report.failed),
            (9, 1, 0)
        );
        assert_eq!(store.list().unwrap().len(), 9);
        assert!(temps(&store).is_empty(), "{:?}", temps(&store));
        assert!(report.issues.is_empty());
        // Again: everything is there already.
        let again = ingest(&plan, &store, 2, &NoProgress, &Cancel::new()).unwrap();
        assert_eq!((again.fresh, again.deduplicated), (0, 10));
        let hashes = |r: &IngestReport| -> Vec<ContentHash> {
            r.outcomes.iter().map(|o| stored(o).hash).collect()
        };
        assert_eq!(hashes(&again), hashes(&report));
        // One worker gives the same result.
        let serial = ingest(&plan, &store, 1, &NoProgress, &Cancel::new()).unwrap();
        assert_eq!(hashes(&serial), hashes(&report));
    }

    #[test]
    fn a_file_that_vanished_fails_alone_with_an_issue_naming_it() {
        let d = tempfile::tempdir().unwrap();
        let folder = d.path().join("材料");
        for n in ["a.pdf", "b.pdf", "c.pdf"] {
            write(&folder.join(n), n.as_bytes());
        }
        let plan = plan_of(std::slice::from_ref(&folder));
        std::fs::remove_file(folder.join("b.pdf")).unwrap();
        let data = tempfile::tempdir().unwrap();
        let store = ObjectStore::open(data.path()).unwrap();
        let report = ingest(&plan, &store, 2, &NoProgress, &Cancel::new()).unwrap();
        assert!(matches!(report.outcomes[0], Outcome::Stored(_)));
        assert_eq!(report.outcomes[1], Outcome::Failed);
        assert!(matches!(report.outcomes[2], Outcome::Stored(_)));
        assert_eq!(report.failed, 1);
        assert_eq!(report.issues.len(), 1);
        let m = &report.issues[0].message;
        assert!(m.contains("材料/b.pdf") && m.contains("不存在"), "{m}");
        assert_eq!(report.issues[0].file, "材料/b.pdf");
    }

    #[test]
    fn a_lying_zip_entry_fails_leaving_no_object_and_the_rest_of_its_archive() {
        let d = tempfile::tempdir().unwrap();
        let mut zip = TestZip::new()
            .file("a.txt", b"first")
            .zeros("bomb.bin", 8 << 20)
            .file("c.txt", b"after")
            .finish();
        testzip::set_declared_size(&mut zip, 1, 3 << 20);
        let p = d.path().join("单位材料.zip");
        write(&p, &zip);
        let other = d.path().join("另一份.pdf");
        write(&other, b"other");
        let plan = plan_of(&[p, other]);
        let data = tempfile::tempdir().unwrap();
        let store = ObjectStore::open(data.path()).unwrap();
        let report = ingest(&plan, &store, 2, &NoProgress, &Cancel::new()).unwrap();
        assert!(matches!(report.outcomes[0], Outcome::Stored(_)));
        assert_eq!(report.outcomes[1], Outcome::Failed);
        assert_eq!(report.outcomes[2], Outcome::Failed);
        assert!(matches!(report.outcomes[3], Outcome::Stored(_)));
        assert_eq!(store.list().unwrap().len(), 2, "no object for the bomb");
        assert!(temps(&store).is_empty(), "{:?}", temps(&store));
        assert_eq!(report.issues.len(), 1);
        assert!(report.issues[0].message.contains("bomb.bin"));
    }

    #[test]
    fn cancel_during_a_long_entry_returns_cancelled_and_leaves_no_temp() {
        struct CancelAt<'a>(&'a Cancel);
        impl Progress for CancelAt<'_> {
            fn report(&self, done: u64, _: u64, _: &str) {
                if done > 0 {
                    self.0.cancel();
                }
            }
        }
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("录像.zip");
        write(
            &p,
            &TestZip::new()
                .file("录像.bin", &noise(5, 12 * CHUNK))
                .finish(),
        );
        let plan = plan_of(&[p]);
        let data = tempfile::tempdir().unwrap();
        let store = ObjectStore::open(data.path()).unwrap();
        let cancel = Cancel::new();
        let r = ingest(&plan, &store, 2, &CancelAt(&cancel), &cancel);
        assert!(matches!(r, Err(Error::Cancelled)), "{r:?}");
        assert!(store.list().unwrap().is_empty());
        assert!(temps(&store).is_empty(), "{:?}", temps(&store));
    }

    #[test]
    fn a_store_failure_stops_the_ingest_with_a_message_naming_the_file() {
        let d = tempfile::tempdir().unwrap();
        let folder = d.path().join("材料");
        write(&folder.join("a.pdf"), b"blocked content");
        for i in 0..5 {
            write(&folder.join(format!("b{i}.pdf")), &noise(i, 1000));
        }
        let plan = plan_of(&[folder]);
        let data = tempfile::tempdir().unwrap();
        let store = ObjectStore::open(data.path()).unwrap();
        // A file where the object's fan-out folder must go: the store cannot write there.
        let hex = ContentHash::of_bytes(b"blocked content").to_hex();
        std::fs::write(store.dir().join(&hex[..2]), b"in the way").unwrap();
        let e = ingest(&plan, &store, 2, &NoProgress, &Cancel::new()).unwrap_err();
        assert_eq!(e.kind(), "io");
        let m = e.to_string();
        assert!(m.contains("材料/a.pdf") && m.contains("证据库"), "{m}");
        assert!(
            temps(&store).iter().all(|t| t == &hex[..2]),
            "{:?}",
            temps(&store)
        );
    }

    #[test]
    fn injected_faults_on_a_one_worker_ingest_stop_it_with_nothing_half_written() {
        use crate::fault::{self, FaultError, Step};
        let d = tempfile::tempdir().unwrap();
        let folder = d.path().join("材料");
        for i in 0..3 {
            write(&folder.join(format!("{i}.pdf")), &noise(40 + i, 3000));
        }
        let zip = d.path().join("单位材料.zip");
        write(
            &zip,
            &TestZip::new()
                .file("压缩包里.pdf", &noise(50, 3000))
                .finish(),
        );
        let plan = plan_of(&[folder, zip]);
        // The rename of the second object fails as if Excel held it; the disk fills up on the
        // zip entry's temp file (the fourth put).
        let cases = [
            (Step::Rename, 2, FaultError::file_in_use(), "材料/1.pdf"),
            (
                Step::Write,
                4,
                FaultError::disk_full(),
                "单位材料.zip/压缩包里.pdf",
            ),
        ];
        for (step, nth, error, named) in cases {
            let data = tempfile::tempdir().unwrap();
            let store = ObjectStore::open(data.path()).unwrap();
            let g = fault::arm(step, nth, error);
            let e = ingest(&plan, &store, 1, &NoProgress, &Cancel::new()).unwrap_err();
            assert!(g.fired(), "{step:?}");
            let m = e.to_string();
            assert!(m.contains(named) && m.contains("证据库"), "{step:?}: {m}");
            assert_eq!(store.list().unwrap().len(), nth as usize - 1, "{step:?}");
            assert!(temps(&store).is_empty(), "{step:?}: {:?}", temps(&store));
        }
    }

    #[test]
    fn the_benchmark_entry_point_stores_what_it_generates() {
        let d = tempfile::tempdir().unwrap();
        for zipped in [false, true] {
            let r = bench_ingest(d.path(), 4, 70_000, 2, zipped).unwrap();
            assert_eq!((r.fresh, r.failed), (4, 0), "zipped: {zipped}");
            assert_eq!(r.bytes, 4 * 70_000);
        }
    }
}
