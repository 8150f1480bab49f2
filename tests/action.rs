//! archlint's GitHub Action (`action.yml`, composite) run the way GitHub runs it: every `run:`
//! step in order with `bash --noprofile --norc -eo pipefail`, its `env:` resolved from the
//! inputs and the outputs of earlier steps, a fresh `GITHUB_OUTPUT` per step, `GITHUB_PATH`
//! lines put in front of `PATH` for the steps after, `GITHUB_STEP_SUMMARY` a file, and a
//! step after a failure run only when its `if:` asks for it.
//!
//! The two `uses:` steps cannot run here, and each is replaced by something named, never
//! skipped in silence: `actions/setup-python` by a stand-in interpreter whose `-m venv`
//! makes a folder and whose `-m pip install` records its arguments and links the archlint
//! binary under test into that folder (so the install step's shell, its choice between PyPI
//! and the checkout, and the path it hands the later steps are tested for real); the
//! code-scanning
//! upload by evaluating its `if:` and recording the file it would upload. Any other `uses:`
//! step, or an expression these tests cannot evaluate, fails the test. The binary under
//! test is not on `PATH`: the steps reach it only the way the action hands it on.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use archlint_source::yaml;
use serde_json::Value;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

struct Step {
    id: Option<String>,
    name: String,
    uses: Option<String>,
    run: Option<String>,
    shell: Option<String>,
    condition: Option<String>,
    env: Vec<(String, String)>,
    with: Vec<(String, String)>,
}

struct Action {
    inputs: Vec<(String, String)>,
    steps: Vec<Step>,
}

fn pairs(node: Option<yaml::Node<'_>>) -> Vec<(String, String)> {
    node.map(|node| {
        node.entries()
            .map(|(key, value)| {
                (
                    key.as_str().expect("a string key").to_owned(),
                    value.as_str().unwrap_or_default().to_owned(),
                )
            })
            .collect()
    })
    .unwrap_or_default()
}

fn read_action() -> Action {
    let text = std::fs::read_to_string(Path::new(ROOT).join("action.yml")).expect("action.yml");
    let tree = yaml::parse(&text).expect("action.yml parses");
    let root = tree.root().expect("action.yml holds a document");
    let runs = root.get("runs").expect("runs:");
    assert_eq!(runs.str_of("using"), Some("composite"));
    let inputs = root
        .get("inputs")
        .expect("inputs:")
        .entries()
        .map(|(name, input)| {
            (
                name.as_str().unwrap().to_owned(),
                input.str_of("default").unwrap_or_default().to_owned(),
            )
        })
        .collect();
    let steps = runs
        .get("steps")
        .expect("steps:")
        .items()
        .map(|step| Step {
            id: step.str_of("id").map(str::to_owned),
            name: step.str_of("name").expect("every step is named").to_owned(),
            uses: step.str_of("uses").map(str::to_owned),
            run: step.str_of("run").map(str::to_owned),
            shell: step.str_of("shell").map(str::to_owned),
            condition: step.str_of("if").map(str::to_owned),
            env: pairs(step.get("env")),
            with: pairs(step.get("with")),
        })
        .collect();
    Action { inputs, steps }
}

/// What one run of the action did.
struct Outcome {
    /// Each step's name and what happened to it (`exit N`, `stand-in`, `upload FILE`,
    /// `skipped`).
    steps: Vec<(String, String)>,
    /// The action's exit code: the first failing step's, else 0.
    code: i32,
    outputs: HashMap<String, HashMap<String, String>>,
    summary: String,
    /// The arguments the install step gave `pip install`.
    pip: String,
    /// The logs of the `run:` steps, for failure messages.
    log: String,
}

/// The stand-in for the Python that `actions/setup-python` would give.
const FAKE_PYTHON: &str = r#"#!/usr/bin/env bash
set -eu
if [ "$#" -eq 3 ] && [ "$1 $2" = "-m venv" ]; then
    mkdir -p "$3/bin" && cp "$0" "$3/bin/python" && exit 0
fi
if [ "$#" -ge 4 ] && [ "$1 $2 $3" = "-m pip install" ]; then
    shift 3
    echo "MATURIN_PEP517_ARGS=${MATURIN_PEP517_ARGS:-} $*" >> "$FAKE_PIP_LOG"
    ln -sf "$ARCHLINT_UNDER_TEST" "$(dirname "$0")/archlint"
    exit 0
fi
echo "stand-in python: unexpected arguments: $*" >&2
exit 3
"#;

