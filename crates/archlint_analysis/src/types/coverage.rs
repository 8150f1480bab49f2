//! Annotation coverage and public-API completeness, from every module's typed surface.
//!
//! The public API is what a user of the package can import: names without a leading
//! underscore in modules without one, narrowed by `__all__` where a module has one, plus what
//! a package's `__init__` (or an explicit `import x as x`) re-exports from anywhere in the
//! project, private modules included. A public class brings its public methods and
//! attributes (dunders included). Test modules are never public.
//!
//! Completeness follows `pyright --verifytypes`: each public symbol is *known* (fully
//! annotated, or a constant whose literal value fixes its type), *partially known* (some
//! annotations missing) or *unknown* (none), with the reason for each one not known.

use rustc_hash::FxHashMap;
use serde::Serialize;

use super::api::{
    AllPart, Annotation, AttributeType, ModuleApi, Signature, SymbolKind, TypeIgnores, resolve_all,
};

/// An annotated share: how many of `total` are annotated.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Ratio {
    pub annotated: usize,
    pub total: usize,
}

impl Ratio {
    /// The share in percent; `None` when there is nothing to count.
    pub fn percent(self) -> Option<f64> {
        (self.total > 0).then(|| 100.0 * self.annotated as f64 / self.total as f64)
    }

    fn count(&mut self, annotated: bool) {
        self.total += 1;
        self.annotated += usize::from(annotated);
    }

    fn add(&mut self, other: Ratio) {
        self.annotated += other.annotated;
        self.total += other.total;
    }
}

impl Serialize for Ratio {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut state = serializer.serialize_struct("Ratio", 3)?;
        state.serialize_field("annotated", &self.annotated)?;
        state.serialize_field("total", &self.total)?;
        state.serialize_field("percent", &self.percent().map(round1))?;
        state.end()
    }
}

fn round1(value: f64) -> f64 {
    (value * 10.0).round() / 10.0
}

/// The four coverage measures of one view (public API or everything).
#[derive(Clone, Copy, Debug, Default, Serialize)]
pub struct Coverage {
    /// Functions and methods with every parameter and the return annotated.
    pub functions: Ratio,
    pub parameters: Ratio,
    pub returns: Ratio,
    /// Module and class attributes with an annotation.
    pub attributes: Ratio,
    /// Parameters and returns annotated `Any`.
    pub any: usize,
}

impl Coverage {
    fn add(&mut self, other: &Coverage) {
        self.functions.add(other.functions);
        self.parameters.add(other.parameters);
        self.returns.add(other.returns);
        self.attributes.add(other.attributes);
        self.any += other.any;
    }

    fn count(&mut self, kind: &SymbolKind) {
        match kind {
            SymbolKind::Function(signature) => {
                self.functions.count(signature.is_complete());
                for parameter in &signature.parameters {
                    self.parameters
                        .count(parameter.annotation != Annotation::Missing);
                    self.any += usize::from(parameter.annotation == Annotation::Any);
                }
                if signature.return_counts() {
                    self.returns.count(signature.returns != Annotation::Missing);
                }
                self.any += usize::from(signature.returns == Annotation::Any);
            }
            SymbolKind::Attribute {
                annotation: AttributeType::Alias,
            } => {}
            SymbolKind::Attribute { annotation } => {
                self.attributes
                    .count(*annotation == AttributeType::Annotated);
            }
            SymbolKind::Class => {}
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    Known,
    PartiallyKnown,
    Unknown,
}

#[derive(Clone, Copy, Debug, Default, Serialize)]
pub struct Completeness {
    pub known: usize,
    pub partially_known: usize,
    pub unknown: usize,
}

impl Completeness {
    pub fn total(&self) -> usize {
        self.known + self.partially_known + self.unknown
    }

    /// The share of known symbols in percent (100 when there are none).
    pub fn score(&self) -> f64 {
        match self.total() {
            0 => 100.0,
            total => 100.0 * self.known as f64 / total as f64,
        }
    }

    fn count(&mut self, status: Status) {
        match status {
            Status::Known => self.known += 1,
            Status::PartiallyKnown => self.partially_known += 1,
            Status::Unknown => self.unknown += 1,
        }
    }

    fn add(&mut self, other: &Completeness) {
        self.known += other.known;
        self.partially_known += other.partially_known;
        self.unknown += other.unknown;
    }
}

impl Serialize for CompletenessScore<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut state = serializer.serialize_struct("Completeness", 4)?;
        state.serialize_field("score", &round1(self.0.score()))?;
        state.serialize_field("known", &self.0.known)?;
        state.serialize_field("partially_known", &self.0.partially_known)?;
        state.serialize_field("unknown", &self.0.unknown)?;
        state.end()
    }
}

