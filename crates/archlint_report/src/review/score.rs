//! The chapter scores, as `docs/report.md` ("How a chapter is scored") writes them: the
//! findings' weight per 1,000 lines of the code the chapter applies to gives a score from 0 to
//! 100, and the chapter's metrics move it.

use super::{ChapterMetric, ChapterReview, Finding, ProjectFacts, plural};

/// The weighted findings per 1,000 lines at which a chapter's findings score is 50.
pub const HALF_SCORE_DENSITY: f64 = 4.0;
/// Below this many lines, a chapter's findings are counted per 1,000 lines all the same: one
/// finding in a 30-line project is not 33 per 1,000.
pub const MIN_LINES: usize = 1_000;
/// What a finding of a rule off by default weighs, relative to one on by default.
pub const OPT_IN_FACTOR: f64 = 0.1;
/// How many of its worst findings a chapter lists.
pub const TOP_FINDINGS: usize = 5;

/// How much a finding weighs: its severity (error 10, warning 3, info 1), times its rule's
/// confidence (high or none 1, medium 0.6, low 0.3), times a tenth for rules that are not on
/// by default: they report style or coverage, or were under 90% precise on real projects, so
/// they inform a review but should not decide its grades.
pub fn weight(severity: &str, confidence: Option<&str>, default_enabled: bool) -> f64 {
    let severity = match severity {
        "error" => 10.0,
        "warning" => 3.0,
        _ => 1.0,
    };
    let confidence = match confidence {
        Some("medium") => 0.6,
        Some("low") => 0.3,
        _ => 1.0,
    };
    let opt_in = if default_enabled { 1.0 } else { OPT_IN_FACTOR };
    severity * confidence * opt_in
}

/// The grade of a score: A from 90, B from 80, C from 70, D from 60, else F.
pub fn grade(score: f64) -> &'static str {
    match score {
        s if s >= 90.0 => "A",
        s if s >= 80.0 => "B",
        s if s >= 70.0 => "C",
        s if s >= 60.0 => "D",
        _ => "F",
    }
}

/// Fills the counts, density, metrics, score, grade and top findings of `chapter` from the
/// findings (`review_findings`, all of them; the chapter's are picked by key) and the facts.
pub fn score_chapter(chapter: &mut ChapterReview, findings: &[Finding], facts: &ProjectFacts) {
    let mine: Vec<usize> = (0..findings.len())
        .filter(|&i| findings[i].chapter == chapter.key)
        .collect();
    chapter.errors = mine
        .iter()
        .filter(|&&i| findings[i].severity == "error")
        .count();
    chapter.warnings = mine
        .iter()
        .filter(|&&i| findings[i].severity == "warning")
        .count();
    chapter.infos = mine.len() - chapter.errors - chapter.warnings;
    // `+ 0.0`: an empty float sum is -0.0.
    let weight: f64 = mine.iter().map(|&i| findings[i].weight).sum::<f64>() + 0.0;
    chapter.weighted_per_kloc = round(weight * 1000.0 / chapter.lines.max(MIN_LINES) as f64, 2);

    let mut top = mine.clone();
    top.sort_by(|&a, &b| {
        findings[b]
            .weight
            .total_cmp(&findings[a].weight)
            .then(a.cmp(&b))
    });
    top.truncate(TOP_FINDINGS);
    chapter.top_findings = top;

    let metrics = metrics(&chapter.key, facts);
    let measured = !metrics.is_empty();
    let nothing_to_check = chapter.rules_run == 0 || (chapter.lines == 0 && mine.is_empty());
    chapter.score = if nothing_to_check && !measured {
        None
    } else {
        let mut score = 100.0 / (1.0 + chapter.weighted_per_kloc / HALF_SCORE_DENSITY);
        for metric in &metrics {
            score = metric.apply(score);
        }
        Some(round(score.clamp(0.0, 100.0), 1))
    };
    chapter.grade = chapter.score.map_or("-", grade).to_string();
    chapter.metrics = metrics.into_iter().map(|m| m.shown).collect();
}

