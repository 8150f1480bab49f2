//! Each rule's precision as measured on real projects: of its findings in the labelled sample
//! of `bench/precision/` (default runs on twelve projects nobody tuned archlint on), how many a
//! reviewer judged true. `bench/precision/measure.py --write-table` writes the table; a rule is
//! on by default only when its figure is at least [`DEFAULT_PRECISION`].

use std::sync::LazyLock;

use rustc_hash::FxHashMap;

/// The precision a rule needs on the sample to be on by default.
pub const DEFAULT_PRECISION: f64 = 0.9;

/// A rule's findings on the sample's projects, how many were labelled, and how many of those
/// are true.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Measured {
    pub findings: usize,
    pub labelled: usize,
    pub true_findings: usize,
}

impl Measured {
    /// True findings over labelled ones; `None` when none was labelled.
    pub fn precision(self) -> Option<f64> {
        (self.labelled > 0).then(|| self.true_findings as f64 / self.labelled as f64)
    }
}

static TABLE: LazyLock<FxHashMap<&'static str, Measured>> = LazyLock::new(|| {
    // `precision_ci.tsv`: the CI rules, measured on checkouts (`bench/ci/precision.py`), since
    // sdists carry no CI configuration.
    include_str!("precision.tsv")
        .lines()
        .chain(include_str!("precision_ci.tsv").lines())
        .filter(|line| !line.starts_with('#') && !line.trim().is_empty())
        .filter_map(|line| {
            let mut fields = line.split('\t');
            let code = fields.next()?;
            let findings = fields.next()?.parse().ok()?;
            let labelled = fields.next()?.parse().ok()?;
            let true_findings = fields.next()?.parse().ok()?;
            Some((
                code,
                Measured {
                    findings,
                    labelled,
                    true_findings,
                },
            ))
        })
        .collect()
});

/// The rule's figure, when it had findings on the sample's projects (a rule with none is
/// absent: nothing to measure).
pub fn measured(code: &str) -> Option<Measured> {
    TABLE.get(code).copied()
}
