use super::version_range::show;
use crate::prelude::*;

rule! {
    /// ## What it does
    /// Flags uses of standard-library functions, classes and constants removed in Python
    /// 3.12, 3.13 or 3.14 (`ssl.wrap_socket`, `configparser.SafeConfigParser`,
    /// `locale.format`, `importlib.find_loader`, `pkgutil.ImpImporter`, `locale.resetlocale`,
    /// `unittest.makeSuite`, `re.template`, `ast.Num`/`Str`/`Bytes`/`NameConstant`/`Ellipsis`,
    /// the asyncio child watchers, `pkgutil.find_loader`, `sqlite3.version`,
    /// `urllib.request.URLopener`, …), and the `unittest.TestCase` method aliases removed in
    /// 3.12 (`self.assertEquals`, `self.assertRegexpMatches`, `self.failUnless`, …). The
    /// message names the version and the replacement.
    ///
    /// ## Why it matters
    /// Guide §1 (interpreter and versions): the call raises `AttributeError` on the first
    /// Python without it, often on an error path that tests do not reach.
    ///
    /// ## Example
    /// ```python
    /// import configparser
    ///
    /// parser = configparser.SafeConfigParser()
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// import configparser
    ///
    /// parser = configparser.ConfigParser()
    /// ```
    pub static REMOVED_STDLIB_API = Rule {
        code: "VER008",
        name: "removed-stdlib-api",
        severity: Severity::Error,
        confidence: None,
        bandit: None,
        default_enabled: false,
        peers: &[Peer::related("pylint", "W4902"), Peer::related("ruff", "UP005")],
        check: Check::Several(&[
            Check::Expr { kinds: &[NodeKind::ExprName, NodeKind::ExprAttribute], run: check_name },
            Check::Call { targets: TEST_ALIASES, run: check_test_alias },
        ]),
    };
}

/// Removed names: (qualified name, removed in, replacement).
const REMOVED: &[(&str, (u8, u8), &str)] = &[
    ("ssl.wrap_socket", (3, 12), "`ssl.SSLContext.wrap_socket`"),
    (
        "ssl.match_hostname",
        (3, 12),
        "`ssl.SSLContext` with `check_hostname`",
    ),
    (
        "ssl.RAND_pseudo_bytes",
        (3, 12),
        "`os.urandom` or `secrets`",
    ),
    (
        "configparser.SafeConfigParser",
        (3, 12),
        "`configparser.ConfigParser`",
    ),
    ("locale.format", (3, 12), "`locale.format_string`"),
    ("io.OpenWrapper", (3, 12), "`open`"),
    (
        "sqlite3.enable_shared_cache",
        (3, 12),
        "the `cache=shared` URI parameter",
    ),
    ("sqlite3.OptimizedUnicode", (3, 12), "`str`"),
    (
        "importlib.find_loader",
        (3, 12),
        "`importlib.util.find_spec`",
    ),
    (
        "importlib.util.set_package",
        (3, 12),
        "setting `__package__` yourself",
    ),
    (
        "importlib.util.set_loader",
        (3, 12),
        "setting `__loader__` yourself",
    ),
    (
        "importlib.util.module_for_loader",
        (3, 12),
        "`importlib.abc.Loader.exec_module`",
    ),
    ("pkgutil.ImpImporter", (3, 12), "`importlib.machinery`"),
    ("pkgutil.ImpLoader", (3, 12), "`importlib.machinery`"),
    (
        "locale.resetlocale",
        (3, 13),
        "`locale.setlocale(locale.LC_ALL, \"\")`",
    ),
    (
        "unittest.makeSuite",
        (3, 13),
        "`unittest.TestLoader().loadTestsFromTestCase`",
    ),
    (
        "unittest.findTestCases",
        (3, 13),
        "`unittest.TestLoader().loadTestsFromModule`",
    ),
    (
        "unittest.getTestCaseNames",
        (3, 13),
        "`unittest.TestLoader().getTestCaseNames`",
    ),
    ("re.template", (3, 13), "`re.compile`"),
    ("re.TEMPLATE", (3, 13), "nothing (the flag had no effect)"),
    (
        "configparser.LegacyInterpolation",
        (3, 13),
        "`configparser.BasicInterpolation`",
    ),
    ("ast.Num", (3, 14), "`ast.Constant`"),
    ("ast.Str", (3, 14), "`ast.Constant`"),
    ("ast.Bytes", (3, 14), "`ast.Constant`"),
    ("ast.NameConstant", (3, 14), "`ast.Constant`"),
    ("ast.Ellipsis", (3, 14), "`ast.Constant`"),
    (
        "asyncio.AbstractChildWatcher",
        (3, 14),
        "`asyncio` subprocess support, which needs no watcher",
    ),
    (
        "asyncio.SafeChildWatcher",
        (3, 14),
        "`asyncio` subprocess support, which needs no watcher",
    ),
    (
        "asyncio.FastChildWatcher",
        (3, 14),
        "`asyncio` subprocess support, which needs no watcher",
    ),
    (
        "asyncio.ThreadedChildWatcher",
        (3, 14),
        "`asyncio` subprocess support, which needs no watcher",
    ),
    (
        "asyncio.MultiLoopChildWatcher",
        (3, 14),
        "`asyncio` subprocess support, which needs no watcher",
    ),
    (
        "asyncio.PidfdChildWatcher",
        (3, 14),
        "`asyncio` subprocess support, which needs no watcher",
    ),
    (
        "asyncio.get_child_watcher",
        (3, 14),
        "nothing: subprocesses need no watcher",
    ),
    (
        "asyncio.set_child_watcher",
        (3, 14),
        "nothing: subprocesses need no watcher",
    ),
    ("pkgutil.find_loader", (3, 14), "`importlib.util.find_spec`"),
    ("pkgutil.get_loader", (3, 14), "`importlib.util.find_spec`"),
    ("pty.master_open", (3, 14), "`pty.openpty`"),
    ("pty.slave_open", (3, 14), "`pty.openpty`"),
    ("sqlite3.version", (3, 14), "`sqlite3.sqlite_version`"),
    (
        "sqlite3.version_info",
        (3, 14),
        "`sqlite3.sqlite_version_info`",
    ),
    (
        "importlib.abc.ResourceReader",
        (3, 14),
        "`importlib.resources.abc.TraversableResources`",
    ),
    (
        "importlib.abc.Traversable",
        (3, 14),
        "`importlib.resources.abc.Traversable`",
    ),
    (
        "importlib.abc.TraversableResources",
        (3, 14),
        "`importlib.resources.abc.TraversableResources`",
    ),
    (
        "urllib.request.URLopener",
        (3, 14),
        "`urllib.request.urlopen`",
    ),
    (
        "urllib.request.FancyURLopener",
        (3, 14),
        "`urllib.request.urlopen`",
    ),
];

