//! Where a build spends its time, stage by stage, for `--timings` and debug logs.

use std::time::{Duration, Instant};

/// How long each stage took, for `--timings` and debug logs.
#[derive(Debug, Default, Clone)]
pub struct Timings {
    pub stages: Vec<(&'static str, Duration)>,
}

impl Timings {
    pub fn record(&mut self, stage: &'static str, start: Instant) {
        let elapsed = start.elapsed();
        log::debug!("{stage}: {elapsed:?}");
        self.stages.push((stage, elapsed));
    }
}
