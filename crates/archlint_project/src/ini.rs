//! INI files the way Python's `configparser` reads them for setuptools (`setup.cfg`), pytest
//! (`pytest.ini`, `tox.ini`) and import-linter (`.importlinter`): sections, `key = value` or
//! `key: value`, indented continuation lines, `#` and `;` comments.

/// One `key = value` entry, with the lines its value spans.
#[derive(Debug)]
pub struct IniField {
    pub key: String,
    /// The value's lines, each trimmed with its 1-based line number: the text after the
    /// separator first (possibly empty), then every continuation line.
    pub lines: Vec<(usize, String)>,
}

impl IniField {
    /// The non-empty lines of the value (one list item per line, as setuptools reads them).
    pub fn items(&self) -> impl Iterator<Item = &str> {
        self.lines
            .iter()
            .map(|(_, text)| text.as_str())
            .filter(|text| !text.is_empty())
    }

    /// The words of the value, across its lines (pytest's `testpaths = a b`).
    pub fn words(&self) -> impl Iterator<Item = &str> {
        self.items().flat_map(str::split_whitespace)
    }
}

#[derive(Debug)]
pub struct IniSection {
    pub name: String,
    pub fields: Vec<IniField>,
}

#[derive(Debug, Default)]
pub struct IniFile {
    pub sections: Vec<IniSection>,
}

impl IniFile {
    pub fn parse(text: &str) -> IniFile {
        let mut file = IniFile::default();
        for (index, line) in text.lines().enumerate() {
            let number = index + 1;
            let trimmed = line.trim();
            if trimmed.is_empty() || trimmed.starts_with(['#', ';']) {
                continue;
            }
            if line.starts_with([' ', '\t']) {
                if let Some(field) = file
                    .sections
                    .last_mut()
                    .and_then(|section| section.fields.last_mut())
                {
                    field.lines.push((number, trimmed.to_string()));
                }
                continue;
            }
            // configparser's `\[(?P<header>.+)\]`: a comment may follow the header.
            if let Some(name) = section_header(trimmed) {
                file.sections.push(IniSection {
                    name: name.trim().to_string(),
                    fields: Vec::new(),
                });
                continue;
            }
            let (Some(split), Some(section)) = (trimmed.find(['=', ':']), file.sections.last_mut())
            else {
                continue;
            };
            section.fields.push(IniField {
                key: trimmed[..split].trim().to_string(),
                lines: vec![(number, trimmed[split + 1..].trim().to_string())],
            });
        }
        file
    }

    pub fn section(&self, name: &str) -> Option<&IniSection> {
        self.sections.iter().find(|section| section.name == name)
    }

    /// The field `key` of section `section` (keys compared with `-` read as `_`, as
    /// setuptools does).
    pub fn field(&self, section: &str, key: &str) -> Option<&IniField> {
        let wanted = key.replace('-', "_");
        self.section(section)?
            .fields
            .iter()
            .find(|field| field.key.replace('-', "_") == wanted)
    }
}

/// The name of a `[section]` header line (trimmed), up to its last `]`, as configparser
/// reads it.
pub fn section_header(line: &str) -> Option<&str> {
    let rest = line.strip_prefix('[')?;
    let end = rest.rfind(']')?;
    let name = &rest[..end];
    (!name.is_empty()).then_some(name)
}

#[cfg(test)]
mod tests {
    use super::IniFile;

    #[test]
    fn continuation_lines_belong_to_the_field_above() {
        let file = IniFile::parse(
            "# comment\n[options]\npackage_dir =\n    =lib\npackages: find:\n[tool:pytest]\ntestpaths = test\n  other\n",
        );
        let package_dir = file.field("options", "package-dir").unwrap();
        assert_eq!(package_dir.items().collect::<Vec<_>>(), ["=lib"]);
        assert_eq!(package_dir.lines[1].0, 4);
        assert_eq!(
            file.field("options", "packages")
                .unwrap()
                .items()
                .collect::<Vec<_>>(),
            ["find:"]
        );
        assert_eq!(
            file.field("tool:pytest", "testpaths")
                .unwrap()
                .words()
                .collect::<Vec<_>>(),
            ["test", "other"]
        );
        assert!(file.field("options", "missing").is_none());
    }
}
