//! Fault injection for the crash-safe write path, so tests can show what a user sees when the
//! disk is full, the folder is read-only or Excel holds the file — situations a test machine
//! (running as root, on a roomy disk) cannot produce for real.
//!
//! Every file Shifan writes whole-or-not-at-all (`sheet::write::write_atomic`/`save_atomic`/
//! `write_all_atomic`, `backup::copy_atomic`, the hand-over file) passes two points: writing the
//! content of its temp file ([`Step::Write`], counted once per file) and the final rename onto
//! the target ([`Step::Rename`]). [`arm`] makes the n-th occurrence of one point on the calling
//! thread fail with a chosen OS error. A failing write really writes a little first, as a full
//! disk does, so the temp file is partial on disk when the error surfaces.
//!
//! Nothing here is active unless a caller arms it; production code never does. The state is
//! per thread, so tests running in parallel do not disturb each other.

use std::cell::RefCell;
use std::io::{self, Write};
use std::path::Path;

/// Where a write can fail.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// Writing the content of a file's temp file (once per file).
    Write,
    /// Renaming the finished temp file onto the target.
    Rename,
}

/// The error an armed fault produces.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FaultError {
    /// A raw OS error code of the platform the tests run on.
    Os(i32),
    /// An error of this kind without an OS code.
    Kind(io::ErrorKind),
}

impl FaultError {
    /// "Disk full" as the platform reports it (ENOSPC / ERROR_DISK_FULL).
    pub fn disk_full() -> FaultError {
        FaultError::Os(if cfg!(windows) { 112 } else { 28 })
    }

    /// "Permission denied" as the platform reports it (EACCES / ERROR_ACCESS_DENIED): a
    /// read-only folder, or on Windows a target Excel holds open while we replace it.
    pub fn permission_denied() -> FaultError {
        FaultError::Os(if cfg!(windows) { 5 } else { 13 })
    }

    /// A file held open by another program: ERROR_SHARING_VIOLATION (32) on Windows. Other
    /// systems have no mandatory sharing modes; the nearest they report is "resource busy"
    /// (EBUSY, e.g. a file locked on a network share), which Shifan words the same way.
    pub fn file_in_use() -> FaultError {
        if cfg!(windows) {
            FaultError::Os(32)
        } else {
            FaultError::Kind(io::ErrorKind::ResourceBusy)
        }
    }

    fn to_io(self) -> io::Error {
        match self {
            FaultError::Os(code) => io::Error::from_raw_os_error(code),
            FaultError::Kind(kind) => io::Error::from(kind),
        }
    }
}

#[derive(Debug)]
struct Armed {
    step: Step,
    nth: u32,
    error: FaultError,
    seen: u32,
    fired: bool,
}

thread_local! {
    static ARMED: RefCell<Option<Armed>> = const { RefCell::new(None) };
}

/// Disarms the fault when dropped; tells whether it fired.
#[must_use = "the fault is disarmed when the guard is dropped"]
pub struct FaultGuard(());

impl FaultGuard {
    /// Whether the armed fault was reached (a test whose fault never fired proves nothing).
    pub fn fired(&self) -> bool {
        ARMED.with(|a| a.borrow().as_ref().is_some_and(|a| a.fired))
    }
}

impl Drop for FaultGuard {
    fn drop(&mut self) {
        ARMED.with(|a| *a.borrow_mut() = None);
    }
}

/// Make the `nth` (1-based) occurrence of `step` on this thread fail with `error`, until the
/// guard is dropped. Only one fault is armed at a time; arming again replaces it.
pub fn arm(step: Step, nth: u32, error: FaultError) -> FaultGuard {
    ARMED.with(|a| {
        *a.borrow_mut() = Some(Armed {
            step,
            nth: nth.max(1),
            error,
            seen: 0,
            fired: false,
        })
    });
    FaultGuard(())
}

/// Count one occurrence of `step`; the error when this is the armed one.
fn fires(step: Step) -> Option<FaultError> {
    ARMED.with(|a| {
        let mut a = a.borrow_mut();
        let armed = a.as_mut()?;
        if armed.step != step || armed.fired {
            return None;
        }
        armed.seen += 1;
        if armed.seen == armed.nth {
            armed.fired = true;
            Some(armed.error)
        } else {
            None
        }
    })
}

/// Before the final rename onto `_target`: fails when armed.
pub(crate) fn before_rename(_target: &Path) -> io::Result<()> {
    match fires(Step::Rename) {
        Some(e) => Err(e.to_io()),
        None => Ok(()),
    }
}

/// A writer for the content of one temp file. When this file is the armed write, it lets the
/// first bytes through (half the first buffer, at most 4 KiB, so a partial temp file exists
/// on disk) and then fails.
pub(crate) fn writer<W: Write>(inner: W) -> FaultyWriter<W> {
    FaultyWriter {
        inner,
        fail: fires(Step::Write).map(|e| (e, None)),
    }
}

pub(crate) struct FaultyWriter<W> {
    inner: W,
    /// The error to return and how many bytes may still pass before it (decided at the first
    /// write).
    fail: Option<(FaultError, Option<usize>)>,
}

impl<W: Write> Write for FaultyWriter<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let Some((e, left)) = &mut self.fail else {
            return self.inner.write(buf);
        };
        let left = left.get_or_insert((buf.len() / 2).min(4096));
        if *left == 0 {
            // Keeps failing, as a full disk does.
            return Err(e.to_io());
        }
        let n = self.inner.write(&buf[..buf.len().min(*left)])?;
        *left -= n;
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

impl<W: io::Seek> io::Seek for FaultyWriter<W> {
    fn seek(&mut self, pos: io::SeekFrom) -> io::Result<u64> {
        self.inner.seek(pos)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_nth_write_fails_after_writing_a_little() {
        let g = arm(Step::Write, 2, FaultError::disk_full());
        let mut ok = writer(Vec::new());
        ok.write_all(&[1u8; 10_000]).expect("first write passes");
        assert!(!g.fired());
        let mut buf = Vec::new();
        let e = writer(&mut buf)
            .write_all(&[2u8; 10_000])
            .expect_err("second fails");
        assert!(g.fired());
        assert_eq!(
            e.raw_os_error(),
            FaultError::disk_full().to_io().raw_os_error()
        );
        assert_eq!(buf.len(), 4096, "partial content written first");
        // A small file fails too, half written.
        let g = arm(Step::Write, 1, FaultError::disk_full());
        let mut small = Vec::new();
        assert!(writer(&mut small).write_all(b"0123456789").is_err());
        assert!(g.fired());
        assert_eq!(small, b"01234");
        drop(g);
        let mut after = writer(Vec::new());
        after.write_all(b"x").expect("disarmed");
    }

    #[test]
    fn renames_fail_only_when_armed() {
        assert!(before_rename(Path::new("a")).is_ok());
        let g = arm(Step::Rename, 1, FaultError::permission_denied());
        assert!(before_rename(Path::new("a")).is_err());
        assert!(before_rename(Path::new("b")).is_ok(), "fires once");
        assert!(g.fired());
    }
}
