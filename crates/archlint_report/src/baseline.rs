//! Baselines: the findings a project has accepted, recorded so that `check --baseline` reports
//! only new ones. A finding is recognised by its rule, its file, the text of its line and of
//! the lines around it, never by its line number, so lines inserted or removed elsewhere in the
//! file do not bring it back; when its surroundings change too, the rule, file and line text
//! still match it. Identical findings are counted, so a second copy of an accepted line is new.
//!
//! The file is JSON, sorted by path, line and rule, one finding per entry, so that it diffs
//! well in review.

use std::collections::BTreeMap;
use std::path::Path;

use rayon::prelude::*;

use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use archlint_vocabulary::Diagnostic;

/// What a finding is recognised by.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Fingerprint {
    pub code: String,
    /// From the project root, with `/`.
    pub path: String,
    /// The flagged line, trimmed, runs of blanks made one space.
    pub text: String,
    /// A hash of the nearest non-blank lines above and below.
    pub context: String,
}

/// One accepted finding (or several identical ones: `count`).
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    pub code: String,
    pub path: String,
    /// Where it was when recorded: for readers, not for matching.
    pub line: usize,
    pub text: String,
    pub context: String,
    pub count: usize,
    /// The message when recorded: for readers, not for matching.
    pub message: String,
}

#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Baseline {
    pub version: u32,
    pub findings: Vec<Entry>,
}

/// How the findings of a run compare with a baseline.
pub struct Comparison<'b> {
    /// For each finding, in order: `true` when the baseline holds it.
    pub known: Vec<bool>,
    baseline: &'b Baseline,
    /// For each entry of the baseline, how many of its findings were not found.
    left: Vec<usize>,
}

impl Comparison<'_> {
    /// How many accepted findings are no longer found.
    pub fn fixed_count(&self) -> usize {
        self.left.iter().sum()
    }

    /// The accepted findings no longer found, with how many of each.
    pub fn fixed(&self) -> Vec<Entry> {
        self.entries_with_count(|_, left| left)
    }

    /// The baseline less what was fixed: what `--write-baseline` writes over the baseline it
    /// was given, so that a baseline only ever shrinks.
    pub fn kept(&self) -> Baseline {
        Baseline {
            version: 1,
            findings: self.entries_with_count(|entry, left| entry.count - left),
        }
    }

    fn entries_with_count(&self, count: impl Fn(&Entry, usize) -> usize) -> Vec<Entry> {
        self.baseline
            .findings
            .iter()
            .zip(&self.left)
            .map(|(entry, left)| Entry {
                count: count(entry, *left),
                ..entry.clone()
            })
            .filter(|entry| entry.count > 0)
            .collect()
    }
}

impl Baseline {
    pub fn read(path: &Path) -> Result<Baseline, String> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("cannot read the baseline {}: {e}", path.display()))?;
        let baseline: Baseline = serde_json::from_str(&text)
            .map_err(|e| format!("{} is not an archlint baseline: {e}", path.display()))?;
        if baseline.version != 1 {
            return Err(format!(
                "{}: baseline version {} is not supported (this archlint reads version 1)",
                path.display(),
                baseline.version
            ));
        }
        Ok(baseline)
    }

    /// A baseline of `findings` (each with its fingerprint).
    pub fn of(findings: &[(Fingerprint, &Diagnostic)]) -> Baseline {
        let mut grouped: BTreeMap<(&str, usize, &str, &Fingerprint), Entry> = BTreeMap::new();
        let mut first_line: FxHashMap<&Fingerprint, usize> = FxHashMap::default();
        for (fingerprint, d) in findings {
            let line = *first_line.entry(fingerprint).or_insert(d.start.line);
            grouped
                .entry((&fingerprint.path, line, &fingerprint.code, fingerprint))
                .and_modify(|entry| entry.count += 1)
                .or_insert_with(|| Entry {
                    code: fingerprint.code.clone(),
                    path: fingerprint.path.clone(),
                    line,
                    text: fingerprint.text.clone(),
                    context: fingerprint.context.clone(),
                    count: 1,
                    message: d.message.clone(),
                });
        }
        Baseline {
            version: 1,
            findings: grouped.into_values().collect(),
        }
    }

    pub fn render(&self) -> String {
        let mut text = serde_json::to_string_pretty(self).expect("a baseline serialises");
        text.push('\n');
        text
    }

    /// Which of `fingerprints` the baseline holds: first by rule, file, line text and
    /// context, then, for what is left, by rule, file and line text alone.
    pub fn compare(&self, fingerprints: &[Fingerprint]) -> Comparison<'_> {
        let mut left: Vec<usize> = self.findings.iter().map(|e| e.count).collect();
        let mut known = vec![false; fingerprints.len()];
        // The entries of each rule, file and line text, in file order.
        let mut by_line: FxHashMap<(&str, &str, &str), Vec<usize>> = FxHashMap::default();
        for (i, entry) in self.findings.iter().enumerate() {
            by_line
                .entry((&entry.code, &entry.path, &entry.text))
                .or_default()
                .push(i);
        }
        for exact in [true, false] {
            for (index, fingerprint) in fingerprints.iter().enumerate() {
                if known[index] {
                    continue;
                }
                let key = (
                    fingerprint.code.as_str(),
                    fingerprint.path.as_str(),
                    fingerprint.text.as_str(),
                );
                let found = by_line.get(&key).and_then(|entries| {
                    entries.iter().copied().find(|&i| {
                        left[i] > 0 && (!exact || self.findings[i].context == fingerprint.context)
                    })
                });
                if let Some(i) = found {
                    left[i] -= 1;
                    known[index] = true;
                }
            }
        }
        Comparison {
            known,
            baseline: self,
            left,
        }
    }
}

