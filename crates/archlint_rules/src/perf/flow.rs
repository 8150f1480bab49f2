//! What the performance rules ask about the code around a node: the loop that repeats it, the
//! statement that last bound a name before it, what kind of value a name holds there (a list
//! display, a `dict()`, a parameter annotated `str`), and whether a loop body rebinds or
//! changes a name. All of it is lexical and local to one function (or the module body): a
//! rule that cannot tell gets `None` and stays silent.

use ruff_python_ast::statement_visitor::{self, StatementVisitor};
use ruff_python_ast::visitor::{self, Visitor};
use ruff_python_ast::{self as ast, Expr, Stmt};
use ruff_text_size::{Ranged, TextRange, TextSize};

use crate::FileContext;
use crate::run::thread_safety::is_changing_method;
use archlint_facts::blocks::block_range;
use archlint_facts::literal;
use archlint_facts::names::{names_bound_in, target_names};

/// The innermost `for`/`while` loop that runs `at` once per iteration, in the function (or
/// module body) the walk is in: `at` is in the loop's body or in a `while` test, not in its
/// `else:` or in the iterable of a `for`, which run once.
pub fn enclosing_loop<'a>(cx: &FileContext<'a>, at: TextRange) -> Option<&'a Stmt> {
    for &stmt in cx.stmt_parents.iter().rev() {
        match stmt {
            Stmt::FunctionDef(_) | Stmt::ClassDef(_) => return None,
            Stmt::For(for_stmt) if contains(&for_stmt.body, at) => return Some(stmt),
            Stmt::While(while_stmt)
                if while_stmt.test.range().contains_range(at) || contains(&while_stmt.body, at) =>
            {
                return Some(stmt);
            }
            _ => {}
        }
    }
    None
}

fn contains(body: &[Stmt], at: TextRange) -> bool {
    block_range(body).is_some_and(|range| range.contains_range(at))
}

/// The body of a `for` or `while` statement.
pub fn loop_body(stmt: &Stmt) -> &[Stmt] {
    match stmt {
        Stmt::For(for_stmt) => &for_stmt.body,
        Stmt::While(while_stmt) => &while_stmt.body,
        _ => &[],
    }
}

/// Whether a comprehension around `at` repeats it: `at` is in the element, a condition, or
/// the iterable of a `for` after the first (the first iterable is evaluated once).
pub fn in_comprehension(cx: &FileContext, at: TextRange) -> bool {
    cx.expr_parents.iter().any(|expr| {
        let (elements, generators): (Vec<&Expr>, &[ast::Comprehension]) = match expr {
            Expr::ListComp(c) => (vec![&*c.elt], &c.generators),
            Expr::SetComp(c) => (vec![&*c.elt], &c.generators),
            Expr::Generator(c) => (vec![&*c.elt], &c.generators),
            Expr::DictComp(c) => (
                c.key.iter().map(|k| &**k).chain([&*c.value]).collect(),
                &c.generators,
            ),
            _ => return false,
        };
        elements.iter().any(|e| e.range().contains_range(at))
            || generators.iter().enumerate().any(|(index, generator)| {
                generator.ifs.iter().any(|c| c.range().contains_range(at))
                    || (index > 0 && generator.iter.range().contains_range(at))
            })
    })
}

/// The statements of the function the walk is in, or the module's.
pub fn scope_body<'a>(cx: &FileContext<'a>) -> &'a [Stmt] {
    match cx.enclosing_function() {
        Some(function) => &function.body,
        None => cx.module_body,
    }
}

/// How a statement binds a name.
#[derive(Clone, Copy)]
pub enum Binding<'a> {
    /// `name = value` or `name: annotation = value`.
    Value {
        value: &'a Expr,
        annotation: Option<&'a Expr>,
    },
    /// `name: annotation`, without a value.
    Annotation(&'a Expr),
    /// Anything else: a loop target, unpacking, `with … as`, augmented assignment, import,
    /// `def`, `del`.
    Other,
}

