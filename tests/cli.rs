//! End-to-end tests of the `archlint` binary: exit codes, hostile inputs, configuration,
//! suppression comments, discovery, the `rules` and `explain` commands, `--output-file`, and
//! every output format (snapshotted, and SARIF checked against the official schema).
//!
//! Stable scenarios live in `tests/fixtures/cli/<scenario>/`; trees that git cannot hold
//! (FIFOs, link loops, ignored folders, files of megabytes) are built in a temporary folder.
//! Every run has a time limit, so a hang fails the test instead of stalling the suite.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

mod support;

const TIMEOUT: Duration = Duration::from_secs(60);
const GOOD: &str = "import subprocess\n\nsubprocess.run(cmd, shell=True)\n";

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

impl Run {
    /// Exit code, stdout and stderr in one text, with `dir` shown as `[DIR]` and the version
    /// as `[VERSION]`, for snapshots.
    fn transcript(&self, dir: &Path) -> String {
        format!(
            "exit code: {}\n----- stdout -----\n{}----- stderr -----\n{}",
            self.code,
            stable(&self.stdout, dir),
            stable(&self.stderr, dir)
        )
    }

    fn json(&self) -> Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("stdout is not JSON ({e}):\n{}", self.stdout))
    }
}

fn stable(text: &str, dir: &Path) -> String {
    let mut text = text.replace(env!("CARGO_PKG_VERSION"), "[VERSION]");
    for form in [dir.to_path_buf(), dir.canonicalize().unwrap_or_default()] {
        let form = form.display().to_string();
        if !form.is_empty() {
            text = text.replace(&form, "[DIR]");
        }
    }
    text
}

/// Runs `archlint ARGS` in `dir`, killing it (and failing) after [`TIMEOUT`].
fn archlint(dir: &Path, args: &[&str]) -> Run {
    archlint_with_env(dir, args, &[])
}

/// The rules these tests use to make findings (`shell=True`, `pickle.loads`, `eval`): classics
/// every reader knows, but off by default since their precision on real projects fell under
/// the bar (`bench/precision/`). `check` runs that do not `--select` their own rules turn them
/// on, so the tests exercise the command line, not the default set.
const TEST_RULES: [&str; 2] = ["--extend-select", "SEC301,SEC307,SEC602"];

