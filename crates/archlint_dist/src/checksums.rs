//! SHA-256 checksums of distributions, as JSON (`{"file name": "hex digest"}`, the shape of
//! the guide's `generate_checksums`) and as `sha256sum` text (`<hex>  <file name>`), so
//! `sha256sum -c` run in the distributions' folder verifies them.

use std::io::Read;
use std::path::Path;

use sha2::{Digest, Sha256};

/// The hex SHA-256 of a file, read in chunks.
pub fn sha256_hex(path: &Path) -> std::io::Result<String> {
    let mut file = std::fs::File::open(path)?;
    let mut hasher = Sha256::new();
    let mut buffer = vec![0u8; 256 * 1024];
    loop {
        let n = file.read(&mut buffer)?;
        if n == 0 {
            break;
        }
        hasher.update(&buffer[..n]);
    }
    Ok(hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect())
}

/// `{"name": "hex", …}` with the names sorted, and a final newline.
pub fn render_json(entries: &[(String, String)]) -> String {
    let map: std::collections::BTreeMap<&str, &str> = entries
        .iter()
        .map(|(name, hex)| (name.as_str(), hex.as_str()))
        .collect();
    let mut text = serde_json::to_string_pretty(&map).expect("a map of strings serialises");
    text.push('\n');
    text
}

/// `sha256sum` output: `<hex>  <name>` per line, sorted by name.
pub fn render_sha256sum(entries: &[(String, String)]) -> String {
    let mut sorted: Vec<&(String, String)> = entries.iter().collect();
    sorted.sort();
    sorted
        .iter()
        .map(|(name, hex)| format!("{hex}  {name}\n"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats() {
        let entries = vec![
            ("b.whl".to_string(), "22".to_string()),
            ("a.tar.gz".to_string(), "11".to_string()),
        ];
        assert_eq!(render_sha256sum(&entries), "11  a.tar.gz\n22  b.whl\n");
        assert_eq!(
            render_json(&entries),
            "{\n  \"a.tar.gz\": \"11\",\n  \"b.whl\": \"22\"\n}\n"
        );
    }
}