/// The last statement of `body` that binds `name` and starts before `before` (nested blocks
/// included, nested functions and classes not), with how it binds it.
pub fn last_binding_before<'a>(
    body: &'a [Stmt],
    name: &str,
    before: TextSize,
) -> Option<(Binding<'a>, &'a Stmt)> {
    struct Finder<'a, 'n> {
        name: &'n str,
        before: TextSize,
        last: Option<(Binding<'a>, &'a Stmt)>,
    }
    impl<'a> StatementVisitor<'a> for Finder<'a, '_> {
        fn visit_stmt(&mut self, stmt: &'a Stmt) {
            if stmt.start() >= self.before {
                return;
            }
            if let Some(binding) = binds(stmt, self.name) {
                self.last = Some((binding, stmt));
            }
            if !matches!(stmt, Stmt::FunctionDef(_) | Stmt::ClassDef(_)) {
                statement_visitor::walk_stmt(self, stmt);
            }
        }
    }
    let mut finder = Finder {
        name,
        before,
        last: None,
    };
    finder.visit_body(body);
    finder.last
}

/// The first statement of `body` (nested blocks included, nested scopes not) that binds
/// `name`.
pub fn first_binding<'a>(body: &'a [Stmt], name: &str) -> Option<&'a Stmt> {
    struct Finder<'a, 'n> {
        name: &'n str,
        first: Option<&'a Stmt>,
    }
    impl<'a> StatementVisitor<'a> for Finder<'a, '_> {
        fn visit_stmt(&mut self, stmt: &'a Stmt) {
            if self.first.is_some() {
                return;
            }
            if binds(stmt, self.name).is_some() {
                self.first = Some(stmt);
                return;
            }
            if !matches!(stmt, Stmt::FunctionDef(_) | Stmt::ClassDef(_)) {
                statement_visitor::walk_stmt(self, stmt);
            }
        }
    }
    let mut finder = Finder { name, first: None };
    finder.visit_body(body);
    finder.first
}

/// How `stmt` itself (not the blocks it holds) binds `name`, if it does.
fn binds<'a>(stmt: &'a Stmt, name: &str) -> Option<Binding<'a>> {
    let is_name = |e: &Expr| matches!(e, Expr::Name(n) if n.id.as_str() == name);
    let in_target = |e: &'a Expr| {
        let mut names = rustc_hash::FxHashSet::default();
        target_names(e, &mut names);
        names.contains(name)
    };
    match stmt {
        Stmt::Assign(assign) => {
            // `a = b = []` binds both names to the same value.
            if assign.targets.iter().any(is_name) {
                return Some(Binding::Value {
                    value: &assign.value,
                    annotation: None,
                });
            }
            assign
                .targets
                .iter()
                .any(in_target)
                .then_some(Binding::Other)
        }
        Stmt::AnnAssign(assign) if is_name(&assign.target) => Some(match &assign.value {
            Some(value) => Binding::Value {
                value,
                annotation: Some(&assign.annotation),
            },
            None => Binding::Annotation(&assign.annotation),
        }),
        Stmt::AugAssign(assign) => is_name(&assign.target).then_some(Binding::Other),
        Stmt::For(for_stmt) => in_target(&for_stmt.target).then_some(Binding::Other),
        Stmt::With(with) => with
            .items
            .iter()
            .filter_map(|item| item.optional_vars.as_deref())
            .any(in_target)
            .then_some(Binding::Other),
        Stmt::Delete(delete) => delete.targets.iter().any(is_name).then_some(Binding::Other),
        Stmt::FunctionDef(def) => (def.name.as_str() == name).then_some(Binding::Other),
        Stmt::ClassDef(class) => (class.name.as_str() == name).then_some(Binding::Other),
        Stmt::Import(_) | Stmt::ImportFrom(_) => names_bound_in(std::slice::from_ref(stmt))
            .contains(name)
            .then_some(Binding::Other),
        Stmt::Try(try_stmt) => try_stmt
            .handlers
            .iter()
            .any(|handler| {
                let ast::ExceptHandler::ExceptHandler(handler) = handler;
                handler.name.as_ref().is_some_and(|n| n.as_str() == name)
            })
            .then_some(Binding::Other),
        _ => None,
    }
}

/// What a value is, as far as the expression that builds it says.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    List,
    Tuple,
    Dict,
    Set,
    Str,
    Bytes,
    /// `collections.deque`, `bytearray`, `array.array`: sequences with cheap operations at
    /// the front or in place.
    OtherContainer,
}

