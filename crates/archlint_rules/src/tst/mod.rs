//! Testing at scale (guide §9): test suites read the way pytest collects them (its
//! `testpaths`, `python_files`, `python_classes`, `python_functions`, `markers` and
//! `addopts`): tests that check nothing, tests that never run, slow and flaky waits, and
//! assertions that cannot fail.

pub mod pytest_code;

pub mod async_test_unconfigured;
pub mod coverage_gate_missing;
pub mod fixture_called_directly;
pub mod fixture_yield_misuse;
pub mod mock_assertion_no_op;
pub mod network_in_unit_test;
pub mod parametrize_duplicate;
pub mod pytest_raises_too_broad;
pub mod sleep_in_test;
pub mod test_without_assertion;
pub mod testpaths_without_tests;
pub mod unregistered_marker;
