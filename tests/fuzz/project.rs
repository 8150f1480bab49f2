//! The whole `check` pipeline on a mutated small project: discovery, configuration, every
//! parser the project files reach, every rule (per file and project-wide), and every output
//! format.
//!
//! An input is a project written as text: `### file: PATH` lines, each followed by the file's
//! content (the seeds are the fixture projects and single-file fixtures written this way), so
//! the mutations reach file names and the split of code between files as well as contents.
//! Names are made safe to write below the project folder but otherwise kept as mutated
//! (spaces, quotes, `<&>`, non-UTF-8 bytes), since the outputs must carry any of them.
//!
//! Invariants, beyond no panic: no `INT001` finding (a panic the pipeline caught), exit code
//! 0, 1 or 2 from the real binary, JSON output that parses, SARIF that validates against the
//! official 2.1.0 schema, JUnit that is well-formed XML, one GitHub workflow command per
//! finding, and the same outputs from a second run on the same files.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use archlint_project::settings::{Overrides, Settings};
use archlint_report::{OutputFormat, Summary};
use archlint_rules::registry;

use crate::corpus;
use crate::engine::{Seed, Target};
use crate::targets::{assert_json, assert_xml, head};

const MARKER: &str = "### file: ";

pub static CHECK: Target = Target {
    name: "check",
    iterations: 40,
    max_len: 48 * 1024,
    tokens: &[
        b"\n### file: pkg/__init__.py\n",
        b"\n### file: pyproject.toml\n[tool.archlint]\nselect = [\"ALL\"]\n",
        b"\n### file: setup.cfg\n[options]\ninstall_requires =\n    requests\n",
        b"\n### file: .importlinter\n[importlinter]\nroot_package = pkg\n",
        b"\n### file: requirements.txt\nrequests==2.0.0\n",
        b"\n### file: uv.lock\n[[package]]\nname = \"requests\"\nversion = \"2.0.0\"\n",
        b"\n### file: setup.py\nfrom setuptools import setup\nsetup(install_requires=['a'])\n",
        b"\n### file: tests/test_x.py\ndef test_x():\n    assert True\n",
        b"\n### file: pkg/odd name <&>\"'.py\nimport pkg\n",
        b"\n### file: pkg/\xff\xfe.py\nx = 1\n",
        b"\n### file: pkg/stub.pyi\ndef f() -> int: ...\n",
        b"import pkg\n",
        b"from . import ",
        b"from .. import x\n",
        b"import os, sys\n",
        b"# archlint: ignore[",
        b"# noqa",
        b"[tool.archlint.contracts]\n",
        b"per-file-ignores = {",
        b"\"**\" = [\"ALL\"]",
        b"exclude = [\"**\"]",
        b"roles = { tests = [\"**\"] }",
        b"[project]\nname = \"pkg\"\nversion = \"1\"\ndependencies = [\"requests\"]\n",
        b"def f(\n",
        b"async def f():\n    ",
        b"class C:\n    ",
    ],
    seeds: check_seeds,
    run: run_check,
};

/// The fixture projects (folders) and single files, each written as one input.
fn check_seeds() -> Vec<Seed> {
    let mut seeds = Vec::new();
    let fixtures = corpus::repo().join("tests/fixtures");
    for chapter in sorted_entries(&fixtures) {
        if !chapter.is_dir() || chapter.ends_with("osv") || chapter.ends_with("fuzz") {
            continue;
        }
        for fixture in sorted_entries(&chapter) {
            let text = if fixture.is_dir() {
                project_text(&fixture)
            } else if fixture.extension().is_some_and(|e| e == "py") {
                let content = std::fs::read(&fixture).unwrap_or_default();
                let mut text =
                    format!("{MARKER}pkg/__init__.py\n{MARKER}pkg/module.py\n").into_bytes();
                text.extend(content);
                text
            } else {
                continue;
            };
            if !text.is_empty() && text.len() <= CHECK.max_len {
                let name = fixture.strip_prefix(corpus::repo()).unwrap_or(&fixture);
                seeds.push(Seed::new(name.to_string_lossy(), text));
            }
        }
    }
    seeds
}

