//! The hotspots of a profile: its functions ordered as `pstats.Stats.sort_stats` orders them,
//! the top of that list, and what the project says about each (its definition, the static
//! findings inside it, its metrics), rendered as pstats' table or as JSON
//! (`docs/output-profile.md`).
//!
//! pstats sorts with Python's stable sort on one field, largest first (`cumulative`: `ct`,
//! `tottime`: `tt`, `calls`: `nc`, all calls), so ties keep the order of the stats dict,
//! which is the order of the file. Two values that do not compare (NaN) count as equal, as
//! in pstats' `TupleComp`.

use std::cmp::Ordering;
use std::fmt::Write as _;

use serde::Serialize;

use crate::{Format, FunctionStats, Profile, Unit};

/// What the functions are ordered by.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SortKey {
    /// Own time (pstats `tottime`).
    Tottime,
    /// Cumulative time (pstats `cumulative`).
    Cumtime,
    /// All calls, recursive ones included (pstats `calls`).
    Calls,
}

impl SortKey {
    /// How pstats' `print_stats` names the order.
    pub fn description(self) -> &'static str {
        match self {
            SortKey::Tottime => "internal time",
            SortKey::Cumtime => "cumulative time",
            SortKey::Calls => "call count",
        }
    }
}

/// The indices of the profile's functions in `key` order, largest first, ties in file order.
pub fn order(profile: &Profile, key: SortKey) -> Vec<usize> {
    let value = |f: &FunctionStats| match key {
        SortKey::Tottime => f.total_time,
        SortKey::Cumtime => f.cumulative_time,
        SortKey::Calls => f.calls.unwrap_or(0) as f64,
    };
    let mut indices: Vec<usize> = (0..profile.functions.len()).collect();
    // Counts above 2^53 lose precision as floats; compare them as integers.
    if key == SortKey::Calls {
        indices.sort_by(|&a, &b| {
            let calls = |i: usize| profile.functions[i].calls.unwrap_or(0);
            calls(b).cmp(&calls(a))
        });
    } else {
        indices.sort_by(|&a, &b| {
            value(&profile.functions[b])
                .partial_cmp(&value(&profile.functions[a]))
                .unwrap_or(Ordering::Equal)
        });
    }
    indices
}

/// Where a hotspot is defined in the project.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Definition {
    /// The project's file, as the project's findings show it.
    pub path: String,
    /// The qualified name in its module (`Renderer.render_rows`).
    pub qualname: String,
    /// The first line of the definition (its first decorator) and its last line.
    pub line: usize,
    pub end_line: usize,
}

/// A static finding inside a hotspot.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub code: String,
    pub severity: String,
    pub line: usize,
    pub column: usize,
    pub message: String,
}

/// The metrics of a hotspot's function, as `archlint metrics` counts them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Default)]
pub struct FunctionMetrics {
    /// Cyclomatic complexity, as radon counts it.
    pub complexity: u32,
    /// Cognitive complexity, as complexipy counts it.
    pub cognitive: u32,
}

/// What the project says about one hotspot.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Join {
    pub definition: Option<Definition>,
    /// The findings inside the definition's lines, in the project's order.
    pub findings: Vec<Finding>,
    /// The function's complexity (none for a class).
    pub metrics: Option<FunctionMetrics>,
}

/// The report on a profile.
pub struct Report<'p> {
    /// The profile's file, as named on the command line.
    pub source: String,
    pub profile: &'p Profile,
    pub sort: SortKey,
    /// The functions shown, in order, with what the project says about each.
    pub hotspots: Vec<(usize, Join)>,
}

