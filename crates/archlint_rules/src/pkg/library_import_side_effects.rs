use ruff_python_ast::{Expr, Stmt};
use ruff_text_size::Ranged;

use crate::prelude::*;

rule! {
    /// ## What it does
    /// Reports what a library module does when it is imported, at module level (class
    /// bodies included): printing, opening files, network requests, running processes,
    /// starting threads, changing `sys.path`, the working directory or `os.environ`,
    /// attaching handlers other than `NullHandler` to loggers, and instantiating plugin
    /// managers or registries; and `logging.basicConfig` anywhere in a library. Library
    /// modules are the modules of a regular package (with an `__init__.py`); `__main__`, `cli`, `main`, `manage`, `wsgi`,
    /// `asgi`, `settings` and `conftest` modules, tests, scripts with an
    /// `if __name__ == "__main__":` block, and code under that block are not.
    ///
    /// ## Why it matters
    /// Guide §7 (advanced packaging patterns): its `__init__.py` creates a `PluginManager()`
    /// at import and calls `logging.basicConfig` in library code. Importing a library must
    /// be cheap and must not change the importing program: configuring logging, the
    /// environment or the path is the application's decision, and work at import slows
    /// every start-up and every test collection.
    ///
    /// ## Example
    /// ```python
    /// # file: shop/__init__.py
    /// import logging
    /// import sys
    ///
    /// from shop.plugins import PluginManager
    ///
    /// logging.basicConfig(level=logging.INFO)
    /// sys.path.insert(0, "/opt/shop/vendor")
    /// plugin_manager = PluginManager()
    /// # file: shop/plugins.py
    /// class PluginManager:
    ///     pass
    /// ```
    ///
    /// ## Use instead
    /// ```python
    /// # file: shop/__init__.py
    /// import functools
    /// import logging
    ///
    /// from shop.plugins import PluginManager
    ///
    /// logging.getLogger(__name__).addHandler(logging.NullHandler())
    ///
    /// @functools.cache
    /// def plugin_manager():
    ///     return PluginManager()
    /// # file: shop/plugins.py
    /// class PluginManager:
    ///     pass
    /// ```
    pub static LIBRARY_IMPORT_SIDE_EFFECTS = Rule {
        code: "PKG007",
        name: "library-import-side-effects",
        severity: Severity::Warning,
        confidence: None,
        bandit: None,
        default_enabled: false,
        peers: &[
            Peer::related("ruff", "RUF067"),
            Peer::related("ruff", "LOG015"),
        ],
        check: Check::Several(&[
            Check::AnyCall { run: check_call },
            Check::Stmt {
                kinds: &[NodeKind::StmtAssign, NodeKind::StmtAugAssign],
                run: check_assignment,
            },
        ]),
    };
}

/// Calls that act on the world when made at import, and what they do.
const IMPORT_TIME_CALLS: &[(&str, &str)] = &[
    ("print", "prints"),
    ("open", "opens a file"),
    ("io.open", "opens a file"),
    ("sys.path.append", "changes `sys.path`"),
    ("sys.path.insert", "changes `sys.path`"),
    ("sys.path.extend", "changes `sys.path`"),
    ("sys.path.remove", "changes `sys.path`"),
    ("os.chdir", "changes the working directory"),
    ("os.environ.update", "changes `os.environ`"),
    ("os.environ.setdefault", "changes `os.environ`"),
    ("os.environ.pop", "changes `os.environ`"),
    ("os.environ.clear", "changes `os.environ`"),
    ("os.putenv", "changes the environment"),
    ("os.unsetenv", "changes the environment"),
    ("os.system", "runs a process"),
    ("os.popen", "runs a process"),
    ("subprocess.run", "runs a process"),
    ("subprocess.call", "runs a process"),
    ("subprocess.check_call", "runs a process"),
    ("subprocess.check_output", "runs a process"),
    ("subprocess.Popen", "runs a process"),
    ("urllib.request.urlopen", "makes a network request"),
    ("socket.create_connection", "opens a network connection"),
    ("requests.get", "makes a network request"),
    ("requests.post", "makes a network request"),
    ("requests.put", "makes a network request"),
    ("requests.request", "makes a network request"),
    ("httpx.get", "makes a network request"),
    ("httpx.post", "makes a network request"),
];

/// Module names that are applications or entry points, not library code.
const APPLICATION_MODULES: &[&str] = &[
    "__main__", "cli", "main", "manage", "wsgi", "asgi", "settings", "conftest", "setup",
];