/// The kind of value `value` builds: a display, a comprehension, a literal, or a call of a
/// constructor (or of a function known to return a list). `None` when the expression does
/// not say (a call of anything else, a name, an attribute).
pub fn value_kind(value: &Expr, cx: &FileContext) -> Option<Kind> {
    Some(match value {
        Expr::List(_) | Expr::ListComp(_) => Kind::List,
        Expr::Tuple(_) => Kind::Tuple,
        Expr::Dict(_) | Expr::DictComp(_) => Kind::Dict,
        Expr::Set(_) | Expr::SetComp(_) => Kind::Set,
        Expr::StringLiteral(_) | Expr::FString(_) => Kind::Str,
        Expr::BytesLiteral(_) => Kind::Bytes,
        Expr::Call(call) => return call_kind(call, cx),
        _ => return None,
    })
}

fn call_kind(call: &ast::ExprCall, cx: &FileContext) -> Option<Kind> {
    if let Some(name) = cx.qualified_name(&call.func) {
        let kind = match name.as_str() {
            "list" | "sorted" | "re.split" | "re.findall" | "shlex.split" => Kind::List,
            "tuple" => Kind::Tuple,
            "dict" => Kind::Dict,
            "set" | "frozenset" => Kind::Set,
            "str" => Kind::Str,
            "bytes" => Kind::Bytes,
            "collections.deque" | "bytearray" | "array.array" => Kind::OtherContainer,
            "collections.OrderedDict" | "collections.defaultdict" | "collections.Counter" => {
                Kind::OtherContainer
            }
            _ if cx.imported_name(&call.func).is_some() => return None,
            _ => return method_kind(call),
        };
        return Some(kind);
    }
    method_kind(call)
}

/// `text.split(",")` and its kin, on a receiver that is not a module: lists of strings.
fn method_kind(call: &ast::ExprCall) -> Option<Kind> {
    let Expr::Attribute(attribute) = call.func.as_ref() else {
        return None;
    };
    matches!(
        attribute.attr.as_str(),
        "split" | "rsplit" | "splitlines" | "readlines"
    )
    .then_some(Kind::List)
}

/// The kind an annotation declares: `list`, `List[int]`, `dict[str, int]`, `str`, `bytes`.
pub fn annotation_kind(annotation: &Expr, cx: &FileContext) -> Option<Kind> {
    let head = match annotation {
        Expr::Subscript(subscript) => &*subscript.value,
        other => other,
    };
    let name = match head {
        Expr::StringLiteral(literal) => literal.value.to_str().to_string(),
        other => cx.qualified_name(other)?,
    };
    Some(match name.as_str() {
        "list" | "typing.List" => Kind::List,
        "tuple" | "typing.Tuple" => Kind::Tuple,
        "dict" | "typing.Dict" => Kind::Dict,
        "set" | "typing.Set" => Kind::Set,
        "str" => Kind::Str,
        "bytes" => Kind::Bytes,
        _ => return None,
    })
}

/// The annotation of the parameter `name` of the innermost function, if `name` is one of its
/// parameters (`Some(None)` for an unannotated parameter).
pub fn parameter<'a>(cx: &FileContext<'a>, name: &str) -> Option<Option<&'a Expr>> {
    let function = cx.enclosing_function()?;
    function
        .parameters
        .iter()
        .find(|p| p.name().as_str() == name)
        .map(|p| p.annotation())
}

/// The kind of value the plain name `name` holds just before `before` in the function (or
/// module) the walk is in: from the last statement that binds it there, else from its
/// parameter annotation, else from the enclosing scope that binds it (a closure variable, a
/// module constant).
pub fn name_kind(cx: &FileContext, name: &str, before: TextSize) -> Option<Kind> {
    match last_binding_before(scope_body(cx), name, before) {
        Some((Binding::Value { value, annotation }, _)) => annotation
            .and_then(|a| annotation_kind(a, cx))
            .or_else(|| value_kind(value, cx)),
        Some((Binding::Annotation(annotation), _)) => annotation_kind(annotation, cx),
        Some((Binding::Other, _)) => None,
        None => match parameter(cx, name) {
            Some(annotation) => annotation.and_then(|a| annotation_kind(a, cx)),
            None if cx.enclosing_function().is_some() => {
                cx.local_value(name).and_then(|v| value_kind(v, cx))
            }
            None => None,
        },
    }
}

