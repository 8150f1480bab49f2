//! `check --since REF`: the lines added or changed since a git revision (committed, staged or
//! not, and untracked files), read from `git diff --unified=0` and `git ls-files`, and the
//! findings they keep: those on a changed line, and project-wide ones whose chain names one.

use std::ops::RangeInclusive;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, bail};
use rustc_hash::FxHashMap;

use archlint_vocabulary::Diagnostic;

/// What changed in one file.
#[derive(Debug, PartialEq, Eq)]
enum Changed {
    /// A file git does not track yet: all of it is new.
    Whole,
    Lines(Vec<RangeInclusive<usize>>),
}

/// The changes since a revision, by absolute path.
#[derive(Debug)]
pub struct Changes {
    files: FxHashMap<PathBuf, Changed>,
}

impl Changes {
    /// Reads what changed since `revision` in the git repository holding `folder`.
    pub fn since(folder: &Path, revision: &str) -> anyhow::Result<Changes> {
        let top = git(folder, &["rev-parse", "--show-toplevel"]).with_context(|| {
            format!(
                "--since needs a git repository, and {} is not in one",
                folder.display()
            )
        })?;
        let top = PathBuf::from(top.trim_end_matches(['\n', '\r']));
        let commit = format!("{revision}^{{commit}}");
        if git(&top, &["rev-parse", "--verify", "--quiet", &commit]).is_err() {
            bail!(
                "`{revision}` is not a revision of the repository at {}",
                top.display()
            );
        }
        let diff = git(
            &top,
            &[
                "-c",
                "core.quotePath=false",
                "diff",
                "--unified=0",
                "--no-color",
                "--no-ext-diff",
                "--no-renames",
                revision,
                "--",
            ],
        )?;
        let mut files: FxHashMap<PathBuf, Changed> = parse_diff(&diff)
            .into_iter()
            .map(|(path, lines)| (top.join(path), Changed::Lines(lines)))
            .collect();
        let untracked = git(
            &top,
            &[
                "-c",
                "core.quotePath=false",
                "ls-files",
                "--others",
                "--exclude-standard",
            ],
        )?;
        for path in untracked.lines().filter(|l| !l.is_empty()) {
            files.insert(top.join(path), Changed::Whole);
        }
        Ok(Changes { files })
    }

    /// Whether a finding is on a changed line, or names one in its chain (`(pkg/a.py:3)`).
    /// `root` is the folder messages name files from.
    pub fn touches(&self, d: &Diagnostic, root: &Path) -> bool {
        let path = archlint_source::path::absolute(&d.path).unwrap_or_else(|_| d.path.clone());
        let lines = d.start.line..=d.end.line.max(d.start.line);
        self.covers(&path, &lines)
            || chain_locations(&d.message)
                .into_iter()
                .any(|(file, line)| self.covers(&root.join(file), &(line..=line)))
    }

    fn covers(&self, path: &Path, lines: &RangeInclusive<usize>) -> bool {
        match self.files.get(path) {
            Some(Changed::Whole) => true,
            Some(Changed::Lines(ranges)) => ranges
                .iter()
                .any(|r| r.start() <= lines.end() && lines.start() <= r.end()),
            None => false,
        }
    }
}

fn git(folder: &Path, args: &[&str]) -> anyhow::Result<String> {
    let output = Command::new("git")
        .arg("-C")
        .arg(folder)
        .args(args)
        .output()
        .context("cannot run git (is it installed?)")?;
    if !output.status.success() {
        bail!(
            "git {}: {}",
            args.join(" "),
            String::from_utf8_lossy(&output.stderr).trim()
        );
    }
    Ok(String::from_utf8_lossy(&output.stdout).into_owned())
}

/// The added lines of each file of a `git diff --unified=0`, by the path on the `+++` side.
fn parse_diff(diff: &str) -> Vec<(String, Vec<RangeInclusive<usize>>)> {
    let mut files: Vec<(String, Vec<RangeInclusive<usize>>)> = Vec::new();
    for line in diff.lines() {
        if let Some(path) = line.strip_prefix("+++ ") {
            let path = path.trim_matches('"');
            if let Some(path) = path.strip_prefix("b/") {
                files.push((path.to_string(), Vec::new()));
            }
            continue;
        }
        let Some(hunk) = line.strip_prefix("@@ ") else {
            continue;
        };
        // `@@ -12,3 +14,5 @@`: five lines from line 14 are the new text.
        let Some(added) = hunk.split_whitespace().find(|part| part.starts_with('+')) else {
            continue;
        };
        let mut numbers = added[1..].split(',');
        let start: usize = numbers.next().and_then(|n| n.parse().ok()).unwrap_or(0);
        let count: usize = numbers
            .next()
            .map_or(Some(1), |n| n.parse().ok())
            .unwrap_or(0);
        if let (Some((_, ranges)), true) = (files.last_mut(), count > 0) {
            ranges.push(start..=start + count - 1);
        }
    }
    files
}

/// The `path:line` places a message names (`` `a` → `b` (pkg/a.py:3) ``).
fn chain_locations(message: &str) -> Vec<(String, usize)> {
    let mut found = Vec::new();
    for part in message.split(['(', ')', ' ', ',']) {
        let Some((file, line)) = part.rsplit_once(':') else {
            continue;
        };
        if (file.ends_with(".py") || file.ends_with(".pyi"))
            && let Ok(line) = line.parse()
        {
            found.push((file.to_string(), line));
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::{chain_locations, parse_diff};

    #[test]
    fn added_lines_of_a_unified_zero_diff() {
        let diff = "diff --git a/app.py b/app.py\nindex 1..2 100644\n--- a/app.py\n+++ b/app.py\n@@ -3,0 +4,2 @@ def f():\n+    x\n+    y\n@@ -9 +11 @@\n-a\n+b\n@@ -20,2 +21,0 @@\n-c\n-d\ndiff --git a/old.py b/old.py\n--- a/old.py\n+++ /dev/null\n@@ -1 +0,0 @@\n-x\n";
        assert_eq!(
            parse_diff(diff),
            [("app.py".to_string(), vec![4..=5, 11..=11])]
        );
    }

    #[test]
    fn chains_name_their_places() {
        assert_eq!(
            chain_locations("cycle: `a` → `b` (pkg/a.py:3) → `a` (pkg/b.py:7); move it"),
            [("pkg/a.py".to_string(), 3), ("pkg/b.py".to_string(), 7)]
        );
    }
}
