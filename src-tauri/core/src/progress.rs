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
