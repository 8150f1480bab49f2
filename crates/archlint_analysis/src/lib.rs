//! Project-wide analyses, computed once from the facts of every module: the import graph with
//! its cycles, contracts and coupling, dead code, the call graph, dependencies, the audit, types.
//!
//! They never parse again, except annotation coverage and stubs (`types`), which read the
//! syntax itself. Rules with a `Project` hook read them through [`ProjectContext`]. The project
//! (and its import graph) is built only when such a rule runs, and each further analysis on
//! first use. The analyses never see the rules: what one must build is decided by its caller
//! (the blocking APIs the call graph traces come from [`Project::with_blocking_apis`]).

pub mod audit;
pub mod calls;
pub mod deadcode;
pub mod deps;
pub mod graph;
pub mod metrics;
pub mod types;

use std::path::Path;
use std::sync::OnceLock;

use archlint_facts::ModuleFacts;
use archlint_project::pyproject_file::PyprojectFile;
use archlint_project::settings::{ProjectOptions, RuleOptions};
use archlint_vocabulary::Rule;
use archlint_vocabulary::diagnostic::{Diagnostic, Location};
use graph::ImportGraph;
use graph::contracts::ContractReport;
use graph::cycles::{Cycle, CycleEdges};
use graph::metrics::PackageMetrics;
use ruff_text_size::TextRange;

/// The project as the analyses see it.
pub struct Project<'a> {
    pub modules: &'a [ModuleFacts],
    pub graph: ImportGraph,
    pub options: &'a ProjectOptions,
    pub rule_options: &'a RuleOptions,
    /// What the call graph traces blocking calls to; empty unless the caller gives it
    /// ([`Project::with_blocking_apis`]).
    pub blocking_apis: calls::BlockingApis,
    cycles: OnceLock<Vec<Cycle>>,
    contracts: OnceLock<Vec<ContractReport>>,
    metrics: OnceLock<Vec<PackageMetrics>>,
    deadcode: OnceLock<deadcode::DeadCode>,
    calls: OnceLock<calls::CallGraph>,
    pyproject: OnceLock<Option<PyprojectFile>>,
    dependencies: OnceLock<deps::Dependencies>,
}

/// An analysis of the whole project that rules share: built once, by the first to read it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Analysis {
    Cycles,
    Contracts,
    Metrics,
    DeadCode,
    CallGraph,
    Dependencies,
}

