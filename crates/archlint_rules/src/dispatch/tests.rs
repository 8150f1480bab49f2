//! The facts the walk records: imports with their qualified names and kinds, definitions and
//! calls, checked on small modules.

use std::path::Path;

use archlint_facts::context::FileContext;
use archlint_facts::{DefinitionKind, ImportKind, ModuleFacts};
use archlint_project::settings::Settings;

use super::Dispatch;
use crate::registry;

fn facts(path: &str, source: &str) -> ModuleFacts {
    let settings = Settings::isolated(registry::catalogue(), Path::new("."), Some(&["SEC"]));
    let dispatch = Dispatch::for_rules(&settings.rules);
    let path = Path::new(path);
    let (module, is_package) = archlint_project::module_name::module_name(
        path,
        &[],
        archlint_project::module_name::has_init_file,
    );
    let Ok(parsed) = archlint_source::parse::parse(source) else {
        panic!("the test module does not parse");
    };
    let facts = ModuleFacts {
        path: path.to_path_buf(),
        module,
        is_package,
        ..ModuleFacts::default()
    };
    let mut cx = FileContext::new(path, source, parsed.tokens(), &settings.rule_options, facts);
    dispatch.run(parsed.syntax(), &mut cx);
    std::mem::take(&mut cx.facts)
}

/// The callee of each call, in source order.
fn callees(source: &str) -> Vec<String> {
    facts("m.py", source)
        .calls
        .into_iter()
        .map(|c| c.callee)
        .collect()
}

#[test]
fn imports_and_aliases_resolve_to_qualified_names() {
    let source = "\
import a.b as c
import os.path
from x import y as z
from subprocess import *
import importlib
m = importlib.import_module('json.decoder')
r = c.run
c.f()
os.path.join()
z()
r()
m.loads()
__import__('xml.dom').dom.minidom.parse()
";
    assert_eq!(
        callees(source),
        [
            "importlib.import_module",
            "a.b.f",
            "os.path.join",
            "x.y",
            "a.b.run",
            "json.decoder.loads",
            "xml.dom.minidom.parse",
            "__import__",
        ]
    );
}

#[test]
fn local_bindings_hide_imports() {
    let source = "\
import pickle

def f(pickle):
    pickle.loads()

def g():
    pickle.loads()
    pickle = None

def h():
    pickle.loads()

class C:
    pickle = 1
    def m(self):
        pickle.loads()

def k():
    global pickle
    pickle.loads()

[pickle.loads() for pickle in ()]
(lambda pickle: pickle.loads())
";
    let calls = callees(source);
    // Parameters, later assignments (local for the whole body) and comprehension or
    // lambda variables hide the module; class attributes do not reach methods.
    assert_eq!(
        calls,
        [
            ".loads",
            ".loads",
            "pickle.loads",
            "pickle.loads",
            "pickle.loads",
            ".loads",
            ".loads"
        ]
    );
}

#[test]
fn relative_imports_resolve_from_the_package() {
    let dir = tempfile::tempdir().unwrap();
    let package = dir.path().join("pkg").join("sub");
    std::fs::create_dir_all(&package).unwrap();
    std::fs::write(dir.path().join("pkg/__init__.py"), "").unwrap();
    std::fs::write(package.join("__init__.py"), "").unwrap();
    let source = "from . import sibling\nfrom ..top import name\nfrom .mod import f as g\n";
    let module = facts(package.join("mod.py").to_str().unwrap(), source);
    assert_eq!(module.module.as_deref(), Some("pkg.sub.mod"));
    let imported: Vec<(String, Option<String>)> = module
        .imports
        .iter()
        .map(|i| (i.module.clone(), i.member.clone()))
        .collect();
    assert_eq!(
        imported,
        [
            ("pkg.sub".to_string(), Some("sibling".to_string())),
            ("pkg.top".to_string(), Some("name".to_string())),
            ("pkg.sub.mod".to_string(), Some("f".to_string())),
        ]
    );
    let init = facts(
        package.join("__init__.py").to_str().unwrap(),
        "from .mod import f\n",
    );
    assert_eq!(init.imports[0].module, "pkg.sub.mod");
}

#[test]
fn import_kinds_and_definitions_are_recorded() {
    let source = "\
from typing import TYPE_CHECKING
if TYPE_CHECKING:
    import decimal
try:
    import ujson as json
except ImportError:
    import json

def lazy(a: int, b) -> None:
    import csv

class K(Base):
    @property
    def p(self) -> int: ...

__all__ = ['lazy', 'K']
";
    let module = facts("m.py", source);
    let kinds: Vec<(&str, ImportKind)> = module
        .imports
        .iter()
        .map(|i| (i.module.as_str(), i.kind))
        .collect();
    assert_eq!(
        kinds,
        [
            ("typing", ImportKind::Normal),
            ("decimal", ImportKind::TypeChecking),
            ("ujson", ImportKind::Conditional),
            ("json", ImportKind::Conditional),
            ("csv", ImportKind::Lazy),
        ]
    );
    let lazy = &module.definitions[0];
    assert_eq!(
        (
            lazy.qualname.as_str(),
            lazy.parameters,
            lazy.annotated_parameters,
            lazy.annotated_return
        ),
        ("lazy", 2, 1, true)
    );
    let class = &module.definitions[1];
    assert_eq!(
        (class.kind, class.bases.clone()),
        (DefinitionKind::Class, vec!["Base".to_string()])
    );
    let property = &module.definitions[2];
    assert_eq!(
        (
            property.kind,
            property.qualname.as_str(),
            property.decorators.clone(),
            property.parameters
        ),
        (
            DefinitionKind::Method,
            "K.p",
            vec!["property".to_string()],
            0
        )
    );
    assert_eq!(
        module.dunder_all,
        Some(vec!["lazy".to_string(), "K".to_string()])
    );
}