/// Resolves `${{ inputs.NAME }}` and `${{ steps.ID.outputs.NAME }}`, the only expressions
/// the action's `env:` and `with:` use.
fn expand(
    text: &str,
    inputs: &HashMap<String, String>,
    outputs: &HashMap<String, HashMap<String, String>>,
) -> String {
    let Some(inner) = text
        .trim()
        .strip_prefix("${{")
        .and_then(|t| t.strip_suffix("}}"))
    else {
        assert!(!text.contains("${{"), "an expression inside text: {text}");
        return text.to_owned();
    };
    operand(inner.trim(), inputs, outputs)
}

fn operand(
    expr: &str,
    inputs: &HashMap<String, String>,
    outputs: &HashMap<String, HashMap<String, String>>,
) -> String {
    if let Some(literal) = expr.strip_prefix('\'').and_then(|t| t.strip_suffix('\'')) {
        return literal.to_owned();
    }
    if let Some(name) = expr.strip_prefix("inputs.") {
        return inputs
            .get(name)
            .unwrap_or_else(|| panic!("no input {name}"))
            .clone();
    }
    if let Some(rest) = expr.strip_prefix("steps.")
        && let Some((id, name)) = rest.split_once(".outputs.")
    {
        return outputs
            .get(id)
            .and_then(|o| o.get(name))
            .cloned()
            .unwrap_or_default();
    }
    panic!("an expression these tests cannot evaluate: {expr}")
}

/// Whether a step runs: its `if:` (terms joined by `&&`: `always()`, `A == 'x'`, `A != 'x'`),
/// with GitHub's implicit `success()` when it names no status function.
fn runs(
    condition: Option<&str>,
    failed: bool,
    inputs: &HashMap<String, String>,
    outputs: &HashMap<String, HashMap<String, String>>,
) -> bool {
    let Some(condition) = condition else {
        return !failed;
    };
    let mut status_given = false;
    let mut holds = true;
    for term in condition.split("&&").map(str::trim) {
        if term == "always()" {
            status_given = true;
        } else if let Some((left, right)) = term.split_once("==") {
            holds &=
                operand(left.trim(), inputs, outputs) == operand(right.trim(), inputs, outputs);
        } else if let Some((left, right)) = term.split_once("!=") {
            holds &=
                operand(left.trim(), inputs, outputs) != operand(right.trim(), inputs, outputs);
        } else {
            panic!("an `if:` term these tests cannot evaluate: {term}");
        }
    }
    holds && (status_given || !failed)
}

fn run_action(workspace: &Path, given: &[(&str, &str)]) -> Outcome {
    let action = read_action();
    let mut inputs: HashMap<String, String> = action.inputs.iter().cloned().collect();
    for (name, value) in given {
        assert!(inputs.contains_key(*name), "action.yml has no input {name}");
        inputs.insert((*name).to_owned(), (*value).to_owned());
    }
    let temp = tempfile::tempdir().unwrap();
    let runner_temp = temp.path().join("runner");
    std::fs::create_dir(&runner_temp).unwrap();
    let python = temp.path().join("python3");
    std::fs::write(&python, FAKE_PYTHON).unwrap();
    make_executable(&python);
    let pip_log = temp.path().join("pip.log");
    let summary = temp.path().join("step_summary.md");
    std::fs::write(&summary, "").unwrap();
    let github_path = temp.path().join("github_path");
    std::fs::write(&github_path, "").unwrap();

    let mut outputs: HashMap<String, HashMap<String, String>> = HashMap::new();
    let mut steps = Vec::new();
    let mut failed = false;
    let mut code = 0;
    let mut log = String::new();
    for (index, step) in action.steps.iter().enumerate() {
        let key = step.id.clone().unwrap_or_else(|| format!("__{index}"));
        if !runs(step.condition.as_deref(), failed, &inputs, &outputs) {
            steps.push((step.name.clone(), "skipped".to_owned()));
            continue;
        }
        if let Some(uses) = &step.uses {
            let with: HashMap<_, _> = step
                .with
                .iter()
                .map(|(k, v)| (k.clone(), expand(v, &inputs, &outputs)))
                .collect();
            let what = if uses.starts_with("actions/setup-python@") {
                outputs
                    .entry(key)
                    .or_default()
                    .insert("python-path".to_owned(), python.display().to_string());
                "stand-in python".to_owned()
            } else if uses.starts_with("github/codeql-action/upload-sarif@") {
                format!("upload {}", with["sarif_file"])
            } else {
                panic!("a `uses:` step these tests cannot stand in for: {uses}");
            };
            steps.push((step.name.clone(), what));
            continue;
        }
        let script = step.run.as_ref().expect("a step runs or uses");
        assert_eq!(step.shell.as_deref(), Some("bash"), "{}", step.name);
        let script_file = temp.path().join(format!("step-{index}.sh"));
        std::fs::write(&script_file, script).unwrap();
        let output_file = temp.path().join(format!("output-{index}"));
        std::fs::write(&output_file, "").unwrap();
        let mut path: Vec<PathBuf> = std::fs::read_to_string(&github_path)
            .unwrap()
            .lines()
            .rev()
            .map(PathBuf::from)
            .collect();
        path.extend(std::env::split_paths(&std::env::var_os("PATH").unwrap()));
        let mut command = Command::new("bash");
        command
            .args(["--noprofile", "--norc", "-eo", "pipefail"])
            .arg(&script_file)
            .current_dir(workspace)
            .env("PATH", std::env::join_paths(path).unwrap())
            .env("NO_COLOR", "1")
            .env("RUNNER_TEMP", &runner_temp)
            .env("GITHUB_WORKSPACE", workspace)
            .env("GITHUB_ACTION_PATH", ROOT)
            .env("GITHUB_OUTPUT", &output_file)
            .env("GITHUB_PATH", &github_path)
            .env("GITHUB_STEP_SUMMARY", &summary)
            .env("FAKE_PIP_LOG", &pip_log)
            .env("ARCHLINT_UNDER_TEST", env!("CARGO_BIN_EXE_archlint"));
        for (name, value) in &step.env {
            command.env(name, expand(value, &inputs, &outputs));
        }
        let out = command.output().expect("bash runs");
        let status = out.status.code().unwrap_or(-1);
        log.push_str(&format!(
            "== {} (exit {status})\n{}{}",
            step.name,
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ));
        for line in std::fs::read_to_string(&output_file).unwrap().lines() {
            let (name, value) = line
                .split_once('=')
                .expect("GITHUB_OUTPUT lines are name=value");
            outputs
                .entry(key.clone())
                .or_default()
                .insert(name.to_owned(), value.to_owned());
        }
        steps.push((step.name.clone(), format!("exit {status}")));
        if status != 0 && !failed {
            failed = true;
            code = status;
        }
    }
    Outcome {
        steps,
        code,
        outputs,
        summary: std::fs::read_to_string(&summary).unwrap(),
        pip: std::fs::read_to_string(&pip_log).unwrap_or_default(),
        log,
    }
}

