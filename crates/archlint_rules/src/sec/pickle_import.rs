use super::blacklist;
use crate::prelude::*;

rule! {
    /// ## What it does
    /// Flags imports of `pickle`, `cPickle`, `dill` and `shelve`. Off by default: importing is
    /// not
    /// the risk, loading untrusted data is (SEC301).
    ///
    /// ## Why it matters
    /// Guide §8 (security architecture): unpickling data from outside runs code from outside.
    ///
    /// ## Example
    /// ```python
    /// import pickle
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// import json
    /// ```
    pub static PICKLE_IMPORT = Rule {
        code: "SEC403",
        name: "pickle-import",
        severity: Severity::Info,
        confidence: Some(High),
        bandit: bandit(Low, High),
        default_enabled: false,
        peers: &[Peer::same("bandit", "B403"), Peer::same("ruff", "S403")],
        check: Check::Import { modules: TARGETS, run: check },
    };
}

const TARGETS: &[&str] = &["pickle", "cPickle", "dill", "shelve"];

fn check(import: &ImportedModule, cx: &mut FileContext) {
    blacklist::report_import(
        import,
        cx,
        TARGETS,
        "can run arbitrary code when loading; make sure it never loads untrusted data",
    );
}
