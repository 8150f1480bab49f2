//! Fuzzing on stable Rust, as an ordinary test binary: every parser archlint feeds untrusted
//! input to (Python source, TOML, INI, YAML, requirements, four lock formats, OSV JSON and its zip,
//! wheels, zip and tar sdists, RECORD, METADATA and the long description, installed
//! environments, profiles, baselines) and the whole `check` pipeline are each a target run
//! on inputs mutated from a corpus of real files by a seeded generator.
//!
//! Why not `cargo fuzz`: it needs a nightly compiler and a sanitizer runtime, and runs outside
//! `cargo test`, so nothing would run it on every change. Here `cargo test` runs each target
//! for a few hundred inputs (the same ones every time: a failure is reproducible from the
//! seed and iteration it prints, and its input is saved), and `bench/fuzz` runs the same
//! targets for as long as asked, in a release build, with another seed. Coverage guidance is
//! what is given up; the corpus (every fixture) and the format-aware mutations make up for
//! part of it.
//!
//! Every input that once failed is kept in `tests/fixtures/fuzz/<target>/` and run by
//! `regression_inputs_pass`; it also joins the target's corpus. `large_inputs` feeds each
//! parser 500 kB (10 MB in `bench/fuzz`) of shapes that break naive code: one long line,
//! deep nesting, many lines, binary.

#[path = "../support/mod.rs"]
mod support;

mod corpus;
mod engine;
mod large;
mod mutate;
mod project;
mod targets;

use engine::{Target, fuzz};

macro_rules! fuzz_tests {
    ($($test:ident => $target:expr),* $(,)?) => {
        $(
            #[test]
            fn $test() {
                fuzz(&$target);
            }
        )*

        /// Every target, for the tests that go through all of them.
        const TARGETS: &[&Target] = &[$(&$target),*];
    };
}

fuzz_tests! {
    python => targets::PYTHON,
    pyproject => targets::PYPROJECT,
    ini => targets::INI,
    requirements => targets::REQUIREMENTS,
    uv_lock => targets::UV_LOCK,
    poetry_lock => targets::POETRY_LOCK,
    pdm_lock => targets::PDM_LOCK,
    pylock => targets::PYLOCK,
    osv_json => targets::OSV_JSON,
    osv_zip => targets::OSV_ZIP,
    wheel => targets::WHEEL,
    sdist_zip => targets::SDIST_ZIP,
    sdist_tar => targets::SDIST_TAR,
    package_spec => targets::PACKAGE_SPEC,
    metadata => targets::METADATA,
    record => targets::RECORD,
    environment => targets::ENVIRONMENT,
    profile => targets::PROFILE,
    baseline => targets::BASELINE,
    yaml => targets::YAML,
    check => project::CHECK,
}

/// Every input that once failed a target (a crash, a hang, a broken invariant) passes now.
#[test]
fn regression_inputs_pass() {
    let failures = engine::on_big_stack(|| {
        let mut failures = Vec::new();
        let mut count = 0;
        for target in TARGETS {
            let scratch = tempfile::tempdir().unwrap();
            for seed in engine::regressions(target) {
                count += 1;
                if let Err(message) = engine::run_once(target, &seed.bytes, scratch.path()) {
                    failures.push(format!("{}/{}: {message}", target.name, seed.name));
                }
            }
        }
        assert!(count > 0, "the regression inputs are found");
        failures
    });
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Each target has seeds, and its seeds pass unmutated (a target that fails on its own
/// corpus would report that instead of what mutations find).
#[test]
fn every_target_has_a_corpus_that_passes() {
    let failures = engine::on_big_stack(|| {
        let mut failures = Vec::new();
        for target in TARGETS {
            let seeds = engine::corpus(target);
            let scratch = tempfile::tempdir().unwrap();
            // The check target's corpus is every fixture project: a sample is enough here.
            let step = if target.name == "check" { 10 } else { 1 };
            for seed in seeds.iter().step_by(step) {
                if let Err(message) = engine::run_once(target, &seed.bytes, scratch.path()) {
                    failures.push(format!("{}: seed {}: {message}", target.name, seed.name));
                }
            }
        }
        failures
    });
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The same seed, target and iteration give the same input; other iterations differ.
#[test]
fn inputs_are_reproducible_from_seed_and_iteration() {
    let target = &targets::REQUIREMENTS;
    let corpus: Vec<Vec<u8>> = engine::corpus(target)
        .into_iter()
        .map(|s| s.bytes)
        .collect();
    let inputs: Vec<Vec<u8>> = (0..50)
        .map(|i| engine::input_for(target, 7, i, &corpus))
        .collect();
    let again: Vec<Vec<u8>> = (0..50)
        .map(|i| engine::input_for(target, 7, i, &corpus))
        .collect();
    assert_eq!(inputs, again);
    let distinct: std::collections::BTreeSet<&Vec<u8>> = inputs.iter().collect();
    assert!(
        distinct.len() > 40,
        "the mutations vary: {} distinct inputs",
        distinct.len()
    );
    let other_seed: Vec<Vec<u8>> = (0..50)
        .map(|i| engine::input_for(target, 8, i, &corpus))
        .collect();
    assert_ne!(inputs, other_seed);
}

/// The invariants reject what they must: the checks are not vacuous.
#[test]
fn the_output_checks_reject_broken_outputs() {
    let rejects = |f: fn()| std::panic::catch_unwind(f).is_err();
    assert!(
        rejects(|| targets::assert_xml("x", "<a>\u{1}</a>")),
        "a control character"
    );
    assert!(
        rejects(|| targets::assert_xml("x", "<a><b></a>")),
        "unbalanced tags"
    );
    assert!(
        rejects(|| targets::assert_xml("x", "<a x=\"1\" x=\"2\"/>")),
        "a repeated attribute"
    );
    assert!(!rejects(|| targets::assert_xml(
        "x",
        "<a b=\"&amp;\">&lt;é</a>"
    )));
    assert!(rejects(|| {
        targets::assert_json("x", "{\"a\": 1,}");
    }));
    let schema = project::sarif_schema();
    assert!(!schema.is_valid(&serde_json::json!({"version": "2.1.0", "runs": [{"results": []}]})));
}

#[test]
fn large_inputs_finish_in_bounded_time_and_memory() {
    large::run();
}
