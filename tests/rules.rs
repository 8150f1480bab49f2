//! The rule fixtures and the registry's meta-tests.
//!
//! Each rule has `tests/fixtures/<prefix>/<CODE>.py` (or `<CODE>_<variant>.py`, or a folder
//! `<CODE>[_<variant>]/` holding a small project). Every line that must be flagged ends with
//! `# expect: CODE`; the harness checks that the findings are exactly those lines, then
//! snapshots the rendered findings so wording and spans are reviewed.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use archlint_report::{self as report, Summary};
use archlint_rules::registry::RULES;
use archlint_rules::{Chapter, Check, code_block, precision, section};

mod support;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// `SEC602_extra.py` or `SEC602/` → `SEC602`.
fn fixture_code(path: &Path) -> String {
    let stem = path.file_stem().unwrap().to_str().unwrap();
    stem.split('_').next().unwrap().to_string()
}

/// The (line, code) pairs marked `# expect: CODE[, CODE]` in every `.py`, `.pyi`, `.toml`,
/// `.txt`, `.lock`, `.yml`, `.yaml`, `.ini` and `.cfg` file, `.bandit`, `.coveragerc` and
/// `Dockerfile` under `path`.
fn expectations(path: &Path) -> BTreeSet<(String, usize, String)> {
    let mut expected = BTreeSet::new();
    let files: Vec<PathBuf> = if path.is_dir() {
        walk(path)
    } else {
        vec![path.to_path_buf()]
    };
    for file in files {
        let Ok(text) = std::fs::read_to_string(&file) else {
            continue;
        };
        for (index, line) in text.lines().enumerate() {
            if let Some((_, codes)) = line.split_once("# expect:") {
                for code in codes.split(',').map(str::trim).filter(|c| !c.is_empty()) {
                    let code = code.split_whitespace().next().unwrap().to_string();
                    expected.insert((display(&file, path), index + 1, code));
                }
            }
        }
    }
    expected
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files.extend(walk(&path));
        } else if path.extension().is_some_and(|e| {
            [
                "py", "pyi", "toml", "txt", "lock", "yml", "yaml", "ini", "cfg",
            ]
            .iter()
            .any(|x| e == *x)
        }) || path
            .file_name()
            .is_some_and(|n| n == ".bandit" || n == ".coveragerc" || n == "Dockerfile")
        {
            files.push(path);
        }
    }
    files.sort();
    files
}

/// A path as shown in snapshots: relative to the fixture (its file name for a single file).
fn display(file: &Path, fixture: &Path) -> String {
    if fixture.is_dir() {
        // Project files are reported relative to the working directory.
        let file = std::env::current_dir().unwrap().join(file);
        file.strip_prefix(fixture).unwrap().display().to_string()
    } else {
        file.file_name().unwrap().to_str().unwrap().to_string()
    }
}

/// Checks one fixture; returns a description of what is wrong, if anything.
fn check_fixture(path: &Path) -> Option<String> {
    let code = fixture_code(path);
    if path.join(ARCHIVES_SPEC).is_file() {
        return check_distribution_fixture(path, &code);
    }
    let mut found = archlint::check_for_test(path, Some(&[code.as_str()]));
    for d in &mut found {
        d.path = PathBuf::from(display(&d.path, path));
    }
    let actual: BTreeSet<(String, usize, String)> = found
        .iter()
        .map(|d| {
            (
                d.path.display().to_string(),
                d.start.line,
                d.code.to_string(),
            )
        })
        .collect();
    let expected = expectations(path);
    let missing: Vec<_> = expected.difference(&actual).collect();
    let unexpected: Vec<_> = actual.difference(&expected).collect();
    if !missing.is_empty() || !unexpected.is_empty() {
        return Some(format!(
            "{}: findings differ from the `# expect:` marks\n  missing: {missing:?}\n  unexpected: {unexpected:?}",
            path.display()
        ));
    }
    if expected.is_empty() {
        return Some(format!("{}: a fixture must flag something", path.display()));
    }
    for d in &found {
        if !d.message.contains('`') || d.message.ends_with('.') {
            return Some(format!(
                "{}: a message names the thing in backticks and ends without a period: {}",
                d.code, d.message
            ));
        }
    }
    let summary = Summary::new(&found, 1);
    let rendered = report::text::render(&found, &summary, false);
    let chapter = path
        .parent()
        .unwrap()
        .file_name()
        .unwrap()
        .to_str()
        .unwrap();
    let name = format!("{chapter}__{}", path.file_name().unwrap().to_str().unwrap());
    insta::with_settings!({ prepend_module_to_snapshot => false, omit_expression => true }, {
        insta::assert_snapshot!(name, rendered);
    });
    None
}