fn sorted_entries(dir: &Path) -> Vec<PathBuf> {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .collect();
    entries.sort();
    entries
}

fn project_text(dir: &Path) -> Vec<u8> {
    let mut files = Vec::new();
    collect(dir, dir, &mut files);
    files.sort();
    let mut text = Vec::new();
    for (relative, content) in files {
        text.extend_from_slice(MARKER.as_bytes());
        text.extend_from_slice(relative.as_bytes());
        text.push(b'\n');
        text.extend(content);
        if !text.ends_with(b"\n") {
            text.push(b'\n');
        }
    }
    text
}

fn collect(root: &Path, dir: &Path, out: &mut Vec<(String, Vec<u8>)>) {
    for path in sorted_entries(dir) {
        if path.is_dir() {
            collect(root, &path, out);
        } else if let Ok(content) = std::fs::read(&path) {
            let relative = path
                .strip_prefix(root)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            out.push((relative, content));
        }
    }
}

/// Writes the project an input describes into `root` (emptied first); text before the first
/// marker is the module `pkg/module.py`.
pub fn materialize(input: &[u8], root: &Path) {
    let _ = std::fs::remove_dir_all(root);
    std::fs::create_dir_all(root).unwrap();
    let marker = MARKER.as_bytes();
    let mut files: Vec<(Vec<u8>, Vec<u8>)> = Vec::new();
    let mut current: (Vec<u8>, Vec<u8>) = (b"pkg/module.py".to_vec(), Vec::new());
    for line in input.split_inclusive(|&b| b == b'\n') {
        if let Some(name) = line.strip_prefix(marker) {
            files.push(std::mem::take(&mut current));
            current.0 = name.strip_suffix(b"\n").unwrap_or(name).to_vec();
        } else {
            current.1.extend_from_slice(line);
        }
    }
    files.push(current);
    for (name, content) in files.into_iter().take(64) {
        if name.is_empty() && content.is_empty() {
            continue;
        }
        let Some(relative) = safe_relative(&name) else {
            continue;
        };
        let path = root.join(relative);
        if let Some(parent) = path.parent() {
            let _ = std::fs::create_dir_all(parent);
        }
        // A name that is a folder already (or under a file) is skipped, as is any other
        // name the file system refuses.
        let _ = std::fs::write(&path, &content);
    }
}

/// A path below the project folder for a mutated name: no absolute paths, no `..`, no empty
/// or `.` parts, at most 6 parts of at most 64 bytes; any other byte but NUL is kept.
fn safe_relative(name: &[u8]) -> Option<PathBuf> {
    use std::os::unix::ffi::OsStrExt;
    let mut path = PathBuf::new();
    for part in name
        .split(|&b| b == b'/')
        .filter(|p| !p.is_empty() && *p != b"." && *p != b"..")
    {
        let part: Vec<u8> = part.iter().copied().filter(|&b| b != 0).take(64).collect();
        if part.is_empty() {
            continue;
        }
        path.push(std::ffi::OsStr::from_bytes(&part));
        if path.components().count() >= 6 {
            break;
        }
    }
    (!path.as_os_str().is_empty()).then_some(path)
}

fn run_check(input: &[u8], scratch: &Path) {
    let root = scratch.join("project");
    materialize(input, &root);
    // Half the inputs run every rule; the others the project's own selection.
    let select_all = input.len().is_multiple_of(2);
    let first = outputs(&root, select_all);
    let second = outputs(&root, select_all);
    if first != second {
        let differs = first
            .iter()
            .zip(&second)
            .find(|(a, b)| a != b)
            .map(|(a, b)| format!("first:\n{}\nsecond:\n{}", head(a), head(b)))
            .unwrap_or_default();
        panic!("invariant: two runs on the same files printed different outputs\n{differs}");
    }
    // The real binary on one input in four (it costs a process start).
    if input.len() % 4 == 1 {
        run_binary(&root, input.len());
    }
}

