//! Progress and cancellation for long work (imports, evidence ingest, archive export, backups),
//! without any UI types: the shell forwards progress as events, the CLI draws a bar.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use crate::error::{Error, Result};

/// Where a long operation reports how far it got.
pub trait Progress: Send + Sync {
    /// `done` of `total` steps; `what` names the current item in Chinese.
    fn report(&self, done: u64, total: u64, what: &str);
}

/// A sink that ignores reports.
pub struct NoProgress;

impl Progress for NoProgress {
    fn report(&self, _: u64, _: u64, _: &str) {}
}

/// A flag the user's "取消" button sets; long work checks it between steps.
#[derive(Clone, Default)]
pub struct Cancel(Arc<AtomicBool>);

impl Cancel {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn cancel(&self) {
        self.0.store(true, Ordering::SeqCst);
    }

    pub fn is_cancelled(&self) -> bool {
        self.0.load(Ordering::SeqCst)
    }

    /// Err(Cancelled) once cancelled: `cancel.check()?` between steps.
    pub fn check(&self) -> Result<()> {
        if self.is_cancelled() {
            Err(Error::Cancelled)
        } else {
            Ok(())
        }
    }
}

/// A long job's two handles: where it reports how far it got, and the flag that stops it.
/// Every long method of the engine takes one `&Job`; callers that do not care pass
/// [`Job::quiet`].
pub struct Job<'a> {
    progress: &'a dyn Progress,
    cancel: Cancel,
}

static NO_PROGRESS: NoProgress = NoProgress;

impl Job<'static> {
    /// A job nobody watches and nobody cancels.
    pub fn quiet() -> Job<'static> {
        Job {
            progress: &NO_PROGRESS,
            cancel: Cancel::new(),
        }
    }
}

impl<'a> Job<'a> {
    pub fn new(progress: &'a dyn Progress, cancel: Cancel) -> Job<'a> {
        Job { progress, cancel }
    }

    /// `done` of `total` steps (0 when not known); `what` in Chinese.
    pub fn report(&self, done: u64, total: u64, what: &str) {
        self.progress.report(done, total, what);
    }

    /// Err(Cancelled) once the user asked to stop: `job.check()?` between steps.
    pub fn check(&self) -> Result<()> {
        self.cancel.check()
    }

    pub fn cancel(&self) -> &Cancel {
        &self.cancel
    }

    pub fn progress(&self) -> &dyn Progress {
        self.progress
    }
}

/// Progress of an import in stages: reading and checking (no percentage for a one-file
/// reader, which takes the file in one go; a folder importer reports its own files), then for
/// an apply backing up and writing. A cancel takes effect at the next stage, always before
/// anything is written.
pub(crate) struct Stages<'a, 'j> {
    job: &'a Job<'j>,
    file: String,
}

impl<'a, 'j> Stages<'a, 'j> {
    pub(crate) fn start(path: &std::path::Path, job: &'a Job<'j>) -> Self {
        let file = crate::sheet::display_name(path);
        job.report(0, 0, &format!("正在读取并核对“{file}”"));
        Self { job, file }
    }

    /// The preview is ready (or the user cancelled while the file was read).
    pub(crate) fn checked(&self) -> Result<()> {
        self.job.check()?;
        self.job.report(1, 1, &format!("“{}”核对完成", self.file));
        Ok(())
    }

    pub(crate) fn backing_up(&self) -> Result<()> {
        self.job.check()?;
        self.job.report(1, 3, "正在备份现有数据");
        Ok(())
    }

    /// Last chance to cancel: after this the import is one transaction.
    pub(crate) fn writing(&self) -> Result<()> {
        self.job.check()?;
        self.job
            .report(2, 3, &format!("正在写入“{}”的内容", self.file));
        Ok(())
    }
}

/// One progress report of a long job, as the desktop shell streams it to the UI.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct JobProgress {
    /// Steps done so far.
    #[ts(type = "number")]
    pub done: u64,
    /// All steps; 0 while the total is not known yet.
    #[ts(type = "number")]
    pub total: u64,
    /// What is being done now, in Chinese ("正在生成“区司法局”的工作表").
    pub what: String,
}

/// Forwards reports to `send` at most every `interval` (plus the first and the final one), so
/// a thousand quick steps do not flood the UI.
pub struct Throttled<F: Fn(JobProgress) + Send + Sync> {
    send: F,
    interval: std::time::Duration,
    last: std::sync::Mutex<Option<std::time::Instant>>,
}

impl<F: Fn(JobProgress) + Send + Sync> Throttled<F> {
    pub fn new(interval: std::time::Duration, send: F) -> Self {
        Self {
            send,
            interval,
            last: std::sync::Mutex::new(None),
        }
    }
}

impl<F: Fn(JobProgress) + Send + Sync> Progress for Throttled<F> {
    fn report(&self, done: u64, total: u64, what: &str) {
        let now = std::time::Instant::now();
        let mut last = self
            .last
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let due = match *last {
            None => true,
            Some(t) => now.duration_since(t) >= self.interval || (total > 0 && done >= total),
        };
        if due {
            *last = Some(now);
            drop(last);
            (self.send)(JobProgress {
                done,
                total,
                what: what.to_string(),
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Mutex;

    #[test]
    fn throttled_keeps_first_and_last_report_and_drops_the_flood() {
        let seen = Mutex::new(Vec::new());
        let p = Throttled::new(std::time::Duration::from_secs(3600), |j: JobProgress| {
            seen.lock().unwrap().push((j.done, j.total))
        });
        for i in 0..=1000 {
            p.report(i, 1000, "步骤");
        }
        assert_eq!(*seen.lock().unwrap(), vec![(0, 1000), (1000, 1000)]);
    }

    #[test]
    fn cancel_is_shared_between_clones() {
        let c = Cancel::new();
        let d = c.clone();
        assert!(c.check().is_ok());
        d.cancel();
        assert!(matches!(c.check(), Err(Error::Cancelled)));
    }
}