/// The value `self.<attr>` gets in the enclosing class's `__init__`.
pub fn init_value<'a>(cx: &FileContext<'a>, attr: &str) -> Option<&'a Expr> {
    let class = cx.classes.last()?;
    let init = archlint_facts::blocks::function_in(&class.body, "__init__")?;
    init.body.iter().find_map(|stmt| {
        let (target, value) = match stmt {
            Stmt::Assign(assign) if assign.targets.len() == 1 => {
                (&assign.targets[0], &*assign.value)
            }
            Stmt::AnnAssign(ast::StmtAnnAssign {
                target,
                value: Some(value),
                ..
            }) => (&**target, &**value),
            _ => return None,
        };
        is_self_attribute(target, attr).then_some(value)
    })
}

/// `self.<attr>`.
pub fn is_self_attribute(expr: &Expr, attr: &str) -> bool {
    matches!(expr, Expr::Attribute(a) if a.attr.as_str() == attr
        && matches!(a.value.as_ref(), Expr::Name(n) if n.id.as_str() == "self"))
}

/// Whether `expr` reads the plain name `name` anywhere.
pub fn mentions(expr: &Expr, name: &str) -> bool {
    ruff_python_ast::helpers::any_over_expr(
        expr,
        |e| matches!(e, Expr::Name(n) if n.id.as_str() == name),
    )
}

/// Whether `stmt` reads the plain name `name` anywhere (nested functions included).
pub fn mentions_stmt(stmt: &Stmt, name: &str) -> bool {
    ruff_python_ast::helpers::any_over_body(
        std::slice::from_ref(stmt),
        |e| matches!(e, Expr::Name(n) if n.id.as_str() == name),
    )
}

/// The block (list of statements) that holds the statement at `at` directly: the body of the
/// function, class or compound statement the walk is in, or the module's.
pub fn block_of<'a>(cx: &FileContext<'a>, at: TextRange) -> &'a [Stmt] {
    match cx.stmt_parents.last() {
        None => cx.module_body,
        Some(Stmt::FunctionDef(def)) => &def.body,
        Some(Stmt::ClassDef(class)) => &class.body,
        Some(parent) => archlint_facts::blocks::block_containing(parent, at).unwrap_or(&[]),
    }
}

/// Whether `body` (nested functions and classes excluded) binds `name` again: an assignment,
/// a loop target, `with … as`, `del`, a walrus, except in the statements `allowed` accepts.
pub fn rebinds(body: &[Stmt], name: &str, allowed: &dyn Fn(&Stmt) -> bool) -> bool {
    struct Finder<'n, 'f> {
        name: &'n str,
        allowed: &'f dyn Fn(&Stmt) -> bool,
        found: bool,
    }
    impl Visitor<'_> for Finder<'_, '_> {
        fn visit_stmt(&mut self, stmt: &Stmt) {
            if self.found || (self.allowed)(stmt) {
                return;
            }
            match stmt {
                Stmt::FunctionDef(def) => self.found |= def.name.as_str() == self.name,
                Stmt::ClassDef(class) => self.found |= class.name.as_str() == self.name,
                Stmt::Import(_) | Stmt::ImportFrom(_) => {
                    self.found |= names_bound_in(std::slice::from_ref(stmt)).contains(self.name);
                }
                _ => visitor::walk_stmt(self, stmt),
            }
        }
        fn visit_expr(&mut self, expr: &Expr) {
            match expr {
                Expr::Name(n) if !n.ctx.is_load() && n.id.as_str() == self.name => {
                    self.found = true;
                }
                Expr::Lambda(_) => {}
                _ => visitor::walk_expr(self, expr),
            }
        }
    }
    let mut finder = Finder {
        name,
        allowed,
        found: false,
    };
    finder.visit_body(body);
    finder.found
}

