//! Wheels (PEP 427, PEP 491): the file name and its tags, the `WHEEL` file, and `RECORD`.

use base64::Engine;

/// `{name}-{version}(-{build})?-{python}-{abi}-{platform}.whl`, split but not yet validated.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WheelName {
    pub name: String,
    pub version: String,
    pub build: Option<String>,
    pub python: String,
    pub abi: String,
    pub platform: String,
}

impl WheelName {
    /// Splits a wheel file name; the error says what is wrong with it.
    pub fn parse(file_name: &str) -> Result<WheelName, String> {
        let stem = file_name
            .strip_suffix(".whl")
            .ok_or_else(|| "does not end in `.whl`".to_string())?;
        let parts: Vec<&str> = stem.split('-').collect();
        let (name, version, build, tags) = match parts.as_slice() {
            [name, version, py, abi, plat] => (*name, *version, None, [*py, *abi, *plat]),
            [name, version, build, py, abi, plat] => {
                (*name, *version, Some(*build), [*py, *abi, *plat])
            }
            _ => {
                return Err(format!(
                    "has {} dash-separated parts, not `{{name}}-{{version}}(-{{build}})?-{{python}}-{{abi}}-{{platform}}`",
                    parts.len()
                ));
            }
        };
        if name.is_empty()
            || !name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.')
        {
            return Err(format!(
                "name part `{name}` must be letters, digits, `_` and `.` only (PEP 491 escapes `-` as `_`)"
            ));
        }
        if let Some(build) = build
            && !build.starts_with(|c: char| c.is_ascii_digit())
        {
            return Err(format!("build tag `{build}` must start with a digit"));
        }
        if tags.iter().any(|t| t.is_empty()) {
            return Err("has an empty tag".to_string());
        }
        Ok(WheelName {
            name: name.to_string(),
            version: version.to_string(),
            build: build.map(str::to_string),
            python: tags[0].to_string(),
            abi: tags[1].to_string(),
            platform: tags[2].to_string(),
        })
    }

    /// Every `python-abi-platform` tag the compressed tag sets expand to.
    pub fn tags(&self) -> Vec<String> {
        let mut tags = Vec::new();
        for py in self.python.split('.') {
            for abi in self.abi.split('.') {
                for plat in self.platform.split('.') {
                    tags.push(format!("{py}-{abi}-{plat}"));
                }
            }
        }
        tags.sort();
        tags
    }

    /// `{name}-{version}.dist-info`, as the wheel's metadata folder is named.
    pub fn dist_info(&self) -> String {
        format!("{}-{}.dist-info", self.name, self.version)
    }
}

/// One `RECORD` line: `path,sha256=<urlsafe b64 nopad>,size`.
#[derive(Clone, Debug)]
pub struct RecordEntry {
    pub line: usize,
    pub path: String,
    pub hash: Option<(String, String)>,
    pub size: Option<String>,
}

/// Parses RECORD as CSV (quoted fields allowed, as Python's `csv` module writes them).
pub fn parse_record(text: &str) -> Vec<RecordEntry> {
    let mut entries = Vec::new();
    for (index, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let fields = csv_fields(line);
        let path = fields.first().cloned().unwrap_or_default();
        let hash = fields
            .get(1)
            .filter(|h| !h.is_empty())
            .map(|h| match h.split_once('=') {
                Some((algorithm, digest)) => (algorithm.to_string(), digest.to_string()),
                None => (String::new(), h.clone()),
            });
        let size = fields.get(2).filter(|s| !s.is_empty()).cloned();
        entries.push(RecordEntry {
            line: index + 1,
            path,
            hash,
            size,
        });
    }
    entries
}

fn csv_fields(line: &str) -> Vec<String> {
    let mut fields = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            '"' => quoted = !quoted,
            ',' if !quoted => fields.push(std::mem::take(&mut field)),
            _ => field.push(c),
        }
    }
    fields.push(field);
    fields
}

/// A SHA-256 digest as RECORD writes it: URL-safe base64 without padding.
pub fn record_digest(sha256: &[u8; 32]) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(sha256)
}

/// Whether a member is exempt from being listed in RECORD: RECORD itself and its signatures.
pub fn is_record_file(name: &str) -> bool {
    name.ends_with(".dist-info/RECORD")
        || name.ends_with(".dist-info/RECORD.jws")
        || name.ends_with(".dist-info/RECORD.p7s")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wheel_names() {
        let w = WheelName::parse("demo_pkg-1.0-1-py2.py3-none-any.whl").unwrap();
        assert_eq!(w.build.as_deref(), Some("1"));
        assert_eq!(w.tags(), ["py2-none-any", "py3-none-any"]);
        assert!(WheelName::parse("demo-1.0-py3-none.whl").is_err());
        assert!(WheelName::parse("demo-1.0-x-py3-none-any.whl").is_err());
    }

    #[test]
    fn record_lines() {
        let r = parse_record("\"a,b.py\",sha256=xyz,3\nx.dist-info/RECORD,,\n");
        assert_eq!(r[0].path, "a,b.py");
        assert_eq!(r[0].hash.as_ref().unwrap().0, "sha256");
        assert!(r[1].hash.is_none());
    }
}
