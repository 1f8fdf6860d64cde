//! The process's resident memory, for the stages' reports: its peak during
//! a stage, where the platform tells it.
//!
//! On Linux a sampler thread reads the resident set size (`VmRSS` in
//! `/proc/self/status`, proc(5)) every [`SAMPLE_INTERVAL`] while the stage
//! runs and keeps the largest; a peak shorter than the interval can be
//! missed. It leaves the kernel's own peak (`VmHWM`, what `time -v`
//! reports for the whole run) untouched. Elsewhere there is no per-stage
//! figure.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;

/// How often a [`PeakSampler`] reads the resident memory.
pub const SAMPLE_INTERVAL: Duration = Duration::from_millis(10);

/// The process's resident memory now, bytes, where the platform tells it.
pub fn rss_bytes() -> Option<u64> {
    #[cfg(target_os = "linux")]
    {
        let status = std::fs::read_to_string("/proc/self/status").ok()?;
        status_kib(&status, "VmRSS:").map(|k| k * 1024)
    }
    #[cfg(not(target_os = "linux"))]
    {
        None
    }
}

/// The value of field `key` (`VmRSS:`) of a `/proc/PID/status` text, KiB
/// (the kernel writes `kB`, meaning KiB).
fn status_kib(status: &str, key: &str) -> Option<u64> {
    let line = status.lines().find(|l| l.starts_with(key))?;
    let mut words = line[key.len()..].split_whitespace();
    let n: u64 = words.next()?.parse().ok()?;
    match words.next() {
        Some("kB") => Some(n),
        _ => None,
    }
}

/// Samples the resident memory in a thread of its own until finished.
#[derive(Debug)]
pub struct PeakSampler {
    stop: Arc<AtomicBool>,
    peak: Arc<AtomicU64>,
    thread: JoinHandle<()>,
}

impl PeakSampler {
    /// Starts sampling; `None` where the platform does not tell the
    /// resident memory or no thread can be started.
    pub fn start() -> Option<PeakSampler> {
        let first = rss_bytes()?;
        let stop = Arc::new(AtomicBool::new(false));
        let peak = Arc::new(AtomicU64::new(first));
        let (s, p) = (Arc::clone(&stop), Arc::clone(&peak));
        let thread = std::thread::Builder::new()
            .name("rss-sampler".into())
            .spawn(move || {
                while !s.load(Ordering::Relaxed) {
                    if let Some(now) = rss_bytes() {
                        p.fetch_max(now, Ordering::Relaxed);
                    }
                    std::thread::park_timeout(SAMPLE_INTERVAL);
                }
            })
            .ok()?;
        Some(PeakSampler { stop, peak, thread })
    }

    /// Stops sampling: the largest resident memory seen, bytes (the
    /// resident memory now included).
    pub fn finish(self) -> u64 {
        self.stop.store(true, Ordering::Relaxed);
        self.thread.thread().unpark();
        // A sampler that panicked still leaves the samples it took.
        let _ = self.thread.join();
        if let Some(now) = rss_bytes() {
            self.peak.fetch_max(now, Ordering::Relaxed);
        }
        self.peak.load(Ordering::Relaxed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_read_from_the_status_text() {
        let status = "Name:\tsiting\nVmHWM:\t  812340 kB\nVmRSS:\t  500000 kB\n";
        assert_eq!(status_kib(status, "VmRSS:"), Some(500_000));
        assert_eq!(status_kib(status, "VmHWM:"), Some(812_340));
        assert_eq!(status_kib("VmRSS:\t12 MB\n", "VmRSS:"), None);
        assert_eq!(status_kib("Name:\tx\n", "VmRSS:"), None);
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn the_sampler_sees_memory_touched_and_freed_while_it_runs() {
        let sampler = PeakSampler::start().expect("Linux reports VmRSS");
        let before = rss_bytes().expect("Linux reports VmRSS");
        let block = vec![1u8; 64 << 20];
        assert!(block.iter().step_by(4096).all(|&b| b == 1));
        std::thread::sleep(SAMPLE_INTERVAL * 5);
        drop(block);
        let peak = sampler.finish();
        assert!(peak >= before + (48 << 20), "{before} → {peak}");
    }
}
