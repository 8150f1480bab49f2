//! `archlint report --compare previous.json`: every chapter score's change, and the findings
//! that are new or fixed since then. Findings are matched as a baseline matches them (rule,
//! file, the flagged line's text and its neighbours; then rule, file and text alone), so lines
//! added elsewhere in a file do not make its findings new.

use super::{FixedFinding, Review, ScoreChange, Trend};
use crate::baseline::{Baseline, Entry, Fingerprint};

/// The change from `previous` to `current`.
pub fn trend(previous: &Review, current: &Review) -> Trend {
    let baseline = Baseline {
        version: 1,
        findings: previous
            .findings
            .iter()
            .map(|f| Entry {
                code: f.code.clone(),
                path: f.path.clone(),
                line: f.line,
                text: f.text.clone(),
                context: f.context.clone(),
                count: 1,
                message: f.message.clone(),
            })
            .collect(),
    };
    let fingerprints: Vec<Fingerprint> = current
        .findings
        .iter()
        .map(|f| Fingerprint {
            code: f.code.clone(),
            path: f.path.clone(),
            text: f.text.clone(),
            context: f.context.clone(),
        })
        .collect();
    let comparison = baseline.compare(&fingerprints);
    let new = (0..current.findings.len())
        .filter(|&i| !comparison.known[i])
        .collect();
    let fixed = comparison
        .fixed()
        .into_iter()
        .map(|entry| FixedFinding {
            code: entry.code,
            path: entry.path,
            line: entry.line,
            message: entry.message,
        })
        .collect();
    let mut scores: Vec<ScoreChange> = current
        .chapters
        .iter()
        .map(|chapter| ScoreChange {
            chapter: chapter.key.clone(),
            before: previous.chapter(&chapter.key).and_then(|c| c.score),
            after: chapter.score,
        })
        .collect();
    // A chapter the previous review had and this one lacks still shows its change.
    for chapter in &previous.chapters {
        if current.chapter(&chapter.key).is_none() {
            scores.push(ScoreChange {
                chapter: chapter.key.clone(),
                before: chapter.score,
                after: None,
            });
        }
    }
    Trend {
        previous_archlint: previous.archlint.clone(),
        scores,
        new,
        fixed,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::review::{ChapterReview, Finding};

    fn finding(code: &str, line: usize, text: &str) -> Finding {
        Finding {
            code: code.to_string(),
            path: "app/db.py".to_string(),
            line,
            text: text.to_string(),
            context: "ctx".to_string(),
            message: format!("{code} here"),
            ..Finding::default()
        }
    }

    fn review(findings: Vec<Finding>, score: f64) -> Review {
        Review {
            archlint: "0.1.0".to_string(),
            chapters: vec![ChapterReview {
                key: "security".to_string(),
                score: Some(score),
                ..ChapterReview::default()
            }],
            findings,
            ..Review::default()
        }
    }

    #[test]
    fn moved_findings_are_kept_new_and_fixed_ones_are_named() {
        let before = review(
            vec![
                finding("SEC602", 10, "subprocess.run(c, shell=True)"),
                finding("SEC608", 20, "cursor.execute(f\"...{x}\")"),
            ],
            70.0,
        );
        let after = review(
            vec![
                // Moved down by three lines: the same finding.
                finding("SEC602", 13, "subprocess.run(c, shell=True)"),
                finding("SEC105", 30, "password = \"hunter2\""),
            ],
            65.5,
        );
        let trend = trend(&before, &after);
        assert_eq!(trend.new, [1]);
        assert_eq!(trend.fixed.len(), 1);
        assert_eq!(
            (trend.fixed[0].code.as_str(), trend.fixed[0].line),
            ("SEC608", 20)
        );
        assert_eq!(trend.scores[0].delta(), Some(-4.5));
    }
}
