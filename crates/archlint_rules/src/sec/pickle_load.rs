use super::blacklist;
use crate::prelude::*;

rule! {
    /// ## What it does
    /// Flags calls that unpickle data: `pickle.load`/`loads`/`Unpickler`, the same in `dill`,
    /// `shelve.open`, `jsonpickle.decode` and `pandas.read_pickle`.
    ///
    /// ## Why it matters
    /// Guide §8 (security architecture): unpickling calls any constructor the data names, so
    /// loading a pickle from outside the process is running code from outside the process.
    ///
    /// ## Example
    /// ```python
    /// import pickle
    ///
    /// def load_session(blob):
    ///     return pickle.loads(blob)
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// import json
    ///
    /// def load_session(blob):
    ///     return json.loads(blob)
    /// ```
    pub static PICKLE_LOAD = Rule {
        code: "SEC301",
        name: "pickle-load",
        severity: Severity::Warning,
        confidence: Some(High),
        bandit: bandit(Medium, High),
        default_enabled: false,
        peers: &[Peer::same("bandit", "B301"), Peer::same("ruff", "S301")],
        check: Check::Call { targets: TARGETS, run: check },
    };
}

const TARGETS: &[&str] = &[
    "pickle.loads",
    "pickle.load",
    "pickle.Unpickler",
    "dill.loads",
    "dill.load",
    "dill.Unpickler",
    "shelve.open",
    "shelve.DbfilenameShelf",
    "jsonpickle.decode",
    "jsonpickle.unpickler.decode",
    "jsonpickle.unpickler.Unpickler",
    "pandas.read_pickle",
];

fn check(call: &CallSite, cx: &mut FileContext) {
    blacklist::report_call(
        call,
        cx,
        "can run arbitrary code while loading; load untrusted data with `json` or sign it and check the signature first",
    );
}
