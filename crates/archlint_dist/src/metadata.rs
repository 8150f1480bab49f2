//! Core metadata (`METADATA` in a wheel, `PKG-INFO` in an sdist): RFC 822-style headers, one
//! field per line with indented continuation lines, then the long description as the body
//! (metadata 2.1 and later) or in a `Description` field (older).

/// The fields of one metadata file, in order, and its description.
#[derive(Debug, Default)]
pub struct CoreMetadata {
    pub fields: Vec<(String, String)>,
    /// The body after the headers, or the `Description` field's text.
    pub description: Option<String>,
}

impl CoreMetadata {
    pub fn parse(text: &str) -> CoreMetadata {
        let mut fields: Vec<(String, String)> = Vec::new();
        let mut lines = text.split('\n');
        let mut body = None;
        while let Some(raw) = lines.next() {
            let line = raw.strip_suffix('\r').unwrap_or(raw);
            if line.is_empty() {
                let rest: Vec<&str> = lines.by_ref().collect();
                let rest = rest.join("\n");
                if !rest.trim().is_empty() {
                    body = Some(rest);
                }
                break;
            }
            if line.starts_with([' ', '\t']) {
                if let Some((_, value)) = fields.last_mut() {
                    // `Description` continuation lines are written `        |text` by old
                    // tools and indented by eight spaces by others.
                    let text = line.strip_prefix("        ").unwrap_or(line.trim_start());
                    let text = text.strip_prefix('|').unwrap_or(text);
                    value.push('\n');
                    value.push_str(text);
                }
                continue;
            }
            match line.split_once(':') {
                Some((key, value)) => {
                    fields.push((key.trim().to_string(), value.trim().to_string()))
                }
                None => fields.push((line.trim().to_string(), String::new())),
            }
        }
        let description = body.or_else(|| {
            fields
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case("Description"))
                .map(|(_, v)| v.clone())
        });
        CoreMetadata {
            fields,
            description,
        }
    }

    /// The first value of a field (names are case-insensitive).
    pub fn get(&self, key: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(key))
            .map(|(_, v)| v.as_str())
    }

    /// Every value of a multiple-use field (`Requires-Dist`, `Classifier`, …).
    pub fn get_all<'s>(&'s self, key: &'s str) -> impl Iterator<Item = &'s str> + 's {
        self.fields
            .iter()
            .filter(move |(k, _)| k.eq_ignore_ascii_case(key))
            .map(|(_, v)| v.as_str())
    }

    /// The `Description-Content-Type` without its parameters, lower-cased.
    pub fn content_type(&self) -> Option<String> {
        self.get("Description-Content-Type").map(|value| {
            value
                .split(';')
                .next()
                .unwrap_or_default()
                .trim()
                .to_ascii_lowercase()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_continuations_and_body() {
        let text = "Metadata-Version: 2.1\nName: demo\nRequires-Dist: a\nRequires-Dist: b ;\n python_version<'3'\n\n# Title\n\nbody\n";
        let m = CoreMetadata::parse(text);
        assert_eq!(m.get("name"), Some("demo"));
        assert_eq!(m.get_all("Requires-Dist").count(), 2);
        assert_eq!(m.description.as_deref(), Some("# Title\n\nbody\n"));
    }

    #[test]
    fn old_style_description_field() {
        let m = CoreMetadata::parse("Name: x\nDescription: first\n        |second\n");
        assert_eq!(m.description.as_deref(), Some("first\nsecond"));
    }

    #[test]
    fn names_normalise() {}
}