#[cfg(unix)]
fn make_executable(path: &Path) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).unwrap();
}

fn project(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    // A project of its own, not a part of archlint's repository.
    std::fs::write(
        dir.path().join("pyproject.toml"),
        "[project]\nname = \"app\"\nversion = \"1.0\"\nrequires-python = \">=3.10\"\n",
    )
    .unwrap();
    for (path, text) in files {
        let path = dir.path().join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    dir
}

/// `archlint ARGS` run directly in `dir`: its exit code, for comparison with the action's.
fn archlint_code(dir: &Path, args: &[&str]) -> i32 {
    Command::new(env!("CARGO_BIN_EXE_archlint"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .expect("archlint runs")
        .status
        .code()
        .unwrap_or(-1)
}

const BAD: &str =
    "import requests\n\n\ndef fetch(url: str) -> bytes:\n    return requests.get(url).content\n";
const GOOD: &str = "import requests\n\n\ndef fetch(url: str) -> bytes:\n    return requests.get(url, timeout=10).content\n";

fn step_names(outcome: &Outcome) -> Vec<(&str, &str)> {
    outcome
        .steps
        .iter()
        .map(|(name, what)| (name.as_str(), what.as_str()))
        .collect()
}

#[test]
fn the_action_uploads_sarif_writes_the_summary_and_fails_on_a_finding() {
    let dir = project(&[("my app/app/fetch.py", BAD), ("my app/app/__init__.py", "")]);
    let outcome = run_action(dir.path(), &[("path", "my app")]);
    let direct = archlint_code(dir.path(), &["check", "my app"]);
    assert_eq!(direct, 1, "the fixture has a finding");
    assert_eq!(outcome.code, direct, "{}", outcome.log);
    assert_eq!(
        step_names(&outcome),
        [
            ("Set up Python for archlint", "stand-in python"),
            ("Install archlint", "exit 0"),
            ("Run archlint check", "exit 0"),
            (
                "Upload the findings to code scanning",
                "upload archlint.sarif"
            ),
            ("Write the review to the job summary", "exit 0"),
            ("Exit with archlint check's status", "exit 1"),
        ],
        "{}",
        outcome.log
    );
    // Without a version, archlint is built from the action's own checkout, with Cargo.lock.
    assert_eq!(
        outcome.pip.trim(),
        format!("MATURIN_PEP517_ARGS=--locked --disable-pip-version-check {ROOT}")
    );
    assert_eq!(outcome.outputs["check"]["exit-code"], "1");
    assert_eq!(outcome.outputs["check"]["sarif-file"], "archlint.sarif");

    let sarif: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("archlint.sarif")).unwrap())
            .expect("the SARIF file is JSON");
    let results = sarif["runs"][0]["results"].as_array().expect("results");
    assert!(
        results.iter().any(|r| r["ruleId"] == "SEC113"
            && r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                .as_str()
                .is_some_and(|uri| uri.ends_with("app/fetch.py"))),
        "{sarif:#}"
    );

    assert!(outcome.summary.starts_with('#'), "{}", outcome.summary);
    assert!(outcome.summary.contains("SEC113"), "{}", outcome.summary);
    assert!(outcome.summary.contains("fetch.py"), "{}", outcome.summary);
}

#[test]
fn the_action_passes_on_a_clean_project_with_a_pypi_version_and_no_upload_or_summary() {
    let dir = project(&[("app/fetch.py", GOOD), ("app/__init__.py", "")]);
    let outcome = run_action(
        dir.path(),
        &[
            ("version", "0.1.0"),
            ("upload-sarif", "false"),
            ("summary", "false"),
            ("sarif-file", "out/findings.sarif"),
        ],
    );
    // `out/` does not exist: the action makes it.
    assert_eq!(archlint_code(dir.path(), &["check", "."]), 0);
    assert_eq!(outcome.code, 0, "{}", outcome.log);
    assert_eq!(
        step_names(&outcome),
        [
            ("Set up Python for archlint", "stand-in python"),
            ("Install archlint", "exit 0"),
            ("Run archlint check", "exit 0"),
            ("Upload the findings to code scanning", "skipped"),
            ("Write the review to the job summary", "exit 0"),
            ("Exit with archlint check's status", "exit 0"),
        ],
        "{}",
        outcome.log
    );
    assert_eq!(
        outcome.pip.trim(),
        "MATURIN_PEP517_ARGS= --disable-pip-version-check archlint==0.1.0"
    );
    assert_eq!(outcome.summary, "");
    let sarif: Value = serde_json::from_str(
        &std::fs::read_to_string(dir.path().join("out/findings.sarif")).unwrap(),
    )
    .unwrap();
    assert_eq!(sarif["runs"][0]["results"], serde_json::json!([]));
}

/// `select`, `fail-on` and `baseline` reach `archlint check`: a warning under
/// `fail-on: error` is written to the SARIF file but passes, and a baseline holding the
/// finding hides it.
#[test]
fn the_action_passes_select_fail_on_and_baseline_to_archlint() {
    let dir = project(&[("app/fetch.py", BAD), ("app/__init__.py", "")]);
    let outcome = run_action(dir.path(), &[("select", "SEC113"), ("fail-on", "error")]);
    assert_eq!(
        archlint_code(
            dir.path(),
            &["check", "--select", "SEC113", "--fail-on", "error"]
        ),
        0
    );
    assert_eq!(outcome.code, 0, "{}", outcome.log);
    let sarif = std::fs::read_to_string(dir.path().join("archlint.sarif")).unwrap();
    assert!(sarif.contains("SEC113"), "{sarif}");

    assert_eq!(
        archlint_code(dir.path(), &["check", "--write-baseline", "baseline.json"]),
        0
    );
    let outcome = run_action(dir.path(), &[("baseline", "baseline.json")]);
    assert_eq!(outcome.code, 0, "{}", outcome.log);
    assert_eq!(outcome.outputs["check"]["exit-code"], "0");
}

/// An error of archlint's own (a `fail-on` that is no severity) fails the action with
/// archlint's exit code 2, and nothing is uploaded since no SARIF file was written.
#[test]
fn the_action_fails_with_archlints_error_code() {
    let dir = project(&[("app/__init__.py", "")]);
    let direct = archlint_code(dir.path(), &["check", "--fail-on", "bogus"]);
    assert_eq!(direct, 2);
    let outcome = run_action(dir.path(), &[("fail-on", "bogus")]);
    assert_eq!(outcome.code, direct, "{}", outcome.log);
    assert!(!dir.path().join("archlint.sarif").exists());
    assert_eq!(
        step_names(&outcome)[3..],
        [
            ("Upload the findings to code scanning", "skipped"),
            ("Write the review to the job summary", "exit 0"),
            ("Exit with archlint check's status", "exit 2"),
        ],
        "{}",
        outcome.log
    );
    assert!(
        outcome
            .log
            .contains("::warning::archlint check exited with 2"),
        "{}",
        outcome.log
    );
}
