//! Source distributions: `{name}-{version}.tar.gz` (PEP 625; `.zip` for legacy ones) holding
//! one top-level folder `{name}-{version}/` with `PKG-INFO` and the build's input.

use super::archive::{Archive, EntryKind};

/// The name and version an sdist's file name gives (split at the last `-`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SdistName {
    pub name: String,
    pub version: String,
}

impl SdistName {
    pub fn parse(file_name: &str) -> Result<SdistName, String> {
        let lower = file_name.to_ascii_lowercase();
        let stem_len = if lower.ends_with(".tar.gz") {
            file_name.len() - ".tar.gz".len()
        } else if lower.ends_with(".zip") {
            file_name.len() - ".zip".len()
        } else {
            return Err("does not end in `.tar.gz` or `.zip`".to_string());
        };
        let stem = &file_name[..stem_len];
        match stem.rsplit_once('-') {
            Some((name, version)) if !name.is_empty() && !version.is_empty() => Ok(SdistName {
                name: name.to_string(),
                version: version.to_string(),
            }),
            _ => Err("is not `{name}-{version}.tar.gz`".to_string()),
        }
    }

    /// `{name}-{version}`, the folder everything should sit in.
    pub fn folder(&self) -> String {
        format!("{}-{}", self.name, self.version)
    }
}

/// The top-level folders and files of an archive, sorted.
pub fn top_level(archive: &Archive) -> Vec<String> {
    let mut tops: Vec<String> = archive
        .members
        .iter()
        .filter_map(|m| {
            let name = m.name.trim_start_matches("./");
            let (first, rest) = name.split_once('/').unwrap_or((name, ""));
            // A lone file at the top is a top-level entry; a folder counts once.
            (!first.is_empty()
                && (!rest.is_empty() || m.kind == EntryKind::Dir || !name.contains('/')))
            .then(|| first.to_string())
        })
        .collect();
    tops.sort();
    tops.dedup();
    tops
}

/// The single top-level folder, if the archive has exactly one and nothing beside it.
pub fn root_folder(archive: &Archive) -> Option<String> {
    let tops = top_level(archive);
    let [only] = tops.as_slice() else {
        return None;
    };
    archive
        .members
        .iter()
        .all(|m| {
            m.name
                .trim_start_matches("./")
                .starts_with(&format!("{only}/"))
                || m.name.trim_end_matches('/') == only.as_str()
        })
        .then(|| only.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sdist_names() {
        let s = SdistName::parse("python-dateutil-2.8.tar.gz").unwrap();
        assert_eq!(s.name, "python-dateutil");
        assert_eq!(s.version, "2.8");
        assert!(SdistName::parse("demo.tar.gz").is_err());
    }
}