/// Whether `body` (nested functions and classes excluded) changes the container `name` in
/// place: a mutating method (`append`, `pop`, `sort`, …), an item or slice stored or
/// deleted, or an augmented assignment.
pub fn mutates(body: &[Stmt], name: &str) -> bool {
    struct Finder<'n> {
        name: &'n str,
        found: bool,
    }
    impl Finder<'_> {
        fn is_target(&self, expr: &Expr) -> bool {
            matches!(expr, Expr::Name(n) if n.id.as_str() == self.name)
        }
    }
    impl Visitor<'_> for Finder<'_> {
        fn visit_stmt(&mut self, stmt: &Stmt) {
            match stmt {
                Stmt::FunctionDef(_) | Stmt::ClassDef(_) => {}
                Stmt::AugAssign(assign) if self.is_target(&assign.target) => self.found = true,
                _ => visitor::walk_stmt(self, stmt),
            }
        }
        fn visit_expr(&mut self, expr: &Expr) {
            match expr {
                Expr::Call(call) => {
                    if let Expr::Attribute(attribute) = call.func.as_ref()
                        && self.is_target(&attribute.value)
                        && is_changing_method(attribute.attr.as_str())
                    {
                        self.found = true;
                    }
                }
                Expr::Subscript(subscript)
                    if !subscript.ctx.is_load() && self.is_target(&subscript.value) =>
                {
                    self.found = true;
                }
                Expr::Lambda(_) => return,
                _ => {}
            }
            visitor::walk_expr(self, expr);
        }
    }
    let mut finder = Finder { name, found: false };
    finder.visit_body(body);
    finder.found
}

/// Whether any of `names` is read after `after` in `body` before being bound again, in the
/// order the code runs (an assignment's value before its targets, a `for` iterable before its
/// target): the names a loop leaves behind are still in use. Functions defined later that
/// read the names without binding them count as reads; comprehensions that bind them do not.
pub fn read_after(body: &[Stmt], names: &[&str], after: TextSize) -> bool {
    struct Finder<'n> {
        after: TextSize,
        /// The names not yet read nor rebound.
        open: Vec<&'n str>,
        read: bool,
    }
    impl Finder<'_> {
        fn event(&mut self, name: &str, load: bool) {
            if let Some(index) = self.open.iter().position(|n| *n == name) {
                self.open.remove(index);
                self.read |= load;
            }
        }
    }
    impl<'a> Visitor<'a> for Finder<'_> {
        fn visit_stmt(&mut self, stmt: &'a Stmt) {
            if self.read || self.open.is_empty() || stmt.end() <= self.after {
                return;
            }
            match stmt {
                Stmt::FunctionDef(def) if def.start() >= self.after => {
                    let mut locals = names_bound_in(&def.body);
                    locals.extend(def.parameters.iter().map(|p| p.name().as_str()));
                    let open = self.open.clone();
                    self.open.retain(|n| !locals.contains(n));
                    self.visit_body(&def.body);
                    // A function body runs later, if at all: its reads count, nothing it
                    // does rebinds the names for the code after it.
                    self.open = open;
                }
                Stmt::FunctionDef(_) | Stmt::ClassDef(_) => {}
                Stmt::AugAssign(assign) => {
                    self.visit_expr(&assign.value);
                    if let Expr::Name(n) = assign.target.as_ref() {
                        self.event(n.id.as_str(), true);
                    } else {
                        self.visit_expr(&assign.target);
                    }
                }
                _ => visitor::walk_stmt(self, stmt),
            }
        }
        fn visit_expr(&mut self, expr: &'a Expr) {
            if self.read || expr.end() <= self.after {
                return;
            }
            match expr {
                Expr::Name(n) => self.event(n.id.as_str(), !n.ctx.is_store()),
                Expr::ListComp(_) | Expr::SetComp(_) | Expr::DictComp(_) | Expr::Generator(_) => {
                    let generators =
                        archlint_facts::names::comprehension_generators(expr).unwrap_or_default();
                    let mut bound = rustc_hash::FxHashSet::default();
                    for generator in generators.iter() {
                        target_names(&generator.target, &mut bound);
                    }
                    if let Some(first) = generators.first() {
                        self.visit_expr(&first.iter);
                    }
                    let open = self.open.clone();
                    self.open.retain(|n| !bound.contains(n));
                    for (index, generator) in generators.iter().enumerate() {
                        if index > 0 {
                            self.visit_expr(&generator.iter);
                        }
                        for condition in &generator.ifs {
                            self.visit_expr(condition);
                        }
                    }
                    match expr {
                        Expr::ListComp(c) => self.visit_expr(&c.elt),
                        Expr::SetComp(c) => self.visit_expr(&c.elt),
                        Expr::Generator(c) => self.visit_expr(&c.elt),
                        Expr::DictComp(c) => {
                            if let Some(key) = &c.key {
                                self.visit_expr(key);
                            }
                            self.visit_expr(&c.value);
                        }
                        _ => {}
                    }
                    // The names the comprehension binds are its own: outside it they are
                    // as open as before.
                    let inside = std::mem::take(&mut self.open);
                    self.open = open
                        .into_iter()
                        .filter(|n| bound.contains(n) || inside.contains(n))
                        .collect();
                }
                Expr::Lambda(lambda) => {
                    let params: Vec<&str> = lambda
                        .parameters
                        .iter()
                        .flat_map(|p| p.iter())
                        .map(|p| p.name().as_str())
                        .collect();
                    let open = self.open.clone();
                    self.open.retain(|n| !params.contains(n));
                    self.visit_expr(&lambda.body);
                    // A lambda runs later, if at all: its reads count, nothing it does
                    // rebinds the names outside it.
                    self.open = open;
                }
                _ => visitor::walk_expr(self, expr),
            }
        }
    }
    let mut finder = Finder {
        after,
        open: names.to_vec(),
        read: false,
    };
    finder.visit_body(body);
    finder.read
}

