//! Long jobs started from the UI: each carries an id chosen by the UI and a `Channel` for its
//! progress. `cancel_job` sets the job's cancel flag without touching the workspace lock (the
//! job itself holds that lock while it runs).

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;

use shifan_core::progress::{Cancel, JobProgress, Progress, Throttled};
use tauri::ipc::Channel;

/// Cancel flags of the jobs now running, by the UI's job id.
#[derive(Default)]
pub struct Jobs(Mutex<HashMap<String, Cancel>>);

impl Jobs {
    fn map(&self) -> std::sync::MutexGuard<'_, HashMap<String, Cancel>> {
        self.0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Registers a job; dropping the returned guard unregisters it.
    pub fn start(&self, id: Option<String>) -> JobGuard<'_> {
        let cancel = Cancel::new();
        if let Some(id) = &id {
            self.map().insert(id.clone(), cancel.clone());
        }
        JobGuard {
            jobs: self,
            id,
            cancel,
        }
    }

    /// True when a job with this id was running and is now asked to stop.
    pub fn cancel(&self, id: &str) -> bool {
        match self.map().get(id) {
            Some(c) => {
                c.cancel();
                true
            }
            None => false,
        }
    }
}

pub struct JobGuard<'a> {
    jobs: &'a Jobs,
    id: Option<String>,
    pub cancel: Cancel,
}

impl Drop for JobGuard<'_> {
    fn drop(&mut self) {
        if let Some(id) = &self.id {
            self.jobs.map().remove(id);
        }
    }
}

/// Environment variable naming a file that holds long jobs back while it exists: the real-window
/// test creates it, starts a long job, clicks 取消 in the progress window (which is then surely
/// still open), and removes it. Timing never decides whether the cancel lands in time.
pub const TEST_GATE_ENV: &str = "SHIFAN_TEST_JOB_GATE";

/// Progress sent over the job's channel, at most ten times a second. Without a channel (a
/// caller that does not care) reports go nowhere. While the test gate file exists, each report
/// with a known total is sent at once and then waits for the gate to go away (or for the job to
/// be cancelled), so the progress window is surely open, showing "N / M", when a test clicks
/// 取消.
pub fn paced_progress(channel: Option<Channel<JobProgress>>, cancel: Cancel) -> Paced {
    let gate = std::env::var_os(TEST_GATE_ENV).map(std::path::PathBuf::from);
    let channel = std::sync::Arc::new(channel);
    let sink = std::sync::Arc::clone(&channel);
    Paced {
        throttled: Throttled::new(
            Duration::from_millis(100),
            Box::new(move |p: JobProgress| {
                if let Some(ch) = sink.as_ref() {
                    // The window may be gone; nothing to do then.
                    let _ = ch.send(p);
                }
            }),
        ),
        channel,
        gate,
        cancel,
    }
}

type Sender = Box<dyn Fn(JobProgress) + Send + Sync>;

/// A throttled progress sink with the test gate in front of it.
pub struct Paced {
    throttled: Throttled<Sender>,
    channel: std::sync::Arc<Option<Channel<JobProgress>>>,
    gate: Option<std::path::PathBuf>,
    cancel: Cancel,
}

impl Progress for Paced {
    fn report(&self, done: u64, total: u64, what: &str) {
        match &self.gate {
            Some(g) if total > 0 && g.exists() => {
                if let Some(ch) = self.channel.as_ref() {
                    let _ = ch.send(JobProgress {
                        done,
                        total,
                        what: what.to_string(),
                    });
                }
                while g.exists() && !self.cancel.is_cancelled() {
                    std::thread::sleep(Duration::from_millis(20));
                }
            }
            _ => self.throttled.report(done, total, what),
        }
    }
}