/// Every output format of one in-process run, validated; empty when the configuration is
/// refused (the binary exits 2 then).
fn outputs(root: &Path, select_all: bool) -> Vec<String> {
    let overrides = Overrides {
        select: select_all.then(|| vec!["ALL".to_string()]),
        ..Overrides::default()
    };
    let Ok(settings) = Settings::resolve(registry::catalogue(), root, &overrides) else {
        return Vec::new();
    };
    let outcome = archlint::pipeline::check(&[root.to_path_buf()], &settings, &|| {});
    if let Some(internal) = outcome.diagnostics.iter().find(|d| d.code == "INT001") {
        panic!(
            "invariant: INT001 on {}: {}",
            internal.path.display(),
            internal.message
        );
    }
    let diagnostics = &outcome.diagnostics;
    let summary = Summary::new(diagnostics, outcome.files_checked);
    let formats = [
        OutputFormat::Text,
        OutputFormat::Concise,
        OutputFormat::Json,
        OutputFormat::Sarif,
        OutputFormat::Github,
        OutputFormat::Junit,
    ];
    formats
        .into_iter()
        .map(|format| {
            let text = archlint_report::render(format, diagnostics, &summary, false);
            validate(format, &text, diagnostics.len());
            text
        })
        .collect()
}

/// Checks that `text` is valid in `format` and holds `count` findings where that is countable.
fn validate(format: OutputFormat, text: &str, count: usize) {
    match format {
        OutputFormat::Json => {
            let json = assert_json("the JSON output", text);
            let found = json["diagnostics"].as_array().map(Vec::len);
            assert_eq!(
                found,
                Some(count),
                "invariant: the JSON output holds every finding"
            );
        }
        OutputFormat::Sarif => {
            let json = assert_json("the SARIF output", text);
            let errors: Vec<String> = sarif_schema()
                .iter_errors(&json)
                .take(5)
                .map(|e| format!("{e} at {}", e.instance_path))
                .collect();
            assert!(
                errors.is_empty(),
                "invariant: the SARIF output does not validate against the 2.1.0 schema:\n{}",
                errors.join("\n")
            );
        }
        OutputFormat::Junit => assert_xml("the JUnit output", text),
        OutputFormat::Github => {
            let lines: Vec<&str> = text.split('\n').filter(|l| !l.is_empty()).collect();
            assert_eq!(
                lines.len(),
                count,
                "invariant: one GitHub workflow command per finding"
            );
            assert!(
                lines.iter().all(|l| l.starts_with("::")),
                "invariant: every GitHub output line is a workflow command"
            );
        }
        OutputFormat::Text | OutputFormat::Concise => {}
    }
}

pub fn sarif_schema() -> &'static jsonschema::Validator {
    static SCHEMA: OnceLock<jsonschema::Validator> = OnceLock::new();
    SCHEMA.get_or_init(|| {
        let text =
            std::fs::read_to_string(corpus::repo().join("tests/schemas/sarif-2.1.0.json")).unwrap();
        let schema: serde_json::Value = serde_json::from_str(&text).unwrap();
        jsonschema::draft4::options()
            .should_validate_formats(true)
            .build(&schema)
            .expect("the SARIF schema compiles offline")
    })
}

/// `archlint check` as a user runs it: exit code 0, 1 or 2, and on 0 or 1 an output valid in
/// its format with no internal error; the format is picked by `pick`.
fn run_binary(root: &Path, pick: usize) {
    let format = ["json", "sarif", "junit", "text"][pick / 4 % 4];
    let output = Command::new(env!("CARGO_BIN_EXE_archlint"))
        .args(["check", "--select", "ALL", "--output-format", format, "."])
        .current_dir(root)
        .env("NO_COLOR", "1")
        .output()
        .expect("the binary runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    let code = output.status.code();
    assert!(
        matches!(code, Some(0..=2)),
        "invariant: exit code {code:?} (0, 1 or 2 only); stderr: {}",
        head(&stderr)
    );
    assert!(
        !stderr.contains("internal error") && !stdout.contains("INT001"),
        "invariant: an internal error: {}{}",
        head(&stderr),
        head(&stdout)
    );
    if code != Some(2) {
        match format {
            "json" => {
                assert_json("the JSON output of the binary", &stdout);
            }
            "sarif" => validate(OutputFormat::Sarif, &stdout, 0),
            "junit" => assert_xml("the JUnit output of the binary", &stdout),
            _ => {}
        }
    }
}
