use super::version_range::oldest;
use crate::prelude::*;

rule! {
    /// ## What it does
    /// When the project's oldest Python is 3.9 or newer, flags uses of the `typing` aliases
    /// that PEP 585 deprecated: `typing.List`, `Dict`, `Set`, `FrozenSet`, `Tuple`, `Type`,
    /// the `collections` ones (`Deque`, `DefaultDict`, `OrderedDict`, `Counter`,
    /// `ChainMap`), the `collections.abc` ones (`Callable`, `Iterable`, `Mapping`,
    /// `Sequence`, …), `ContextManager`/`AsyncContextManager` and `Pattern`/`Match`. Advice
    /// (`info`).
    ///
    /// ruff splits this between UP006 (annotations, the builtin aliases) and UP035 (imports);
    /// archlint reports each use, in annotations and at run time alike.
    ///
    /// ## Why it matters
    /// Guide §1 (interpreter and versions) and §4 (types): the builtins and `collections.abc`
    /// are generic since 3.9; the aliases are deprecated and will be removed from `typing`.
    ///
    /// ## Example
    /// ```python
    /// from typing import Dict, List
    ///
    /// def index(words: List[str]) -> Dict[str, int]:
    ///     return {word: i for i, word in enumerate(words)}
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// def index(words: list[str]) -> dict[str, int]:
    ///     return {word: i for i, word in enumerate(words)}
    /// ```
    pub static PEP585_TYPING_ALIAS = Rule {
        code: "VER018",
        name: "pep585-typing-alias",
        severity: Severity::Info,
        confidence: None,
        bandit: None,
        default_enabled: false,
        peers: &[Peer::related("ruff", "UP006"), Peer::related("ruff", "UP035")],
        check: Check::Expr { kinds: &[NodeKind::ExprName, NodeKind::ExprAttribute], run: check },
    };
}

fn replacement(alias: &str) -> Option<&'static str> {
    Some(match alias {
        "List" => "list",
        "Dict" => "dict",
        "Set" => "set",
        "FrozenSet" => "frozenset",
        "Tuple" => "tuple",
        "Type" => "type",
        "Deque" => "collections.deque",
        "DefaultDict" => "collections.defaultdict",
        "OrderedDict" => "collections.OrderedDict",
        "Counter" => "collections.Counter",
        "ChainMap" => "collections.ChainMap",
        "Callable" => "collections.abc.Callable",
        "Iterable" => "collections.abc.Iterable",
        "Iterator" => "collections.abc.Iterator",
        "Generator" => "collections.abc.Generator",
        "Awaitable" => "collections.abc.Awaitable",
        "Coroutine" => "collections.abc.Coroutine",
        "AsyncIterable" => "collections.abc.AsyncIterable",
        "AsyncIterator" => "collections.abc.AsyncIterator",
        "AsyncGenerator" => "collections.abc.AsyncGenerator",
        "Mapping" => "collections.abc.Mapping",
        "MutableMapping" => "collections.abc.MutableMapping",
        "Sequence" => "collections.abc.Sequence",
        "MutableSequence" => "collections.abc.MutableSequence",
        "AbstractSet" => "collections.abc.Set",
        "MutableSet" => "collections.abc.MutableSet",
        "Collection" => "collections.abc.Collection",
        "Container" => "collections.abc.Container",
        "Reversible" => "collections.abc.Reversible",
        "KeysView" => "collections.abc.KeysView",
        "ValuesView" => "collections.abc.ValuesView",
        "ItemsView" => "collections.abc.ItemsView",
        "MappingView" => "collections.abc.MappingView",
        "ContextManager" => "contextlib.AbstractContextManager",
        "AsyncContextManager" => "contextlib.AbstractAsyncContextManager",
        "Pattern" => "re.Pattern",
        "Match" => "re.Match",
        _ => return None,
    })
}

fn check(expr: &Expr, cx: &mut FileContext) {
    if oldest(cx) < (3, 9) {
        return;
    }
    let Some(name) = cx.read_name(expr) else {
        return;
    };
    let Some(alias) = name
        .strip_prefix("typing.")
        .or_else(|| name.strip_prefix("typing_extensions."))
    else {
        return;
    };
    let Some(builtin) = replacement(alias) else {
        return;
    };
    cx.report(
        expr.range(),
        format!("`{name}` is a deprecated alias since Python 3.9; use `{builtin}`"),
    );
}