/// Folders of `tests/fixtures/` that hold no rule fixtures: the CLI scenarios, the OSV
/// advisory databases of the audit, the profiles of `archlint profile`, and the inputs that
/// once failed a fuzz target (`tests/fuzz/`).
fn is_not_a_chapter(name: &std::ffi::OsStr) -> bool {
    name == "cli" || name == "osv" || name == "profile" || name == "fuzz"
}

/// Every fixture file and folder, in a stable order.
fn all_fixtures() -> Vec<PathBuf> {
    let mut paths = Vec::new();
    for chapter in std::fs::read_dir(fixtures()).unwrap().flatten() {
        if !chapter.path().is_dir() || is_not_a_chapter(&chapter.file_name()) {
            continue;
        }
        for entry in std::fs::read_dir(chapter.path()).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() || path.extension().is_some_and(|e| e == "py") {
                paths.push(path);
            }
        }
    }
    paths.sort();
    paths
}

/// One test over all fixtures, so a run lists every failing fixture at once. Narrow it with
/// `ARCHLINT_FIXTURE=SEC602 cargo test --test rules`.
#[test]
fn fixtures_flag_exactly_the_marked_lines() {
    let only = std::env::var("ARCHLINT_FIXTURE").ok();
    let paths: Vec<PathBuf> = all_fixtures()
        .into_iter()
        .filter(|p| {
            only.as_ref()
                .is_none_or(|o| fixture_code(p).starts_with(o.as_str()))
        })
        .collect();
    assert!(!paths.is_empty(), "no fixture matched");
    let failures: Vec<String> = paths.iter().filter_map(|p| check_fixture(p)).collect();
    assert!(
        failures.is_empty(),
        "{} fixture(s) failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn registry_codes_are_unique_sorted_and_in_their_chapter_folder() {
    let mut seen = BTreeSet::new();
    let mut previous: Option<&str> = None;
    for rule in RULES {
        assert!(seen.insert(rule.code), "duplicate code {}", rule.code);
        assert!(
            Chapter::of_code(rule.code).is_some(),
            "{}: unknown prefix",
            rule.code
        );
        let prefix: String = rule
            .code
            .chars()
            .take_while(|c| c.is_ascii_uppercase())
            .collect();
        if let Some(previous) = previous {
            let previous_prefix: String = previous
                .chars()
                .take_while(|c| c.is_ascii_uppercase())
                .collect();
            if previous_prefix == prefix {
                assert!(
                    previous < rule.code,
                    "{} listed after {}",
                    rule.code,
                    previous
                );
            }
        }
        previous = Some(rule.code);
        let folder = if rule.chapter() == Chapter::Tool {
            "engine".to_string()
        } else {
            prefix.to_lowercase()
        };
        assert!(
            rule.source
                .contains(&format!("crates/archlint_rules/src/{folder}/")),
            "{} is defined in {}, not in crates/archlint_rules/src/{folder}/",
            rule.code,
            rule.source
        );
        let file = Path::new(rule.source)
            .file_stem()
            .unwrap()
            .to_str()
            .unwrap();
        assert_eq!(
            file,
            rule.name.replace('-', "_"),
            "{}: the file is named after the rule",
            rule.code
        );
    }
}

/// Of a rule's findings on the sample, how many must be labelled for its figure to count.
const LABELS_NEEDED: usize = 5;

#[test]
fn a_rule_is_on_by_default_only_when_precise_on_the_sample() {
    let mut failures = Vec::new();
    for rule in RULES.iter().filter(|rule| rule.default_enabled) {
        // A rule with no finding on the sample's projects has nothing to measure.
        let Some(measured) = precision::measured(rule.code) else {
            continue;
        };
        if measured.labelled < measured.findings.min(LABELS_NEEDED) {
            failures.push(format!(
                "{}: {} findings on the sample, only {} labelled",
                rule.code, measured.findings, measured.labelled
            ));
        } else if let Some(share) = measured.precision()
            && share < precision::DEFAULT_PRECISION
        {
            failures.push(format!(
                "{}: {} of {} labelled findings true ({:.0}%)",
                rule.code,
                measured.true_findings,
                measured.labelled,
                100.0 * share
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "on by default but under {:.0}% precision on bench/precision's sample \
         (turn it off, or fix it and relabel):\n{}",
        100.0 * precision::DEFAULT_PRECISION,
        failures.join("\n")
    );
}

#[test]
fn registry_names_are_unique_kebab_case() {
    let mut seen = BTreeSet::new();
    for rule in RULES {
        assert!(seen.insert(rule.name), "duplicate name {}", rule.name);
        assert!(
            rule.name
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'),
            "{}: `{}` is not kebab-case",
            rule.code,
            rule.name
        );
        for prefix in ["no-", "avoid-", "bad-"] {
            assert!(
                !rule.name.starts_with(prefix),
                "{}: names say what is flagged, not `{prefix}`",
                rule.code
            );
        }
        for peer in rule.peers {
            assert!(
                !peer.id.is_empty() && !peer.id.contains(' '),
                "{}: malformed peer id `{}`",
                rule.code,
                peer.id
            );
        }
        if let Some(bandit) = rule.peer_id("bandit") {
            assert!(
                bandit.len() == 4 && bandit.starts_with('B'),
                "{}: bandit id `{bandit}`",
                rule.code
            );
            assert!(
                rule.bandit.is_some(),
                "{}: bandit parity rules keep bandit's rating",
                rule.code
            );
        }
    }
}

#[test]
fn every_rule_has_a_fixture_and_every_fixture_a_rule() {
    for rule in RULES.iter().filter(|r| !matches!(r.check, Check::Engine)) {
        let folder = fixtures().join(
            rule.code
                .chars()
                .take_while(|c| c.is_ascii_uppercase())
                .collect::<String>()
                .to_lowercase(),
        );
        let has_fixture = std::fs::read_dir(&folder).is_ok_and(|entries| {
            entries
                .flatten()
                .any(|e| fixture_code(&e.path()) == rule.code)
        });
        assert!(
            has_fixture,
            "{} has no fixture in {}",
            rule.code,
            folder.display()
        );
    }
    for chapter in std::fs::read_dir(fixtures()).unwrap().flatten() {
        if is_not_a_chapter(&chapter.file_name()) {
            continue;
        }
        for entry in std::fs::read_dir(chapter.path()).unwrap().flatten() {
            let code = fixture_code(&entry.path());
            assert!(
                RULES.iter().any(|r| r.code == code),
                "fixture {} has no rule",
                entry.path().display()
            );
        }
    }
}

#[test]
fn docs_have_the_four_headings_and_cite_the_guide() {
    for rule in RULES {
        let docs = rule.docs();
        for heading in ["What it does", "Why it matters", "Example", "Use instead"] {
            assert!(
                section(&docs, heading).is_some(),
                "{}: missing `## {heading}`",
                rule.code
            );
        }
        let why = section(&docs, "Why it matters").unwrap();
        assert!(
            why.contains('§'),
            "{}: `Why it matters` must cite a guide section",
            rule.code
        );
    }
}

/// Writes the files of a doc example written as `# file: PATH` sections.
fn write_project(root: &Path, text: &str) {
    let mut current: Option<(PathBuf, String)> = None;
    let flush = |current: &mut Option<(PathBuf, String)>| {
        if let Some((path, body)) = current.take() {
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, body).unwrap();
        }
    };
    for line in text.lines() {
        if let Some(name) = line.strip_prefix("# file: ") {
            flush(&mut current);
            current = Some((root.join(name.trim()), String::new()));
        } else if let Some((_, body)) = current.as_mut() {
            body.push_str(line);
            body.push('\n');
        }
    }
    flush(&mut current);
}

#[test]
fn doc_examples_trigger_their_rule_and_fixes_do_not() {
    let dir = tempfile::tempdir().unwrap();
    for rule in RULES.iter().filter(|r| !matches!(r.check, Check::Engine)) {
        let docs = rule.docs();
        // Rules about project metadata show a pyproject.toml; rules about built
        // distributions an archive listing the test builds; the others Python.
        let (language, file_name) = match rule.check {
            Check::Pyproject { .. } => ("toml", "pyproject.toml"),
            // Rules about CI configuration show the workflow files, each opened by `# file:`.
            Check::Ci { .. } => ("yaml", "-"),
            Check::Distribution { .. } => ("archive", "-"),
            _ => ("python", "example.py"),
        };
        let example = code_block(section(&docs, "Example").unwrap(), language)
            .unwrap_or_else(|| panic!("{}: no {language} Example", rule.code));
        let fix = code_block(section(&docs, "Use instead").unwrap(), language)
            .unwrap_or_else(|| panic!("{}: no {language} Use instead", rule.code));
        for (number, (text, must_fire)) in [(example, true), (fix, false)].into_iter().enumerate() {
            // A project-wide example is several files, each opened by `# file: PATH`.
            // Each in a folder of its own: a `pyproject.toml` one example writes must not
            // change what the next one is (its code role, its settings).
            let project = dir.path().join(format!("{}-{number}", rule.code));
            std::fs::create_dir_all(&project).unwrap();
            let file = project.join(file_name);
            if language == "archive" {
                let (_dir, root, _) = support::project(text);
                let found = archlint::check_package_for_test(&root, &[rule.code]);
                let fired = found.iter().any(|d| d.code == rule.code);
                assert_eq!(
                    fired,
                    must_fire,
                    "{}: the doc's {} archive {}: {found:?}",
                    rule.code,
                    if must_fire { "Example" } else { "Use instead" },
                    if must_fire {
                        "does not trigger the rule"
                    } else {
                        "triggers the rule"
                    }
                );
                continue;
            }
            let checked = if text.starts_with("# file: ") {
                write_project(&project, text);
                project.as_path()
            } else if language == "toml" {
                std::fs::write(&file, text).unwrap();
                project.as_path()
            } else {
                std::fs::write(&file, text).unwrap();
                file.as_path()
            };
            let found = archlint::check_for_test(checked, Some(&[rule.code]));
            let fired = found.iter().any(|d| d.code == rule.code);
            assert_eq!(
                fired,
                must_fire,
                "{}: the doc's {} {}",
                rule.code,
                if must_fire { "Example" } else { "Use instead" },
                if must_fire {
                    "does not trigger the rule"
                } else {
                    "triggers the rule"
                }
            );
            assert!(
                found.iter().all(|d| d.code != "SYN001"),
                "{}: doc example does not parse",
                rule.code
            );
        }
    }
}

/// The listing a `Distribution` rule's fixture folder holds (`tests/support/mod.rs`).
const ARCHIVES_SPEC: &str = "archives.spec";

/// The member a distribution finding names (its message starts with `` `member`: ``).
fn finding_member(message: &str) -> Option<String> {
    let rest = message.strip_prefix('`')?;
    let (member, tail) = rest.split_once('`')?;
    tail.starts_with(':').then(|| member.to_string())
}

/// A `Distribution` rule's fixture: the archives of `archives.spec` are built into a temporary
/// project, `archlint package` runs on its `dist/` with the one rule, and the findings must be
/// exactly the `# expect: CODE [MEMBER]` lines of each archive.
fn check_distribution_fixture(path: &Path, code: &str) -> Option<String> {
    let text = std::fs::read_to_string(path.join(ARCHIVES_SPEC)).unwrap();
    let (_dir, root, spec) = support::project(&text);
    let mut found = archlint::check_package_for_test(&root, &[code]);
    for d in &mut found {
        d.path = PathBuf::from("dist").join(d.path.file_name().unwrap());
    }
    let mut actual: Vec<(String, String, Option<String>)> = found
        .iter()
        .map(|d| {
            let archive = d.path.file_name().unwrap().to_string_lossy().into_owned();
            (archive, d.code.to_string(), finding_member(&d.message))
        })
        .collect();
    let mut expected: Vec<(String, String, Option<String>)> = spec
        .archives
        .iter()
        .flat_map(|a| {
            a.expect
                .iter()
                .map(|(code, member)| (a.name.clone(), code.clone(), member.clone()))
        })
        .collect();
    actual.sort();
    expected.sort();
    if actual != expected {
        return Some(format!(
            "{}: findings differ from the `# expect:` lines\n  expected: {expected:?}\n  actual: {actual:?}",
            path.display()
        ));
    }
    if expected.is_empty() {
        return Some(format!("{}: a fixture must flag something", path.display()));
    }
    if spec.archives.iter().all(|a| !a.expect.is_empty()) {
        return Some(format!(
            "{}: a fixture needs a near miss (an archive with no `# expect:`)",
            path.display()
        ));
    }
    for d in &found {
        if !d.message.contains('`') || d.message.ends_with('.') {
            return Some(format!(
                "{}: a message names the thing in backticks and ends without a period: {}",
                d.code, d.message
            ));
        }
    }
    let summary = Summary::new(&found, spec.archives.len());
    let rendered = report::text::render(&found, &summary, false);
    let name = format!("pkg__{}", path.file_name().unwrap().to_str().unwrap());
    insta::with_settings!({ prepend_module_to_snapshot => false, omit_expression => true }, {
        insta::assert_snapshot!(name, rendered);
    });
    None
}

// Rules whose near misses need a whole throwaway project (metadata rules that read several
// files, project-wide rules).

/// The lines a rule flags in a throwaway project made of `files` (path, text).
fn flagged_lines(code: &str, files: &[(&str, &str)]) -> Vec<usize> {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in files {
        let path = dir.path().join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    archlint::check_for_test(dir.path(), Some(&[code]))
        .iter()
        .filter(|d| d.code == code)
        .map(|d| d.start.line)
        .collect()
}

#[test]
fn pyproject_near_misses_are_not_flagged() {
    // Only tool settings: not a package, nothing to build.
    let tools_only = "[tool.ruff]\nline-length = 100\n";
    assert!(flagged_lines("PKG001", &[("pyproject.toml", tools_only)]).is_empty());
    // A dynamic version read from the package is the single source.
    let dynamic = "[project]\nname = \"shop\"\ndynamic = [\"version\"]\n[tool.hatch.version]\npath = \"shop/__init__.py\"\n";
    let init = "__version__ = \"1.0\"\n";
    assert!(
        flagged_lines(
            "PKG003",
            &[("pyproject.toml", dynamic), ("shop/__init__.py", init)]
        )
        .is_empty()
    );
    // Classifiers inside the range, with its lower bound.
    let consistent = "[project]\nname = \"shop\"\nversion = \"1\"\nrequires-python = \">=3.10\"\nclassifiers = [\"Programming Language :: Python :: 3.10\", \"Programming Language :: Python :: 3.14\"]\n";
    assert!(flagged_lines("PKG004", &[("pyproject.toml", consistent)]).is_empty());
    // A valid file: every PKG002 check passes.
    let valid = "[build-system]\nrequires = [\"hatchling\"]\nbuild-backend = \"hatchling.build\"\n[project]\nname = \"shop\"\nversion = \"1.0.post1\"\nreadme = {text = \"Hi\", content-type = \"text/markdown\"}\nlicense = \"Apache-2.0 WITH LLVM-exception OR MIT\"\nlicense-files = [\"LICENSE\"]\n[project.entry-points.\"shop.plugins\"]\nx = \"shop.plugins:X\"\n[dependency-groups]\na = [{include-group = \"b\"}]\nb = [\"pytest\"]\n";
    assert_eq!(
        flagged_lines("PKG002", &[("pyproject.toml", valid), ("LICENSE", "MIT")]),
        Vec::<usize>::new()
    );
}

const UNBOUNDED_PROJECT: &str = "[project]\nname = \"shop\"\nversion = \"1\"\n";

#[test]
fn requires_python_declared_elsewhere_or_dynamic_is_not_flagged() {
    assert_eq!(
        flagged_lines("VER003", &[("pyproject.toml", UNBOUNDED_PROJECT)]),
        [1]
    );
    let setup_cfg = "[options]\npython_requires = >=3.9\n";
    assert!(
        flagged_lines(
            "VER003",
            &[
                ("pyproject.toml", UNBOUNDED_PROJECT),
                ("setup.cfg", setup_cfg)
            ]
        )
        .is_empty()
    );
    let dynamic = "[project]\nname = \"shop\"\ndynamic = [\"version\", \"requires-python\"]\n";
    assert!(flagged_lines("VER003", &[("pyproject.toml", dynamic)]).is_empty());
    let build_only = "[build-system]\nrequires = [\"hatchling\"]\n";
    assert!(flagged_lines("VER003", &[("pyproject.toml", build_only)]).is_empty());
}

fn capped(specifiers: &str) -> bool {
    let text = format!("[project]\nname = \"x\"\nrequires-python = \"{specifiers}\"\n");
    !flagged_lines("VER004", &[("pyproject.toml", &text)]).is_empty()
}

#[test]
fn requires_python_only_bounds_below_4_are_caps() {
    for cap in ["<3.13", "<=3.12", ">=3.9,<3.12", "==3.11.*", "~=3.11.0"] {
        assert!(capped(cap), "{cap} is a cap");
    }
    for open in [
        ">=3.9",
        ">=3.9,<4",
        ">=3.9,<4.0",
        "~=3.11",
        ">=3.8,!=3.9.0",
        "not a specifier",
    ] {
        assert!(!capped(open), "{open} is not a cap");
    }
}

#[test]
fn dev_only_is_not_claimed_when_setup_py_computes_the_runtime_dependencies() {
    let setup = |install_requires: &str| {
        format!(
            "import setuptools\nsetuptools.setup(name=\"worker\", install_requires={install_requires})\n"
        )
    };
    let computed = setup("read_requirements(\"requirements/default.txt\")");
    let literal = setup("[]");
    let files = |setup_py: &str| -> Vec<usize> {
        flagged_lines(
            "DEP004",
            &[
                ("setup.py", setup_py),
                ("requirements/default.txt", "kombu>=5\n"),
                ("requirements/test.txt", "kombu>=5\npytest\n"),
                ("worker/__init__.py", "import kombu\n"),
            ],
        )
    };
    assert_eq!(
        files(&literal),
        [1],
        "kombu is declared only in a test requirements file"
    );
    assert!(files(&computed).is_empty());
}

#[test]
fn ci_config_of_any_system_is_not_missing() {
    let project = "[project]\nname = \"shop\"\nversion = \"1.0\"\n";
    for (path, text) in [
        (".gitlab-ci.yml", "test:\n  script: pytest\n"),
        (".github/workflows/ci.yml", "on: push\n"),
        (".circleci/config.yml", "version: 2.1\n"),
        ("Jenkinsfile", "pipeline {}\n"),
    ] {
        assert!(
            flagged_lines("CI001", &[("pyproject.toml", project), (path, text)]).is_empty(),
            "{path}"
        );
    }
    // A `pyproject.toml` that only configures tools is not a project.
    assert!(flagged_lines("CI001", &[("pyproject.toml", "[tool.ruff]\n")]).is_empty());
}

#[test]
fn quality_gates_in_a_broken_file_are_reported_as_not_checked() {
    // Ruff's own file, broken: reported at line 1 as not checked, and the run goes on.
    assert_eq!(
        flagged_lines(
            "CI009",
            &[("ruff.toml", "select = [\"S\"\nignore = [\"S104\"]\n")]
        ),
        [1]
    );
    // An `S` rule ignored while no `select` turns the S rules on changes nothing.
    let unselected = "[tool.ruff.lint]\nignore = [\"S104\"]\n";
    assert!(flagged_lines("CI009", &[("pyproject.toml", unselected)]).is_empty());
}

#[test]
fn a_lockfile_or_a_library_is_not_missing_a_lock() {
    let app = "[project]\nname = \"shop\"\nversion = \"1\"\n[tool.uv]\npackage = false\n";
    assert_eq!(flagged_lines("CI010", &[("pyproject.toml", app)]), [5]);
    for (path, text) in [
        ("uv.lock", "version = 1\n"),
        ("pylock.prod.toml", "lock-version = \"1.0\"\n"),
        (
            "requirements/prod.txt",
            "django==5.2.8 --hash=sha256:0000\n",
        ),
        (
            "requirements.txt",
            "# This file was autogenerated by uv via the following command:\ndjango==5.2.8\n",
        ),
    ] {
        assert!(
            flagged_lines("CI010", &[("pyproject.toml", app), (path, text)]).is_empty(),
            "{path}"
        );
    }
    // A library with console scripts and no Dockerfile: installed from an index, its
    // users resolve its dependencies.
    let cli =
        "[project]\nname = \"black\"\nversion = \"1\"\n[project.scripts]\nblack = \"black:main\"\n";
    assert!(flagged_lines("CI010", &[("pyproject.toml", cli)]).is_empty());
}

#[test]
fn a_broken_tox_toml_is_reported_as_not_checked() {
    let project = "[project]\nname = \"shop\"\nrequires-python = \">=3.10\"\n";
    assert_eq!(
        flagged_lines(
            "CI002",
            &[
                ("pyproject.toml", project),
                ("tox.toml", "env_list = [\"3.8\"\n")
            ]
        ),
        [1]
    );
    // `tox.ini` wins over `[tool.tox]`, as tox reads it first.
    let native = format!("{project}[tool.tox]\nenv_list = [\"3.8\"]\n");
    assert!(
        flagged_lines(
            "CI002",
            &[
                ("pyproject.toml", &native),
                ("tox.ini", "[tox]\nenvlist = py312\n")
            ]
        )
        .is_empty()
    );
}

#[test]
fn an_async_plugin_declared_anywhere_is_not_missing() {
    let config = "[tool.pytest.ini_options]\ntrio_mode = true\n";
    assert_eq!(flagged_lines("TST004", &[("pyproject.toml", config)]), [2]);
    for (path, text) in [
        ("requirements-test.txt", "pytest-trio==0.8\n"),
        ("requirements/tests.in", "pytest_trio\n"),
        ("tox.ini", "[testenv]\ndeps = pytest-trio\n"),
        (
            ".github/workflows/ci.yml",
            "on: push\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n      - run: pip install pytest-trio\n",
        ),
    ] {
        assert!(
            flagged_lines("TST004", &[("pyproject.toml", config), (path, text)]).is_empty(),
            "{path}"
        );
    }
}