/// [`Completeness`] serialised with its score.
pub struct CompletenessScore<'a>(pub &'a Completeness);

#[derive(Clone, Debug, Serialize)]
pub struct SymbolReport {
    pub name: String,
    pub kind: &'static str,
    pub line: usize,
    pub public: bool,
    /// Only for public symbols: completeness is about the public API.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<Status>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub reasons: Vec<String>,
}

#[derive(Clone, Debug)]
pub struct ModuleReport {
    pub path: std::path::PathBuf,
    pub module: String,
    pub package: String,
    pub public: Coverage,
    pub all: Coverage,
    pub completeness: Completeness,
    pub type_ignores: TypeIgnores,
    pub symbols: Vec<SymbolReport>,
}

#[derive(Clone, Debug, Default)]
pub struct Totals {
    pub public: Coverage,
    pub all: Coverage,
    pub completeness: Completeness,
    pub type_ignores: TypeIgnores,
    pub modules: usize,
}

impl Totals {
    fn add(&mut self, module: &ModuleReport) {
        self.public.add(&module.public);
        self.all.add(&module.all);
        self.completeness.add(&module.completeness);
        self.type_ignores.total += module.type_ignores.total;
        self.type_ignores.without_code += module.type_ignores.without_code;
        self.modules += 1;
    }
}

pub struct TypesReport {
    pub project: Totals,
    /// Each package's own modules (not its subpackages), by name.
    pub packages: Vec<(String, Totals)>,
    /// By path.
    pub modules: Vec<ModuleReport>,
}

/// Measures coverage and completeness over `modules` (a module with both a `.py` and a
/// `.pyi` should be given once, as its stub: that is what type checkers read).
pub fn measure(modules: &[ModuleApi]) -> TypesReport {
    let public = public_symbols(modules);
    let mut reports: Vec<ModuleReport> = modules
        .iter()
        .zip(public)
        .map(|(module, public)| module_report(module, &public))
        .collect();
    reports.sort_by(|a, b| a.path.cmp(&b.path));
    let mut project = Totals::default();
    let mut packages: FxHashMap<&str, Totals> = FxHashMap::default();
    for report in &reports {
        project.add(report);
        packages
            .entry(report.package.as_str())
            .or_default()
            .add(report);
    }
    let mut packages: Vec<(String, Totals)> = packages
        .into_iter()
        .map(|(name, totals)| (name.to_string(), totals))
        .collect();
    packages.sort_by(|a, b| a.0.cmp(&b.0));
    TypesReport {
        project,
        packages,
        modules: reports,
    }
}

