//! Progress bar and Ctrl-C for long commands: the bar is drawn on stderr only when stderr is a
//! terminal (scripts and `--json` consumers see nothing extra); Ctrl-C sets the core's cancel
//! flag, so the operation stops between steps and leaves everything as it was.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use shifan_core::Job;
use shifan_core::progress::{Cancel, Progress};

/// A terminal progress bar plus the cancel flag wired to Ctrl-C.
pub struct Bar {
    bar: ProgressBar,
    cancel: Cancel,
}

impl Bar {
    pub fn start() -> Bar {
        let cancel = Cancel::new();
        let flag = cancel.clone();
        // Fails only if a handler is already installed (a second job in one process); the
        // first handler then still cancels through its own flag, which is good enough.
        let _ = ctrlc::set_handler(move || {
            if flag.is_cancelled() {
                // A second Ctrl-C: the user wants out now. Writes are crash-safe, so this
                // is no worse than a power cut.
                std::process::exit(130);
            }
            eprintln!("\n正在取消……（再按一次 Ctrl-C 立即退出）");
            flag.cancel();
        });
        let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
        bar.set_style(
            ProgressStyle::with_template("{spinner} [{bar:30}] {pos}/{len} {msg}")
                .unwrap_or_else(|_| ProgressStyle::default_bar())
                .progress_chars("=> "),
        );
        Bar { bar, cancel }
    }

    /// The core's handle for the running command: reports go to the bar, Ctrl-C cancels.
    pub fn job(&self) -> Job<'_> {
        Job::new(self, self.cancel.clone())
    }
}

impl Progress for Bar {
    fn report(&self, done: u64, total: u64, what: &str) {
        if total > 0 {
            self.bar.set_length(total);
        }
        self.bar.set_position(done);
        self.bar.set_message(what.to_string());
    }
}

impl Drop for Bar {
    fn drop(&mut self) {
        self.bar.finish_and_clear();
    }
}
