//! The project call graph: every function and method of the project by its dotted path, the
//! calls each one makes with their targets resolved by qualified name (through `__init__`
//! re-exports), and `self.m()` looked up in the class and then in its project bases. It
//! answers what the concurrency chapter asks across modules: which synchronous functions
//! end in a blocking call, and by which chain.

use rustc_hash::FxHashMap;

use super::Project;
use archlint_facts::{CallFact, DefinitionKind, ModuleFacts};

/// A function or method of the project.
#[derive(Debug)]
pub struct Function {
    pub module: usize,
    pub qualname: String,
    pub is_async: bool,
    pub line: usize,
}

/// What a synchronous function's shortest way to a blocking call is.
#[derive(Clone, Debug)]
pub enum Blocking {
    /// It calls the blocking API itself (the call and its rule).
    Direct {
        call: usize,
        api: String,
        code: &'static str,
    },
    /// It calls a project function that blocks.
    Through { call: usize, callee: usize },
}

/// A way from a function to an API it reaches ([`crate::Project::route`]).
#[derive(Clone, Debug)]
pub struct Route {
    /// The call in the first function that leads on: an index into its module's calls.
    pub first_call: usize,
    /// The functions passed through, each as `` `name` (path:line of the call to it) ``.
    pub through: Vec<String>,
    pub api: String,
    /// Where the API is called: `path:line`.
    pub api_at: String,
    /// The code of the rule that names the API.
    pub code: &'static str,
}

/// The blocking APIs the graph traces calls to: qualified name → the code of the rule that
/// names it. The caller builds it from the rules.
pub type BlockingApis = FxHashMap<&'static str, &'static str>;

#[derive(Debug, Default)]
pub struct CallGraph {
    pub functions: Vec<Function>,
    index: FxHashMap<String, usize>,
    /// Each function's calls, as indices into its module's `calls`.
    calls_of: Vec<Vec<usize>>,
    /// The resolved callee of each of those calls (`None` outside the project).
    callees: Vec<Vec<Option<usize>>>,
    /// For synchronous functions that block, how.
    pub blocking: Vec<Option<Blocking>>,
}

impl CallGraph {
    pub fn build(project: &Project) -> CallGraph {
        let modules = project.modules;
        let mut graph = CallGraph::default();
        let mut bases: FxHashMap<String, Vec<String>> = FxHashMap::default();
        // Each module's functions by qualified name, as the dotted path finds them: a caller
        // is looked up without building its dotted path again.
        let mut local: Vec<FxHashMap<&str, usize>> = vec![FxHashMap::default(); modules.len()];
        for (index, facts) in modules.iter().enumerate() {
            let Some(module) = facts.module.as_deref() else {
                continue;
            };
            if facts.path.extension().is_some_and(|e| e == "pyi") {
                continue;
            }
            for definition in &facts.definitions {
                let is_async = match definition.kind {
                    DefinitionKind::AsyncFunction | DefinitionKind::AsyncMethod => true,
                    DefinitionKind::Function | DefinitionKind::Method => false,
                    DefinitionKind::Class => {
                        let resolved = definition
                            .bases
                            .iter()
                            .map(|b| resolve_local(facts, module, b))
                            .collect();
                        bases.insert(format!("{module}.{}", definition.qualname), resolved);
                        continue;
                    }
                    DefinitionKind::Variable | DefinitionKind::Attribute => continue,
                };
                let path = format!("{module}.{}", definition.qualname);
                let found = *graph.index.entry(path).or_insert(graph.functions.len());
                if found == graph.functions.len() {
                    local[index].insert(&definition.qualname, found);
                }
                graph.functions.push(Function {
                    module: index,
                    qualname: definition.qualname.clone(),
                    is_async,
                    line: definition.line,
                });
            }
        }
        graph.calls_of = vec![Vec::new(); graph.functions.len()];
        for (index, facts) in modules.iter().enumerate() {
            for (call_index, call) in facts.calls.iter().enumerate() {
                if let Some(&caller) = local[index].get(call.caller.as_str()) {
                    graph.calls_of[caller].push(call_index);
                }
            }
        }
        graph.callees = (0..graph.functions.len())
            .map(|f| {
                let facts = &modules[graph.functions[f].module];
                graph.calls_of[f]
                    .iter()
                    .map(|&c| graph.resolve(project, &bases, &facts.calls[c]))
                    .collect()
            })
            .collect();
        graph.blocking = graph.find_blocking(modules, &project.blocking_apis);
        graph
    }