/// `unittest.TestCase` aliases removed in 3.12, called as `self.<alias>(...)`.
const TEST_ALIASES: &[&str] = &[
    ".assertEquals",
    ".assertNotEquals",
    ".assert_",
    ".failUnless",
    ".failIf",
    ".failUnlessEqual",
    ".failIfEqual",
    ".failUnlessRaises",
    ".failUnlessAlmostEqual",
    ".failIfAlmostEqual",
    ".assertAlmostEquals",
    ".assertNotAlmostEquals",
    ".assertRegexpMatches",
    ".assertRaisesRegexp",
    ".assertNotRegexpMatches",
    ".assertDictContainsSubset",
];

fn check_name(expr: &Expr, cx: &mut FileContext) {
    let Some(name) = cx.read_name(expr) else {
        return;
    };
    let Some(&(_, removed, replacement)) = REMOVED.iter().find(|(removed, _, _)| *removed == name)
    else {
        return;
    };
    cx.report(
        expr.range(),
        format!(
            "`{name}` was removed in Python {}; use {replacement}",
            show(removed)
        ),
    );
}

/// The standard test cases (and Django's, built on them) that had the aliases.
const TEST_CASES: &[&str] = &[
    "unittest.TestCase",
    "unittest.IsolatedAsyncioTestCase",
    "unittest.case.TestCase",
    "django.test.TestCase",
    "django.test.SimpleTestCase",
    "django.test.TransactionTestCase",
    "django.test.LiveServerTestCase",
];

fn check_test_alias(call: &CallSite, cx: &mut FileContext) {
    let Some(alias) = call.method else { return };
    if !matches!(call.receiver(), Some(Expr::Name(name)) if name.id.as_str() == "self") {
        return;
    }
    // Test frameworks with an `assert_` of their own: only a class known to be a standard
    // test case lost the aliases, and not if it (or a base in this file) defines the name.
    let Some(class) = cx.classes.last() else {
        return;
    };
    if !is_standard_test_case(class, alias, cx, 0) {
        return;
    }
    let replacement = match alias {
        "assertEquals" | "failUnlessEqual" => "assertEqual",
        "assertNotEquals" | "failIfEqual" => "assertNotEqual",
        "assert_" | "failUnless" => "assertTrue",
        "failIf" => "assertFalse",
        "failUnlessRaises" => "assertRaises",
        "failUnlessAlmostEqual" | "assertAlmostEquals" => "assertAlmostEqual",
        "failIfAlmostEqual" | "assertNotAlmostEquals" => "assertNotAlmostEqual",
        "assertRegexpMatches" => "assertRegex",
        "assertRaisesRegexp" => "assertRaisesRegex",
        "assertNotRegexpMatches" => "assertNotRegex",
        "assertDictContainsSubset" => "assertEqual(actual, {**actual, **expected})",
        _ => return,
    };
    cx.report(
        call.range(),
        format!("`TestCase.{alias}` was removed in Python 3.12; use `{replacement}`"),
    );
}

/// Whether `class` derives from a standard test case through bases this module defines,
/// none of them defining `alias`.
fn is_standard_test_case(
    class: &ast::StmtClassDef,
    alias: &str,
    cx: &FileContext,
    depth: usize,
) -> bool {
    let defines_alias = class.body.iter().any(|stmt| match stmt {
        Stmt::FunctionDef(def) => def.name.as_str() == alias,
        Stmt::Assign(assign) => assign
            .targets
            .iter()
            .any(|t| matches!(t, Expr::Name(n) if n.id.as_str() == alias)),
        _ => false,
    });
    if defines_alias || depth > 8 {
        return false;
    }
    class.bases().iter().any(|base| {
        if cx.resolves_to(base, TEST_CASES) {
            return true;
        }
        let Expr::Name(name) = base else {
            return false;
        };
        cx.module_body.iter().any(|stmt| {
            matches!(stmt, Stmt::ClassDef(parent) if parent.name.as_str() == name.id.as_str()
                && is_standard_test_case(parent, alias, cx, depth + 1))
        })
    })
}
