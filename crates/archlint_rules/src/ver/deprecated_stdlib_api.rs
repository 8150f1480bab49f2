use crate::prelude::*;

rule! {
    /// ## What it does
    /// Flags standard-library APIs that are deprecated but still present:
    /// `datetime.datetime.utcnow`/`utcfromtimestamp` (3.12), `asyncio.iscoroutinefunction`
    /// and the asyncio policy functions (3.14), `codecs.open` (3.14),
    /// `locale.getdefaultlocale` (3.11), `typing.AnyStr`, `typing.no_type_check_decorator`,
    /// `typing.ByteString` and `collections.abc.ByteString`, `ctypes.SetPointerType`,
    /// `platform.java_ver` (3.13), the camel-case `threading` functions
    /// (`threading.currentThread`, `activeCount`, 3.10), and `shutil.rmtree(onerror=...)`
    /// (3.12). The message names the replacement.
    ///
    /// ## Why it matters
    /// Guide §1 (interpreter and versions): deprecated APIs are removed two or more releases
    /// later; `utcnow()` also returns a naive datetime that most code then misreads as local
    /// time.
    ///
    /// ## Example
    /// ```python
    /// import datetime
    ///
    /// stamp = datetime.datetime.utcnow()
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// import datetime
    ///
    /// stamp = datetime.datetime.now(datetime.timezone.utc)
    /// ```
    pub static DEPRECATED_STDLIB_API = Rule {
        code: "VER009",
        name: "deprecated-stdlib-api",
        severity: Severity::Warning,
        confidence: None,
        bandit: None,
        default_enabled: false,
        peers: &[
            Peer::related("ruff", "DTZ003"),
            Peer::related("ruff", "DTZ004"),
            Peer::related("pylint", "W4902"),
        ],
        check: Check::Several(&[
            Check::Expr { kinds: &[NodeKind::ExprName, NodeKind::ExprAttribute], run: check_name },
            Check::Call { targets: &["shutil.rmtree"], run: check_rmtree },
        ]),
    };
}

/// Deprecated names: (qualified name, deprecated in, replacement).
const DEPRECATED: &[(&str, &str, &str)] = &[
    (
        "datetime.datetime.utcnow",
        "3.12",
        "`datetime.datetime.now(datetime.UTC)`",
    ),
    (
        "datetime.datetime.utcfromtimestamp",
        "3.12",
        "`datetime.datetime.fromtimestamp(ts, datetime.UTC)`",
    ),
    (
        "asyncio.iscoroutinefunction",
        "3.14",
        "`inspect.iscoroutinefunction`",
    ),
    (
        "asyncio.get_event_loop_policy",
        "3.14",
        "`asyncio.run`/`asyncio.Runner` with `loop_factory`",
    ),
    (
        "asyncio.set_event_loop_policy",
        "3.14",
        "`asyncio.run`/`asyncio.Runner` with `loop_factory`",
    ),
    (
        "asyncio.AbstractEventLoopPolicy",
        "3.14",
        "`asyncio.Runner(loop_factory=...)`",
    ),
    (
        "asyncio.DefaultEventLoopPolicy",
        "3.14",
        "`asyncio.Runner(loop_factory=...)`",
    ),
    ("codecs.open", "3.14", "`open(path, encoding=...)`"),
    (
        "locale.getdefaultlocale",
        "3.11",
        "`locale.setlocale`, `locale.getlocale`, `locale.getencoding`",
    ),
    (
        "typing.AnyStr",
        "3.13",
        "a type parameter `[S: (str, bytes)]`",
    ),
    (
        "typing.no_type_check_decorator",
        "3.13",
        "`typing.no_type_check`",
    ),
    (
        "typing.ByteString",
        "3.12",
        "`collections.abc.Buffer` or `bytes | bytearray`",
    ),
    (
        "collections.abc.ByteString",
        "3.12",
        "`collections.abc.Buffer` or `bytes | bytearray`",
    ),
    (
        "ctypes.SetPointerType",
        "3.13",
        "defining the pointer type directly",
    ),
    (
        "platform.java_ver",
        "3.13",
        "nothing (Jython is unsupported)",
    ),
    (
        "threading.currentThread",
        "3.10",
        "`threading.current_thread`",
    ),
    ("threading.activeCount", "3.10", "`threading.active_count`"),
];

fn check_name(expr: &Expr, cx: &mut FileContext) {
    let Some(name) = cx.read_name(expr) else {
        return;
    };
    let Some(&(_, since, replacement)) = DEPRECATED
        .iter()
        .find(|(deprecated, _, _)| *deprecated == name)
    else {
        return;
    };
    cx.report(
        expr.range(),
        format!("`{name}` is deprecated since Python {since}; use {replacement}"),
    );
}

fn check_rmtree(call: &CallSite, cx: &mut FileContext) {
    if let Some(onerror) = call.keyword("onerror") {
        cx.report(
            onerror.range(),
            "`shutil.rmtree(onerror=...)` is deprecated since Python 3.12; use `onexc=` (its handler receives the exception)",
        );
    }
}