/// A metric and how it moves the score.
struct Metric {
    shown: ChapterMetric,
    effect: Effect,
}

enum Effect {
    /// Shown for context only.
    Shown,
    /// Points taken off.
    Minus(f64),
    /// The score becomes the mean of the findings score and this percentage.
    Average(f64),
}

impl Metric {
    fn apply(&self, score: f64) -> f64 {
        match self.effect {
            Effect::Shown => score,
            Effect::Minus(points) => score - points,
            Effect::Average(percent) => (score + percent) / 2.0,
        }
    }

    fn minus(name: &str, value: String, points: f64, cap: f64) -> Metric {
        let points = points.min(cap);
        Metric {
            shown: ChapterMetric {
                name: name.to_string(),
                value,
                effect: if points > 0.0 {
                    format!("-{}", round(points, 1))
                } else {
                    "none".to_string()
                },
            },
            effect: Effect::Minus(points),
        }
    }
}

/// The metrics of a chapter, from the facts (`docs/report.md` gives the table).
fn metrics(chapter: &str, facts: &ProjectFacts) -> Vec<Metric> {
    let mut metrics = Vec::new();
    match chapter {
        "types" => {
            if let Some(types) = &facts.types {
                metrics.push(Metric {
                    shown: ChapterMetric {
                        name: "parameters and returns annotated".to_string(),
                        value: format!("{:.1}%", types.coverage),
                        effect: "none".to_string(),
                    },
                    effect: Effect::Shown,
                });
                metrics.push(Metric {
                    shown: ChapterMetric {
                        name: "public API completeness".to_string(),
                        value: format!("{:.1}%", types.completeness),
                        effect: "half the score".to_string(),
                    },
                    effect: Effect::Average(types.completeness),
                });
            }
        }
        "architecture" => {
            let graph = &facts.graph;
            if graph.modules > 0 {
                metrics.push(Metric::minus(
                    "import cycles",
                    plural(graph.cycles, "component", "components"),
                    5.0 * graph.cycles as f64,
                    30.0,
                ));
            }
            if graph.contracts.kept + graph.contracts.broken > 0 {
                metrics.push(Metric::minus(
                    "broken contracts",
                    format!(
                        "{} of {}",
                        graph.contracts.broken,
                        graph.contracts.kept + graph.contracts.broken
                    ),
                    10.0 * graph.contracts.broken as f64,
                    40.0,
                ));
            }
        }
        "dependencies" => {
            if let Some(audit) = &facts.dependencies.audit {
                let points = 25.0 * audit.critical as f64
                    + 15.0 * audit.high as f64
                    + 8.0 * audit.medium as f64
                    + 3.0 * (audit.low + audit.unknown) as f64;
                metrics.push(Metric::minus(
                    "vulnerable pins",
                    format!("{} of {}", audit.vulnerable, audit.pins),
                    points,
                    80.0,
                ));
            }
        }
        "performance" => {
            let complexity = &facts.complexity;
            if complexity.functions > 0 {
                let complex: usize = ["C", "D", "E", "F"]
                    .iter()
                    .filter_map(|rank| complexity.ranks.get(*rank))
                    .sum();
                let percent = 100.0 * complex as f64 / complexity.functions as f64;
                metrics.push(Metric::minus(
                    "functions ranked C or worse",
                    format!("{complex} ({percent:.1}%)"),
                    2.0 * percent,
                    40.0,
                ));
            }
            let modules: usize = complexity.maintainability.values().sum();
            if modules > 0 {
                let low = complexity.maintainability.get("C").copied().unwrap_or(0);
                let percent = 100.0 * low as f64 / modules as f64;
                metrics.push(Metric::minus(
                    "modules with maintainability rank C",
                    format!("{low} ({percent:.1}%)"),
                    2.0 * percent,
                    20.0,
                ));
            }
        }
        _ => {}
    }
    metrics
}

