use archlint_project::ci::CiFile;
use archlint_source::yaml::Node;

use super::{RunCommands, gitlab_jobs, gitlab_scripts, run_commands, steps};
use crate::prelude::*;

rule! {
    /// ## What it does
    /// Reports a `run:` step of GitHub Actions, or a script line of a GitLab CI job, that
    /// installs packages by name with no version at all: `pip install pytest`, `python -m
    /// pip install -U build twine`, `uv pip install ruff`. An install from a requirements or
    /// constraints file (`-r`, `-c`, `--require-hashes`), of the project itself (`.`, `-e
    /// .[test]`), of a file or URL, from a local folder only (`--no-index`), with a pin or a
    /// range (`pytest==8.3.3`, `urllib3<2`), and pip upgrading itself are not reported.
    ///
    /// ## Why it matters
    /// The guide's §10 (build systems and CI/CD): CI should test what was reviewed. An
    /// unpinned install takes whatever was published last, so a release of a test tool or a
    /// compromised package changes the build without a commit; a pinned or locked set changes
    /// only through a reviewed update.
    ///
    /// ## Example
    /// ```yaml
    /// # file: .github/workflows/ci.yml
    /// on: push
    /// jobs:
    ///   test:
    ///     runs-on: ubuntu-latest
    ///     steps:
    ///       - run: pip install pytest coverage
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// # file: .github/workflows/ci.yml
    /// on: push
    /// jobs:
    ///   test:
    ///     runs-on: ubuntu-latest
    ///     steps:
    ///       - run: pip install -r requirements/test.txt
    /// ```
    pub static ADHOC_CI_INSTALL = Rule {
        code: "CI008",
        name: "adhoc-ci-install",
        severity: Severity::Info,
        confidence: None,
        bandit: None,
        default_enabled: false,
        peers: &[Peer::related("zizmor", "adhoc-packages")],
        check: Check::Ci { run: check },
    };
}

/// Options of `pip install` that take a value.
const VALUED: &[&str] = &[
    "-i",
    "--index-url",
    "--extra-index-url",
    "-f",
    "--find-links",
    "-t",
    "--target",
    "--prefix",
    "--root",
    "--python",
    "-p",
    "--python-version",
    "--platform",
    "--only-binary",
    "--no-binary",
    "--config-settings",
    "-C",
    "--cache-dir",
    "--trusted-host",
    "--upgrade-strategy",
    "--group",
    "--extra",
    "--default-index",
    "--index",
];

/// A command's words, quotes taken off (`'django~=5.2' ./x` → `django~=5.2`, `./x`).
fn shell_words(command: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut quote: Option<char> = None;
    let mut started = false;
    for c in command.chars() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => word.push(c),
            None if c == '\'' || c == '"' => {
                quote = Some(c);
                started = true;
            }
            None if c.is_whitespace() => {
                if started || !word.is_empty() {
                    words.push(std::mem::take(&mut word));
                    started = false;
                }
            }
            None => word.push(c),
        }
    }
    if started || !word.is_empty() {
        words.push(word);
    }
    words
}

/// The packages of one `pip install` command that are named without a pin (`None`: not an
/// install, or installs from a requirements or constraints file).
fn unpinned(words: &[&str]) -> Option<Vec<String>> {
    // Only what a local folder holds, or the project's own built wheels.
    if words.contains(&"--no-index") {
        return None;
    }
    let install = words.iter().position(|w| *w == "install")?;
    let before = &words[..install];
    let is_pip = match before {
        [pip] => pip.starts_with("pip"),
        [python, "-m", pip] => python.starts_with("python") && pip.starts_with("pip"),
        ["uv", "pip"] => true,
        _ => false,
    };
    if !is_pip {
        return None;
    }
    let mut names = Vec::new();
    let mut args = words[install + 1..].iter();
    while let Some(&arg) = args.next() {
        if arg.is_empty() || arg.starts_with('#') {
            break;
        }
        if arg.starts_with("-r")
            || arg.starts_with("-c")
            || arg.starts_with("--requirement")
            || arg.starts_with("--constraint")
            || arg == "--require-hashes"
        {
            return None;
        }
        if arg.starts_with("${{") {
            // An expression, perhaps split into words: skip to its end.
            if !arg.ends_with("}}") {
                for rest in args.by_ref() {
                    if rest.ends_with("}}") {
                        break;
                    }
                }
            }
            continue;
        }
        if arg == "-e" || arg == "--editable" {
            args.next();
            continue;
        }
        if VALUED.contains(&arg) {
            args.next();
            continue;
        }
        if arg.starts_with('-') || arg.contains("${{") || arg.starts_with('$') {
            continue;
        }
        let local = arg.starts_with('.')
            || arg.starts_with('/')
            || arg.contains("://")
            || arg.contains('@')
            || arg.ends_with(".whl")
            || arg.ends_with(".tar.gz")
            || arg.ends_with(".zip")
            || arg.contains('*');
        // A pin, a range (a choice the project made), or pip upgrading itself.
        let versioned = arg.contains(['=', '<', '>', '~', '!']) || arg.contains(" @ ");
        let installer = arg.eq_ignore_ascii_case("pip");
        if !local && !versioned && !installer {
            names.push(arg.to_string());
        }
    }
    (!names.is_empty()).then_some(names)
}

fn check(cx: &mut CiContext) {
    for step in steps(cx) {
        if let Some(script) = run_commands(&step) {
            report_unpinned(cx, step.file, step.node, &script);
        }
    }
    for job in gitlab_jobs(cx) {
        for script in gitlab_scripts(&job) {
            report_unpinned(cx, job.file, job.body, &script);
        }
    }
}

/// Reports each command of `script` (held by `holder`: a step or a job) installing a
/// package with no version.
fn report_unpinned(cx: &mut CiContext, file: &CiFile, holder: Node<'_>, script: &RunCommands) {
    for command in &script.commands {
        let owned = shell_words(command);
        let words: Vec<&str> = owned.iter().map(String::as_str).collect();
        let Some(names) = unpinned(&words) else {
            continue;
        };
        let first = words.first().copied().unwrap_or_default();
        let needle = format!("{first} ");
        let at = script
            .offset_of(&words[..words.len().min(2)].join(" "))
            .or_else(|| script.offset_of(&needle))
            .unwrap_or(script.raw_start);
        let list = names
            .iter()
            .map(|n| format!("`{n}`"))
            .collect::<Vec<_>>()
            .join(", ");
        cx.report_range_within(
            file,
            at,
            at + first.len(),
            Some(holder),
            format!(
                "{list} installed without a version: CI gets whatever was released last; pin it (`name==1.2.3`) or install from a locked requirements file"
            ),
        );
    }
}