/// The fingerprints of `diagnostics`, in order: each file they point into is read once, the
/// files in parallel. Paths are made relative to `root`, the project folder.
pub fn fingerprints(diagnostics: &[Diagnostic], root: &Path) -> Vec<Fingerprint> {
    fingerprints_with(diagnostics, root, |_, _| ())
        .into_iter()
        .map(|(fingerprint, ())| fingerprint)
        .collect()
}

/// [`fingerprints`], each with what `also` takes from the finding's file (its lines), in the
/// same read: `archlint report` takes the code frames of findings made without the source.
pub fn fingerprints_with<T: Send>(
    diagnostics: &[Diagnostic],
    root: &Path,
    also: impl Fn(&Diagnostic, &[&str]) -> T + Sync,
) -> Vec<(Fingerprint, T)> {
    let mut by_file: FxHashMap<&Path, Vec<usize>> = FxHashMap::default();
    for (i, d) in diagnostics.iter().enumerate() {
        by_file.entry(d.path.as_path()).or_default().push(i);
    }
    let files: Vec<(&Path, Vec<usize>)> = by_file.into_iter().collect();
    let computed: Vec<(usize, (Fingerprint, T))> = files
        .par_iter()
        .flat_map_iter(|(path, indices)| {
            let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
            let shown = absolute
                .strip_prefix(root)
                .unwrap_or(&absolute)
                .components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/");
            let bytes = std::fs::read(&absolute).unwrap_or_default();
            let source = String::from_utf8_lossy(&bytes);
            let lines: Vec<&str> = source.lines().collect();
            indices
                .iter()
                .map(|&i| {
                    let d = &diagnostics[i];
                    (i, (fingerprint(d, &shown, &lines), also(d, &lines)))
                })
                .collect::<Vec<_>>()
        })
        .collect();
    let mut ordered: Vec<Option<(Fingerprint, T)>> = std::iter::repeat_with(|| None)
        .take(diagnostics.len())
        .collect();
    for (i, found) in computed {
        ordered[i] = Some(found);
    }
    ordered.into_iter().flatten().collect()
}

/// Lines are normalised only where a fingerprint reads them: a flagged file is read whole,
/// but most of its lines are never looked at.
fn fingerprint(d: &Diagnostic, path: &str, lines: &[&str]) -> Fingerprint {
    let at = d.start.line.saturating_sub(1);
    let text = lines
        .get(at)
        .map(|line| normalise(line))
        .unwrap_or_default();
    let has_text = |line: &&&str| !line.trim().is_empty();
    let above = lines[..at.min(lines.len())].iter().rev().find(has_text);
    let below = lines.iter().skip(at + 1).find(has_text);
    let mut hasher = Sha256::new();
    for line in [above, below] {
        hasher.update(
            line.map(|line| normalise(line))
                .unwrap_or_default()
                .as_bytes(),
        );
        hasher.update(b"\n");
    }
    let context = hasher.finalize()[..8]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    Fingerprint {
        code: d.code.to_string(),
        path: path.to_string(),
        text,
        context,
    }
}

fn normalise(line: &str) -> String {
    line.split_whitespace().collect::<Vec<_>>().join(" ")
}