pub(crate) fn round(value: f64, digits: i32) -> f64 {
    let scale = 10f64.powi(digits);
    (value * scale).round() / scale
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::review::{AuditSummary, GraphSummary, TypesSummary};

    fn finding(chapter: &str, severity: &str) -> Finding {
        Finding {
            chapter: chapter.to_string(),
            severity: severity.to_string(),
            weight: weight(severity, None, true),
            ..Finding::default()
        }
    }

    fn chapter(key: &str, lines: usize) -> ChapterReview {
        ChapterReview {
            key: key.to_string(),
            lines,
            rules_run: 10,
            ..ChapterReview::default()
        }
    }

    #[test]
    fn weights_follow_severity_confidence_and_default_set() {
        assert_eq!(weight("error", None, true), 10.0);
        assert_eq!(weight("warning", Some("high"), true), 3.0);
        assert_eq!(weight("error", Some("medium"), true), 6.0);
        assert!((weight("info", Some("low"), false) - 0.03).abs() < 1e-12);
    }

    #[test]
    fn no_finding_scores_100_and_the_density_halves_it() {
        let facts = ProjectFacts::default();
        let mut clean = chapter("security", 5_000);
        score_chapter(&mut clean, &[], &facts);
        assert_eq!((clean.score, clean.grade.as_str()), (Some(100.0), "A"));

        // Two errors in 5,000 lines: 20 / 5 = 4 weighted per 1,000, the half point.
        let findings = vec![finding("security", "error"), finding("security", "error")];
        let mut half = chapter("security", 5_000);
        score_chapter(&mut half, &findings, &facts);
        assert_eq!(half.weighted_per_kloc, 4.0);
        assert_eq!((half.score, half.grade.as_str()), (Some(50.0), "F"));
        assert_eq!((half.errors, half.warnings, half.infos), (2, 0, 0));
        assert_eq!(half.top_findings, [0, 1]);
    }

    #[test]
    fn small_projects_count_per_thousand_lines_all_the_same() {
        let findings = vec![finding("security", "info")];
        let mut small = chapter("security", 30);
        score_chapter(&mut small, &findings, &ProjectFacts::default());
        assert_eq!(small.weighted_per_kloc, 1.0);
        assert_eq!(small.score, Some(80.0));
    }

    #[test]
    fn a_chapter_with_nothing_to_check_has_no_score() {
        let mut testing = chapter("testing", 0);
        score_chapter(&mut testing, &[], &ProjectFacts::default());
        assert_eq!((testing.score, testing.grade.as_str()), (None, "-"));
        let mut unselected = chapter("security", 5_000);
        unselected.rules_run = 0;
        score_chapter(&mut unselected, &[], &ProjectFacts::default());
        assert_eq!(unselected.score, None);
    }

    #[test]
    fn metrics_move_the_score() {
        let facts = ProjectFacts {
            types: Some(TypesSummary {
                completeness: 40.0,
                ..TypesSummary::default()
            }),
            graph: GraphSummary {
                modules: 10,
                cycles: 2,
                ..GraphSummary::default()
            },
            ..ProjectFacts::default()
        };
        let mut types = chapter("types", 5_000);
        score_chapter(&mut types, &[], &facts);
        assert_eq!(types.score, Some(70.0));
        let mut architecture = chapter("architecture", 5_000);
        score_chapter(&mut architecture, &[], &facts);
        assert_eq!(architecture.score, Some(90.0));
        assert_eq!(architecture.metrics[0].value, "2 components");

        let mut facts = facts;
        facts.dependencies.audit = Some(AuditSummary {
            pins: 10,
            vulnerable: 5,
            critical: 5,
            ..AuditSummary::default()
        });
        let mut dependencies = chapter("dependencies", 5_000);
        score_chapter(&mut dependencies, &[], &facts);
        assert_eq!(dependencies.score, Some(20.0), "capped at 80 points");
    }
}