impl<'a> Project<'a> {
    pub fn new(
        modules: &'a [ModuleFacts],
        options: &'a ProjectOptions,
        rule_options: &'a RuleOptions,
    ) -> Project<'a> {
        Project {
            graph: ImportGraph::build(modules, rule_options.target.1),
            modules,
            options,
            rule_options,
            blocking_apis: calls::BlockingApis::default(),
            cycles: OnceLock::new(),
            contracts: OnceLock::new(),
            metrics: OnceLock::new(),
            deadcode: OnceLock::new(),
            calls: OnceLock::new(),
            pyproject: OnceLock::new(),
            dependencies: OnceLock::new(),
        }
    }

    /// Builds `analyses` side by side: the rules reading them then find them ready, rather
    /// than each waiting in turn for the one thread building the analysis it reads.
    pub fn prepare(&self, analyses: &[Analysis]) {
        use rayon::prelude::*;
        analyses.par_iter().for_each(|analysis| match analysis {
            Analysis::Cycles => _ = self.cycles(),
            Analysis::Contracts => _ = self.contracts(),
            Analysis::Metrics => _ = self.metrics(),
            Analysis::DeadCode => _ = self.deadcode(),
            Analysis::CallGraph => _ = self.calls(),
            Analysis::Dependencies => _ = self.dependencies(),
        });
    }

    /// The import cycles, with the kinds of import the configuration counts.
    pub fn cycles(&self) -> &[Cycle] {
        self.cycles.get_or_init(|| {
            graph::cycles::find(
                &self.graph,
                CycleEdges {
                    lazy: !self.options.cycles_ignore_lazy,
                    dynamic: !self.options.cycles_ignore_dynamic,
                },
            )
        })
    }

    pub fn contracts(&self) -> &[ContractReport] {
        self.contracts.get_or_init(|| {
            let mut reports = graph::contracts::check(&self.graph, &self.options.contracts);
            if let Some(tach) = &self.options.tach {
                reports.extend(graph::tach::check(&self.graph, self.modules, tach));
            }
            reports
        })
    }

    pub fn metrics(&self) -> &[PackageMetrics] {
        self.metrics
            .get_or_init(|| graph::metrics::compute(&self.graph, self.modules))
    }

    pub fn deadcode(&self) -> &deadcode::DeadCode {
        self.deadcode.get_or_init(|| deadcode::find(self))
    }

    pub fn calls(&self) -> &calls::CallGraph {
        self.calls.get_or_init(|| calls::CallGraph::build(self))
    }

    /// The project's `pyproject.toml`, when it has a readable one.
    pub fn pyproject(&self) -> Option<&PyprojectFile> {
        self.pyproject
            .get_or_init(|| {
                let path = self.root().join("pyproject.toml");
                PyprojectFile::read(&archlint_project::options::display_path(&path))
            })
            .as_ref()
    }

    /// The top-level packages and modules of the project (`app` for `app.views`).
    pub fn top_level_modules(&self) -> rustc_hash::FxHashSet<&str> {
        self.modules
            .iter()
            .filter_map(|m| m.module.as_deref())
            .map(|m| m.split('.').next().unwrap_or(m))
            .collect()
    }

    /// The project with its `pyproject.toml` already read (`None`: it has none).
    pub fn with_pyproject(self, file: Option<PyprojectFile>) -> Self {
        let _ = self.pyproject.set(file);
        self
    }

    /// The project with the blocking APIs its call graph traces to (from the rules that
    /// name them).
    pub fn with_blocking_apis(mut self, apis: calls::BlockingApis) -> Self {
        self.blocking_apis = apis;
        self
    }

    /// Declared and imported dependencies, compared.
    pub fn dependencies(&self) -> &deps::Dependencies {
        self.dependencies
            .get_or_init(|| deps::Dependencies::analyse(self))
    }

    /// The folder holding the configuration (entry points are read from its `pyproject.toml`).
    pub fn root(&self) -> &Path {
        &self.rule_options.root
    }

    /// A path as messages show it: relative to the project root.
    pub fn shown(&self, path: &Path) -> String {
        archlint_project::settings::relative_to(self.root(), path)
            .display()
            .to_string()
    }

    /// A chain of imports as text: ``` `a` → `b` (a.py:3) → `c` (b.py:7) ```.
    pub fn describe_chain(&self, chain: &[graph::Edge]) -> String {
        let nodes = &self.graph.nodes;
        let mut text = String::new();
        if let Some(first) = chain.first() {
            text.push_str(&format!("`{}`", nodes[first.from].name));
        }
        for edge in chain {
            let path = nodes[edge.from]
                .path
                .as_deref()
                .map(|p| self.shown(p))
                .unwrap_or_default();
            text.push_str(&format!(
                " → `{}` ({path}:{})",
                nodes[edge.to].name, edge.line
            ));
        }
        text
    }

    /// The way from function `from` to the API that `reach` (the graph's `blocking`, or what
    /// `CallGraph::reaching` found) says it reaches, as messages show it: the functions it
    /// passes through, each with the file and line of the call to it (the first `shown` of
    /// them), then the API and where it is called.
    pub fn route(
        &self,
        reach: &[Option<calls::Blocking>],
        from: usize,
        shown: usize,
    ) -> calls::Route {
        let graph = self.calls();
        let at = |function: &calls::Function, call: usize| {
            let module = &self.modules[function.module];
            format!("{}:{}", self.shown(&module.path), module.calls[call].line)
        };
        let mut step = from;
        let mut through = Vec::new();
        let mut first_call = None;
        loop {
            let current = &graph.functions[step];
            match reach[step].clone().expect("the route reaches the API") {
                calls::Blocking::Direct { call, api, code } => {
                    return calls::Route {
                        first_call: first_call.unwrap_or(call),
                        through,
                        api,
                        api_at: at(current, call),
                        code,
                    };
                }
                calls::Blocking::Through { call, callee } => {
                    first_call.get_or_insert(call);
                    if through.len() < shown {
                        through.push(format!(
                            "`{}` ({})",
                            graph.functions[callee].qualname,
                            at(current, call)
                        ));
                    }
                    step = callee;
                }
            }
        }
    }

    /// The file of a project module node.
    pub fn path_of(&self, node: usize) -> &Path {
        self.graph.nodes[node]
            .path
            .as_deref()
            .unwrap_or(Path::new("."))
    }
}

/// What a `Project` rule sees: the project, and where its findings go.
pub struct ProjectContext<'p, 'a> {
    pub project: &'p Project<'a>,
    /// The rule running now, set by the dispatcher: findings are reported under it.
    pub rule: Option<&'static Rule>,
    /// The findings so far, taken by the pipeline once the rules ran.
    pub diagnostics: Vec<Diagnostic>,
}

impl<'p, 'a> ProjectContext<'p, 'a> {
    pub fn new(project: &'p Project<'a>) -> Self {
        ProjectContext {
            project,
            rule: None,
            diagnostics: Vec::new(),
        }
    }

    /// Reports a finding of the running rule at a line and column of a file.
    pub fn report(&mut self, path: &Path, line: usize, column: usize, message: impl Into<String>) {
        let rule = self.rule.expect("a rule is running");
        let start = Location {
            line,
            column: column.max(1),
        };
        let mut diagnostic = Diagnostic::for_file(rule, path.to_path_buf(), message.into());
        diagnostic.start = start;
        diagnostic.end = start;
        self.diagnostics.push(diagnostic);
    }

    /// Like [`Self::report`], at another severity than the rule's (advice where the rule
    /// usually warns).
    pub fn report_with_severity(
        &mut self,
        path: &Path,
        line: usize,
        column: usize,
        severity: archlint_vocabulary::Severity,
        message: impl Into<String>,
    ) {
        self.report(path, line, column, message);
        if let Some(last) = self.diagnostics.last_mut() {
            last.severity = severity;
        }
    }

    /// Reports a finding at a range of the project's `pyproject.toml` (or another TOML file).
    pub fn report_in(
        &mut self,
        file: &PyprojectFile,
        range: TextRange,
        message: impl Into<String>,
    ) {
        let rule = self.rule.expect("a rule is running");
        self.diagnostics
            .push(file.diagnostic(rule, range, message.into()));
    }

    /// Like [`Self::report`], with how sure the finding is.
    pub fn report_rated(
        &mut self,
        path: &Path,
        line: usize,
        confidence: archlint_vocabulary::Confidence,
        message: impl Into<String>,
    ) {
        self.report(path, line, 1, message);
        if let Some(last) = self.diagnostics.last_mut() {
            last.confidence = Some(confidence);
        }
    }
}