fn module_report(module: &ModuleApi, public: &[bool]) -> ModuleReport {
    let mut report = ModuleReport {
        path: module.path.clone(),
        module: module.module.clone(),
        package: if module.is_package {
            module.module.clone()
        } else {
            module
                .module
                .rsplit_once('.')
                .map_or(String::new(), |(package, _)| package.to_string())
        },
        public: Coverage::default(),
        all: Coverage::default(),
        completeness: Completeness::default(),
        type_ignores: module.type_ignores,
        symbols: Vec::with_capacity(module.symbols.len()),
    };
    // Statuses of public members, by their class, for the classes' own status.
    let mut members: FxHashMap<&str, Vec<(&str, Status)>> = FxHashMap::default();
    let mut statuses: Vec<Option<(Status, Vec<String>)>> = vec![None; module.symbols.len()];
    // Members come after their class in source order: judge them first.
    for (index, symbol) in module.symbols.iter().enumerate().rev() {
        report.all.count(&symbol.kind);
        if !public[index] {
            continue;
        }
        report.public.count(&symbol.kind);
        let (status, reasons) = match &symbol.kind {
            SymbolKind::Function(signature) => function_status(signature),
            SymbolKind::Attribute { annotation } => attribute_status(*annotation),
            SymbolKind::Class => class_status(members.get(symbol.qualname.as_str())),
        };
        if let Some((class, member)) = symbol.qualname.rsplit_once('.') {
            members.entry(class).or_default().push((member, status));
        }
        report.completeness.count(status);
        statuses[index] = Some((status, reasons));
    }
    for ((symbol, status), public) in module.symbols.iter().zip(statuses).zip(public) {
        let (status, reasons) = match status {
            Some((status, reasons)) => (Some(status), reasons),
            None => (None, Vec::new()),
        };
        report.symbols.push(SymbolReport {
            name: symbol.qualname.clone(),
            kind: match symbol.kind {
                SymbolKind::Function(_) if symbol.qualname.contains('.') => "method",
                SymbolKind::Function(_) => "function",
                SymbolKind::Class => "class",
                SymbolKind::Attribute { .. } => "attribute",
            },
            line: symbol.line,
            public: *public,
            status,
            reasons,
        });
    }
    report
}

fn function_status(signature: &Signature) -> (Status, Vec<String>) {
    if signature.is_complete() {
        return (Status::Known, Vec::new());
    }
    let missing: Vec<String> = signature
        .parameters
        .iter()
        .filter(|p| p.annotation == Annotation::Missing)
        .map(|p| format!("`{}`", p.name))
        .collect();
    let mut reasons = Vec::new();
    if !missing.is_empty() {
        let noun = if missing.len() == 1 {
            "parameter"
        } else {
            "parameters"
        };
        reasons.push(format!("{noun} {} not annotated", missing.join(", ")));
    }
    if signature.returns == Annotation::Missing && signature.return_counts() {
        reasons.push("return type not annotated".to_string());
    }
    let status = if signature.is_bare() {
        Status::Unknown
    } else {
        Status::PartiallyKnown
    };
    (status, reasons)
}

fn attribute_status(annotation: AttributeType) -> (Status, Vec<String>) {
    match annotation {
        AttributeType::Annotated | AttributeType::Literal | AttributeType::Alias => {
            (Status::Known, Vec::new())
        }
        AttributeType::Inferred => (
            Status::Unknown,
            vec![
                "no annotation, and its value does not fix a type every checker infers alike"
                    .to_string(),
            ],
        ),
    }
}

fn class_status(members: Option<&Vec<(&str, Status)>>) -> (Status, Vec<String>) {
    let Some(members) = members else {
        return (Status::Known, Vec::new());
    };
    let mut not_known: Vec<&str> = members
        .iter()
        .filter(|(_, status)| *status != Status::Known)
        .map(|(name, _)| *name)
        .collect();
    if not_known.is_empty() {
        return (Status::Known, Vec::new());
    }
    not_known.reverse();
    let status = if not_known.len() == members.len()
        && members.iter().all(|(_, status)| *status == Status::Unknown)
    {
        Status::Unknown
    } else {
        Status::PartiallyKnown
    };
    let names: Vec<String> = not_known.iter().map(|name| format!("`{name}`")).collect();
    (
        status,
        vec![format!("members not known: {}", names.join(", "))],
    )
}

/// Whether a module is part of the public API: no part of its name private, not a test.
fn is_public_module(module: &ModuleApi) -> bool {
    !module.is_test && module.module.split('.').all(|part| !part.starts_with('_'))
}

/// A name users may reach: no leading underscore, or a dunder.
fn is_public_name(name: &str) -> bool {
    !name.starts_with('_') || super::api::is_dunder(name)
}

