//! A progress bar for long runs, on a terminal only: hidden for the first second (a quick
//! run shows nothing), never drawn when stderr is not a terminal (cron, pipes, log files),
//! with --quiet or with JSON logs.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::cell::Cell;
use std::time::{Duration, Instant};

pub struct Progress {
    bar: Option<ProgressBar>,
    started: Instant,
    shown: Cell<bool>,
}

impl Progress {
    /// `enabled`: stderr is a terminal and neither --quiet nor JSON logs were asked for.
    pub fn new(total: u64, enabled: bool) -> Self {
        let bar = enabled.then(|| {
            let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::hidden());
            if let Ok(style) =
                ProgressStyle::with_template("{bar:40} {pos}/{len} files {elapsed} (eta {eta})")
            {
                bar.set_style(style);
            }
            bar
        });
        Progress {
            bar,
            started: Instant::now(),
            shown: Cell::new(false),
        }
    }

    pub fn tick(&self) {
        let Some(bar) = &self.bar else { return };
        bar.inc(1);
        if !self.shown.get() && self.started.elapsed() > Duration::from_secs(1) {
            bar.set_draw_target(ProgressDrawTarget::stderr());
            self.shown.set(true);
        }
    }

    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}
