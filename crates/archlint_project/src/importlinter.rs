//! import-linter's configuration, read when `[tool.archlint.contracts]` is absent, so a team
//! switches without rewriting its contracts: `[tool.importlinter]` in `pyproject.toml`, or
//! the INI files `.importlinter` and `setup.cfg` (`[importlinter:contract:ID]` sections).
//! Contracts of other types (custom contract classes) are skipped.

use std::path::{Path, PathBuf};

use super::ini::{IniFile, IniSection};
use super::options::{ContractOptions, ForbiddenContract, IndependenceContract, LayersContract};

/// One contract as import-linter writes it: `type` plus string or list fields.
struct RawContract {
    fields: Vec<(String, Vec<String>)>,
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
            return Some((contracts(session, raw), path));
        }
    }
    let pyproject = root.join("pyproject.toml");
    let text = std::fs::read_to_string(&pyproject).ok()?;
    let (session, raw) = from_toml(&text)?;
    Some((contracts(session, raw), pyproject))
}

/// The session options and the contracts.
type Configuration = (RawContract, Vec<RawContract>);

fn from_toml(text: &str) -> Option<Configuration> {
    let document: toml_edit::ImDocument<String> = text.parse().ok()?;
    let table = document.get("tool")?.get("importlinter")?;
    let list = table.get("contracts")?.as_array_of_tables()?;
    let value_strings = |value: &toml_edit::Item| -> Vec<String> {
        match value {
            toml_edit::Item::Value(toml_edit::Value::Array(items)) => items
                .iter()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect(),
            toml_edit::Item::Value(toml_edit::Value::Boolean(b)) => vec![b.value().to_string()],
            other => other
                .as_str()
                .map(|s| vec![s.to_string()])
                .unwrap_or_default(),
        }
    };
    let raw = |table: &dyn toml_edit::TableLike| RawContract {
        fields: table
            .iter()
            .filter(|(key, _)| *key != "contracts")
            .map(|(key, value)| (key.to_string(), value_strings(value)))
            .collect(),
    };
    let session = raw(table.as_table_like()?);
    Some((session, list.iter().map(|c| raw(c)).collect()))
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

fn contracts(session: RawContract, raw: Vec<RawContract>) -> ContractOptions {
    let mut out = ContractOptions {
        exclude_type_checking: session.flag("exclude_type_checking_imports"),
        ..ContractOptions::default()
    };
    for contract in raw {
        let name = contract.text("name").unwrap_or_default();
        let ignore_imports = contract.list("ignore_imports");
        let allow_indirect = contract.flag("allow_indirect_imports");
        match contract.text("type").as_deref() {
            Some("layers") => out.layers.get_or_insert_default().push(LayersContract {
                name,
                layers: contract.list("layers").unwrap_or_default(),
                containers: contract.list("containers"),
                exhaustive: contract.flag("exhaustive"),
                exhaustive_ignores: contract.list("exhaustive_ignores"),
                ignore_imports,
                allow_indirect,
            }),
            Some("independence") => {
                out.independence
                    .get_or_insert_default()
                    .push(IndependenceContract {
                        name,
                        modules: contract.list("modules").unwrap_or_default(),
                        ignore_imports,
                        allow_indirect,
                    })
            }
            Some("forbidden") => out
                .forbidden
                .get_or_insert_default()
                .push(ForbiddenContract {
                    name,
                    source_modules: contract.list("source_modules").unwrap_or_default(),
                    forbidden_modules: contract.list("forbidden_modules").unwrap_or_default(),
                    ignore_imports,
                    allow_indirect,
                }),
            _ => {}
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
        let found = contracts(session, raw);
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
        let found = contracts(session, raw);
        let forbidden = &found.forbidden.unwrap()[0];
        assert_eq!(forbidden.forbidden_modules, ["requests"]);
        assert_eq!(forbidden.allow_indirect, Some(true));
    }
}