/// How a key is used on a container.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyAccess {
    /// `c[k] = v`, `c.setdefault(k, v)`.
    Store,
    /// `c[k]`, `c.get(k)`: the value is read.
    Read,
    /// `k in c`, `k not in c`.
    Membership,
}

/// A key used on a container: the container as written, the key expression, the access.
pub type KeyUse<'a> = (String, &'a Expr, KeyAccess);

/// Every key expression `body` uses on a container (nested functions excluded).
pub fn key_uses(body: &[Stmt]) -> Vec<KeyUse<'_>> {
    struct Finder<'a> {
        uses: Vec<KeyUse<'a>>,
    }
    impl<'a> Visitor<'a> for Finder<'a> {
        fn visit_stmt(&mut self, stmt: &'a Stmt) {
            if !matches!(stmt, Stmt::FunctionDef(_) | Stmt::ClassDef(_)) {
                visitor::walk_stmt(self, stmt);
            }
        }
        fn visit_expr(&mut self, expr: &'a Expr) {
            match expr {
                Expr::Subscript(subscript) => {
                    if let Some(container) = literal::dotted(&subscript.value) {
                        let access = if subscript.ctx.is_store() {
                            KeyAccess::Store
                        } else {
                            KeyAccess::Read
                        };
                        self.uses.push((container, &subscript.slice, access));
                    }
                }
                Expr::Compare(compare) => {
                    let mut left = &*compare.left;
                    for (op, right) in compare.ops.iter().zip(compare.comparators.iter()) {
                        if matches!(op, ast::CmpOp::In | ast::CmpOp::NotIn)
                            && let Some(container) = literal::dotted(right)
                        {
                            self.uses.push((container, left, KeyAccess::Membership));
                        }
                        left = right;
                    }
                }
                Expr::Call(call) => {
                    if let Expr::Attribute(attribute) = call.func.as_ref()
                        && let Some(container) = literal::dotted(&attribute.value)
                        && let Some(key) = call.arguments.args.first()
                    {
                        match attribute.attr.as_str() {
                            "get" => self.uses.push((container, key, KeyAccess::Read)),
                            "setdefault" => self.uses.push((container, key, KeyAccess::Store)),
                            _ => {}
                        }
                    }
                }
                _ => {}
            }
            visitor::walk_expr(self, expr);
        }
    }
    let mut finder = Finder { uses: Vec::new() };
    finder.visit_body(body);
    finder.uses
}
