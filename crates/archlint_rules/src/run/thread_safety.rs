//! What CPython documents about the thread safety of its built-in containers on the
//! free-threaded build, as data the free-threading rules read: a single operation that the
//! documentation calls atomic, or safe under the object's own lock, is never a race by
//! itself; sequences of operations (test then act, read then write back, iterate while
//! another thread changes) are races on every build.
//!
//! The source is the page "Thread Safety Guarantees" (`library/threadsafety`) of CPython's
//! documentation as of its 3.15 development version, with `collections.deque`'s own entry
//! ("thread-safe, memory efficient appends and pops from either side") and the
//! free-threading HOWTO ("Python support for free threading", § Thread safety and
//! § Iterators).

/// The documentation the table follows, for rule docs and messages.
pub const SOURCE: &str =
    "CPython's \"Thread Safety Guarantees\" (library/threadsafety, 3.15 documentation)";

/// A built-in container the documentation covers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Container {
    List,
    Dict,
    Set,
    Bytearray,
    Deque,
}

impl Container {
    /// The container a constructor's qualified name, or a display, builds.
    pub fn of_constructor(name: &str) -> Option<Container> {
        Some(match name {
            "list" => Container::List,
            "dict"
            | "collections.defaultdict"
            | "collections.OrderedDict"
            | "collections.Counter"
            | "weakref.WeakValueDictionary"
            | "weakref.WeakKeyDictionary" => Container::Dict,
            "set" | "weakref.WeakSet" => Container::Set,
            "bytearray" => Container::Bytearray,
            "collections.deque" => Container::Deque,
            _ => return None,
        })
    }

    pub fn name(self) -> &'static str {
        match self {
            Container::List => "list",
            Container::Dict => "dict",
            Container::Set => "set",
            Container::Bytearray => "bytearray",
            Container::Deque => "deque",
        }
    }
}

/// What the documentation promises for one operation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Guarantee {
    /// Appears instantaneous to other threads.
    Atomic,
    /// Safe to call from several threads, under the object's own lock: it does not corrupt
    /// the container, though it may see or be seen in an intermediate state.
    Locked,
    /// A lock-free read that may observe concurrent changes (`item in lst`, `lst.index`).
    MayObserveChanges,
    /// Never atomic: iteration, and any sequence of several operations.
    NeedsLock,
}

/// One documented operation: a method name, or the syntax written in brackets (`[i]`,
/// `[i] = x`, `del [i]`, `in`, `len`, `iter`).
#[derive(Clone, Copy, Debug)]
pub struct Operation {
    pub container: Container,
    pub operation: &'static str,
    pub guarantee: Guarantee,
    /// Whether the operation changes the container.
    pub changes: bool,
}

const fn op(
    container: Container,
    operation: &'static str,
    guarantee: Guarantee,
    changes: bool,
) -> Operation {
    Operation {
        container,
        operation,
        guarantee,
        changes,
    }
}

use Container::{Bytearray, Deque, Dict, List, Set};
use Guarantee::{Atomic, Locked, MayObserveChanges, NeedsLock};

