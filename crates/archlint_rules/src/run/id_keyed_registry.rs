use crate::prelude::*;

rule! {
    /// ## What it does
    /// Flags a mapping keyed by `id(obj)` that stores a weak reference or finalizer of the
    /// object: `registry[id(obj)] = weakref.ref(obj, …)` (or `proxy`, `finalize`,
    /// `WeakMethod`), with the key or the value possibly held in a local first
    /// (`obj_id = id(obj)`).
    ///
    /// ## Why it matters
    /// Guide §2 (weak references): the point of a weak reference is that the object can die
    /// — and once it has, CPython reuses its `id` for the next object allocated at that
    /// address. The entry then answers for an unrelated object, and a late cleanup callback
    /// deletes the new object's entry. The guide's `track_object_lifecycle` keys
    /// `tracked_objects` by `id(obj)` and deletes from it in the weak-reference callback.
    ///
    /// ## Example
    /// ```python
    /// import weakref
    ///
    /// tracked = {}
    ///
    /// def track(obj):
    ///     tracked[id(obj)] = weakref.ref(obj)
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// import weakref
    ///
    /// tracked = weakref.WeakKeyDictionary()
    ///
    /// def track(obj):
    ///     tracked[obj] = True
    /// ```
    pub static ID_KEYED_REGISTRY = Rule {
        code: "RUN014",
        name: "id-keyed-registry",
        severity: Severity::Warning,
        confidence: None,
        bandit: None,
        default_enabled: true,
        peers: &[],
        check: Check::Stmt { kinds: &[NodeKind::StmtAssign], run: check },
    };
}

const WEAK_REFERENCES: &[&str] = &[
    "weakref.ref",
    "weakref.proxy",
    "weakref.finalize",
    "weakref.WeakMethod",
];

fn check(stmt: &Stmt, cx: &mut FileContext) {
    let Stmt::Assign(assign) = stmt else { return };
    let Expr::Call(value) = cx.follow(&assign.value) else {
        return;
    };
    if !cx.resolves_to(&value.func, WEAK_REFERENCES) {
        return;
    }
    for target in &assign.targets {
        let Expr::Subscript(subscript) = target else {
            continue;
        };
        let Expr::Call(key) = cx.follow(&subscript.slice) else {
            continue;
        };
        if !cx.resolves_to(&key.func, &["id"]) {
            continue;
        }
        let mapping = cx.text(subscript.value.range());
        cx.report(
            target.range(),
            format!("`{mapping}` is keyed by `id()` of an object it only holds weakly: after the object dies its id is reused, and the entry (and its cleanup) hits another object; use a `weakref.WeakKeyDictionary` keyed by the object"),
        );
    }
}