impl Report<'_> {
    fn total_calls(&self) -> Option<(u64, u64)> {
        let functions = &self.profile.functions;
        if !self.profile.counts_calls() {
            return None;
        }
        let sum = |f: fn(&FunctionStats) -> u64| {
            functions
                .iter()
                .map(f)
                .fold(0u64, |total, n| total.saturating_add(n))
        };
        Some((
            sum(|f| f.calls.unwrap_or(0)),
            sum(|f| f.primitive_calls.unwrap_or(0)),
        ))
    }

    fn share(&self, time: f64) -> f64 {
        if self.profile.total_time > 0.0 {
            100.0 * time / self.profile.total_time
        } else {
            0.0
        }
    }

    /// pstats' table, with the share of the total time, then what the project says.
    pub fn text(&self) -> String {
        let profile = self.profile;
        let seconds = profile.unit == Unit::Seconds;
        let time = |t: f64| {
            if seconds {
                format!("{t:8.3}")
            } else {
                format!("{t:8.0}")
            }
        };
        let mut out = String::new();
        let _ = write!(out, "{}: {}, ", self.source, profile.format.label());
        if let Some((calls, primitive)) = self.total_calls() {
            let _ = write!(out, "{calls} function calls ");
            if calls != primitive {
                let _ = write!(out, "({primitive} primitive calls) ");
            }
        }
        if seconds {
            let _ = writeln!(out, "in {:.3} seconds", profile.total_time);
        } else {
            let _ = writeln!(out, "{} samples", profile.total_time);
        }
        let _ = writeln!(
            out,
            "Ordered by: {}; the top {} of {} functions\n",
            self.sort.description(),
            self.hotspots.len(),
            profile.functions.len()
        );
        let _ = writeln!(
            out,
            "   ncalls  tottime  percall  cumtime  percall   %own   %cum filename:lineno(function)"
        );
        for (index, _) in &self.hotspots {
            let f = &profile.functions[*index];
            let calls = match (f.calls, f.primitive_calls) {
                (Some(nc), Some(cc)) if nc != cc => format!("{nc}/{cc}"),
                (Some(nc), _) => nc.to_string(),
                (None, _) => "-".to_string(),
            };
            let per_call = |t: f64, n: Option<u64>| match n {
                Some(n) if n > 0 => time(t / n as f64),
                _ => " ".repeat(8),
            };
            let _ = writeln!(
                out,
                "{calls:>9} {} {} {} {} {:6.1} {:6.1} {}",
                time(f.total_time),
                per_call(f.total_time, f.calls),
                time(f.cumulative_time),
                per_call(f.cumulative_time, f.primitive_calls),
                self.share(f.total_time),
                self.share(f.cumulative_time),
                f.std_name()
            );
        }
        let joined: Vec<_> = self
            .hotspots
            .iter()
            .filter(|(_, join)| join.definition.is_some())
            .collect();
        if !joined.is_empty() {
            let _ = writeln!(out, "\nIn the project:");
            for (index, join) in joined {
                let f = &profile.functions[*index];
                let Some(definition) = &join.definition else {
                    continue;
                };
                let _ = write!(
                    out,
                    "  {}:{} `{}` is {:.1}% of the cumulative time",
                    definition.path,
                    definition.line,
                    definition.qualname,
                    self.share(f.cumulative_time)
                );
                if let Some(metrics) = &join.metrics {
                    let _ = write!(
                        out,
                        ", complexity {}, cognitive complexity {}",
                        metrics.complexity, metrics.cognitive
                    );
                }
                if join.findings.is_empty() {
                    let _ = writeln!(out, "; no finding inside it");
                } else {
                    let _ = writeln!(out);
                    for finding in &join.findings {
                        let _ = writeln!(
                            out,
                            "    {} at line {}: {}",
                            finding.code, finding.line, finding.message
                        );
                    }
                }
            }
        }
        out
    }

    /// The JSON document of `docs/output-profile.md`.
    pub fn json(&self) -> String {
        let profile = self.profile;
        let totals = self.total_calls();
        let functions: Vec<JsonFunction> = self
            .hotspots
            .iter()
            .map(|(index, join)| {
                let f = &profile.functions[*index];
                let per = |t: f64, n: Option<u64>| n.filter(|n| *n > 0).map(|n| t / n as f64);
                JsonFunction {
                    file: &f.file,
                    line: f.line,
                    function: &f.name,
                    calls: f.calls,
                    primitive_calls: f.primitive_calls,
                    total_time: f.total_time,
                    cumulative_time: f.cumulative_time,
                    total_time_per_call: per(f.total_time, f.calls),
                    cumulative_time_per_call: per(f.cumulative_time, f.primitive_calls),
                    total_share: self.share(f.total_time) / 100.0,
                    cumulative_share: self.share(f.cumulative_time) / 100.0,
                    definition: join.definition.as_ref(),
                    metrics: join.metrics.as_ref(),
                    findings: &join.findings,
                }
            })
            .collect();
        let document = JsonReport {
            profile: &self.source,
            format: profile.format,
            unit: profile.unit,
            total_time: profile.total_time,
            total_calls: totals.map(|t| t.0),
            primitive_calls: totals.map(|t| t.1),
            sort: self.sort,
            function_count: profile.functions.len(),
            functions,
        };
        let mut text = serde_json::to_string_pretty(&document).unwrap_or_default();
        text.push('\n');
        text
    }
}

#[derive(Serialize)]
struct JsonReport<'a> {
    profile: &'a str,
    format: Format,
    unit: Unit,
    total_time: f64,
    total_calls: Option<u64>,
    primitive_calls: Option<u64>,
    sort: SortKey,
    function_count: usize,
    functions: Vec<JsonFunction<'a>>,
}

#[derive(Serialize)]
struct JsonFunction<'a> {
    file: &'a str,
    line: u32,
    function: &'a str,
    calls: Option<u64>,
    primitive_calls: Option<u64>,
    total_time: f64,
    cumulative_time: f64,
    total_time_per_call: Option<f64>,
    cumulative_time_per_call: Option<f64>,
    total_share: f64,
    cumulative_share: f64,
    definition: Option<&'a Definition>,
    metrics: Option<&'a FunctionMetrics>,
    findings: &'a [Finding],
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::CallTree;

    fn function(name: &str, nc: u64, tt: f64, ct: f64) -> FunctionStats {
        FunctionStats {
            file: "app.py".into(),
            line: 1,
            name: name.into(),
            calls: Some(nc),
            primitive_calls: Some(nc),
            total_time: tt,
            cumulative_time: ct,
        }
    }

    #[test]
    fn sorts_stably_largest_first_like_pstats() {
        let profile = Profile {
            format: Format::Pstats,
            unit: Unit::Seconds,
            total_time: 3.0,
            functions: vec![
                function("a", 1, 1.0, 2.0),
                function("b", 5, 0.0, 3.0),
                function("c", 5, 1.0, 2.0),
                function("d", 2, f64::NAN, 0.0),
            ],
            tree: CallTree::None,
        };
        assert_eq!(order(&profile, SortKey::Cumtime), [1, 0, 2, 3]);
        assert_eq!(order(&profile, SortKey::Calls), [1, 2, 3, 0]);
        // NaN is "equal" to everything: the stable sort leaves it where the merges put it,
        // as Python's does.
        assert_eq!(order(&profile, SortKey::Tottime).len(), 4);
    }
}
