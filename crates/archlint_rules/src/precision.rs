//! Each rule's precision as measured on real projects: of its findings in the labelled sample
//! of `bench/precision/` (default runs on eight projects nobody tuned archlint on), how many a
//! reviewer judged true. `bench/precision/measure.py --write-table` writes the table; a rule is
//! on by default only when its figure is at least [`DEFAULT_PRECISION`].

use std::sync::LazyLock;

use rustc_hash::FxHashMap;

/// The precision a rule needs on the sample to be on by default.
pub const DEFAULT_PRECISION: f64 = 0.9;

/// A rule's labelled findings and how many of them are true.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Measured {
    pub labelled: usize,
    pub true_findings: usize,
}

impl Measured {
    pub fn precision(self) -> f64 {
        self.true_findings as f64 / self.labelled.max(1) as f64
    }
}

static TABLE: LazyLock<FxHashMap<&'static str, Measured>> = LazyLock::new(|| {
    include_str!("precision.tsv")
        .lines()
        .filter(|line| !line.starts_with('#') && !line.trim().is_empty())
        .filter_map(|line| {
            let mut fields = line.split('\t');
            let code = fields.next()?;
            let labelled = fields.next()?.parse().ok()?;
            let true_findings = fields.next()?.parse().ok()?;
            Some((
                code,
                Measured {
                    labelled,
                    true_findings,
                },
            ))
        })
        .collect()
});

/// The rule's figure, when its findings were labelled.
pub fn measured(code: &str) -> Option<Measured> {
    TABLE.get(code).copied()
}