/// For each module, which of its symbols belong to the public API.
fn public_symbols(modules: &[ModuleApi]) -> Vec<Vec<bool>> {
    let by_name: FxHashMap<&str, usize> = modules
        .iter()
        .enumerate()
        .map(|(index, module)| (module.module.as_str(), index))
        .collect();
    let all_of = |name: &str| -> Option<&[AllPart]> {
        by_name
            .get(name)
            .and_then(|&index| modules[index].dunder_all.as_deref())
    };
    // The top-level names of each module that are public.
    let mut exported: Vec<rustc_hash::FxHashSet<&str>> = vec![Default::default(); modules.len()];
    for (index, module) in modules.iter().enumerate() {
        if !is_public_module(module) {
            continue;
        }
        let defined = |name: &str| module.symbols.iter().any(|symbol| symbol.qualname == name);
        let all = module
            .dunder_all
            .as_deref()
            .and_then(|parts| resolve_all(parts, &all_of, 0));
        let names: Vec<&str> = match &all {
            Some(all) => all
                .iter()
                .filter_map(|name| {
                    let name = name.as_str();
                    let defined = module.symbols.iter().find(|s| s.qualname == name);
                    let imported = module.imports.iter().find(|i| i.name == name);
                    defined
                        .map(|s| s.qualname.as_str())
                        .or(imported.map(|i| i.name.as_str()))
                })
                .collect(),
            None => module
                .symbols
                .iter()
                .map(|symbol| symbol.qualname.as_str())
                .filter(|name| !name.contains('.') && !name.starts_with('_'))
                .chain(
                    module
                        .imports
                        .iter()
                        .filter(|import| {
                            !import.name.starts_with('_')
                                && !import.is_star()
                                && (import.explicit
                                    || (module.is_package
                                        && import.is_from()
                                        && within_project(&import.target, &by_name)))
                        })
                        .map(|import| import.name.as_str()),
                )
                .collect(),
        };
        for name in names {
            if defined(name) {
                exported[index].insert(name);
            } else if let Some(import) = module.imports.iter().find(|i| i.name == name)
                && let Some((target, member)) = follow(&import.target, modules, &by_name, 0)
            {
                exported[target].insert(member);
            }
        }
    }
    modules
        .iter()
        .zip(&exported)
        .map(|(module, exported)| {
            module
                .symbols
                .iter()
                .map(|symbol| {
                    let mut parts = symbol.qualname.split('.');
                    let top = parts.next().unwrap_or_default();
                    exported.contains(top) && parts.all(is_public_name)
                })
                .collect()
        })
        .collect()
}

/// Whether `target` (`pkg.mod.member`) names a module of the project or a member of one.
fn within_project(target: &str, by_name: &FxHashMap<&str, usize>) -> bool {
    by_name.contains_key(target)
        || target
            .rsplit_once('.')
            .is_some_and(|(module, _)| by_name.contains_key(module))
}

/// The module and top-level name a re-exported `target` is defined as, through further
/// re-exports. `None` for a module, or a name outside the project.
fn follow<'m>(
    target: &str,
    modules: &'m [ModuleApi],
    by_name: &FxHashMap<&str, usize>,
    depth: usize,
) -> Option<(usize, &'m str)> {
    if depth > 16 || by_name.contains_key(target) {
        return None;
    }
    let (module, member) = target.rsplit_once('.')?;
    let index = *by_name.get(module)?;
    let api = &modules[index];
    if let Some(symbol) = api.symbols.iter().find(|s| s.qualname == member) {
        return Some((index, symbol.qualname.as_str()));
    }
    let import = api.imports.iter().find(|i| i.name == member)?;
    follow(&import.target, modules, by_name, depth + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_ratio_of_nothing_has_no_percent() {
        assert_eq!(Ratio::default().percent(), None);
        let ratio = Ratio {
            annotated: 1,
            total: 3,
        };
        assert!((ratio.percent().unwrap() - 33.333).abs() < 0.01);
        assert_eq!(Completeness::default().score(), 100.0);
    }
}
