//! import-linter's configuration, read when `[tool.archlint.contracts]` is absent, so a team
//! switches without rewriting its contracts: `[tool.importlinter]` in `pyproject.toml`, or
//! the INI files `.importlinter` and `setup.cfg` (`[importlinter:contract:ID]` sections).
//! All six contract types of import-linter 2.17 are read with all their options; a contract
//! archlint cannot check (a custom type, a plugin class of `contract_types`, a required
//! option missing) is kept as an [`UncheckedContract`] at its line, never dropped.

use std::path::{Path, PathBuf};

use super::ini::{IniFile, IniSection};
use super::options::{
    AcyclicSiblingsContract, Alerting, ContractOptions, Declared, ForbiddenContract,
    IndependenceContract, LayersContract, PrivateModulesContract, ProtectedContract,
    UncheckedContract,
};

/// The contract types archlint checks, as import-linter names them.
pub const KNOWN_TYPES: [&str; 6] = [
    "layers",
    "independence",
    "forbidden",
    "protected",
    "private_modules",
    "acyclic_siblings",
];

/// One contract as import-linter writes it: `type` plus string or list fields, and the line
/// of its `type` (or of its first field).
struct RawContract {
    fields: Vec<(String, Vec<String>)>,
    line: usize,
}

impl RawContract {
    fn list(&self, key: &str) -> Option<Vec<String>> {
        self.fields
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, values)| values.clone())
    }

    fn text(&self, key: &str) -> Option<String> {
        self.list(key).and_then(|values| values.into_iter().next())
    }

    fn flag(&self, key: &str) -> Option<bool> {
        self.text(key).map(|v| v.eq_ignore_ascii_case("true"))
    }
}

/// The contracts of import-linter's configuration in `root`, and the file they came from.
/// Looked for in import-linter's order: the INI files first, then `pyproject.toml`.
pub fn find(root: &Path) -> Option<(ContractOptions, PathBuf)> {
    for name in ["setup.cfg", ".importlinter"] {
        let path = root.join(name);
        if let Ok(text) = std::fs::read_to_string(&path)
            && let Some((session, raw)) = from_ini(&text)
        {
            return Some((contracts(session, raw, &path), path));
        }
    }
    let pyproject = root.join("pyproject.toml");
    let text = std::fs::read_to_string(&pyproject).ok()?;
    let (session, raw) = from_toml(&text)?;
    Some((contracts(session, raw, &pyproject), pyproject))
}

/// The session options and the contracts.
type Configuration = (RawContract, Vec<RawContract>);

fn from_toml(text: &str) -> Option<Configuration> {
    let document: toml_edit::ImDocument<String> = text.parse().ok()?;
    let table = document.get("tool")?.get("importlinter")?;
    let value_strings = |value: &toml_edit::Item| -> Vec<String> {
        match value {
            toml_edit::Item::Value(toml_edit::Value::Array(items)) => items
                .iter()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect(),
            toml_edit::Item::Value(toml_edit::Value::Boolean(b)) => vec![b.value().to_string()],
            toml_edit::Item::Value(toml_edit::Value::Integer(i)) => vec![i.value().to_string()],
            other => other
                .as_str()
                .map(|s| vec![s.to_string()])
                .unwrap_or_default(),
        }
    };
    let line_of = |offset: usize| text[..offset.min(text.len())].matches('\n').count() + 1;
    let raw = |table: &dyn toml_edit::TableLike, fallback: usize| RawContract {
        fields: table
            .iter()
            .filter(|(key, _)| *key != "contracts")
            .map(|(key, value)| (key.to_string(), value_strings(value)))
            .collect(),
        line: table
            .get("type")
            .or_else(|| table.get("name"))
            .and_then(toml_edit::Item::span)
            .map_or(fallback, |span| line_of(span.start)),
    };
    let session = raw(table.as_table_like()?, 1);
    let list = match table.get("contracts") {
        Some(item) => item.as_array_of_tables()?,
        None => return Some((session, Vec::new())),
    };
    let contracts = list
        .iter()
        .map(|c| raw(c, c.span().map_or(1, |span| line_of(span.start))))
        .collect();
    Some((session, contracts))
}