/// The table. An operation missing for a container is not documented for it.
pub const OPERATIONS: &[Operation] = &[
    // list
    op(List, "[i]", Atomic, false),
    op(List, "in", MayObserveChanges, false),
    op(List, "index", MayObserveChanges, false),
    op(List, "count", MayObserveChanges, false),
    op(List, "len", Atomic, false),
    op(List, "[i] = x", Locked, true),
    op(List, "copy", Atomic, false),
    op(List, "append", Atomic, true),
    op(List, "pop", Atomic, true),
    op(List, "clear", Atomic, true),
    op(List, "sort", Locked, true),
    op(List, "insert", Locked, true),
    op(List, "remove", Locked, true),
    op(List, "extend", Locked, true),
    op(List, "reverse", Locked, true),
    op(List, "del [i]", Locked, true),
    op(List, "iter", NeedsLock, false),
    // dict
    op(Dict, "[i]", Atomic, false),
    op(Dict, "get", Atomic, false),
    op(Dict, "in", Atomic, false),
    op(Dict, "len", Atomic, false),
    op(Dict, "[i] = x", Locked, true),
    op(Dict, "del [i]", Locked, true),
    op(Dict, "pop", Locked, true),
    op(Dict, "popitem", Locked, true),
    op(Dict, "setdefault", Locked, true),
    op(Dict, "copy", Atomic, false),
    op(Dict, "keys", Atomic, false),
    op(Dict, "values", Atomic, false),
    op(Dict, "items", Atomic, false),
    op(Dict, "clear", Atomic, true),
    op(Dict, "update", Locked, true),
    op(Dict, "iter", NeedsLock, false),
    // set
    op(Set, "len", Atomic, false),
    op(Set, "in", MayObserveChanges, false),
    op(Set, "add", Locked, true),
    op(Set, "remove", Locked, true),
    op(Set, "discard", Locked, true),
    op(Set, "pop", Locked, true),
    op(Set, "copy", Atomic, false),
    op(Set, "clear", Atomic, true),
    op(Set, "update", Locked, true),
    op(Set, "difference_update", Locked, true),
    op(Set, "intersection_update", Locked, true),
    op(Set, "symmetric_difference_update", Locked, true),
    op(Set, "iter", NeedsLock, false),
    // bytearray
    op(Bytearray, "len", Atomic, false),
    op(Bytearray, "[i]", Locked, false),
    op(Bytearray, "in", Locked, false),
    op(Bytearray, "[i] = x", Locked, true),
    op(Bytearray, "append", Locked, true),
    op(Bytearray, "extend", Locked, true),
    op(Bytearray, "insert", Locked, true),
    op(Bytearray, "pop", Locked, true),
    op(Bytearray, "remove", Locked, true),
    op(Bytearray, "reverse", Locked, true),
    op(Bytearray, "clear", Locked, true),
    op(Bytearray, "copy", Locked, false),
    op(Bytearray, "iter", NeedsLock, false),
    // collections.deque
    op(Deque, "len", Atomic, false),
    op(Deque, "append", Locked, true),
    op(Deque, "appendleft", Locked, true),
    op(Deque, "pop", Locked, true),
    op(Deque, "popleft", Locked, true),
    op(Deque, "extend", Locked, true),
    op(Deque, "extendleft", Locked, true),
    op(Deque, "rotate", Locked, true),
    op(Deque, "clear", Locked, true),
    op(Deque, "remove", Locked, true),
    op(Deque, "insert", Locked, true),
    op(Deque, "reverse", Locked, true),
    op(Deque, "copy", Locked, false),
    op(Deque, "iter", NeedsLock, false),
];

/// The documented operation `operation` on `container`.
pub fn lookup(container: Container, operation: &str) -> Option<&'static Operation> {
    OPERATIONS
        .iter()
        .find(|op| op.container == container && op.operation == operation)
}

/// Whether a method of that name changes some documented container: what a rule looks for
/// when it does not know which container it has.
pub fn is_changing_method(method: &str) -> bool {
    OPERATIONS
        .iter()
        .any(|op| op.changes && op.operation == method)
}

/// Whether the documentation makes a single call of `method` on `container` safe without a
/// lock (atomic, or under the object's own lock).
pub fn is_safe_alone(container: Container, operation: &str) -> bool {
    lookup(container, operation).is_some_and(|op| matches!(op.guarantee, Atomic | Locked))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_container_documents_its_iteration_as_needing_a_lock() {
        for container in [List, Dict, Set, Bytearray, Deque] {
            let iteration = lookup(container, "iter").unwrap();
            assert_eq!(iteration.guarantee, NeedsLock, "{container:?}");
        }
    }

    #[test]
    fn single_writes_are_safe_alone_and_membership_of_a_list_is_not() {
        assert!(is_safe_alone(List, "append"));
        assert!(is_safe_alone(Dict, "[i] = x"));
        assert!(is_safe_alone(Dict, "setdefault"));
        assert!(is_safe_alone(Set, "add"));
        assert!(is_safe_alone(Deque, "popleft"));
        assert!(!is_safe_alone(List, "in"));
        assert!(!is_safe_alone(Set, "in"));
        assert!(is_safe_alone(Dict, "in"));
    }

    #[test]
    fn no_operation_is_listed_twice() {
        for (i, a) in OPERATIONS.iter().enumerate() {
            for b in &OPERATIONS[i + 1..] {
                assert!(
                    a.container != b.container || a.operation != b.operation,
                    "{:?} {}",
                    a.container,
                    a.operation
                );
            }
        }
    }
}
