//! Progress bar and Ctrl-C for long commands: the bar is drawn on stderr only when stderr is a
//! terminal (scripts and `--json` consumers see nothing extra); Ctrl-C sets the core's cancel
//! flag, so the operation stops between steps and leaves everything as it was.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use shifan_core::progress::{Cancel, Progress};

/// A terminal progress bar plus the cancel flag wired to Ctrl-C.
pub struct Job {
    bar: ProgressBar,
    pub cancel: Cancel,
}

impl Job {
    pub fn start() -> Job {
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
        Job { bar, cancel }
    }
}

impl Progress for Job {
    fn report(&self, done: u64, total: u64, what: &str) {
        if total > 0 {
            self.bar.set_length(total);
        }
        self.bar.set_position(done);
        self.bar.set_message(what.to_string());
    }
}

impl Drop for Job {
    fn drop(&mut self) {
        self.bar.finish_and_clear();
    }
}
