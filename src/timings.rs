//! Where a build spends its time: stage by stage, and template by template, for `--timings`
//! and debug logs. Template cost is the most common cause of a slow site, so a theme author can
//! see which of theirs are expensive.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// How long each stage took, and the templates' total rendering time.
#[derive(Debug, Default, Clone)]
pub struct Timings {
    pub stages: Vec<(&'static str, Duration)>,
    /// Per template: total time over all its renders (summed over threads) and how many.
    pub templates: Vec<TemplateTime>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateTime {
    pub name: String,
    pub total: Duration,
    pub renders: u64,
}

impl Timings {
    pub fn record(&mut self, stage: &'static str, start: Instant) {
        self.record_duration(stage, start.elapsed());
    }

    pub fn record_duration(&mut self, stage: &'static str, took: Duration) {
        log::debug!("{stage}: {took:?}");
        self.stages.push((stage, took));
    }

    /// The `n` templates that took longest in total.
    pub fn slowest_templates(&self, n: usize) -> Vec<&TemplateTime> {
        let mut all: Vec<&TemplateTime> = self.templates.iter().collect();
        all.sort_by(|a, b| b.total.cmp(&a.total).then_with(|| a.name.cmp(&b.name)));
        all.truncate(n);
        all
    }
}

/// Adds up template rendering times from many threads.
#[derive(Debug, Default)]
pub struct TemplateClock {
    times: Mutex<HashMap<String, (Duration, u64)>>,
}

impl TemplateClock {
    pub fn add(&self, template: &str, took: Duration) {
        let mut times = self.times.lock().unwrap_or_else(|e| e.into_inner());
        match times.get_mut(template) {
            Some((total, renders)) => {
                *total += took;
                *renders += 1;
            }
            None => {
                times.insert(template.to_string(), (took, 1));
            }
        }
    }

    /// Adds another clock's times (another language's render) to this one's.
    pub fn merge(&self, other: TemplateClock) {
        let other = other.times.into_inner().unwrap_or_else(|e| e.into_inner());
        let mut times = self.times.lock().unwrap_or_else(|e| e.into_inner());
        for (name, (took, renders)) in other {
            let entry = times.entry(name).or_default();
            entry.0 += took;
            entry.1 += renders;
        }
    }

    pub fn into_times(self) -> Vec<TemplateTime> {
        self.times
            .into_inner()
            .unwrap_or_else(|e| e.into_inner())
            .into_iter()
            .map(|(name, (total, renders))| TemplateTime {
                name,
                total,
                renders,
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slowest_templates_first() {
        let clock = TemplateClock::default();
        clock.add("a.html", Duration::from_millis(1));
        clock.add("b.html", Duration::from_millis(5));
        clock.add("a.html", Duration::from_millis(1));
        let timings = Timings {
            templates: clock.into_times(),
            ..Timings::default()
        };
        let slowest = timings.slowest_templates(1);
        assert_eq!(slowest[0].name, "b.html");
        assert_eq!(
            timings
                .templates
                .iter()
                .find(|t| t.name == "a.html")
                .unwrap()
                .renders,
            2
        );
    }
}