    /// The project function a call reaches, if any.
    fn resolve(
        &self,
        project: &Project,
        bases: &FxHashMap<String, Vec<String>>,
        call: &CallFact,
    ) -> Option<usize> {
        let target = call.target.as_deref()?;
        if call.on_self {
            let (class, method) = target.rsplit_once('.')?;
            let mut classes = vec![class];
            let mut candidate = String::new();
            let mut seen = 0;
            while seen < classes.len() && seen < 32 {
                candidate.clear();
                candidate.extend([classes[seen], ".", method]);
                if let Some(&f) = self.index.get(&candidate) {
                    return Some(f);
                }
                classes.extend(
                    bases
                        .get(classes[seen])
                        .into_iter()
                        .flatten()
                        .map(String::as_str),
                );
                seen += 1;
            }
            return None;
        }
        let mut target = std::borrow::Cow::Borrowed(target);
        // Follow re-exports: `pkg.helper` bound in `pkg/__init__.py` by `from .util import helper`.
        for _ in 0..8 {
            if let Some(&f) = self.index.get(target.as_ref()) {
                return Some(f);
            }
            // A class called is its `__init__` (not a coroutine, rarely blocking): stop.
            let (owner, name) = target.rsplit_once('.')?;
            let node = project.graph.find(owner)?;
            let facts = &project.modules[project.graph.nodes[node].facts?];
            let import = facts
                .imports
                .iter()
                .find(|i| i.bound_as.as_deref() == Some(name) && i.member.is_some())?;
            target = format!("{}.{}", import.module, import.member.as_deref()?).into();
        }
        None
    }

    /// Multi-source breadth-first search backwards from the functions that call a blocking
    /// API, through synchronous callers: each gets its shortest way to a blocking call.
    fn find_blocking(&self, modules: &[ModuleFacts], apis: &BlockingApis) -> Vec<Option<Blocking>> {
        self.find_reaching(modules, &|callee| apis.get(callee).copied(), false)
    }

    /// Each function's shortest way to a call of an API `api` recognises (giving the code
    /// shown with it), through callers of any kind, coroutines included: the network calls a
    /// test reaches through the project's helpers.
    pub fn reaching(
        &self,
        modules: &[ModuleFacts],
        api: &dyn Fn(&str) -> Option<&'static str>,
    ) -> Vec<Option<Blocking>> {
        self.find_reaching(modules, api, true)
    }

    /// Multi-source breadth-first search backwards from the functions that call an API
    /// `api` recognises, through synchronous callers (and coroutines too when
    /// `through_async`).
    fn find_reaching(
        &self,
        modules: &[ModuleFacts],
        api: &dyn Fn(&str) -> Option<&'static str>,
        through_async: bool,
    ) -> Vec<Option<Blocking>> {
        let mut blocking: Vec<Option<Blocking>> = vec![None; self.functions.len()];
        let mut callers: Vec<Vec<(usize, usize)>> = vec![Vec::new(); self.functions.len()];
        let mut queue = std::collections::VecDeque::new();
        let skipped = |f: &Function| f.is_async && !through_async;
        for (f, function) in self.functions.iter().enumerate() {
            let facts = &modules[function.module];
            for (position, &c) in self.calls_of[f].iter().enumerate() {
                if let Some(callee) = self.callees[f][position] {
                    callers[callee].push((f, c));
                }
                if skipped(function) || blocking[f].is_some() {
                    continue;
                }
                if let Some(code) = api(facts.calls[c].callee.as_str()) {
                    blocking[f] = Some(Blocking::Direct {
                        call: c,
                        api: facts.calls[c].callee.clone(),
                        code,
                    });
                    queue.push_back(f);
                }
            }
        }
        while let Some(callee) = queue.pop_front() {
            for &(caller, call) in &callers[callee] {
                if skipped(&self.functions[caller]) || blocking[caller].is_some() {
                    continue;
                }
                blocking[caller] = Some(Blocking::Through { call, callee });
                queue.push_back(caller);
            }
        }
        blocking
    }

    /// The calls a function makes, with the project function each reaches.
    pub fn calls(&self, function: usize) -> impl Iterator<Item = (usize, Option<usize>)> + '_ {
        self.calls_of[function]
            .iter()
            .copied()
            .zip(self.callees[function].iter().copied())
    }
}

/// A base class as written in a module, as a project path (`Base` → `pkg.mod.Base`).
fn resolve_local(facts: &ModuleFacts, module: &str, base: &str) -> String {
    let head = base.split('.').next().unwrap_or(base);
    let imported = facts
        .imports
        .iter()
        .any(|i| i.bound_as.as_deref() == Some(head));
    if base.contains('.') || imported {
        base.to_string()
    } else {
        format!("{module}.{base}")
    }
}