/// Python's `configparser` as import-linter uses it: one list item per line.
fn from_ini(text: &str) -> Option<Configuration> {
    let file = IniFile::parse(text);
    let raw = |section: &IniSection| RawContract {
        fields: section
            .fields
            .iter()
            .map(|field| {
                (
                    field.key.clone(),
                    field.items().map(str::to_string).collect(),
                )
            })
            .collect(),
        line: section
            .fields
            .iter()
            .find(|field| field.key == "type")
            .or(section.fields.first())
            .and_then(|field| field.lines.first())
            .map_or(1, |(line, _)| *line),
    };
    let session = file.section("importlinter").map(raw)?;
    let contracts = file
        .sections
        .iter()
        .filter(|section| section.name.starts_with("importlinter:contract:"))
        .map(raw)
        .collect();
    Some((session, contracts))
}

fn contracts(session: RawContract, raw: Vec<RawContract>, path: &Path) -> ContractOptions {
    let mut out = ContractOptions {
        exclude_type_checking: session.flag("exclude_type_checking_imports"),
        root_packages: session
            .list("root_packages")
            .or_else(|| session.list("root_package"))
            .unwrap_or_default(),
        ..ContractOptions::default()
    };
    // `contract_types = ["name: module.Class"]`: plugin types, which archlint cannot run.
    let plugins: Vec<(String, String)> = session
        .list("contract_types")
        .unwrap_or_default()
        .iter()
        .filter_map(|entry| {
            let (name, class) = entry.split_once(':')?;
            Some((name.trim().to_string(), class.trim().to_string()))
        })
        .collect();
    for contract in raw {
        let name = contract.text("name").unwrap_or_default();
        let declared = Declared {
            path: path.to_path_buf(),
            line: contract.line,
        };
        let kind = contract.text("type").unwrap_or_default();
        let unchecked = |reason: String| UncheckedContract {
            name: name.clone(),
            kind: kind.clone(),
            reason,
            declared: declared.clone(),
        };
        if !KNOWN_TYPES.contains(&kind.as_str()) {
            let reason = match plugins.iter().find(|(n, _)| *n == kind) {
                Some((_, class)) => format!(
                    "its type is the plugin class `{class}` (`contract_types`), whose code archlint does not run"
                ),
                None if kind.is_empty() => "it has no `type`".to_string(),
                None => format!(
                    "archlint knows no contract type `{kind}` (it checks {})",
                    KNOWN_TYPES.join(", ")
                ),
            };
            out.unchecked.push(unchecked(reason));
            continue;
        }
        let required: &[&str] = match kind.as_str() {
            "layers" => &["layers"],
            "independence" => &["modules"],
            "forbidden" => &["source_modules", "forbidden_modules"],
            "protected" => &["protected_modules", "allowed_importers"],
            "acyclic_siblings" => &["ancestors"],
            _ => &[],
        };
        if let Some(missing) = required.iter().find(|key| contract.list(key).is_none()) {
            out.unchecked.push(unchecked(format!(
                "its required option `{missing}` is missing"
            )));
            continue;
        }
        let alerting = match contract
            .text("unmatched_ignore_imports_alerting")
            .as_deref()
        {
            None => None,
            Some("none") => Some(Alerting::None),
            Some("warn") => Some(Alerting::Warn),
            Some("error") => Some(Alerting::Error),
            Some(other) => {
                out.unchecked.push(unchecked(format!(
                    "`unmatched_ignore_imports_alerting = {other}` is not one of none, warn, error"
                )));
                continue;
            }
        };
        let ignore_imports = contract.list("ignore_imports");
        let guidance = contract.text("broken_contract_guidance").map(|text| {
            contract
                .list("broken_contract_guidance")
                .map_or(text, |lines| lines.join(" "))
        });
        let allow_indirect = contract.flag("allow_indirect_imports");
        let list = |key: &str| contract.list(key).unwrap_or_default();
        let declared = Some(declared.clone());
        macro_rules! common {
            ($contract:expr) => {{
                let mut c = $contract;
                c.name = name.clone();
                c.ignore_imports = ignore_imports.clone();
                c.unmatched_ignore_imports_alerting = alerting;
                c.broken_contract_guidance = guidance.clone();
                c.declared = declared.clone();
                c
            }};
        }
        match kind.as_str() {
            "layers" => out
                .layers
                .get_or_insert_default()
                .push(common!(LayersContract {
                    layers: list("layers"),
                    containers: contract.list("containers"),
                    exhaustive: contract.flag("exhaustive"),
                    exhaustive_ignores: contract.list("exhaustive_ignores"),
                    allow_indirect,
                    ..LayersContract::default()
                })),
            "independence" => {
                out.independence
                    .get_or_insert_default()
                    .push(common!(IndependenceContract {
                        modules: list("modules"),
                        allow_indirect,
                        ..IndependenceContract::default()
                    }))
            }
            "forbidden" => out
                .forbidden
                .get_or_insert_default()
                .push(common!(ForbiddenContract {
                    source_modules: list("source_modules"),
                    forbidden_modules: list("forbidden_modules"),
                    allow_indirect,
                    ..ForbiddenContract::default()
                })),
            "protected" => out
                .protected
                .get_or_insert_default()
                .push(common!(ProtectedContract {
                    protected_modules: list("protected_modules"),
                    allowed_importers: list("allowed_importers"),
                    as_packages: contract.flag("as_packages"),
                    ..ProtectedContract::default()
                })),
            "private_modules" => {
                out.private_modules
                    .get_or_insert_default()
                    .push(common!(PrivateModulesContract {
                        packages_with_private_modules: contract
                            .list("packages_with_private_modules"),
                        ..PrivateModulesContract::default()
                    }))
            }
            _ => {
                let depth = match contract.text("depth") {
                    None => None,
                    Some(text) => match text.trim().parse() {
                        Ok(depth) => Some(depth),
                        Err(_) => {
                            out.unchecked.push(unchecked(format!(
                                "`depth = {text}` is not a whole number of levels"
                            )));
                            continue;
                        }
                    },
                };
                out.acyclic_siblings.get_or_insert_default().push(common!(
                    AcyclicSiblingsContract {
                        ancestors: list("ancestors"),
                        depth,
                        skip_descendants: contract.list("skip_descendants"),
                        ..AcyclicSiblingsContract::default()
                    }
                ))
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ini_contracts_are_read_with_multi_line_lists() {
        let text = "\
[importlinter]
root_package = shop

[importlinter:contract:layers]
name = Layered
type = layers
layers =
    shop.ui
    shop.domain
ignore_imports =
    shop.ui.x -> shop.domain.y

[importlinter:contract:2]
name: Plugins
type: independence
modules =
    shop.a
    shop.b
";
        let (session, raw) = from_ini(text).unwrap();
        let found = contracts(session, raw, Path::new("x"));
        let layers = &found.layers.unwrap()[0];
        assert_eq!(layers.name, "Layered");
        assert_eq!(layers.layers, ["shop.ui", "shop.domain"]);
        assert_eq!(
            layers.ignore_imports.as_deref(),
            Some(&["shop.ui.x -> shop.domain.y".to_string()][..])
        );
        assert_eq!(found.independence.unwrap()[0].modules, ["shop.a", "shop.b"]);
    }

    #[test]
    fn toml_contracts_are_read() {
        let text = r#"
[tool.importlinter]
root_package = "shop"

[[tool.importlinter.contracts]]
name = "No requests in domain"
type = "forbidden"
source_modules = ["shop.domain"]
forbidden_modules = ["requests"]
allow_indirect_imports = true
"#;
        let (session, raw) = from_toml(text).unwrap();
        let found = contracts(session, raw, Path::new("x"));
        let forbidden = &found.forbidden.unwrap()[0];
        assert_eq!(forbidden.forbidden_modules, ["requests"]);
        assert_eq!(forbidden.allow_indirect, Some(true));
    }
}
