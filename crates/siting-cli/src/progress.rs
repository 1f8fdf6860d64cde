//! Progress bars (`indicatif`) for the engine's stages, and a log writer
//! that keeps log lines and bars apart.
//!
//! Bars are drawn on standard error only when it is a terminal, and never
//! with `--quiet`; a stage with a known amount of work (coverage in sites,
//! optimise in solves, write in files) gets a bar with counts and ETA; the
//! rings' towers, counted as they come, a spinner with the count; the others
//! a spinner with the time spent.

use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};
use siting_engine::{Progress, Stage, StageDone};
use std::io::Write;
use std::sync::Mutex;
use std::time::Duration;

/// Draws one bar per stage of a run.
pub struct Bars {
    multi: MultiProgress,
    bar: Mutex<Option<ProgressBar>>,
    structured: bool,
}

impl Bars {
    /// Bars on standard error (hidden when it is not a terminal), or none
    /// at all when `hidden`. With `structured`, a stage's end is logged
    /// with fields `stage`, `seconds` and `peak_rss_mib` (for JSON logs);
    /// else as text.
    pub fn new(hidden: bool, structured: bool) -> Bars {
        let target = if hidden {
            ProgressDrawTarget::hidden()
        } else {
            ProgressDrawTarget::stderr()
        };
        Bars {
            multi: MultiProgress::with_draw_target(target),
            bar: Mutex::new(None),
            structured,
        }
    }

    /// Where log lines go so that they do not tear a bar.
    pub fn log_writer(&self) -> LogWriter {
        LogWriter {
            multi: self.multi.clone(),
        }
    }

    fn current(&self) -> Option<ProgressBar> {
        self.bar.lock().ok().and_then(|b| b.clone())
    }
}

fn style(template: &str) -> ProgressStyle {
    ProgressStyle::with_template(template).unwrap_or_else(|_| ProgressStyle::default_bar())
}

impl Progress for Bars {
    fn start(&self, stage: Stage, total: Option<u64>) {
        let bar = match total {
            Some(n) => self.multi.add(ProgressBar::new(n)).with_style(
                style("{prefix:>9} [{bar:30}] {pos}/{len} {msg} ({elapsed}, ETA {eta})")
                    .progress_chars("=> "),
            ),
            None if !stage.unit().is_empty() => self
                .multi
                .add(ProgressBar::new_spinner())
                .with_style(style("{prefix:>9} {spinner} {pos} {msg} ({elapsed})")),
            None => self
                .multi
                .add(ProgressBar::new_spinner())
                .with_style(style("{prefix:>9} {spinner} {elapsed}")),
        };
        bar.set_prefix(stage.name());
        bar.set_message(stage.unit());
        bar.enable_steady_tick(Duration::from_millis(200));
        if let Ok(mut b) = self.bar.lock() {
            *b = Some(bar);
        }
    }

    fn advance(&self, n: u64) {
        if let Some(b) = self.current() {
            b.inc(n);
        }
    }

    fn finish(&self, stage: Stage, done: StageDone) {
        let seconds = done.seconds;
        let peak_rss_mib = done.peak_rss_bytes.map(|b| b as f64 / (1u64 << 20) as f64);
        if let Ok(mut b) = self.bar.lock() {
            if let Some(bar) = b.take() {
                bar.finish_and_clear();
                self.multi.remove(&bar);
            }
        }
        match (self.structured, peak_rss_mib) {
            (true, Some(peak_rss_mib)) => {
                tracing::info!(stage = stage.name(), seconds, peak_rss_mib, "stage done")
            }
            (true, None) => tracing::info!(stage = stage.name(), seconds, "stage done"),
            (false, Some(mib)) => {
                tracing::info!("{}: {seconds:.2} s, peak {mib:.0} MiB", stage.name())
            }
            (false, None) => tracing::info!("{}: {seconds:.2} s", stage.name()),
        }
    }
}

/// A `tracing` writer to standard error that hides the bars while it writes.
#[derive(Clone)]
pub struct LogWriter {
    multi: MultiProgress,
}

impl Write for LogWriter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.multi
            .suspend(|| std::io::stderr().lock().write_all(buf))
            .map(|()| buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        std::io::stderr().flush()
    }
}

impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for LogWriter {
    type Writer = LogWriter;
    fn make_writer(&'a self) -> Self::Writer {
        self.clone()
    }
}