/// Whether the file is a library module whose import should have no effects.
fn is_library_module(cx: &FileContext) -> bool {
    let Some(module) = cx.facts.module.as_deref() else {
        return false;
    };
    if cx.role == Role::Tests || !(module.contains('.') || cx.facts.is_package) {
        return false;
    }
    let last = module.rsplit('.').next().unwrap_or(module);
    if APPLICATION_MODULES.contains(&last)
        || module
            .split('.')
            .any(|part| part == "commands" || part == "scripts")
    {
        return false;
    }
    if cx
        .module_body
        .iter()
        .any(|stmt| matches!(stmt, Stmt::If(branch) if literal::is_main_guard(&branch.test)))
    {
        return false;
    }
    // A regular package: folders of scripts without `__init__.py` are not libraries.
    cx.facts.is_package
        || cx
            .path
            .parent()
            .is_some_and(|folder| folder.join("__init__.py").is_file())
}

/// Code that runs when the module is imported: not in a function or a lambda, not under the
/// main guard.
fn runs_at_import(cx: &FileContext) -> bool {
    cx.functions.is_empty()
        && !cx.expr_parents.iter().any(|e| e.is_lambda_expr())
        && !cx
            .stmt_parents
            .iter()
            .any(|stmt| matches!(stmt, Stmt::If(branch) if literal::is_main_guard(&branch.test)))
}

fn check_call(call: &CallSite, cx: &mut FileContext) {
    // Every call of every file comes here: match the call first, and only then ask the
    // dearer question (a scan of the module and a file-system check) of the module.
    if call.is("logging.basicConfig") {
        if !is_library_module(cx) {
            return;
        }
        cx.report(
            call.range(),
            "`logging.basicConfig` in a library configures logging for the whole application that imports it: leave it to the application, and log through `logging.getLogger(__name__)`",
        );
        return;
    }
    if !runs_at_import(cx) {
        return;
    }
    let name = call.qualified.as_ref().map(|q| q.name.as_str());
    let effect = name.and_then(|name| {
        IMPORT_TIME_CALLS
            .iter()
            .find(|(callee, _)| *callee == name)
            .map(|(_, effect)| effect.to_string())
    });
    let effect = effect.or_else(|| match call.method {
        Some("start") => starts_thread(call, cx),
        Some("addHandler") => adds_handler(call),
        _ => None,
    });
    let effect = effect.or_else(|| {
        let last = name?.rsplit('.').next()?;
        // A loader is usually lazy (it loads on the first lookup); a manager or registry
        // usually discovers plugins when it is made.
        let is_plugin_manager =
            last.contains("Plugin") && (last.ends_with("Manager") || last.ends_with("Registry"));
        is_plugin_manager.then(|| format!("instantiates `{last}`, which loads plugins"))
    });
    let Some(effect) = effect else {
        return;
    };
    if !is_library_module(cx) {
        return;
    }
    cx.report(
        call.range(),
        format!(
            "importing this library module {effect}: move `{}` into a function the application calls (or cache it with `functools.cache`)",
            call.name()
        ),
    );
}

/// `threading.Thread(...).start()` / `threading.Timer(...).start()`.
fn starts_thread(call: &CallSite, cx: &FileContext) -> Option<String> {
    let Expr::Call(constructor) = call.receiver()? else {
        return None;
    };
    let name = cx.qualified_name(&constructor.func)?;
    matches!(
        name.as_str(),
        "threading.Thread" | "threading.Timer" | "multiprocessing.Process"
    )
    .then(|| "starts a thread or process".to_string())
}

/// `logger.addHandler(handler)` with anything but a `NullHandler`.
fn adds_handler(call: &CallSite) -> Option<String> {
    let handler = call.arg(0)?;
    let null = match handler {
        Expr::Call(inner) => {
            matches!(&*inner.func, Expr::Attribute(a) if a.attr.as_str() == "NullHandler")
                || matches!(&*inner.func, Expr::Name(n) if n.id.as_str() == "NullHandler")
        }
        _ => false,
    };
    (!null).then(|| {
        "attaches a log handler (only `logging.NullHandler` belongs in a library)".to_string()
    })
}

/// `os.environ["X"] = …` at import.
fn check_assignment(stmt: &Stmt, cx: &mut FileContext) {
    if !runs_at_import(cx) {
        return;
    }
    let targets: &[Expr] = match stmt {
        Stmt::Assign(assign) => &assign.targets,
        Stmt::AugAssign(assign) => std::slice::from_ref(&*assign.target),
        _ => return,
    };
    for target in targets {
        let Expr::Subscript(subscript) = target else {
            continue;
        };
        if cx.qualified_name(&subscript.value).as_deref() == Some("os.environ")
            && is_library_module(cx)
        {
            cx.report(
                target.range(),
                "importing this library module changes `os.environ`: environment settings are the application's decision; pass configuration explicitly",
            );
        }
    }
}
