//! Progress of a run, told to an observer: the engine says which stage runs
//! and how far it is; what is drawn (a terminal bar, a log line, nothing)
//! is the observer's business, so the engine holds no terminal code.

/// A stage of `siting plan`, as progress reports name it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Stage {
    /// Reading the config and its layers.
    Load,
    /// The model, indices, the rules' verdicts, demand items.
    Prepare,
    /// Coverage sets per site and operator (counted in sites).
    Coverage,
    /// Search rings and their towers (their coverage counted in sites).
    Rings,
    /// The optimiser's instance and solve (counted in solve rounds).
    Optimise,
    /// The plan's sites, phases and report.
    Assemble,
    /// The output files, built and switched in (counted in files).
    Write,
}

impl Stage {
    /// Every stage, in run order.
    pub const ALL: [Stage; 7] = [
        Stage::Load,
        Stage::Prepare,
        Stage::Coverage,
        Stage::Rings,
        Stage::Optimise,
        Stage::Assemble,
        Stage::Write,
    ];

    /// Its name in progress bars and logs (`coverage`).
    pub fn name(self) -> &'static str {
        match self {
            Stage::Load => "load",
            Stage::Prepare => "prepare",
            Stage::Coverage => "coverage",
            Stage::Rings => "rings",
            Stage::Optimise => "optimise",
            Stage::Assemble => "assemble",
            Stage::Write => "write",
        }
    }

    /// What its counts count (`sites`), or empty where it has none.
    pub fn unit(self) -> &'static str {
        match self {
            Stage::Coverage | Stage::Rings => "sites",
            Stage::Optimise => "solves",
            Stage::Write => "files",
            _ => "",
        }
    }
}

/// Observer of a run's progress. `start` and `finish` come in pairs, one
/// stage at a time; `advance` may be called from parallel workers, so it
/// must be cheap and thread-safe.
pub trait Progress: Sync {
    /// `stage` starts; `total` is its work in [`Stage::unit`] where known
    /// in advance (`None`: counted as it goes, as the rings' towers, or not
    /// at all where the unit is empty).
    fn start(&self, stage: Stage, total: Option<u64>);
    /// `n` more units of the current stage are done.
    fn advance(&self, n: u64);
    /// `stage` is done: what it took.
    fn finish(&self, stage: Stage, done: StageDone);
}

/// What a finished stage took.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct StageDone {
    /// Wall-clock seconds.
    pub seconds: f64,
    /// The process's peak resident memory during the stage, bytes, where
    /// the platform tells it ([`crate::memory`]).
    pub peak_rss_bytes: Option<u64>,
}

/// The observer that ignores everything.
#[derive(Debug, Clone, Copy, Default)]
pub struct Silent;

impl Progress for Silent {
    fn start(&self, _: Stage, _: Option<u64>) {}
    fn advance(&self, _: u64) {}
    fn finish(&self, _: Stage, _: StageDone) {}
}

/// Runs `f` as `stage`, timing it and taking its peak resident memory; the
/// observer hears the start and finish.
pub(crate) fn stage<T>(
    progress: &dyn Progress,
    stage: Stage,
    total: Option<u64>,
    timings: &mut Vec<(&'static str, f64)>,
    f: impl FnOnce() -> T,
) -> T {
    let clock = std::time::Instant::now();
    let sampler = crate::memory::PeakSampler::start();
    progress.start(stage, total);
    let out = f();
    let secs = clock.elapsed().as_secs_f64();
    let peak_rss_bytes = sampler.map(crate::memory::PeakSampler::finish);
    progress.finish(
        stage,
        StageDone {
            seconds: secs,
            peak_rss_bytes,
        },
    );
    timings.push((stage.name(), secs));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Mutex;

    #[derive(Default)]
    struct Log(Mutex<Vec<String>>);

    impl Progress for Log {
        fn start(&self, s: Stage, total: Option<u64>) {
            self.0
                .lock()
                .unwrap()
                .push(format!("start {} {total:?}", s.name()));
        }
        fn advance(&self, n: u64) {
            self.0.lock().unwrap().push(format!("+{n}"));
        }
        fn finish(&self, s: Stage, _: StageDone) {
            self.0.lock().unwrap().push(format!("finish {}", s.name()));
        }
    }

    #[test]
    fn a_stage_is_started_timed_and_finished() {
        let log = Log::default();
        let mut timings = Vec::new();
        let v = stage(&log, Stage::Write, Some(2), &mut timings, || {
            log.advance(2);
            7
        });
        assert_eq!(v, 7);
        assert_eq!(
            *log.0.lock().unwrap(),
            ["start write Some(2)", "+2", "finish write"]
        );
        assert_eq!(timings[0].0, "write");
    }
}