/// [`archlint`] with extra environment variables.
fn archlint_with_env(dir: &Path, args: &[&str], env: &[(&str, &Path)]) -> Run {
    let mut args = args.to_vec();
    if args.first() == Some(&"check") && !args.contains(&"--select") {
        args.splice(1..1, TEST_RULES);
    }
    let mut child = Command::new(env!("CARGO_BIN_EXE_archlint"))
        .args(&args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .envs(env.iter().map(|(k, v)| (*k, *v)))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("archlint starts");
    let read = |mut pipe: Box<dyn Read + Send>| {
        std::thread::spawn(move || {
            let mut bytes = Vec::new();
            let _ = pipe.read_to_end(&mut bytes);
            String::from_utf8_lossy(&bytes).into_owned()
        })
    };
    let stdout = read(Box::new(child.stdout.take().unwrap()));
    let stderr = read(Box::new(child.stderr.take().unwrap()));
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > TIMEOUT {
            let _ = child.kill();
            let _ = child.wait();
            panic!(
                "`archlint {}` did not finish within {TIMEOUT:?}",
                args.join(" ")
            );
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    Run {
        code: status.code().unwrap_or(-1),
        stdout: stdout.join().unwrap(),
        stderr: stderr.join().unwrap(),
    }
}

fn fixture(scenario: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/cli")
        .join(scenario)
}

/// A temporary project holding `files` (path, contents).
fn project(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (path, text) in files {
        write(dir.path(), path, text.as_bytes());
    }
    dir
}

fn write(dir: &Path, path: &str, bytes: &[u8]) {
    let path = dir.join(path);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, bytes).unwrap();
}

/// The (path, code) pairs of a `--output-format json` run.
fn findings(run: &Run) -> Vec<(String, String)> {
    run.json()["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["path"].as_str().unwrap().to_string(),
                d["code"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// The JSON file at `path`.
fn read_json(path: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// Each finding's `field` (`path` or `code`) and line, in order.
fn located(run: &Run, field: &str) -> Vec<(String, u64)> {
    run.json()["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d[field].as_str().unwrap().to_string(),
                d["start"]["line"].as_u64().unwrap(),
            )
        })
        .collect()
}

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(p, c)| (p.to_string(), c.to_string()))
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Exit codes
// ---------------------------------------------------------------------------------------------

#[test]
fn exit_codes_are_0_for_clean_1_for_findings_2_for_usage_errors() {
    let dir = project(&[(
        "clean.py",
        "import subprocess\nsubprocess.run(['/bin/ls'])\n",
    )]);
    let run = archlint(dir.path(), &["check", "--isolated", "."]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert_eq!(run.stdout, "No findings in 1 file.\n");

    write(dir.path(), "bad.py", GOOD.as_bytes());
    assert_eq!(archlint(dir.path(), &["check", "--isolated", "."]).code, 1);
    // A warning-only run passes with `--fail-on error`, and fails again at `warning`.
    let only_warnings = ["check", "--isolated", "--select", "SUP", "."];
    write(dir.path(), "sup.py", b"x = 1  # archlint: ignore\n");
    assert_eq!(archlint(dir.path(), &only_warnings).code, 1);
    let mut relaxed = only_warnings.to_vec();
    relaxed.extend(["--fail-on", "error"]);
    assert_eq!(archlint(dir.path(), &relaxed).code, 0);

    let usage = archlint(dir.path(), &["check", "--no-such-flag"]);
    assert_eq!(usage.code, 2);
    assert!(usage.stderr.contains("--no-such-flag"), "{}", usage.stderr);
    let bad_severity = archlint(dir.path(), &["check", "--fail-on", "fatal"]);
    assert_eq!(bad_severity.code, 2);
    assert!(bad_severity.stderr.contains("`fatal` is not a severity"));
    assert_eq!(archlint(dir.path(), &["frobnicate"]).code, 2);
}

#[test]
fn a_missing_path_is_reported_and_the_others_are_checked() {
    let dir = project(&[("good.py", GOOD)]);
    let run = archlint(
        dir.path(),
        &[
            "check",
            "--isolated",
            "--output-format",
            "json",
            "missing.py",
            "good.py",
        ],
    );
    assert_eq!(run.code, 1);
    assert_eq!(
        findings(&run),
        pairs(&[("good.py", "SEC602"), ("missing.py", "IO001")])
    );
}

// ---------------------------------------------------------------------------------------------
// Hostile inputs
// ---------------------------------------------------------------------------------------------

/// A tree holding every kind of bad file next to one good file with a real finding.
fn hostile_tree() -> tempfile::TempDir {
    let dir = project(&[
        ("good.py", GOOD),
        ("syntax.py", "def broken(:\n    pass\n"),
        ("empty.py", ""),
        // Invalid TOML: reported, and the run goes on with defaults.
        ("pyproject.toml", "[tool.archlint\nselect = [\"SEC\"]\n"),
    ]);
    let root = dir.path();
    write(root, "latin1.py", b"x = 1\nname = \"caf\xe9\"\n");
    write(
        root,
        "binary.py",
        b"\x7fELF\x02\x01\x01\x00\x00\x00import os\n",
    );
    let n = 100_000;
    let parens = format!("x = {}1{}\n", "(".repeat(n), ")".repeat(n));
    write(root, "parens.py", parens.as_bytes());
    write(
        root,
        "nots.py",
        format!("x = {}1\n", "not ".repeat(n)).as_bytes(),
    );
    let chain = vec!["1"; 10_000].join("+");
    write(root, "chain.py", format!("x = {chain}\n").as_bytes());
    // Over the limit the run sets below (1 MB), where the files above are under it.
    write(root, "huge.py", "x = 1\n".repeat(200_000).as_bytes());
    let fifo = root.join("x.py");
    let made = Command::new("mkfifo").arg(&fifo).status();
    assert!(made.is_ok_and(|s| s.success()), "mkfifo failed");
    std::os::unix::fs::symlink("loop_b.py", root.join("loop_a.py")).unwrap();
    std::os::unix::fs::symlink("loop_a.py", root.join("loop_b.py")).unwrap();
    std::os::unix::fs::symlink("nowhere.py", root.join("dangling.py")).unwrap();
    std::os::unix::fs::symlink("good.py", root.join("link.py")).unwrap();
    dir
}

#[test]
fn hostile_inputs_each_get_a_diagnostic_and_the_run_goes_on() {
    let dir = hostile_tree();
    let args = [
        "check",
        "--max-file-size",
        "1000000",
        "--output-format",
        "concise",
        ".",
    ];
    let run = archlint(dir.path(), &args);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(run.stderr, "", "nothing on stderr: no panic, no error");
    insta::assert_snapshot!("hostile_concise", run.transcript(dir.path()));

    let json = archlint(
        dir.path(),
        &[&args[..3], &["--output-format", "json", "."]].concat(),
    );
    let expected = pairs(&[
        ("binary.py", "IO003"),
        ("chain.py", "SYN002"),
        ("dangling.py", "IO005"),
        ("good.py", "SEC602"),
        ("huge.py", "IO004"),
        ("latin1.py", "IO002"),
        ("link.py", "SEC602"),
        ("loop_a.py", "IO005"),
        ("loop_b.py", "IO005"),
        ("nots.py", "SYN002"),
        ("parens.py", "SYN001"),
        ("pyproject.toml", "IO001"),
        ("syntax.py", "SYN001"),
        ("x.py", "IO005"),
    ]);
    assert_eq!(findings(&json), expected);
}

#[test]
fn text_output_cuts_long_lines_around_the_span() {
    // Under the size at which files are scanned before parsing, so each gets a code frame.
    let dir = project(&[]);
    let (parens, nots) = (50_000, 30_000);
    let parens = format!("x = {}1{}\n", "(".repeat(parens), ")".repeat(parens));
    write(dir.path(), "parens.py", parens.as_bytes());
    let nots = format!("x = {}1\n", "not ".repeat(nots));
    write(dir.path(), "nots.py", nots.as_bytes());
    let padding = "a".repeat(300);
    let call = format!(
        "import subprocess\nx = [\"{padding}\", subprocess.run(cmd, shell=True), \"{padding}\"]\n"
    );
    write(dir.path(), "wide.py", call.as_bytes());
    write(
        dir.path(),
        "tabs.py",
        b"import subprocess\nif x:\n\tsubprocess.run(cmd, shell=True)\n",
    );
    let run = archlint(dir.path(), &["check", "--isolated", "."]);
    assert_eq!(run.code, 1);
    for line in run.stdout.lines() {
        assert!(
            line.chars().count() < 200,
            "a line of {} characters",
            line.chars().count()
        );
    }
    insta::assert_snapshot!("text_long_lines", run.transcript(dir.path()));
}

#[test]
fn runaway_nesting_in_a_large_file_is_refused_before_parsing() {
    // Megabytes of prefix operators: parsing them would take gigabytes of stack.
    let dir = project(&[("good.py", GOOD)]);
    let n = 2_000_000;
    write(
        dir.path(),
        "minus.py",
        format!("x = {}1\n", "-".repeat(n)).as_bytes(),
    );
    write(
        dir.path(),
        "lambdas.py",
        format!("f = {}1\n", "lambda: ".repeat(n / 8)).as_bytes(),
    );
    let started = Instant::now();
    let run = archlint(
        dir.path(),
        &["check", "--isolated", "--output-format", "json", "."],
    );
    assert!(started.elapsed() < Duration::from_secs(20));
    assert_eq!(
        findings(&run),
        pairs(&[
            ("good.py", "SEC602"),
            ("lambdas.py", "SYN002"),
            ("minus.py", "SYN002")
        ])
    );
}

#[test]
fn ignored_engine_rules_are_not_reported() {
    let dir = hostile_tree();
    let run = archlint(
        dir.path(),
        &[
            "check",
            "--max-file-size",
            "1000000",
            "--ignore",
            "SYN,IO",
            "--output-format",
            "json",
            ".",
        ],
    );
    assert_eq!(
        findings(&run),
        pairs(&[("good.py", "SEC602"), ("link.py", "SEC602")])
    );
}

// ---------------------------------------------------------------------------------------------
// Configuration
// ---------------------------------------------------------------------------------------------

#[test]
fn configuration_select_ignore_per_file_ignores_exclude_severity_fail_on() {
    // `select = ["SUP"]` then `extend-select` brings SEC602 back by prefix and chapter;
    // `legacy/` is per-file-ignored; `generated/` is excluded; SEC602 is lowered to a
    // warning and `fail-on = "error"`, so the run passes.
    let dir = fixture("config");
    let run = archlint(&dir, &["check", "--output-format", "concise", "."]);
    insta::assert_snapshot!("config_applied", run.transcript(&dir));
    assert_eq!(run.code, 0);

    // `target-version` is read (shown by --verbose); the command line overrides it.
    let verbose = archlint(&dir, &["check", "--verbose", "--quiet", "."]);
    assert!(
        verbose.stderr.contains("configuration pyproject.toml;")
            && verbose.stderr.contains("target Python 3.11"),
        "{}",
        verbose.stderr
    );
    let overridden = archlint(&dir, &["check", "-v", "--target-version", "3.13", "."]);
    assert!(overridden.stderr.contains("target Python 3.13"));

    // Flags override the file: `--select` replaces `select`, `--ignore` adds to `ignore`.
    let only_sup = archlint(
        &dir,
        &["check", "--select", "SUP", "--output-format", "json", "."],
    );
    assert_eq!(findings(&only_sup), pairs(&[("app.py", "SEC602")]));
    let ignored = archlint(
        &dir,
        &[
            "check",
            "--ignore",
            "SEC602",
            "--output-format",
            "json",
            ".",
        ],
    );
    assert_eq!(findings(&ignored), pairs(&[]));
    assert_eq!(ignored.code, 0);

    // `--isolated`: no file, so every file is checked at the default severity.
    let isolated = archlint(
        &dir,
        &["check", "--isolated", "--output-format", "json", "."],
    );
    assert_eq!(
        findings(&isolated),
        pairs(&[
            ("app.py", "SEC602"),
            ("generated/gen.py", "SEC602"),
            ("legacy/old.py", "SEC602")
        ])
    );
    assert_eq!(isolated.code, 1);
    assert_eq!(isolated.json()["diagnostics"][0]["severity"], "error");

    // `--config`: another file (the whole file is the options, as in archlint.toml).
    let strict = archlint(
        &dir,
        &[
            "check",
            "--config",
            "strict.toml",
            "--output-format",
            "json",
            ".",
        ],
    );
    assert_eq!(findings(&strict).len(), 3);
    assert_eq!(
        strict.json()["summary"]["infos"],
        3,
        "read: the severity override applied"
    );
    assert_eq!(strict.code, 1, "`fail-on = \"info\"`");
    // `--config` with an unknown key fails like the found file does.
    let other = project(&[("custom.toml", "selct = [\"SEC\"]\n")]);
    let custom = other.path().join("custom.toml");
    let bad = archlint(&dir, &["check", "--config", custom.to_str().unwrap(), "."]);
    assert_eq!(bad.code, 2);
    assert!(
        bad.stderr.contains("custom.toml:1:1: unknown key `selct`"),
        "{}",
        bad.stderr
    );
}

#[test]
fn configuration_found_from_a_subfolder_matches_globs_from_its_own_folder() {
    // Run from inside `legacy/`: the per-file-ignores glob is relative to the pyproject.
    let dir = fixture("config");
    let run = archlint(
        &dir.join("legacy"),
        &["check", "--output-format", "json", "."],
    );
    assert_eq!(findings(&run), pairs(&[]), "{}", run.stdout);
    let up = archlint(
        &dir.join("legacy"),
        &["check", "--output-format", "json", ".."],
    );
    assert_eq!(findings(&up), pairs(&[("../app.py", "SEC602")]));
}

#[test]
fn exclude_replaces_the_built_in_list_and_extend_exclude_adds_to_it() {
    let files = [
        ("app.py", GOOD),
        ("build/gen.py", GOOD),
        ("vendor/lib.py", GOOD),
    ];
    let dir = project(&files);
    let json = ["--output-format", "json", "."];
    write(
        dir.path(),
        "pyproject.toml",
        b"[tool.archlint]\nextend-exclude = [\"vendor\"]\n",
    );
    let run = archlint(dir.path(), &[&["check"], &json[..]].concat());
    assert_eq!(findings(&run), pairs(&[("app.py", "SEC602")]));
    write(
        dir.path(),
        "pyproject.toml",
        b"[tool.archlint]\nexclude = [\"vendor\"]\n",
    );
    let run = archlint(dir.path(), &[&["check"], &json[..]].concat());
    assert_eq!(
        findings(&run),
        pairs(&[("app.py", "SEC602"), ("build/gen.py", "SEC602")])
    );
    // `--exclude` adds to both.
    let run = archlint(
        dir.path(),
        &[&["check", "--exclude", "build"], &json[..]].concat(),
    );
    assert_eq!(findings(&run), pairs(&[("app.py", "SEC602")]));
}

#[test]
fn force_exclude_applies_exclusions_to_files_named_explicitly() {
    let dir = project(&[
        ("app.py", GOOD),
        ("vendor/lib.py", GOOD),
        (
            "pyproject.toml",
            "[tool.archlint]\nextend-exclude = [\"vendor\"]\n",
        ),
    ]);
    let json = ["--output-format", "json", "app.py", "vendor/lib.py"];
    let named = archlint(dir.path(), &[&["check"], &json[..]].concat());
    assert_eq!(
        findings(&named),
        pairs(&[("app.py", "SEC602"), ("vendor/lib.py", "SEC602")])
    );
    let forced = archlint(
        dir.path(),
        &[&["check", "--force-exclude"], &json[..]].concat(),
    );
    assert_eq!(findings(&forced), pairs(&[("app.py", "SEC602")]));
}

#[test]
fn security_options_reach_the_rules() {
    let source = "import os\nfrom markupsafe import Markup\nfrom myapp.html import SafeHTML\n\nMarkup(bleach.clean(text))\nSafeHTML(text)\nopen(\"/scratch/out\")\n\ntry:\n    os.remove(path)\nexcept OSError:\n    pass\n";
    let dir = project(&[("app.py", source)]);
    let json = [
        "--select",
        "SEC704,SEC108,SEC110",
        "--output-format",
        "json",
        ".",
    ];
    let defaults = archlint(dir.path(), &[&["check"], &json[..]].concat());
    assert_eq!(findings(&defaults), pairs(&[("app.py", "SEC704")]));
    write(
        dir.path(),
        "pyproject.toml",
        b"[tool.archlint.security]\nmarkup-allowed-calls = [\"bleach.clean\"]\nmarkup-extend-names = [\"myapp.html.SafeHTML\"]\ntmp-dirs = [\"/scratch\"]\ncheck-typed-exception = true\n",
    );
    let configured = archlint(dir.path(), &[&["check"], &json[..]].concat());
    let lines = located(&configured, "code");
    let expected = [("SEC704", 6), ("SEC108", 7), ("SEC110", 11)];
    assert_eq!(
        lines,
        expected.map(|(c, l)| (c.to_string(), l)).to_vec(),
        "{}",
        configured.stdout
    );
}

#[test]
fn target_version_defaults_to_requires_python() {
    let dir = project(&[
        ("app.py", "x = 1\n"),
        (
            "pyproject.toml",
            "[project]\nname = \"p\"\nrequires-python = \">=3.12,<4\"\n",
        ),
    ]);
    let run = archlint(dir.path(), &["check", "-v", "."]);
    assert!(run.stderr.contains("target Python 3.12"), "{}", run.stderr);
}

fn config_error(toml: &str) -> (Run, String) {
    let dir = project(&[("app.py", GOOD), ("pyproject.toml", toml)]);
    let run = archlint(dir.path(), &["check", "."]);
    let transcript = run.transcript(dir.path());
    (run, transcript)
}

#[test]
fn an_unknown_key_stops_the_run_naming_file_line_key_and_the_closest_key() {
    let (run, transcript) =
        config_error("[project]\nname = \"p\"\n\n[tool.archlint]\nselct = [\"SEC\"]\n");
    assert_eq!(run.code, 2);
    assert_eq!(run.stdout, "");
    assert!(
        run.stderr.contains(
            "pyproject.toml:5:1: unknown key `selct` in [tool.archlint]; did you mean `select`?"
        ),
        "{}",
        run.stderr
    );
    insta::assert_snapshot!("config_unknown_key", transcript);
    let (run, _) = config_error("[tool.archlint.security]\ntmp-dir = [\"/tmp\"]\n");
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("did you mean `tmp-dirs`?"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_bad_value_stops_the_run_naming_the_key_and_the_value() {
    let (run, transcript) = config_error("[tool.archlint]\nfail-on = \"fatal\"\n");
    assert_eq!(run.code, 2);
    insta::assert_snapshot!("config_bad_value", transcript);
    for (toml, needles) in [
        (
            "[tool.archlint]\nmax-file-size = \"big\"\n",
            &["pyproject.toml:2:", "`max-file-size`", "\"big\""][..],
        ),
        (
            "[tool.archlint]\ntarget-version = \"py3\"\n",
            &["pyproject.toml:2:", "`target-version`", "`py3`"][..],
        ),
        (
            "[tool.archlint]\nseverity = { SEC6020 = \"info\" }\n",
            &["pyproject.toml:2:", "`SEC6020`", "did you mean `SEC602`?"][..],
        ),
        (
            "[tool.archlint]\nper-file-ignores = { \"a/[.py\" = [\"SEC602\"] }\n",
            &["pyproject.toml:2:", "`a/[.py`"][..],
        ),
    ] {
        let (run, _) = config_error(toml);
        assert_eq!(run.code, 2, "{toml}");
        for needle in needles {
            assert!(run.stderr.contains(needle), "{needle} in {}", run.stderr);
        }
    }
}

#[test]
fn a_broken_pyproject_is_reported_and_the_run_goes_on_but_a_broken_config_flag_stops_it() {
    let dir = project(&[
        ("app.py", GOOD),
        ("pyproject.toml", "[tool.archlint\nselect = ["),
    ]);
    let run = archlint(dir.path(), &["check", "--output-format", "json", "."]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(
        findings(&run),
        pairs(&[("app.py", "SEC602"), ("pyproject.toml", "IO001")])
    );
    let flag = archlint(dir.path(), &["check", "--config", "pyproject.toml", "."]);
    assert_eq!(flag.code, 2);
    assert_eq!(flag.stdout, "");
    assert!(flag.stderr.contains("invalid TOML"), "{}", flag.stderr);
}

#[test]
fn an_unknown_selector_stops_the_run_with_a_suggestion() {
    let (run, transcript) = config_error("[tool.archlint]\nselect = [\"SEC6020\"]\n");
    assert_eq!(run.code, 2);
    insta::assert_snapshot!("config_unknown_selector", transcript);
    let dir = project(&[("app.py", GOOD)]);
    let flag = archlint(
        dir.path(),
        &["check", "--select", "subprocess-shell-tru", "."],
    );
    assert_eq!(flag.code, 2);
    assert_eq!(
        flag.stderr,
        "archlint: error: --select: unknown rule selector `subprocess-shell-tru`; did you mean `subprocess-shell-true`?\n"
    );
    let missing = archlint(dir.path(), &["check", "--config", "nothere.toml", "."]);
    assert_eq!(missing.code, 2);
    assert!(missing.stderr.contains("cannot read nothere.toml"));
}

// ---------------------------------------------------------------------------------------------
// Suppression comments
// ---------------------------------------------------------------------------------------------

#[test]
fn suppression_comments_of_every_dialect() {
    let dir = fixture("suppressions");
    let run = archlint(
        &dir,
        &["check", "--isolated", "--output-format", "concise", "."],
    );
    insta::assert_snapshot!("suppressions", run.transcript(&dir));
    let json = archlint(
        &dir,
        &["check", "--isolated", "--output-format", "json", "."],
    );
    let lines: Vec<(u64, &str)> = json.json()["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["start"]["line"].as_u64().unwrap(),
                match d["code"].as_str().unwrap() {
                    "SEC602" => "SEC602",
                    "SUP001" => "SUP001",
                    other => panic!("unexpected {other}"),
                },
            )
        })
        .collect();
    // Only `# nosec B101` and `# noqa: E501` (other checks) leave SEC602 standing (SEC602
    // is reported on the `shell=` line, so an `archlint: ignore` there counts, and a
    // `# nosec` counts on any line of the call, as in bandit); the three comments on lines
    // that hold no finding are unused (SUP001). `file_wide.py` reports nothing.
    assert_eq!(
        lines,
        vec![
            (15, "SEC602"),
            (16, "SEC602"),
            (25, "SUP001"),
            (26, "SUP001"),
            (27, "SUP001"),
        ]
    );
}

// ---------------------------------------------------------------------------------------------
// Discovery
// ---------------------------------------------------------------------------------------------

#[test]
fn discovery_skips_ignored_hidden_virtualenv_and_build_folders() {
    let mut files: Vec<(&str, &str)> = [
        "app.py",
        "pkg/mod.py",
        "pkg/stub.pyi",
        "ignored/mod.py",
        "pkg/ignored_file.py",
        ".hidden/mod.py",
        "env/lib/mod.py",
        "build/mod.py",
        "dist/mod.py",
        "node_modules/pkg/mod.py",
        "pkg/__pycache__/mod.py",
        "site/mod.egg-info/mod.py",
    ]
    .iter()
    .map(|path| (*path, GOOD))
    .collect();
    files.push(("env/pyvenv.cfg", "home = /usr/bin\n"));
    // No git repository: `.gitignore` is honoured all the same.
    files.push((".gitignore", "ignored/\nignored_file.py\n"));
    files.push(("notes.txt", "subprocess.run(cmd, shell=True)\n"));
    let dir = project(&files);
    assert!(!dir.path().join(".git").exists());
    let run = archlint(
        dir.path(),
        &["check", "--isolated", "--output-format", "json", "."],
    );
    assert_eq!(
        findings(&run),
        pairs(&[("app.py", "SEC602"), ("pkg/mod.py", "SEC602"),])
    );
    // The stub is found and read, but security rules do not run on stubs.
    assert_eq!(run.json()["summary"]["files_checked"], 3);
    let roles = archlint(
        dir.path(),
        &[
            "check",
            "--isolated",
            "--show-roles",
            "--output-format",
            "json",
            ".",
        ],
    );
    let stub = roles.json().as_array().unwrap().iter().any(|file| {
        file["path"].as_str().unwrap().ends_with("pkg/stub.pyi") && file["role"] == "stubs"
    });
    assert!(stub, "{}", roles.stdout);

    // A file named on the command line is checked, excluded or ignored as it may be.
    let named = archlint(
        dir.path(),
        &[
            "check",
            "--isolated",
            "--output-format",
            "json",
            "build/mod.py",
            "ignored/mod.py",
            ".hidden/mod.py",
        ],
    );
    assert_eq!(
        findings(&named),
        pairs(&[
            (".hidden/mod.py", "SEC602"),
            ("build/mod.py", "SEC602"),
            ("ignored/mod.py", "SEC602"),
        ])
    );
    // A folder named on the command line is walked even when its name is excluded.
    let folder = archlint(
        dir.path(),
        &["check", "--isolated", "--output-format", "json", "build"],
    );
    assert_eq!(findings(&folder), pairs(&[("build/mod.py", "SEC602")]));
}

// ---------------------------------------------------------------------------------------------
// `rules` and `explain`
// ---------------------------------------------------------------------------------------------

#[test]
fn rules_lists_every_rule() {
    let dir = tempfile::tempdir().unwrap();
    let run = archlint(dir.path(), &["rules"]);
    assert_eq!(run.code, 0);
    let count = archlint_rules::registry::RULES.len();
    assert!(
        run.stdout.ends_with(&format!(
            "\n{count} rules. `archlint explain CODE` prints a rule's documentation.\n"
        )),
        "{}",
        run.stdout
    );
    let sec602 = run
        .stdout
        .lines()
        .find(|l| l.starts_with("SEC602 "))
        .expect("SEC602 listed");
    assert!(sec602.contains("subprocess-shell-true"));
    assert!(sec602.contains("bandit B602"), "{sec602}");
}

#[test]
fn rules_of_one_chapter_as_json() {
    let dir = tempfile::tempdir().unwrap();
    let run = archlint(
        dir.path(),
        &["rules", "--chapter", "security", "--output-format", "json"],
    );
    assert_eq!(run.code, 0);
    let list = run.json();
    let list = list.as_array().unwrap();
    assert!(!list.is_empty());
    assert!(list.iter().all(|r| r["chapter"] == "security"));
    let sec602 = list.iter().find(|r| r["code"] == "SEC602").unwrap();
    assert_eq!(sec602["name"], "subprocess-shell-true");
    assert_eq!(
        sec602["source"],
        "crates/archlint_rules/src/sec/subprocess_shell_true.rs"
    );
    assert!(sec602.get("docs").is_none(), "the list carries no docs");
    // The prefix form gives the same list; an unknown chapter is a usage error.
    let by_prefix = archlint(
        dir.path(),
        &["rules", "--chapter", "SEC", "--output-format", "json"],
    );
    assert_eq!(by_prefix.stdout, run.stdout);
    let unknown = archlint(dir.path(), &["rules", "--chapter", "securty"]);
    assert_eq!(unknown.code, 2);
    assert!(unknown.stderr.contains("no chapter `securty`"));
}

#[test]
fn explain_prints_the_docs_and_equivalents() {
    let dir = tempfile::tempdir().unwrap();
    let rule = archlint_rules::registry::catalogue()
        .find("SEC602")
        .unwrap();
    let run = archlint(dir.path(), &["explain", "SEC602"]);
    assert_eq!(run.code, 0);
    assert!(
        run.stdout
            .starts_with("# SEC602 (subprocess-shell-true)\n\nChapter: security")
    );
    assert!(run.stdout.contains(&rule.docs()), "the docs verbatim");
    assert!(run.stdout.contains("## Equivalents\n"));
    assert!(run.stdout.contains("- bandit `B602`"));
    assert!(
        run.stdout
            .ends_with("\nDefined in: crates/archlint_rules/src/sec/subprocess_shell_true.rs\n")
    );
    // By name, and lower case, too.
    assert_eq!(
        archlint(dir.path(), &["explain", "subprocess-shell-true"]).stdout,
        run.stdout
    );
    assert_eq!(
        archlint(dir.path(), &["explain", "sec602"]).stdout,
        run.stdout
    );

    let json = archlint(
        dir.path(),
        &["explain", "SEC602", "--output-format", "json"],
    );
    assert_eq!(json.code, 0);
    let value = json.json();
    assert_eq!(value["code"], "SEC602");
    assert_eq!(value["severity"], rule.severity.name());
    assert_eq!(value["docs"], rule.docs());
    assert!(
        value["peers"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["tool"] == "bandit" && p["id"] == "B602")
    );
}

#[test]
fn explain_an_unknown_code_suggests_the_closest() {
    let dir = tempfile::tempdir().unwrap();
    let run = archlint(dir.path(), &["explain", "SEC6020"]);
    assert_eq!(run.code, 2);
    assert_eq!(run.stdout, "");
    assert_eq!(
        run.stderr,
        "archlint: error: no rule `SEC6020`; did you mean `SEC602`?\n"
    );
}

// ---------------------------------------------------------------------------------------------
// --output-file and determinism
// ---------------------------------------------------------------------------------------------

#[test]
fn output_file_is_written_whole_and_leaves_no_temporary_file() {
    let dir = project(&[("app.py", GOOD)]);
    let out = dir.path().join("reports");
    std::fs::create_dir(&out).unwrap();
    std::fs::write(out.join("report.json"), "stale").unwrap();
    let run = archlint(
        dir.path(),
        &[
            "check",
            "--isolated",
            "--output-format",
            "json",
            "--output-file",
            "reports/report.json",
            "app.py",
        ],
    );
    assert_eq!(run.code, 1);
    assert_eq!(run.stdout, "", "nothing on stdout");
    let written = std::fs::read_to_string(out.join("report.json")).unwrap();
    let value: Value = serde_json::from_str(&written).unwrap();
    assert_eq!(value["diagnostics"][0]["code"], "SEC602");
    let names: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, vec!["report.json".to_string()]);
    // Same bytes as stdout would have been.
    let stdout = archlint(
        dir.path(),
        &["check", "--isolated", "--output-format", "json", "app.py"],
    );
    assert_eq!(stdout.stdout, written);

    let nowhere = archlint(
        dir.path(),
        &[
            "check",
            "--isolated",
            "-o",
            "missing/dir/report.txt",
            "app.py",
        ],
    );
    assert_eq!(nowhere.code, 2);
    assert!(
        nowhere.stderr.contains("cannot write"),
        "{}",
        nowhere.stderr
    );
}

#[test]
fn output_order_is_deterministic() {
    // Enough files that the threads finish in a different order each run.
    let mut files = Vec::new();
    for i in 0..300 {
        files.push((format!("pkg{}/m{i}.py", i % 7), GOOD.repeat(1 + i % 3)));
    }
    let refs: Vec<(&str, &str)> = files
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_str()))
        .collect();
    let dir = project(&refs);
    let first = archlint(
        dir.path(),
        &["check", "--isolated", "--output-format", "json"],
    );
    let second = archlint(
        dir.path(),
        &["check", "--isolated", "--output-format", "json"],
    );
    assert_eq!(first.code, 1);
    assert_eq!(first.stdout, second.stdout);
    let found = findings(&first);
    let mut sorted = found.clone();
    sorted.sort();
    assert_eq!(found, sorted, "sorted by path");
    assert_eq!(found.len(), 600);
}

// ---------------------------------------------------------------------------------------------
// Output formats, on one shared set of diagnostics
// ---------------------------------------------------------------------------------------------

const FORMATS: &[&str] = &["text", "concise", "json", "sarif", "github", "junit"];

fn render(format: &str) -> (Run, PathBuf) {
    let dir = fixture("formats");
    let run = archlint(
        &dir,
        &["check", "--isolated", "--output-format", format, "."],
    );
    (run, dir)
}

#[test]
fn every_output_format() {
    for format in FORMATS {
        let (mut run, dir) = render(format);
        assert_eq!(run.code, 1, "{format}: {}", run.stderr);
        assert_eq!(run.stderr, "", "{format}");
        if *format == "sarif" {
            // The rule docs belong to the rules' own snapshots (and are compared with the
            // registry in `sarif_output_matches_the_official_schema`); keep them out of here.
            let mut log = run.json();
            for rule in log["runs"][0]["tool"]["driver"]["rules"]
                .as_array_mut()
                .unwrap()
            {
                rule["help"]["text"] = "[rule docs]".into();
                rule["help"]["markdown"] = "[rule docs]".into();
            }
            run.stdout = serde_json::to_string_pretty(&log).unwrap() + "\n";
        }
        insta::assert_snapshot!(format!("format_{format}"), run.transcript(&dir));
    }
}

#[test]
fn the_formats_agree_on_the_findings() {
    let (json, _) = render("json");
    let expected = pairs(&[
        ("app.py", "SEC602"),
        ("app.py", "SUP001"),
        ("app.py", "SEC602"),
        ("broken.py", "SYN001"),
        ("latin1.py", "IO002"),
        ("odd, name.py", "SEC602"),
    ]);
    assert_eq!(findings(&json), expected);
    let (concise, _) = render("concise");
    let lines = concise.stdout.lines().take_while(|l| !l.is_empty());
    assert_eq!(lines.count(), 6);
    let (github, _) = render("github");
    assert_eq!(github.stdout.lines().count(), 6);
    let (junit, _) = render("junit");
    assert_eq!(junit.stdout.matches("<failure ").count(), 6);
    let (sarif, _) = render("sarif");
    assert_eq!(
        sarif.json()["runs"][0]["results"].as_array().unwrap().len(),
        6
    );
}

#[test]
fn sarif_output_matches_the_official_schema() {
    let schema_path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/schemas/sarif-2.1.0.json");
    let schema = read_json(&schema_path);
    let validator = jsonschema::draft4::options()
        .should_validate_formats(true)
        .build(&schema)
        .expect("the schema compiles offline");

    // The schema is strict enough to fail a broken log.
    let broken: Value = serde_json::json!({"version": "2.1.0", "runs": [{"results": []}]});
    assert!(
        !validator.is_valid(&broken),
        "a run without a tool is rejected"
    );

    let (run, _) = render("sarif");
    let log = run.json();
    let errors: Vec<String> = validator
        .iter_errors(&log)
        .map(|e| format!("{} at {}", e, e.instance_path))
        .collect();
    assert!(
        errors.is_empty(),
        "SARIF schema errors:\n{}",
        errors.join("\n")
    );

    // What GitHub code scanning reads: rules with descriptions and help, results pointing at
    // them by id and index, relative URIs.
    let driver = &log["runs"][0]["tool"]["driver"];
    assert_eq!(driver["name"], "archlint");
    let rules = driver["rules"].as_array().unwrap();
    let ids: Vec<&str> = rules.iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert_eq!(ids, vec!["SEC602", "SUP001", "SYN001", "IO002"]);
    for rule in rules {
        let id = rule["id"].as_str().unwrap();
        let docs = archlint_rules::registry::catalogue()
            .by_code(id)
            .unwrap()
            .docs();
        assert_eq!(rule["help"]["text"], docs, "{id}");
        assert_eq!(rule["help"]["markdown"], docs, "{id}");
        assert!(
            !rule["shortDescription"]["text"]
                .as_str()
                .unwrap()
                .is_empty()
        );
        assert!(rule["defaultConfiguration"]["level"].is_string());
    }
    let sec602 = &rules[0]["properties"];
    assert_eq!(sec602["security-severity"], "8.0");
    assert_eq!(sec602["tags"][0], "security");
    for result in log["runs"][0]["results"].as_array().unwrap() {
        let index = result["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[index]["id"], result["ruleId"]);
        let uri = result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            .as_str()
            .unwrap();
        assert!(!uri.starts_with('/') && !uri.starts_with("./"), "{uri}");
    }
}

#[test]
fn sarif_of_a_clean_run_and_of_absolute_paths_is_valid_too() {
    let schema_path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/schemas/sarif-2.1.0.json");
    let schema = read_json(&schema_path);
    let dir = project(&[("clean.py", "x = 1\n")]);
    let run = archlint(
        dir.path(),
        &["check", "--isolated", "--output-format", "sarif", "."],
    );
    assert_eq!(run.code, 0);
    let validator = jsonschema::draft4::options()
        .should_validate_formats(true)
        .build(&schema)
        .unwrap();
    assert!(validator.is_valid(&run.json()));

    // A path given as absolute becomes a `file:` URI.
    write(dir.path(), "sub dir/app.py", GOOD.as_bytes());
    let absolute = dir.path().join("sub dir/app.py");
    let run = archlint(
        dir.path(),
        &[
            "check",
            "--isolated",
            "--output-format",
            "sarif",
            absolute.to_str().unwrap(),
        ],
    );
    let log = run.json();
    assert!(validator.is_valid(&log));
    let uri = log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
        ["uri"]
        .as_str()
        .unwrap();
    assert!(uri.starts_with("file:///"), "{uri}");
    assert!(uri.ends_with("/sub%20dir/app.py"), "{uri}");
}

#[test]
fn quiet_prints_only_the_findings() {
    let (run, _) = {
        let dir = fixture("formats");
        (
            archlint(&dir, &["check", "--isolated", "--quiet", "."]),
            dir,
        )
    };
    assert_eq!(run.code, 1);
    assert_eq!(run.stdout.lines().count(), 6, "{}", run.stdout);
    assert!(!run.stdout.contains("findings in"));
}

#[test]
fn a_file_name_that_is_not_utf8_works_in_every_format() {
    use std::os::unix::ffi::OsStrExt;
    let dir = project(&[]);
    let name = std::ffi::OsStr::from_bytes(b"bad\xffname.py");
    std::fs::write(dir.path().join(name), GOOD).unwrap();
    for format in FORMATS {
        let run = archlint(
            dir.path(),
            &["check", "--isolated", "--output-format", format, "."],
        );
        assert_eq!(run.code, 1, "{format}: {}", run.stderr);
        if *format != "sarif" {
            assert!(run.stdout.contains("bad\u{FFFD}name.py"), "{format}");
        }
    }
    let (sarif, json) = (
        archlint(
            dir.path(),
            &["check", "--isolated", "--output-format", "sarif"],
        ),
        archlint(
            dir.path(),
            &["check", "--isolated", "--output-format", "json"],
        ),
    );
    assert_eq!(findings(&json), pairs(&[("bad\u{FFFD}name.py", "SEC602")]));
    let uri = &sarif.json()["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
        ["uri"];
    assert_eq!(uri, "bad%FFname.py", "the file's own bytes");
}

#[test]
fn show_versions_prints_each_file_minimum_and_the_project_minimum() {
    let dir = fixture("versions");
    let run = archlint(&dir, &["check", "--isolated", "--show-versions", "."]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert!(
        lines[0].starts_with("guarded.py") && lines[0].contains("3.6  an f-string (line 6)"),
        "{}",
        run.stdout
    );
    assert!(
        lines[1].starts_with("newer.py") && lines[1].contains("3.11  module `tomllib` (line 1)"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("Project minimum: Python 3.11 (newer.py:1: module `tomllib`)"),
        "{}",
        run.stdout
    );

    let json = archlint(
        &dir,
        &[
            "check",
            "--isolated",
            "--show-versions",
            "--output-format",
            "json",
            ".",
        ],
    );
    let report: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(report["project_minimum"], "3.11");
    assert_eq!(report["supported"], "3.9");
    assert_eq!(report["files"][1]["features"][0]["line"], 1);
}

// ---------------------------------------------------------------------------------------------
// The project model: graph, project-wide findings, dead-code allow-list
// ---------------------------------------------------------------------------------------------

const CYCLE: &[(&str, &str)] = &[
    ("pkg/__init__.py", ""),
    ("pkg/a.py", "from pkg import b\n"),
    ("pkg/b.py", "from pkg.a import thing\nimport json\n"),
    (
        "pkg/c.py",
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from pkg import a\n",
    ),
];

#[test]
fn graph_prints_every_format_with_the_documented_json_fields() {
    let dir = project(CYCLE);
    let json = archlint(dir.path(), &["graph", "--format", "json", "."]);
    assert_eq!(json.code, 0, "{}", json.stderr);
    let value = json.json();
    let modules: Vec<&str> = value["modules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["name"].as_str().unwrap())
        .collect();
    assert_eq!(modules, ["pkg", "pkg.a", "pkg.b", "pkg.c"]);
    let edges: Vec<(String, String, u64, String)> = value["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["from"].as_str().unwrap().to_string(),
                e["to"].as_str().unwrap().to_string(),
                e["line"].as_u64().unwrap(),
                e["kind"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        edges,
        [
            ("pkg.a".into(), "pkg.b".into(), 1, "normal".into()),
            ("pkg.b".into(), "pkg.a".into(), 1, "normal".into()),
            ("pkg.c".into(), "pkg.a".into(), 3, "type-checking".into()),
        ]
    );
    assert_eq!(
        value["cycles"][0]["modules"],
        serde_json::json!(["pkg.a", "pkg.b"])
    );

    let external = archlint(
        dir.path(),
        &["graph", "--format", "json", "--include-external", "."],
    );
    assert!(external.stdout.contains("\"third-party\"") || external.stdout.contains("\"stdlib\""));
    let dot = archlint(dir.path(), &["graph", "--format", "dot", "."]);
    assert!(
        dot.stdout.contains("\"pkg.a\" -> \"pkg.b\" [color=red];"),
        "{}",
        dot.stdout
    );
    assert!(
        dot.stdout
            .contains("\"pkg.c\" -> \"pkg.a\" [style=dashed];")
    );
    let mermaid = archlint(
        dir.path(),
        &["graph", "--format", "mermaid", "--collapse", "1", "."],
    );
    assert_eq!(mermaid.stdout, "graph LR\n  m0[\"pkg\"]\n");
    let focused = archlint(dir.path(), &["graph", "--focus", "pkg.c", "--metrics", "."]);
    assert!(
        focused
            .stdout
            .starts_with("pkg.a\npkg.c\n  → pkg.a (line 3, type-checking only)\n"),
        "{}",
        focused.stdout
    );
    assert!(focused.stdout.contains("package "), "{}", focused.stdout);
}

#[test]
fn project_findings_honour_suppressions_and_report_unused_ones() {
    let dir = project(&[
        ("pkg/__init__.py", ""),
        (
            "pkg/a.py",
            "from pkg import b  # archlint: ignore[ARCH001]\n",
        ),
        ("pkg/b.py", "from pkg import a\n"),
        ("pkg/c.py", "import json  # archlint: ignore[ARCH001]\n"),
    ]);
    let run = archlint(
        dir.path(),
        &[
            "check",
            "--select",
            "ARCH001,SUP001",
            "--output-format",
            "json",
            ".",
        ],
    );
    assert_eq!(
        findings(&run),
        pairs(&[("pkg/c.py", "SUP001")]),
        "{}",
        run.stdout
    );
}

#[test]
fn the_allowlist_written_by_make_allowlist_silences_the_dead_code_it_lists() {
    let dir = project(&[
        ("app/__init__.py", ""),
        (
            "app/jobs.py",
            "RETRIES = 3\n\nclass Job:\n    def __init__(self):\n        self.started = None\n",
        ),
        ("app/cli.py", "from app.jobs import Job\nJob()\n"),
    ]);
    let run = archlint(dir.path(), &["check", "--make-allowlist", "."]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout
            .contains("\"app.jobs.RETRIES\",  # unused variable (app/jobs.py:1)"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("\"app.jobs.Job.started\",  # unused attribute (app/jobs.py:5)")
    );
    let before = archlint(
        dir.path(),
        &[
            "check",
            "--select",
            "ARCH01",
            "--output-format",
            "json",
            ".",
        ],
    );
    assert!(!findings(&before).is_empty());
    write(dir.path(), "pyproject.toml", run.stdout.as_bytes());
    let after = archlint(
        dir.path(),
        &[
            "check",
            "--select",
            "ARCH01",
            "--output-format",
            "json",
            ".",
        ],
    );
    assert_eq!(findings(&after), [], "{}", after.stdout);
}

// ---------------------------------------------------------------------------------------------
// `archlint types`: coverage, completeness and stubs
// ---------------------------------------------------------------------------------------------

/// `tests/fixtures/cli/types_coverage` was counted by hand: the comments in the test give
/// the count, so a change in the rules of coverage shows here as a wrong number.
#[test]
fn types_coverage_matches_the_hand_count() {
    let dir = fixture("types_coverage");
    let run = archlint(&dir, &["types", "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    // The file that does not parse is named, skipped, and the run goes on.
    assert!(
        run.stderr
            .contains("broken.py: syntax error: Expected a parameter or the end"),
        "{}",
        run.stderr
    );
    let report = run.json();
    let summary = &report["summary"];
    let ratio = |view: &str, measure: &str| {
        let value = &summary[view][measure];
        (
            value["annotated"].as_u64().unwrap(),
            value["total"].as_u64().unwrap(),
        )
    };
    // Public: `pkg.VERSION`; `pkg.api` (run, load, helper, dump, LIMIT, handlers, timeout,
    // Client and its public members); `pkg._impl.Engine`, re-exported by `pkg`'s `__all__`.
    // Fully annotated: run, dump, Client.__init__ (a parameter annotated: no `-> None`
    // needed), Client.get, Engine.start; not: load, helper, Client.post, Engine.stop.
    assert_eq!(ratio("public", "functions"), (5, 9));
    // task, retries, mode, obj, url, path of 12 (load.path, *args, **kwargs, post.path,
    // post.data and stop.force are not).
    assert_eq!(ratio("public", "parameters"), (6, 12));
    // Returns of 8 (`__init__` does not count): run, dump, get, start.
    assert_eq!(ratio("public", "returns"), (4, 8));
    // VERSION, LIMIT, handlers, timeout, Client.retries, name, x, y: only timeout and
    // retries are annotated.
    assert_eq!(ratio("public", "attributes"), (2, 8));
    // Everything adds `_private`, `Client._secret`, `Hidden.go` and the test function.
    assert_eq!(ratio("all", "functions"), (5, 13));
    assert_eq!(ratio("all", "parameters"), (6, 13));
    assert_eq!(ratio("all", "returns"), (4, 12));
    assert_eq!(summary["public"]["any"], 2);
    // Known: VERSION, run, dump, LIMIT, timeout, Client.retries, name, x, y, __init__, get,
    // Engine.start; partially known: load, Client, Engine; unknown: helper, handlers,
    // Client.post, Engine.stop.
    let completeness = &summary["completeness"];
    assert_eq!(completeness["known"], 12);
    assert_eq!(completeness["partially_known"], 3);
    assert_eq!(completeness["unknown"], 4);
    assert_eq!(completeness["score"], 63.2);
    assert_eq!(summary["type_ignores"]["total"], 2);
    assert_eq!(summary["type_ignores"]["without_code"], 1);

    let text = archlint(&dir, &["types"]);
    insta::assert_snapshot!("types_text", text.transcript(&dir));
}

#[test]
fn types_fail_under_gates_on_public_completeness() {
    let dir = fixture("types_coverage");
    assert_eq!(archlint(&dir, &["types", "--fail-under", "60"]).code, 0);
    let below = archlint(&dir, &["types", "--fail-under", "70"]);
    assert_eq!(below.code, 1);
    assert!(below.stderr.contains("63.2% is below --fail-under 70%"));
    assert_eq!(archlint(&dir, &["types", "--fail-under", "120"]).code, 2);
}

/// Runs `archlint types --stubs` on a fixture and gives every file written, by path, each
/// checked to be a stub that parses; `Incomplete` is never used without its import.
fn written_stubs(scenario: &str) -> String {
    let dir = fixture(scenario);
    let out = tempfile::tempdir().unwrap();
    let run = archlint(
        &dir,
        &[
            "types",
            "--stubs",
            out.path().to_str().unwrap(),
            "--public-only",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let mut stubs: Vec<PathBuf> = Vec::new();
    let mut pending = vec![out.path().to_path_buf()];
    while let Some(folder) = pending.pop() {
        for entry in std::fs::read_dir(folder).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                pending.push(path);
            } else {
                stubs.push(path);
            }
        }
    }
    stubs.sort();
    let mut all = String::new();
    for path in &stubs {
        let name = path.strip_prefix(out.path()).unwrap().display().to_string();
        assert!(name.ends_with(".pyi"), "only stubs are written: {name}");
        let text = std::fs::read_to_string(path).unwrap();
        assert_stub_parses(&name, &text);
        all.push_str(&format!("=== {name}\n{text}"));
    }
    all
}

/// A stub parses, and imports `Incomplete` when it uses it.
fn assert_stub_parses(name: &str, text: &str) {
    assert!(
        archlint_source::parse::parse(text).is_ok(),
        "{name} does not parse:\n{text}"
    );
    let uses = text
        .lines()
        .any(|line| line.split('#').next().unwrap().contains("Incomplete"));
    assert!(
        !uses || text.contains("from _typeshed import Incomplete\n"),
        "{name} uses `Incomplete` without importing it:\n{text}"
    );
}

#[test]
fn types_stubs_are_written_whole_and_parse() {
    let all = written_stubs("types_stubs");
    // The existing stub is copied, not regenerated from `native.py`.
    assert!(all.contains("def compute(x: int) -> int: ..."));
    insta::assert_snapshot!("types_stubs", all);
}

/// What is not a type (a tuple in a string annotation, a number, a call, a variable, a name
/// bound only inside a function) becomes `Incomplete` with a comment naming it, in
/// annotations, aliases and bases; the near misses are kept as written.
#[test]
fn types_stubs_replace_what_is_not_a_type() {
    let all = written_stubs("types_stubs_invalid");
    assert!(all.contains(
        "def pair() -> Incomplete: ...  # original: -> \"(typing.Dict[str, typing.Any], typing.Dict[str, typing.Any])\""
    ));
    assert!(all.contains("class Point(namedtuple(\"Point\", \"x y\")): ..."));
    insta::assert_snapshot!("types_stubs_invalid", all);
}

// ---------------------------------------------------------------------------------------------
// Dependencies
// ---------------------------------------------------------------------------------------------

/// A project declaring in three places, with a virtualenv for the exact mapping.
fn deps_project() -> tempfile::TempDir {
    let site = "venv/lib/python3.12/site-packages";
    project(&[
        (
            "pyproject.toml",
            "[project]\nname = \"shop\"\nversion = \"1.0\"\ndependencies = [\"PyYAML>=6\", \"rich\", \"flask\"]\n[dependency-groups]\ntest = [\"pytest\"]\n",
        ),
        ("requirements-dev.txt", "-r requirements/docs.txt\nmypy\n"),
        ("requirements/docs.txt", "sphinx\n"),
        (
            "shop/__init__.py",
            "import yaml\nimport flask\nimport werkzeug\nimport mypy.api\ntry:\n    import ujson\nexcept ImportError:\n    ujson = None\n",
        ),
        ("tests/test_shop.py", "import pytest\nimport shop\n"),
        (
            &format!("{site}/flask-3.0.dist-info/METADATA"),
            "Name: Flask\nRequires-Dist: Werkzeug>=3\n",
        ),
        (
            &format!("{site}/flask-3.0.dist-info/top_level.txt"),
            "flask\n",
        ),
        (
            &format!("{site}/werkzeug-3.0.dist-info/METADATA"),
            "Name: Werkzeug\n",
        ),
        (
            &format!("{site}/werkzeug-3.0.dist-info/top_level.txt"),
            "werkzeug\n",
        ),
    ])
}

#[test]
fn deps_prints_the_table_and_the_findings() {
    let dir = deps_project();
    // Without an environment, `werkzeug` is simply undeclared.
    let run = archlint(dir.path(), &["deps", "--isolated"]);
    insta::assert_snapshot!("deps_table", run.transcript(dir.path()));
    assert_eq!(run.code, 1);
    // With one, it is a transitive dependency of flask (DEP003), and the JSON says where
    // each module came from.
    let run = archlint(
        dir.path(),
        &["deps", "--isolated", "--python", "venv", "--format", "json"],
    );
    let report: Value = serde_json::from_str(&run.stdout).unwrap();
    let codes: Vec<(&str, &str)> = report["findings"]["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| (d["code"].as_str().unwrap(), d["path"].as_str().unwrap()))
        .collect();
    assert_eq!(
        codes,
        [
            ("DEP002", "pyproject.toml"),
            ("DEP003", "shop/__init__.py"),
            ("DEP004", "shop/__init__.py")
        ]
    );
    let flask = report["dependencies"]
        .as_array()
        .unwrap()
        .iter()
        .find(|row| row["name"] == "flask")
        .unwrap();
    assert_eq!(flask["modules_from"], "environment");
    assert_eq!(flask["imported_by"], 1);
    // A path that is no environment is a warning, and the run goes on.
    let run = archlint(dir.path(), &["deps", "--isolated", "--python", "nowhere"]);
    assert!(
        run.stderr.contains("the Python environment was not read"),
        "{}",
        run.stderr
    );
    assert_eq!(run.code, 1);
}

// ---------------------------------------------------------------------------------------------
// Distributions
// ---------------------------------------------------------------------------------------------

/// A clean wheel, a corrupt one and a clean sdist in `dist/` of a project with no
/// `pyproject.toml`.
const PACKAGE_SPEC: &str = "# archive: a_corrupt-1.0-py3-none-any.whl\n# file: a_corrupt/__init__.py\n# corrupt: truncate\n# archive: demo-1.0-py3-none-any.whl\n# file: demo/__init__.py\nx = 1\n# archive: demo-1.0.tar.gz\n# file: demo-1.0/demo/__init__.py\n";

#[test]
fn package_clean_distributions_exit_0_and_checksums_match() {
    let (_dir, root, _) = support::project(
        "# archive: demo-1.0-py3-none-any.whl\n# file: demo/__init__.py\n# archive: demo-1.0.tar.gz\n# file: demo-1.0/demo/__init__.py\n",
    );
    let run = archlint(&root, &["package", "--checksums", "sums.json"]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    let json = read_json(&root.join("sums.json"));
    let text = std::fs::read_to_string(root.join("sums.json.sha256")).unwrap();
    let mut lines = Vec::new();
    for name in ["demo-1.0-py3-none-any.whl", "demo-1.0.tar.gz"] {
        use sha2::Digest;
        let bytes = std::fs::read(root.join("dist").join(name)).unwrap();
        let hex: String = sha2::Sha256::digest(&bytes)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        assert_eq!(json[name], Value::String(hex.clone()));
        lines.push(format!("{hex}  {name}\n"));
    }
    assert_eq!(text, lines.concat());
    assert!(
        std::fs::read_dir(&root)
            .unwrap()
            .flatten()
            .all(|e| !e.file_name().to_string_lossy().starts_with(".tmp")),
        "no temporary file left"
    );
}

#[test]
fn package_corrupt_archive_is_a_finding_and_the_run_goes_on() {
    let (_dir, root, _) = support::project(PACKAGE_SPEC);
    let run = archlint(&root, &["package", "--output-format", "json"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let json = run.json();
    let codes: Vec<(String, String)> = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["path"]
                    .as_str()
                    .unwrap()
                    .rsplit('/')
                    .next()
                    .unwrap()
                    .to_string(),
                d["code"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        codes,
        vec![(
            "a_corrupt-1.0-py3-none-any.whl".to_string(),
            "PKG019".to_string()
        )]
    );
    assert_eq!(
        json["summary"]["files_checked"], 3,
        "the files after the corrupt one were read"
    );
}

#[test]
fn package_missing_path_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    let run = archlint(dir.path(), &["package", "nowhere.whl"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("does not exist"), "{}", run.stderr);
}

#[test]
fn package_hostile_tarball_reports_traversal_link_and_bomb() {
    let (_dir, root, _) = support::project(
        "# archive: evil-1.0.tar.gz\n# file: evil-1.0/../escape.py\n# symlink: evil-1.0/link -> /etc/passwd\n# archive: bomb-1.0-py3-none-any.whl\n# zeros: bomb/zeros.bin 4MiB\n",
    );
    let run = archlint(
        &root,
        &[
            "package",
            "--output-format",
            "concise",
            "--select",
            "PKG012,PKG013",
        ],
    );
    assert_eq!(run.code, 1);
    insta::assert_snapshot!(run.transcript(&root));
}

// ---------------------------------------------------------------------------------------------
// deps --audit
// ---------------------------------------------------------------------------------------------

/// The vendored snapshot of the PyPA advisory database (OSV `all.zip` layout).
fn snapshot_zip() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/osv/pypi-2024-10-10.zip")
}

fn unit_db() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/osv/unit")
}

/// `introduced`/`fixed` pairs read in the order written (PYSEC's ranges are written that
/// way), checked without the matcher under test.
fn range_holds(events: &[Value], version: &pep440_rs::Version) -> bool {
    let parse = |v: &Value| {
        v.as_str()
            .and_then(|t| t.parse::<pep440_rs::Version>().ok())
    };
    let mut open: Option<pep440_rs::Version> = None;
    for event in events {
        if let Some(introduced) = event.get("introduced").and_then(parse) {
            open = Some(introduced);
        } else if let Some(fixed) = event.get("fixed").and_then(parse) {
            if let Some(start) = open.take()
                && &start <= version
                && version < &fixed
            {
                return true;
            }
        } else if let Some(last) = event.get("last_affected").and_then(parse)
            && let Some(start) = open.take()
            && &start <= version
            && version <= &last
        {
            return true;
        }
    }
    open.is_some_and(|start| &start <= version)
}

/// The ids of the snapshot's advisories about Django 3.2.0, read straight from the JSON.
fn django_3_2_advisories() -> std::collections::BTreeSet<String> {
    let bytes = std::fs::read(snapshot_zip()).unwrap();
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let version: pep440_rs::Version = "3.2".parse().unwrap();
    let mut ids = std::collections::BTreeSet::new();
    for index in 0..archive.len() {
        let mut member = archive.by_index(index).unwrap();
        let mut text = String::new();
        member.read_to_string(&mut text).unwrap();
        let advisory: Value = serde_json::from_str(&text).unwrap();
        if advisory.get("withdrawn").is_some() {
            continue;
        }
        let affects = advisory["affected"]
            .as_array()
            .unwrap()
            .iter()
            .any(|affected| {
                let name = affected["package"]["name"].as_str().unwrap_or_default();
                if !name.eq_ignore_ascii_case("django") {
                    return false;
                }
                let listed = affected["versions"]
                    .as_array()
                    .is_some_and(|v| v.iter().any(|v| v == "3.2" || v == "3.2.0"));
                let ranged = affected["ranges"].as_array().is_some_and(|ranges| {
                    ranges.iter().any(|r| {
                        r["type"] == "ECOSYSTEM"
                            && range_holds(r["events"].as_array().unwrap(), &version)
                    })
                });
                listed || ranged
            });
        if affects {
            ids.insert(advisory["id"].as_str().unwrap().to_string());
        }
    }
    ids
}

fn audit_ids(run: &Run) -> std::collections::BTreeSet<String> {
    run.json()["findings"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|f| f["vulnerabilities"].as_array().unwrap().iter())
        .map(|v| v["id"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn audit_django_3_2_0_reports_every_advisory_that_lists_it() {
    let dir = project(&[("requirements.txt", "django==3.2.0\n")]);
    let db = snapshot_zip();
    let args = ["deps", "--audit", "--db", db.to_str().unwrap()];
    let run = archlint(
        dir.path(),
        &[&args[..], &["--output-format", "json"]].concat(),
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    let expected = django_3_2_advisories();
    assert!(expected.len() >= 20, "{expected:?}");
    assert_eq!(audit_ids(&run), expected);
    let json = run.json();
    let finding = &json["findings"][0];
    assert_eq!(finding["package"], "django");
    assert_eq!(finding["locations"][0]["line"], 1);
    let fix_of = |id: &str| {
        finding["vulnerabilities"]
            .as_array()
            .unwrap()
            .iter()
            .find(|v| v["id"] == id)
            .unwrap_or_else(|| panic!("{id} missing"))["fix"]
            .clone()
    };
    // Checked by hand against the advisories' ranges.
    assert_eq!(fix_of("PYSEC-2021-98"), "3.2.4");
    // Its events are written out of order (3.2 → 3.2.13 before 2.2 → 2.2.28).
    assert_eq!(fix_of("PYSEC-2022-190"), "3.2.13");
    assert_eq!(fix_of("PYSEC-2022-245"), "3.2.15");
    assert_eq!(fix_of("PYSEC-2023-100"), "3.2.20");
    assert_eq!(finding["fix"], "3.2.25");
    assert_eq!(json["summary"]["vulnerabilities"], expected.len());
    assert_eq!(json["database"]["advisories"], 2651);

    let text = archlint(dir.path(), &args);
    assert_eq!(text.code, 1);
    assert!(text.stderr.contains("days old"), "{}", text.stderr);
    let stdout = text.stdout.replace(db.to_str().unwrap(), "[DB]");
    insta::assert_snapshot!("audit_django_text", stdout);
}

#[test]
fn audit_folder_and_zip_databases_agree() {
    let dir = project(&[(
        "requirements.txt",
        "django==3.2.0\nurllib3==1.24.1\nPyYAML==5.3\njinja2==2.10\nrequests==2.31.0\n",
    )]);
    let folder = tempfile::tempdir().unwrap();
    let bytes = std::fs::read(snapshot_zip()).unwrap();
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    for index in 0..archive.len() {
        let mut member = archive.by_index(index).unwrap();
        let name = member.name().unwrap().to_string();
        // Nested like the `<package>/<id>.json` layout.
        let sub = folder.path().join(&name[..name.len().min(4)]);
        std::fs::create_dir_all(&sub).unwrap();
        let mut out = std::fs::File::create(sub.join(&name)).unwrap();
        std::io::copy(&mut member, &mut out).unwrap();
    }
    let run = |db: &Path| {
        let run = archlint(
            dir.path(),
            &[
                "deps",
                "--audit",
                "--output-format",
                "json",
                "--db",
                db.to_str().unwrap(),
            ],
        );
        assert_eq!(run.code, 1, "{}", run.stderr);
        let mut json = run.json();
        json["database"]["path"] = Value::Null;
        json
    };
    let from_zip = run(&snapshot_zip());
    assert_eq!(from_zip["findings"].as_array().unwrap().len(), 4);
    assert_eq!(from_zip, run(folder.path()));
}

#[test]
fn audit_exit_codes_follow_fail_on_severity() {
    // example-pkg 1.0: one advisory, CVSS 6.1 (medium).
    let dir = project(&[("requirements.txt", "example-pkg==1.0\nunrelated==1.0\n")]);
    let db = unit_db();
    let db = db.to_str().unwrap();
    let code = |extra: &[&str]| {
        let run = archlint(
            dir.path(),
            &[&["deps", "--audit", "--db", db][..], extra].concat(),
        );
        assert!(run.stderr.contains("malformed.json"), "{}", run.stderr);
        run.code
    };
    assert_eq!(code(&[]), 1);
    assert_eq!(code(&["--fail-on-severity", "medium"]), 1);
    assert_eq!(code(&["--fail-on-severity", "high"]), 0);
    assert_eq!(code(&["--fail-on-severity", "none"]), 0);
    let clean = project(&[("requirements.txt", "example-pkg==1.2.3\n")]);
    let run = archlint(clean.path(), &["deps", "--audit", "--db", db]);
    assert_eq!(run.code, 0);
    assert!(
        run.stdout
            .contains("No known vulnerabilities in 1 pinned package."),
        "{}",
        run.stdout
    );
    // --output-file gets the JSON whole, and nothing is left beside it.
    let out = dir.path().join("audit.json");
    let run = archlint(
        dir.path(),
        &[
            "deps",
            "--audit",
            "--db",
            db,
            "--output-format",
            "json",
            "-o",
            "audit.json",
        ],
    );
    assert_eq!(run.code, 1);
    let json = read_json(&out);
    assert_eq!(json["summary"]["by_severity"]["medium"], 1);
    assert_eq!(
        json["findings"][0]["vulnerabilities"][0]["severity"]["score"],
        6.1
    );
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 2);
}

#[test]
fn audit_without_a_database_or_with_a_corrupt_one_exits_2_with_the_way_out() {
    let dir = project(&[("requirements.txt", "django==3.2.0\n")]);
    let cache = tempfile::tempdir().unwrap();
    let run = archlint_with_env(
        dir.path(),
        &["deps", "--audit"],
        &[("XDG_CACHE_HOME", cache.path())],
    );
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("archlint deps --update-db"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("--db"), "{}", run.stderr);

    let corrupt = dir.path().join("all.zip");
    let mut bytes = std::fs::read(snapshot_zip()).unwrap();
    bytes.truncate(bytes.len() / 2);
    std::fs::write(&corrupt, bytes).unwrap();
    let run = archlint(dir.path(), &["deps", "--audit", "--db", "all.zip"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("not a readable OSV zip archive"),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("internal error"), "{}", run.stderr);

    // `check` goes on without a database: DEP006 reports nothing.
    let run = archlint_with_env(
        dir.path(),
        &["check", "--select", "DEP006", "."],
        &[("XDG_CACHE_HOME", cache.path())],
    );
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
}

/// A one-shot HTTP server answering every request with `body` (cut to `send` bytes).
fn serve(body: Vec<u8>, send: usize) -> (String, std::thread::JoinHandle<()>) {
    use std::io::Write;
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/PyPI/all.zip", listener.local_addr().unwrap());
    let handle = std::thread::spawn(move || {
        let (mut stream, _) = listener.accept().unwrap();
        let mut request = Vec::new();
        let mut byte = [0u8; 1];
        while !request.ends_with(b"\r\n\r\n") && stream.read(&mut byte).unwrap_or(0) == 1 {
            request.push(byte[0]);
        }
        let head = format!(
            "HTTP/1.1 200 OK\r\nContent-Type: application/zip\r\nContent-Length: {send}\r\nConnection: close\r\n\r\n"
        );
        let _ = stream.write_all(head.as_bytes());
        let _ = stream.write_all(&body[..send.min(body.len())]);
    });
    (url, handle)
}

/// A small OSV zip: the unit advisories.
fn small_zip() -> Vec<u8> {
    use std::io::Write;
    let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for name in ["TEST-RANGES.json", "TEST-FIX-A.json", "TEST-FIX-B.json"] {
        writer
            .start_file(name, zip::write::SimpleFileOptions::default())
            .unwrap();
        writer
            .write_all(&std::fs::read(unit_db().join(name)).unwrap())
            .unwrap();
    }
    writer.finish().unwrap().into_inner()
}

fn names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

#[test]
fn audit_update_db_downloads_atomically_and_fails_cleanly_without_network() {
    let dir = project(&[("requirements.txt", "fix-pkg==2.0.0\n")]);
    let cache = tempfile::tempdir().unwrap();
    let db = cache.path().join("osv-pypi");
    let db_arg = db.to_str().unwrap();
    let zip = small_zip();
    let (url, server) = serve(zip.clone(), zip.len());
    let run = archlint(
        dir.path(),
        &["deps", "--update-db", "--db", db_arg, "--db-url", &url],
    );
    server.join().unwrap();
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains("downloaded 3 advisories"),
        "{}",
        run.stderr
    );
    assert_eq!(names(&db), ["all.zip", "last-updated"]);
    assert_eq!(std::fs::read(db.join("all.zip")).unwrap(), zip);
    // The fresh database audits, and its age comes from the download.
    let run = archlint(
        dir.path(),
        &["deps", "--audit", "--db", db_arg, "--output-format", "json"],
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(run.json()["database"]["age_days"], 0);
    assert_eq!(run.json()["findings"][0]["fix"], "2.0.5");

    // A download cut short is refused and the previous database stays whole.
    let (url, server) = serve(zip.clone(), zip.len() / 2);
    let run = archlint(
        dir.path(),
        &["deps", "--update-db", "--db", db_arg, "--db-url", &url],
    );
    server.join().unwrap();
    assert_eq!(run.code, 2);
    assert!(!run.stderr.contains("internal error"), "{}", run.stderr);
    assert_eq!(names(&db), ["all.zip", "last-updated"]);
    assert_eq!(std::fs::read(db.join("all.zip")).unwrap(), zip);

    // Nothing listening: a clear message, exit 2, and no file at all.
    let closed = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap()
    };
    let empty = cache.path().join("fresh");
    let url = format!("http://{closed}/PyPI/all.zip");
    let run = archlint(
        dir.path(),
        &[
            "deps",
            "--update-db",
            "--db",
            empty.to_str().unwrap(),
            "--db-url",
            &url,
        ],
    );
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("cannot download the advisory database"),
        "{}",
        run.stderr
    );
    assert!(names(&empty).is_empty(), "{:?}", names(&empty));
}

#[test]
fn audit_reads_lock_files_and_an_environment() {
    let locks = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/osv/locks");
    let dir = project(&[]);
    for name in ["uv.lock", "poetry.lock", "pdm.lock", "pylock.toml"] {
        std::fs::copy(locks.join(name), dir.path().join(name)).unwrap();
    }
    let db = snapshot_zip();
    let run = archlint(
        dir.path(),
        &[
            "deps",
            "--audit",
            "--db",
            db.to_str().unwrap(),
            "--output-format",
            "json",
        ],
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    let packages: Vec<String> = run.json()["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            format!(
                "{}=={}",
                f["normalized"].as_str().unwrap(),
                f["version"].as_str().unwrap()
            )
        })
        .collect();
    for pin in [
        "django==3.2.0",
        "jinja2==2.10",
        "pyyaml==5.3",
        "urllib3==1.24.1",
        "requests==2.19.0",
        "pillow==8.0.0",
    ] {
        assert!(
            packages.contains(&pin.to_string()),
            "{pin} not in {packages:?}"
        );
    }
    // An environment: `--python` names a virtualenv folder; its METADATA is read.
    let venv = project(&[(
        "lib/python3.11/site-packages/Django-3.2.0.dist-info/METADATA",
        "Metadata-Version: 2.1\nName: Django\nVersion: 3.2.0\n",
    )]);
    let run = archlint(
        dir.path(),
        &[
            "deps",
            "--audit",
            "--db",
            db.to_str().unwrap(),
            "--python",
            venv.path().to_str().unwrap(),
        ],
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stdout.starts_with("Django 3.2.0 ("), "{}", run.stdout);
}

// ---------------------------------------------------------------------------------------------
// Baselines and statistics

const BASELINED: &str = "import pickle\nimport subprocess\n\n\ndef load(data):\n    return pickle.loads(data)\n\n\ndef run(cmd):\n    subprocess.run(cmd, shell=True)\n    subprocess.run(cmd, shell=True)\n";

#[test]
fn a_baseline_hides_accepted_findings_wherever_lines_move_and_reports_new_ones() {
    let dir = project(&[("app.py", BASELINED)]);
    let written = archlint(
        dir.path(),
        &[
            "check",
            "--isolated",
            "--select",
            "SEC301,SEC307,SEC602",
            "--write-baseline",
            "baseline.json",
            ".",
        ],
    );
    assert_eq!(written.code, 0, "{}", written.stderr);
    let baseline = read_json(&dir.path().join("baseline.json"));
    let entries = baseline["findings"].as_array().unwrap();
    // The two identical `subprocess.run` lines differ by the lines around them.
    assert_eq!(
        entries
            .iter()
            .map(|e| (e["code"].as_str().unwrap(), e["count"].as_u64().unwrap()))
            .collect::<Vec<_>>(),
        [("SEC301", 1), ("SEC602", 1), ("SEC602", 1)]
    );

    // Lines inserted above, one copy of an accepted line more, and a new finding.
    let edited = format!(
        "# header\n# header\n\n{}    subprocess.run(cmd, shell=True)\n\n\ndef evaluate(x):\n    return eval(x)\n",
        BASELINED
    );
    write(dir.path(), "app.py", edited.as_bytes());
    let run = archlint(
        dir.path(),
        &[
            "check",
            "--isolated",
            "--select",
            "SEC301,SEC307,SEC602",
            "--baseline",
            "baseline.json",
            "--output-format",
            "json",
            ".",
        ],
    );
    assert_eq!(run.code, 1);
    assert_eq!(
        findings(&run),
        pairs(&[("app.py", "SEC602"), ("app.py", "SEC307")])
    );
    assert!(
        run.stderr
            .contains("hides 3 findings; 0 of its findings are fixed"),
        "{}",
        run.stderr
    );

    // SARIF keeps every result with its state, and the fixed ones as absent.
    write(
        dir.path(),
        "app.py",
        b"import pickle\n\n\ndef load(data):\n    return pickle.loads(data)\n",
    );
    let sarif = archlint(
        dir.path(),
        &[
            "check",
            "--isolated",
            "--select",
            "SEC301,SEC307,SEC602",
            "--baseline",
            "baseline.json",
            "--output-format",
            "sarif",
            ".",
        ],
    );
    assert_eq!(sarif.code, 0, "only accepted findings are left");
    let states: Vec<(String, String)> = sarif.json()["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["ruleId"].as_str().unwrap().to_string(),
                r["baselineState"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        states,
        pairs(&[
            ("SEC301", "unchanged"),
            ("SEC602", "absent"),
            ("SEC602", "absent")
        ])
    );

    // Written over itself, the baseline drops what is fixed and adds nothing.
    write(
        dir.path(),
        "app.py",
        b"import pickle\n\n\ndef load(data):\n    return pickle.loads(data)\n\n\ndef evaluate(x):\n    return eval(x)\n",
    );
    let ratchet = archlint(
        dir.path(),
        &[
            "check",
            "--isolated",
            "--select",
            "SEC301,SEC307,SEC602",
            "--baseline",
            "baseline.json",
            "--write-baseline",
            "baseline.json",
            ".",
        ],
    );
    assert_eq!(ratchet.code, 0, "{}", ratchet.stderr);
    let baseline = read_json(&dir.path().join("baseline.json"));
    let codes: Vec<&str> = baseline["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["SEC301"]);
}

#[test]
fn a_configured_baseline_is_read_and_a_broken_one_is_an_error() {
    let dir = project(&[
        (
            "pyproject.toml",
            "[tool.archlint]\nselect = [\"SEC301\", \"SEC307\", \"SEC602\"]\nbaseline = \"lint/baseline.json\"\n",
        ),
        ("app.py", "eval(x)\n"),
        ("lint/.keep", ""),
    ]);
    let written = archlint(
        dir.path(),
        &["check", "--write-baseline", "lint/baseline.json", "."],
    );
    assert_eq!(written.code, 0, "{}", written.stderr);
    let run = archlint(dir.path(), &["check", "--output-format", "json", "."]);
    assert_eq!((run.code, findings(&run)), (0, vec![]));
    write(
        dir.path(),
        "lint/baseline.json",
        b"{\"version\": 1, \"findings\": [{\"oops\": 1}]}",
    );
    let broken = archlint(dir.path(), &["check", "."]);
    assert_eq!(broken.code, 2);
    assert!(
        broken.stderr.contains("is not an archlint baseline"),
        "{}",
        broken.stderr
    );
}

#[test]
fn statistics_count_findings_per_rule() {
    let dir = project(&[("app.py", BASELINED)]);
    let run = archlint(
        dir.path(),
        &[
            "check",
            "--isolated",
            "--select",
            "SEC301,SEC307,SEC602",
            "--statistics",
            ".",
        ],
    );
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stdout,
        "2  SEC602   subprocess-shell-true\n1  SEC301   pickle-load\n"
    );
}

/// Runs git in `dir`, as a test's author.
fn git(dir: &Path, args: &[&str]) {
    let status = Command::new("git")
        .args([
            "-c",
            "user.name=archlint",
            "-c",
            "user.email=tests@archlint.invalid",
        ])
        .args(args)
        .current_dir(dir)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .expect("git runs");
    assert!(status.success(), "git {args:?}");
}

#[test]
fn since_a_revision_only_changed_lines_are_reported() {
    let dir = project(&[(
        "app.py",
        "import pickle\n\n\ndef load(data):\n    return pickle.loads(data)\n",
    )]);
    let select = [
        "--isolated",
        "--select",
        "SEC301,SEC307",
        "--output-format",
        "json",
    ];
    let not_a_repository = archlint(
        dir.path(),
        &[&["check", "--since", "HEAD"][..], &select, &["."]].concat(),
    );
    assert_eq!(not_a_repository.code, 2);
    assert!(
        not_a_repository.stderr.contains("needs a git repository"),
        "{}",
        not_a_repository.stderr
    );

    git(dir.path(), &["init", "-q"]);
    git(dir.path(), &["add", "."]);
    git(dir.path(), &["commit", "-q", "-m", "start"]);
    let edited = "import pickle\n\n\ndef load(data):\n    return pickle.loads(data)\n\n\ndef evaluate(x):\n    return eval(x)\n";
    write(dir.path(), "app.py", edited.as_bytes());
    write(dir.path(), "new.py", b"eval(y)\n");
    let run = archlint(
        dir.path(),
        &[&["check", "--since", "HEAD"][..], &select, &["."]].concat(),
    );
    let lines = located(&run, "path");
    assert_eq!(
        lines,
        [("app.py".to_string(), 9), ("new.py".to_string(), 1)]
    );

    let unknown = archlint(
        dir.path(),
        &[&["check", "--since", "no-such-branch"][..], &select, &["."]].concat(),
    );
    assert_eq!(unknown.code, 2);
    assert!(
        unknown
            .stderr
            .contains("`no-such-branch` is not a revision"),
        "{}",
        unknown.stderr
    );
}

#[test]
fn add_ignore_writes_comments_that_silence_the_findings() {
    let source = "import subprocess\n\n\ndef run(cmd, x):\n    subprocess.run(cmd, shell=True)  # noqa: E501\n    subprocess.run(\n        cmd,\n        shell=True,\n    )\n    return eval(x)\n";
    let dir = project(&[("app.py", source)]);
    let select = ["--isolated", "--select", "SEC307,SEC602,SUP001"];
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let permissions = std::fs::Permissions::from_mode(0o751);
        std::fs::set_permissions(dir.path().join("app.py"), permissions).unwrap();
    }
    let added = archlint(
        dir.path(),
        &[&["check", "--add-ignore"][..], &select, &["."]].concat(),
    );
    assert_eq!(added.code, 0, "{}", added.stderr);
    assert!(
        added
            .stderr
            .contains("added 3 suppression comments in 1 files"),
        "{}",
        added.stderr
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("app.py")).unwrap(),
        "import subprocess\n\n\ndef run(cmd, x):\n    subprocess.run(cmd, shell=True)  # noqa: E501  # archlint: ignore[SEC602]\n    subprocess.run(\n        cmd,\n        shell=True,  # archlint: ignore[SEC602]\n    )\n    return eval(x)  # archlint: ignore[SEC307]\n"
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(dir.path().join("app.py"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o751, "the file keeps its mode");
    }
    let again = archlint(
        dir.path(),
        &[&["check", "--output-format", "json"][..], &select, &["."]].concat(),
    );
    assert_eq!((again.code, findings(&again)), (0, vec![]));
}

// ---------------------------------------------------------------------------------------------
// `archlint metrics`: radon's and complexipy's figures, the JSON shape, the gates
// ---------------------------------------------------------------------------------------------

/// Every figure expected here is what radon 6.0.1 (`cc -j --show-closures`, `mi -j`, `raw -j`,
/// `hal -j`) and complexipy 8.3.0 report for `tests/fixtures/cli/metrics/pkg/core.py`;
/// `bench/metrics_compare.py` makes the same comparison on whole projects.
#[test]
fn metrics_are_radons_and_complexipys() {
    let dir = fixture("metrics");
    let run = archlint(&dir, &["metrics", "--output-format", "json", "pkg"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    // The file that does not parse is named and skipped; the stub is not measured.
    assert!(
        run.stderr
            .contains("pkg/broken.py: syntax error: Expected a parameter"),
        "{}",
        run.stderr
    );
    let report = run.json();
    let files = report["files"].as_array().unwrap();
    let paths: Vec<&str> = files.iter().map(|f| f["path"].as_str().unwrap()).collect();
    assert_eq!(paths, ["pkg/__init__.py", "pkg/core.py"]);
    let core = &files[1];
    let keys = |value: &Value| -> Vec<String> {
        value
            .as_object()
            .unwrap()
            .keys()
            .cloned()
            .collect::<Vec<_>>()
    };
    let mut expected_keys = vec![
        "path",
        "maintainability_index",
        "mi_rank",
        "raw",
        "halstead",
        "blocks",
    ];
    expected_keys.sort();
    assert_eq!(keys(core), expected_keys);
    assert!((core["maintainability_index"].as_f64().unwrap() - 58.259625262227885).abs() < 1e-9);
    assert_eq!(core["mi_rank"], "A");
    assert_eq!(
        core["raw"],
        serde_json::json!({"loc": 71, "lloc": 55, "sloc": 51, "comments": 3, "multi": 0,
            "blank": 16, "single_comments": 4})
    );
    let halstead = &core["halstead"];
    assert_eq!(
        [
            &halstead["h1"],
            &halstead["h2"],
            &halstead["N1"],
            &halstead["N2"]
        ],
        [8, 15, 9, 17]
    );
    assert!((halstead["volume"].as_f64().unwrap() - 117.61261085748234).abs() < 1e-9);
    // (kind, name, line, end line, cyclomatic from radon, cognitive from complexipy; the
    // closure's and the classes' cognitive figures are archlint's own: complexipy folds a
    // closure into its function and does not score classes).
    let blocks: Vec<(String, String, u64, u64, u64, u64)> = core["blocks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| {
            (
                b["kind"].as_str().unwrap().to_string(),
                b["name"].as_str().unwrap().to_string(),
                b["line"].as_u64().unwrap(),
                b["end_line"].as_u64().unwrap(),
                b["complexity"].as_u64().unwrap(),
                b["cognitive"].as_u64().unwrap(),
            )
        })
        .collect();
    let expected = [
        ("function", "route", 9, 31, 12, 10),
        ("function", "outer", 34, 41, 4, 6),
        ("function", "outer.inner", 37, 38, 2, 1),
        ("class", "Repository", 44, 63, 5, 4),
        ("method", "Repository.get", 49, 56, 3, 1),
        ("method", "Repository.items", 58, 59, 4, 3),
        ("class", "Repository.Meta", 61, 63, 2, 0),
        ("method", "Repository.Meta.label", 62, 63, 1, 0),
        // `except*` is no decision for radon (it counts `Try` nodes, and this is `TryStar`).
        ("function", "gather", 66, 71, 2, 3),
    ];
    let expected: Vec<_> = expected
        .iter()
        .map(|(k, n, l, e, c, g)| (k.to_string(), n.to_string(), *l, *e, *c, *g))
        .collect();
    assert_eq!(blocks, expected);
    assert_eq!(core["blocks"][0]["rank"], "C");

    let text = archlint(&dir, &["metrics", "pkg"]);
    insta::assert_snapshot!("metrics_text", text.transcript(&dir));
    let worst = archlint(&dir, &["metrics", "--min-rank", "C", "pkg"]);
    insta::assert_snapshot!("metrics_text_min_rank", worst.transcript(&dir));
}

#[test]
fn metrics_gates_exit_1_past_their_threshold() {
    let dir = fixture("metrics");
    let code = |args: &[&str]| {
        let mut all = vec!["metrics", "pkg"];
        all.extend_from_slice(args);
        archlint(&dir, &all)
    };
    assert_eq!(code(&["--fail-over-complexity", "12"]).code, 0);
    let over = code(&["--fail-over-complexity", "11"]);
    assert_eq!(over.code, 1);
    assert!(
        over.stderr.contains(
            "pkg/core.py:9 `route` has complexity 12 (C), over --fail-over-complexity 11"
        ),
        "{}",
        over.stderr
    );
    assert_eq!(code(&["--fail-under-mi", "58"]).code, 0);
    assert_eq!(code(&["--fail-under-mi", "59"]).code, 1);
    // The blocks radon lists by default: route 12, outer 4, Repository 5, get 3, items 4,
    // gather 2 (the closure and the inner class are not averaged, as xenon does not).
    assert_eq!(code(&["--fail-over-average", "5"]).code, 0);
    let average = code(&["--fail-over-average", "4.9"]);
    assert_eq!(average.code, 1);
    assert!(average.stderr.contains("average complexity is 5.00 (A)"));
    assert_eq!(code(&["--fail-over-module-average", "4.9"]).code, 1);
    assert_eq!(code(&["--min-rank", "G"]).code, 2);
}

// ---------------------------------------------------------------------------------------------
// archlint profile
// ---------------------------------------------------------------------------------------------

fn profile_fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/profile")
}

#[test]
fn profile_prints_pstats_hotspots_joined_with_the_project() {
    let dir = profile_fixtures();
    let text = archlint(
        &dir,
        &["profile", "shop-3.11.7.prof", "--project", "project"],
    );
    assert_eq!(text.code, 0, "{}", text.stderr);
    insta::assert_snapshot!("profile_text", text.transcript(&dir));

    let json = archlint(
        &dir,
        &[
            "profile",
            "shop-3.11.7.prof",
            "--project",
            "project",
            "--sort",
            "tottime",
            "--top",
            "4",
            "--output-format",
            "json",
        ],
    );
    assert_eq!(json.code, 0, "{}", json.stderr);
    insta::assert_snapshot!("profile_json", json.transcript(&dir));
    let value = json.json();
    let functions = value["functions"].as_array().unwrap();
    assert_eq!(functions.len(), 4);
    for function in functions {
        for key in [
            "file",
            "line",
            "function",
            "calls",
            "primitive_calls",
            "total_time",
            "cumulative_time",
            "findings",
            "metrics",
        ] {
            assert!(function.get(key).is_some(), "{key} in {function}");
        }
    }
    let times: Vec<f64> = functions
        .iter()
        .map(|f| f["total_time"].as_f64().unwrap())
        .collect();
    assert!(times.windows(2).all(|w| w[0] >= w[1]), "{times:?}");
    let render_rows = functions
        .iter()
        .find(|f| f["function"] == "render_rows")
        .unwrap();
    assert_eq!(render_rows["definition"]["line"], 14);
    assert_eq!(render_rows["findings"][0]["code"], "SEC307");
}

#[test]
fn profile_reads_folded_stacks_and_speedscope_by_their_content() {
    let dir = profile_fixtures();
    for (file, snapshot) in [
        ("shop.folded", "profile_folded"),
        ("shop.speedscope.json", "profile_speedscope"),
    ] {
        let run = archlint(&dir, &["profile", file, "--project", "project"]);
        assert_eq!(run.code, 0, "{}", run.stderr);
        insta::assert_snapshot!(snapshot, run.transcript(&dir));
    }
    // Named like a dump, read as what it holds.
    let tmp = tempfile::tempdir().unwrap();
    std::fs::copy(dir.join("shop.folded"), tmp.path().join("x.prof")).unwrap();
    let run = archlint(tmp.path(), &["profile", "x.prof", "--no-project"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.starts_with("x.prof: folded stacks, 86 samples"));
    // Samplers count no calls.
    let calls = archlint(&dir, &["profile", "shop.folded", "--sort", "calls"]);
    assert_eq!(calls.code, 2);
    assert!(calls.stderr.contains("counts no calls"), "{}", calls.stderr);
}

#[test]
fn profile_refuses_truncated_empty_and_foreign_files_in_one_line() {
    let dump = std::fs::read(profile_fixtures().join("shop-3.11.7.prof")).unwrap();
    let dir = project(&[("app.py", GOOD), ("empty.prof", "")]);
    write(dir.path(), "truncated.prof", &dump[..dump.len() / 2]);
    write(dir.path(), "cut-in-a-string.prof", &dump[..9]);
    write(dir.path(), "random.bin", &[0x00, 0xff, 0x13, 0x37, 0x80]);
    let mut huge = b"\xfb)\x03u".to_vec();
    huge.extend_from_slice(&0x7fff_ffffu32.to_le_bytes());
    write(dir.path(), "huge.prof", &huge);
    // Over the size limit: refused before a byte is read (the file is sparse).
    let enormous = std::fs::File::create(dir.path().join("enormous.prof")).unwrap();
    enormous.set_len((1 << 30) + 1).unwrap();
    for (file, expected) in [
        (
            "truncated.prof",
            "not a readable cProfile dump: the data ends inside",
        ),
        ("cut-in-a-string.prof", "not a readable cProfile dump"),
        (
            "huge.prof",
            "declares 2147483647 elements but only 0 bytes follow",
        ),
        ("empty.prof", "the file is empty; expected a cProfile dump"),
        ("enormous.prof", "larger than the 1024 MiB a profile may be"),
        ("app.py", "not a profile; expected a cProfile dump"),
        ("random.bin", "not a profile; expected a cProfile dump"),
        ("missing.prof", "missing.prof: No such file"),
    ] {
        let run = archlint(dir.path(), &["profile", file, "--no-project"]);
        assert_eq!(run.code, 2, "{file}: {}", run.stderr);
        assert_eq!(run.stdout, "", "{file}");
        assert_eq!(run.stderr.lines().count(), 1, "{file}: {}", run.stderr);
        assert!(
            run.stderr
                .starts_with(&format!("archlint: error: {file}: ")),
            "{file}: {}",
            run.stderr
        );
        assert!(run.stderr.contains(expected), "{file}: {}", run.stderr);
    }
}

#[test]
fn profile_flamegraph_writes_a_self_contained_svg() {
    let dir = tempfile::tempdir().unwrap();
    for fixture in ["shop-3.11.7.prof", "shop.folded", "shop.speedscope.json"] {
        let source = profile_fixtures().join(fixture);
        let run = archlint(
            dir.path(),
            &[
                "profile",
                source.to_str().unwrap(),
                "--no-project",
                "--flamegraph",
                "graph.svg",
                "-o",
                "report.txt",
            ],
        );
        assert_eq!(run.code, 0, "{}", run.stderr);
        assert_eq!(run.stdout, "");
        let svg = std::fs::read_to_string(dir.path().join("graph.svg")).unwrap();
        let mut reader = quick_xml::Reader::from_str(&svg);
        let mut elements = 0;
        loop {
            match reader.read_event() {
                Ok(quick_xml::events::Event::Eof) => break,
                Ok(quick_xml::events::Event::Start(_) | quick_xml::events::Event::Empty(_)) => {
                    elements += 1
                }
                Ok(_) => {}
                Err(error) => panic!("{fixture}: the SVG does not parse: {error}"),
            }
        }
        assert!(elements > 10, "{fixture}: {elements} elements");
        assert!(svg.contains("render_rows"), "{fixture}");
        assert!(!svg.contains(" src=\"http"), "{fixture}: loads nothing");
        assert!(!svg.contains("href=\"http"), "{fixture}: links nothing");
        let report = std::fs::read_to_string(dir.path().join("report.txt")).unwrap();
        assert!(report.contains("render_rows"), "{fixture}");
    }
    let mut names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, ["graph.svg", "report.txt"], "no temporary file left");
}

/// A report written to a new file gets the mode every new file gets under the umask, not the
/// 0600 of the temporary file it is written to first.
#[cfg(unix)]
#[test]
fn a_new_output_file_gets_the_umask_mode() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let output = dir.path().join("metrics.json");
    let status = Command::new("sh")
        .arg("-c")
        .arg("umask 027 && exec \"$0\" \"$@\"")
        .arg(env!("CARGO_BIN_EXE_archlint"))
        .args(["metrics", "--output-format", "json", "-o"])
        .arg(&output)
        .arg(fixture("metrics").join("pkg/core.py"))
        .status()
        .unwrap();
    assert!(status.success());
    let mode = std::fs::metadata(&output).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o640);
}

#[cfg(unix)]
#[test]
fn output_to_dev_stdout_or_a_dash_goes_to_standard_output() {
    let dir = project(&[("app.py", "eval(input())\n")]);
    for target in ["/dev/stdout", "-"] {
        let run = archlint(
            dir.path(),
            &["check", "--output-format", "json", "-o", target, "."],
        );
        assert_eq!(run.code, 1, "{target}: {}", run.stderr);
        assert_eq!(
            findings(&run),
            [("app.py".to_string(), "SEC307".to_string())],
            "{target}"
        );
    }
    assert!(
        std::fs::symlink_metadata("/dev/stdout")
            .unwrap()
            .file_type()
            .is_symlink()
    );
}

#[cfg(unix)]
#[test]
fn output_through_a_link_or_into_a_fifo_keeps_the_link_and_the_fifo() {
    use std::os::unix::fs::FileTypeExt;
    let dir = project(&[("app.py", "eval(input())\n")]);
    let reports = tempfile::tempdir().unwrap();
    let real = reports.path().join("real.json");
    std::os::unix::fs::symlink(&real, dir.path().join("report.json")).unwrap();
    let run = archlint(
        dir.path(),
        &["check", "--output-format", "json", "-o", "report.json", "."],
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    let link = std::fs::symlink_metadata(dir.path().join("report.json")).unwrap();
    assert!(link.file_type().is_symlink());
    assert_eq!(read_json(&real)["diagnostics"][0]["code"], "SEC307");

    let fifo = reports.path().join("pipe");
    let made = Command::new("mkfifo").arg(&fifo).status();
    assert!(made.is_ok_and(|s| s.success()), "mkfifo failed");
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || std::fs::read_to_string(fifo).unwrap())
    };
    let fifo_arg = fifo.to_str().unwrap();
    let run = archlint(
        dir.path(),
        &["check", "--output-format", "json", "-o", fifo_arg, "."],
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    let through: serde_json::Value = serde_json::from_str(&reader.join().unwrap()).unwrap();
    assert_eq!(through["diagnostics"][0]["code"], "SEC307");
    assert!(std::fs::metadata(&fifo).unwrap().file_type().is_fifo());
}

#[test]
fn deps_free_threading_lists_the_extension_modules_that_reenable_the_gil() {
    let project = project(&[("app.py", "import yaml\n")]);
    let environment = tempfile::tempdir().unwrap();
    let site = environment.path().join("lib/python3.13t/site-packages");
    for (name, record, tag) in [
        (
            "PyYAML",
            "yaml/_yaml.cpython-313-x86_64-linux-gnu.so",
            "cp313-cp313-manylinux_2_17_x86_64",
        ),
        (
            "numpy",
            "numpy/_core/_multiarray_umath.cpython-313t-x86_64-linux-gnu.so",
            "cp313-cp313t-manylinux_2_17_x86_64",
        ),
        ("requests", "requests/__init__.py", "py3-none-any"),
    ] {
        let dist_info = site.join(format!("{name}-1.0.dist-info"));
        std::fs::create_dir_all(&dist_info).unwrap();
        std::fs::write(
            dist_info.join("METADATA"),
            format!("Name: {name}\nVersion: 1.0\n"),
        )
        .unwrap();
        std::fs::write(dist_info.join("RECORD"), format!("{record},,\n")).unwrap();
        std::fs::write(dist_info.join("WHEEL"), format!("Tag: {tag}\n")).unwrap();
    }
    let python = environment.path().to_str().unwrap();
    let run = archlint(
        project.path(),
        &["deps", "--free-threading", "--python", python],
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert!(
        lines[0].contains("a free-threaded interpreter"),
        "{}",
        run.stdout
    );
    assert_eq!(
        lines[1..],
        [
            "  PyYAML 1.0: no free-threaded build; importing it re-enables the GIL (yaml/_yaml.cpython-313-x86_64-linux-gnu.so, wheel tag cp313-cp313-manylinux_2_17_x86_64)",
            "  numpy 1.0: free-threaded build (numpy/_core/_multiarray_umath.cpython-313t-x86_64-linux-gnu.so, wheel tag cp313-cp313t-manylinux_2_17_x86_64)",
            "3 distributions: 1 pure Python, 1 with free-threaded builds, 1 re-enable the GIL.",
        ]
    );
    let run = archlint_with_env(
        project.path(),
        &["deps", "--free-threading"],
        &[("VIRTUAL_ENV", Path::new(""))],
    );
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("--python PATH"), "{}", run.stderr);
}

// ----- archlint report -----

/// A copy of the fixture `scenario` in a temporary folder, to change it between runs.
fn copy_of_fixture(scenario: &str) -> tempfile::TempDir {
    fn copy(from: &Path, to: &Path) {
        std::fs::create_dir_all(to).unwrap();
        for entry in std::fs::read_dir(from).unwrap() {
            let entry = entry.unwrap();
            let target = to.join(entry.file_name());
            if entry.file_type().unwrap().is_dir() {
                copy(&entry.path(), &target);
            } else {
                std::fs::copy(entry.path(), &target).unwrap();
            }
        }
    }
    let dir = tempfile::tempdir().unwrap();
    copy(&fixture(scenario), dir.path());
    dir
}

#[test]
fn report_reads_every_part_of_the_project_in_one_run() {
    let dir = fixture("report");
    let run = archlint(&dir, &["report", ".", "--output-format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let review = run.json();
    assert_eq!(review["version"], 1);
    let keys: Vec<&str> = review["chapters"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["key"].as_str().unwrap())
        .collect();
    assert_eq!(
        keys,
        [
            "versions",
            "runtime",
            "metaprogramming",
            "types",
            "async",
            "performance",
            "packaging",
            "security",
            "dependencies",
            "testing",
            "ci",
            "architecture"
        ]
    );
    let chapter = |key: &str| {
        review["chapters"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["key"] == key)
            .unwrap()
            .clone()
    };
    let findings = review["findings"].as_array().unwrap();
    let codes: Vec<&str> = findings
        .iter()
        .map(|f| f["code"].as_str().unwrap())
        .collect();
    for code in ["SEC602", "SEC324", "SEC113", "DEP006", "ARCH001"] {
        assert!(codes.contains(&code), "{code} missing from {codes:?}");
    }
    // Every chapter's top findings are its own, worst first.
    let security = chapter("security");
    let top = security["top_findings"].as_array().unwrap();
    assert_eq!(
        findings[top[0].as_u64().unwrap() as usize]["severity"],
        "error"
    );
    assert!(
        top.iter()
            .all(|i| findings[i.as_u64().unwrap() as usize]["chapter"] == "security")
    );
    assert!(security["score"].as_f64().unwrap() < 90.0);
    // The project's facts.
    let facts = &review["project"];
    assert_eq!(facts["name"], "shop");
    assert_eq!(facts["python"]["requires_python"], ">=3.9");
    assert_eq!(
        facts["python"]["classifiers"],
        serde_json::json!(["3.9", "3.12"])
    );
    assert_eq!(facts["roles"][0]["role"], "package");
    assert_eq!(
        facts["roles"][0]["files"], 3,
        "the file that does not parse counts too"
    );
    assert_eq!(facts["graph"]["cycles"], 1);
    assert_eq!(
        facts["graph"]["largest_cycle"],
        serde_json::json!(["shop.orders", "shop.payments", "shop.orders"])
    );
    let django = facts["dependencies"]["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["name"] == "django")
        .unwrap();
    assert_eq!(django["pinned"], "3.2.0");
    assert_eq!(django["fix"], "3.2.4");
    assert_eq!(django["vulnerabilities"][0]["id"], "PYSEC-2021-98");
    assert_eq!(facts["dependencies"]["audit"]["vulnerable"], 1);
    assert_eq!(facts["complexity"]["functions"], 6);
    // What was not checked, with where.
    let gaps: Vec<String> = review["not_checked"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| format!("{} @ {}", n["what"], n["location"]))
        .collect();
    assert!(
        gaps.iter()
            .any(|g| g.contains("SYN001") && g.contains("src/shop/broken.py:1")),
        "{gaps:?}"
    );
    assert!(
        chapter("packaging")["not_checked"][0]["what"] == "built distributions",
        "{:?}",
        chapter("packaging")
    );
    // Every finding's rule is explained.
    for code in codes {
        assert!(!review["rules"][code]["fix"].as_str().unwrap().is_empty());
    }
}

#[test]
fn report_text_and_markdown() {
    let dir = fixture("report");
    let text = archlint(&dir, &["report", "."]);
    insta::assert_snapshot!("report_text", text.transcript(&dir));
    let markdown = archlint(&dir, &["report", ".", "--output-format", "markdown"]);
    assert_eq!(markdown.code, 0);
    insta::assert_snapshot!("report_markdown", markdown.stdout);
}

#[test]
fn report_format_follows_the_output_file_name() {
    let dir = copy_of_fixture("report");
    for (name, starts) in [
        ("r.json", "{"),
        ("r.md", "## archlint report"),
        ("r.txt", "archlint report"),
    ] {
        let run = archlint(dir.path(), &["report", ".", "-o", name]);
        assert_eq!(run.code, 0, "{}", run.stderr);
        let written = std::fs::read_to_string(dir.path().join(name)).unwrap();
        assert!(written.starts_with(starts), "{name}: {written}");
    }
}

#[test]
fn report_compare_shows_exactly_the_new_and_the_fixed_findings() {
    let dir = copy_of_fixture("report");
    let select = ["--select", "SEC602,SEC307,SEC324"];
    let before = archlint(
        dir.path(),
        &[&["report", ".", "-o", "before.json"], &select[..]].concat(),
    );
    assert_eq!(before.code, 0, "{}", before.stderr);

    // Fixed: the shell command becomes a list. New: an `eval`. Moved: the MD5 finding, two
    // lines down, is the same finding.
    let orders = dir.path().join("src/shop/orders.py");
    let text = std::fs::read_to_string(&orders).unwrap().replace(
        "subprocess.run(f\"tar czf {path} orders/\", shell=True)",
        "subprocess.run([\"tar\", \"czf\", path, \"orders/\"])",
    );
    std::fs::write(&orders, text).unwrap();
    let payments = dir.path().join("src/shop/payments.py");
    let text = std::fs::read_to_string(&payments).unwrap();
    std::fs::write(
        &payments,
        format!(
            "# Payments.\n\n{text}\n\ndef parse(text: str) -> object:\n    return eval(text)\n"
        ),
    )
    .unwrap();

    let after = archlint(
        dir.path(),
        &[
            &[
                "report",
                ".",
                "--output-format",
                "json",
                "--compare",
                "before.json",
            ],
            &select[..],
        ]
        .concat(),
    );
    assert_eq!(after.code, 0, "{}", after.stderr);
    let review = after.json();
    let trend = &review["trend"];
    let new: Vec<String> = trend["new"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            let f = &review["findings"][i.as_u64().unwrap() as usize];
            format!(
                "{} {}:{}",
                f["code"].as_str().unwrap(),
                f["path"].as_str().unwrap(),
                f["line"]
            )
        })
        .collect();
    assert_eq!(new, ["SEC307 src/shop/payments.py:21"]);
    let fixed: Vec<String> = trend["fixed"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            format!(
                "{} {}:{}",
                f["code"].as_str().unwrap(),
                f["path"].as_str().unwrap(),
                f["line"]
            )
        })
        .collect();
    assert_eq!(fixed, ["SEC602 src/shop/orders.py:9"]);
    let security = trend["scores"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["chapter"] == "security")
        .unwrap();
    assert!(
        security["before"].is_f64() && security["after"].is_f64(),
        "{security}"
    );
    // The text names the change too.
    let text = archlint(
        dir.path(),
        &[&["report", ".", "--compare", "before.json"], &select[..]].concat(),
    );
    assert!(text.stdout.contains("1 new, 1 fixed"), "{}", text.stdout);
}

#[test]
fn report_compare_refuses_what_is_not_a_report() {
    let dir = project(&[("app.py", "x = 1\n"), ("old.json", "{\"findings\": []}\n")]);
    let run = archlint(dir.path(), &["report", ".", "--compare", "old.json"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("not an archlint report"),
        "{}",
        run.stderr
    );
    let run = archlint(dir.path(), &["report", ".", "--compare", "missing.json"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("cannot read missing.json"),
        "{}",
        run.stderr
    );
}

#[test]
fn report_verifies_the_distributions_of_dist() {
    let dir = copy_of_fixture("report");
    std::fs::create_dir(dir.path().join("dist")).unwrap();
    std::fs::write(
        dir.path().join("dist/shop-1.0-py3-none-any.whl"),
        b"not a zip archive",
    )
    .unwrap();
    let run = archlint(dir.path(), &["report", ".", "--output-format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let review = run.json();
    let packaging: Vec<(String, String)> = review["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["chapter"] == "packaging")
        .map(|f| {
            (
                f["code"].as_str().unwrap().to_string(),
                f["path"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert!(
        packaging.contains(&(
            "PKG019".to_string(),
            "dist/shop-1.0-py3-none-any.whl".to_string()
        )),
        "{packaging:?}"
    );
    let gaps = review["not_checked"].to_string();
    assert!(!gaps.contains("built distributions"), "{gaps}");
}

#[test]
fn report_of_a_missing_folder_is_an_error_not_a_clean_review() {
    let dir = project(&[("app.py", "x = 1\n")]);
    let run = archlint(dir.path(), &["report", "missing"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("missing does not exist"),
        "{}",
        run.stderr
    );
}

/// archlint's own Python distribution (`pyproject.toml`, built by maturin, and the package
/// behind `python -m archlint`) passes its packaging rules and the default set.
#[test]
fn the_python_distribution_of_archlint_passes_its_own_packaging_rules() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for args in [
        &["check", "--select", "PKG,VER,TYP", "python/"][..],
        &["check", "python/"][..],
    ] {
        let run = archlint(root, args);
        assert_eq!(run.code, 0, "{args:?}:\n{}{}", run.stdout, run.stderr);
        assert!(run.stdout.contains("No findings"), "{}", run.stdout);
    }
}

/// archlint's own GitHub Action (`action.yml`) and workflow (`.github/`) pass its CI rules —
/// every one (`ALL`), the CI chapter, and the default set: an unpinned `uses:`, an input
/// expanded into a script, a job without `permissions` fails this test.
#[test]
fn the_action_and_workflow_of_archlint_pass_its_own_ci_rules() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    assert!(root.join("action.yml").is_file() && root.join(".github/workflows").is_dir());
    for args in [
        &["check", "--select", "ALL", ".github"][..],
        &["check", "--select", "CI", ".github"][..],
        &["check", ".github"][..],
    ] {
        let run = archlint(root, args);
        assert_eq!(run.code, 0, "{args:?}:\n{}{}", run.stdout, run.stderr);
        assert!(run.stdout.contains("No findings"), "{}", run.stdout);
    }
    // The same run does read `action.yml`: one action pinned to a tag in a copy is reported.
    let action = std::fs::read_to_string(root.join("action.yml")).unwrap();
    let pinned = "actions/setup-python@5fda3b95a4ea91299a34e894583c3862153e4b97 # v7.0.0";
    assert!(action.contains(pinned), "the test's copy must change a pin");
    let dir = project(&[
        (
            "pyproject.toml",
            "[project]\nname = \"app\"\nversion = \"1.0\"\n",
        ),
        (
            "action.yml",
            &action.replace(pinned, "actions/setup-python@v7"),
        ),
        (
            ".github/workflows/ci.yml",
            &std::fs::read_to_string(root.join(".github/workflows/ci.yml")).unwrap(),
        ),
    ]);
    let run = archlint(dir.path(), &["check", "--select", "CI", ".github"]);
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    assert!(
        run.stdout.contains("CI003") && run.stdout.contains("actions/setup-python@v7"),
        "{}",
        run.stdout
    );
}

// ---------------------------------------------------------------------------------------------
// CI configuration (YAML)
// ---------------------------------------------------------------------------------------------

const WORKFLOW: &str = "on: push\npermissions: {}\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/setup-python@v5\n      - uses: actions/cache@v4  # zizmor: ignore[unpinned-uses]\n";

#[test]
fn ci_findings_point_into_the_workflow_in_every_format() {
    let dir = project(&[
        (".github/workflows/ci.yml", WORKFLOW),
        (
            ".github/workflows/broken.yaml",
            "on: push\njobs:\n  test: [\n",
        ),
        ("pkg/__init__.py", ""),
    ]);
    for format in FORMATS {
        let run = archlint(
            dir.path(),
            &[
                "check",
                "--isolated",
                "--select",
                "CI003,SYN001",
                "--output-format",
                format,
                ".",
            ],
        );
        assert_eq!(run.code, 1, "{format}: {}", run.stderr);
        assert!(run.stdout.contains("ci.yml"), "{format}: {}", run.stdout);
        assert!(
            run.stdout.contains("broken.yaml"),
            "{format}: {}",
            run.stdout
        );
    }
    let json = archlint(
        dir.path(),
        &[
            "check",
            "--isolated",
            "--select",
            "CI003,SYN001",
            "--output-format",
            "json",
            ".",
        ],
    );
    let lines: Vec<(String, String, u64)> = json.json()["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["path"].as_str().unwrap().to_string(),
                d["code"].as_str().unwrap().to_string(),
                d["start"]["line"].as_u64().unwrap(),
            )
        })
        .collect();
    assert!(
        lines.contains(&(".github/workflows/ci.yml".into(), "CI003".into(), 7)),
        "{lines:?}"
    );
    assert!(
        !lines.iter().any(|(_, _, line)| *line == 8),
        "the zizmor comment suppresses line 8: {lines:?}"
    );
    assert!(
        lines
            .iter()
            .any(|(path, code, line)| path.ends_with("broken.yaml")
                && code == "SYN001"
                && *line >= 3),
        "{lines:?}"
    );
    let sarif = archlint(
        dir.path(),
        &[
            "check",
            "--isolated",
            "--select",
            "CI003",
            "--output-format",
            "sarif",
            ".",
        ],
    );
    let log = sarif.json();
    let result = log["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["ruleId"] == "CI003")
        .unwrap();
    let location = &result["locations"][0]["physicalLocation"];
    assert_eq!(
        location["artifactLocation"]["uri"],
        ".github/workflows/ci.yml"
    );
    assert_eq!(location["region"]["startLine"], 7);
    assert_eq!(location["region"]["startColumn"], 15);
    assert_eq!(result["ruleId"], "CI003");
}

#[test]
fn unused_yaml_suppressions_are_sup001_and_ci_files_are_counted() {
    let workflow = "on: push\npermissions: {}\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/setup-python@v5  # archlint: ignore[CI003]\n      - run: pytest  # archlint: ignore[CI003]\n      - run: ruff check  # archlint: ignore[CI008]\n";
    let dir = project(&[
        (".github/workflows/ci.yml", workflow),
        (
            ".github/workflows/broken.yaml",
            "on: push\njobs:\n  test: [\n",
        ),
        (".pre-commit-config.yaml", "repos: []\n"),
        ("pkg/__init__.py", ""),
    ]);
    let run = archlint(
        dir.path(),
        &[
            "check",
            "--isolated",
            "--select",
            "CI003,SUP001",
            "--output-format",
            "json",
            ".",
        ],
    );
    let json = run.json();
    let found: Vec<(String, u64)> = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap().to_string(),
                d["start"]["line"].as_u64().unwrap(),
            )
        })
        .collect();
    // Line 7's comment suppresses CI003; line 8's suppresses nothing; line 9 names CI008,
    // which this run does not select, so it may be needed and is left alone. The broken
    // file is a syntax error (always reported) and is not checked.
    assert_eq!(
        found,
        [("SYN001".to_string(), 4), ("SUP001".to_string(), 8)],
        "{}",
        run.stdout
    );
    // The Python file and the two CI files that were parsed; the broken one is not checked.
    assert_eq!(json["summary"]["files_checked"], 3);
    // Without CI rules, no CI file is read, so none is counted.
    let python_only = archlint(
        dir.path(),
        &[
            "check",
            "--isolated",
            "--select",
            "SEC602",
            "--output-format",
            "json",
            ".",
        ],
    );
    assert_eq!(python_only.json()["summary"]["files_checked"], 1);
}

#[test]
fn hostile_yaml_is_a_diagnostic_not_a_crash() {
    let mut laughs = String::from("a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for i in 1..30 {
        let p = i - 1;
        laughs.push_str(&format!(
            "a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"
        ));
    }
    laughs.push_str("jobs:\n  x:\n    steps: *a29\n");
    let dir = project(&[
        (".github/workflows/laughs.yml", &laughs),
        (".github/workflows/deep.yml", &"[".repeat(200_000)),
        (".github/workflows/binary.yml", "on: \u{0}\u{1}\n"),
        ("action.yml", "runs:\n  steps: 3\n"),
    ]);
    let run = archlint(
        dir.path(),
        &[
            "check",
            "--isolated",
            "--select",
            "CI,SYN001",
            "--output-format",
            "json",
            ".",
        ],
    );
    assert!(run.code <= 1, "{}", run.stderr);
    assert!(run.stdout.contains("deep.yml"), "{}", run.stdout);
}

/// A project whose findings need every part of a check: per-file rules, a syntax error,
/// project-wide rules over the facts (an import cycle, dead code), a suppression only a
/// project-wide rule uses and an unused one, and `pyproject.toml` metadata.
fn cached_project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(&fixture("report"), dir.path());
    write(
        dir.path(),
        "src/shop/helpers.py",
        b"import os  # archlint: ignore[ARCH011]\nimport sys  # archlint: ignore[SEC602]\n\n\ndef unused_helper():\n    return os.sep\n",
    );
    dir
}

fn copy_tree(from: &Path, to: &Path) {
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// `check --select ALL` in every format, as (format, exit code, stdout).
fn every_format(dir: &Path, extra: &[&str]) -> Vec<(String, i32, String)> {
    ["text", "concise", "json", "sarif", "github", "junit"]
        .iter()
        .map(|format| {
            let mut args = vec!["check", "--select", "ALL", "--output-format", format];
            args.extend(extra);
            let run = archlint(dir, &args);
            (format.to_string(), run.code, run.stdout)
        })
        .collect()
}

/// How many files `check -v` took from the cache, out of how many.
fn reused(dir: &Path, extra: &[&str]) -> (usize, usize) {
    let mut args = vec!["check", "--select", "ALL", "-v"];
    args.extend(extra);
    let run = archlint(dir, &args);
    let line = run
        .stderr
        .lines()
        .find(|line| line.contains("taken from the cache"))
        .unwrap_or_else(|| panic!("no cache line in:\n{}", run.stderr));
    let numbers: Vec<usize> = line
        .split_whitespace()
        .filter_map(|word| word.parse().ok())
        .collect();
    (numbers[0], numbers[1])
}

#[test]
fn the_cache_gives_the_same_output_byte_for_byte_in_every_format() {
    let dir = cached_project();
    let expected = every_format(dir.path(), &["--no-cache"]);
    assert!(
        !dir.path().join(".archlint_cache").exists(),
        "--no-cache wrote a cache"
    );
    assert!(expected.iter().all(|(_, code, _)| *code == 1));
    let text = &expected[0].2;
    for code in ["ARCH001", "SEC602", "SYN001", "SUP001"] {
        assert!(
            text.contains(code),
            "the project should give {code}:\n{text}"
        );
    }
    // Cold (the first format fills the cache), then warm.
    assert_eq!(every_format(dir.path(), &[]), expected);
    assert_eq!(every_format(dir.path(), &[]), expected);
    let cache = dir.path().join(".archlint_cache");
    assert_eq!(
        std::fs::read_to_string(cache.join(".gitignore")).unwrap(),
        "# Created by archlint.\n*\n"
    );
    assert!(
        std::fs::read_to_string(cache.join("CACHEDIR.TAG"))
            .unwrap()
            .starts_with("Signature: 8a477f597d28d172789f06886806bc55")
    );
    let (taken, files) = reused(dir.path(), &[]);
    // `broken.py` does not parse: its syntax error is cached, with no facts.
    assert_eq!((taken, files), (files, 6));

    // One file changed: only it is checked again, and the findings follow the change.
    let orders = dir.path().join("src/shop/orders.py");
    let mut source = std::fs::read_to_string(&orders).unwrap();
    source
        .push_str("\n\ndef run(command: str) -> None:\n    subprocess.run(command, shell=True)\n");
    std::fs::write(&orders, source).unwrap();
    let changed = every_format(dir.path(), &["--no-cache"]);
    assert_ne!(changed, expected);
    assert_eq!(reused(dir.path(), &[]), (files - 1, files));
    assert_eq!(every_format(dir.path(), &[]), changed);

    // Other settings are another key: nothing is taken from the entries of these.
    assert_eq!(reused(dir.path(), &["--ignore", "SEC602"]).0, 0);
}

/// Whether `check -v` walked the folders (rather than taking their files from the cache).
fn walked(dir: &Path) -> bool {
    let run = archlint(dir, &["check", "--select", "ALL", "-v"]);
    if run.stderr.contains("the folders named were walked") {
        return true;
    }
    assert!(
        run.stderr.contains("no folder walked"),
        "no walk line in:\n{}",
        run.stderr
    );
    false
}

/// A change to a project's tree, by what it is.
type TreeChange = (&'static str, fn(&Path));

#[test]
fn the_files_of_a_changed_tree_are_found_anew_and_the_output_stays_the_same() {
    let dir = cached_project();
    let root = dir.path();
    every_format(root, &[]);
    assert!(!walked(root), "the record of the walk should hold");
    let changes: [TreeChange; 5] = [
        ("a file added", |root| {
            write(
                root,
                "src/shop/extra.py",
                b"import pickle\n\n\ndef load(data):\n    return pickle.loads(data)\n",
            )
        }),
        ("a file removed", |root| {
            std::fs::remove_file(root.join("src/shop/payments.py")).unwrap()
        }),
        ("a folder added", |root| {
            write(root, "src/shop/api/__init__.py", b"import os\n")
        }),
        ("a .gitignore added", |root| {
            write(root, "src/shop/.gitignore", b"extra.py\n")
        }),
        ("the .gitignore edited in place", |root| {
            let mut file = std::fs::File::options()
                .append(true)
                .open(root.join("src/shop/.gitignore"))
                .unwrap();
            std::io::Write::write_all(&mut file, b"orders.py\n").unwrap();
        }),
    ];
    for (change, make) in changes {
        let before = every_format(root, &["--no-cache"]);
        make(root);
        let expected = every_format(root, &["--no-cache"]);
        assert_ne!(expected, before, "{change} should change the output");
        assert!(walked(root), "{change}: the folders should be walked again");
        assert_eq!(every_format(root, &[]), expected, "{change}");
    }
}

#[test]
fn a_corrupt_or_foreign_cache_is_ignored_and_rewritten() {
    let dir = cached_project();
    let expected = every_format(dir.path(), &["--no-cache"]);
    let cache = dir.path().join("cache");
    let cache_arg = ["--cache-dir", cache.to_str().unwrap()];
    assert_eq!(every_format(dir.path(), &cache_arg), expected);
    let shards: Vec<PathBuf> = std::fs::read_dir(&cache)
        .unwrap()
        .flatten()
        .filter(|entry| entry.path().is_dir())
        .flat_map(|key| std::fs::read_dir(key.path()).unwrap().flatten())
        .map(|entry| entry.path())
        .collect();
    assert!(!shards.is_empty());
    // Truncated, a byte flipped in the body, and garbage: each shard one way.
    for (index, shard) in shards.iter().enumerate() {
        let mut bytes = std::fs::read(shard).unwrap();
        match index % 3 {
            0 => bytes.truncate(bytes.len() / 2),
            1 => {
                let middle = bytes.len() / 2;
                bytes[middle] ^= 0x40;
            }
            _ => bytes = b"not a cache at all".to_vec(),
        }
        std::fs::write(shard, bytes).unwrap();
    }
    assert_eq!(every_format(dir.path(), &cache_arg), expected);
    // The first of those runs found nothing to trust and wrote every entry again.
    let (taken, files) = reused(dir.path(), &cache_arg);
    assert_eq!(taken, files);

    // A cache folder that is a file: said, and the run goes on without it.
    let file = dir.path().join("not-a-folder");
    std::fs::write(&file, "x").unwrap();
    let run = archlint(
        dir.path(),
        &[
            "check",
            "--select",
            "ALL",
            "--cache-dir",
            file.to_str().unwrap(),
        ],
    );
    assert!(run.stderr.contains("cannot be used"), "{}", run.stderr);
    assert_eq!(run.stdout, expected[0].2);
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "x");
}

#[test]
fn concurrent_runs_share_the_cache_safely() {
    let dir = cached_project();
    let expected = archlint(dir.path(), &["check", "--select", "ALL", "--no-cache"]);
    let path = dir.path().to_path_buf();
    let runs: Vec<_> = (0..4)
        .map(|_| {
            let path = path.clone();
            std::thread::spawn(move || archlint(&path, &["check", "--select", "ALL"]))
        })
        .collect();
    for run in runs {
        let run = run.join().unwrap();
        assert_eq!(
            (run.code, run.stdout),
            (expected.code, expected.stdout.clone())
        );
    }
    let (taken, files) = reused(dir.path(), &[]);
    assert_eq!(taken, files);
}

#[test]
fn the_cache_folder_comes_from_the_flag_the_environment_or_the_configuration() {
    let dir = project(&[
        (
            "pyproject.toml",
            "[tool.archlint]\ncache-dir = \"build/lint-cache\"\n",
        ),
        ("app.py", "import pickle\npickle.loads(b'')\n"),
    ]);
    let made = |folder: &str| dir.path().join(folder).join(".gitignore").is_file();
    archlint(dir.path(), &["check"]);
    assert!(made("build/lint-cache") && !made(".archlint_cache"));
    let elsewhere = tempfile::tempdir().unwrap();
    archlint_with_env(
        dir.path(),
        &["check"],
        &[("ARCHLINT_CACHE_DIR", elsewhere.path())],
    );
    assert!(elsewhere.path().join("CACHEDIR.TAG").is_file());
    archlint_with_env(
        dir.path(),
        &["check", "--cache-dir", "flagged"],
        &[("ARCHLINT_CACHE_DIR", elsewhere.path())],
    );
    assert!(made("flagged"));
}

#[test]
fn a_file_rewritten_with_its_old_size_and_time_is_still_checked_again() {
    let dir = cached_project();
    let hour_ago = std::time::SystemTime::now() - Duration::from_secs(3600);
    let age = |path: &Path| {
        std::fs::File::options()
            .write(true)
            .open(path)
            .unwrap()
            .set_modified(hour_ago)
            .unwrap();
    };
    let sources: Vec<PathBuf> = ["src/shop/orders.py", "src/shop/payments.py"]
        .iter()
        .map(|p| dir.path().join(p))
        .collect();
    sources.iter().for_each(|p| age(p));
    // Files old enough have their stat recorded, and are then taken without being read.
    archlint(dir.path(), &["check", "--select", "ALL"]);
    let (taken, files) = reused(dir.path(), &[]);
    assert_eq!(taken, files);
    let before = every_format(dir.path(), &["--no-cache"]);
    // Same size, same modification time, other content: the change time tells.
    let orders = &sources[0];
    let text = std::fs::read_to_string(orders).unwrap();
    let changed = text.replacen("shell=True", "shell=Fals", 1);
    assert_eq!(changed.len(), text.len());
    std::fs::write(orders, &changed).unwrap();
    age(orders);
    let expected = every_format(dir.path(), &["--no-cache"]);
    assert_ne!(expected, before, "the change should change the findings");
    assert_eq!(every_format(dir.path(), &[]), expected);
}

#[test]
fn a_yaml_file_named_on_the_command_line_is_checked_by_the_ci_rules_or_said_not_checked() {
    let dir = project(&[
        ("pyproject.toml", "[project]\nname = \"p\"\n"),
        (
            ".github/workflows/ci.yml",
            "on: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n",
        ),
        ("config/settings.yaml", "debug: true\n"),
    ]);
    let run = archlint(
        dir.path(),
        &["check", "--select", "CI", ".github/workflows/ci.yml"],
    );
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert!(
        run.stdout.contains("CI004") && !run.stdout.contains("SYN001"),
        "{}",
        run.stdout
    );
    assert!(!run.stderr.contains("not checked"), "{}", run.stderr);
    let run = archlint(
        dir.path(),
        &["check", "--select", "CI", "config/settings.yaml"],
    );
    assert!(
        run.stderr
            .contains("config/settings.yaml is not checked: not a CI file of the project"),
        "{}",
        run.stderr
    );
    assert!(!run.stdout.contains("SYN001"), "{}", run.stdout);
    let run = archlint(
        dir.path(),
        &["check", "--select", "SEC", ".github/workflows/ci.yml"],
    );
    assert!(
        run.stderr
            .contains("ci.yml is not checked: no CI rule is selected"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_file_name_that_is_not_utf8_does_not_break_the_cache() {
    use std::os::unix::ffi::OsStrExt;
    let dir = cached_project();
    let name = std::ffi::OsStr::from_bytes(b"src/shop/caf\xe9.py");
    std::fs::write(dir.path().join(name), "import pickle\npickle.loads(b'')\n").unwrap();
    let expected = archlint(dir.path(), &["check", "--select", "ALL", "--no-cache"]);
    for _ in 0..2 {
        let run = archlint(dir.path(), &["check", "--select", "ALL"]);
        assert!(!run.stderr.contains("cache"), "{}", run.stderr);
        assert_eq!(run.stdout, expected.stdout);
    }
    // Every other file is taken from the cache.
    let (taken, files) = reused(dir.path(), &[]);
    assert_eq!(taken + 1, files);
}
