//! `archlint check --show-roles`: each file's code role and the reason for it, and how many
//! files each role has.

use std::fmt::Write as _;
use std::path::PathBuf;

use serde::Serialize;

use archlint_project::options::display_path;
use archlint_project::roles::Assignment;
use archlint_vocabulary::Role;

#[derive(Serialize)]
struct FileRole<'a> {
    path: String,
    role: Role,
    reason: &'a str,
}

fn rows(files: &[(PathBuf, Assignment)]) -> Vec<FileRole<'_>> {
    let mut rows: Vec<FileRole> = files
        .iter()
        .map(|(path, assignment)| FileRole {
            path: display_path(path).display().to_string(),
            role: assignment.role,
            reason: &assignment.reason,
        })
        .collect();
    rows.sort_by(|a, b| a.path.cmp(&b.path));
    rows
}

pub fn render_text(files: &[(PathBuf, Assignment)]) -> String {
    let rows = rows(files);
    let width = rows
        .iter()
        .map(|r| r.path.chars().count())
        .max()
        .unwrap_or(0);
    let mut text = String::new();
    for row in &rows {
        let _ = writeln!(
            text,
            "{:width$}  {:9}  {}",
            row.path,
            row.role.name(),
            row.reason
        );
    }
    let counts: Vec<String> = Role::ALL
        .iter()
        .map(|role| (role, rows.iter().filter(|r| r.role == *role).count()))
        .filter(|(_, count)| *count > 0)
        .map(|(role, count)| format!("{} {count}", role.name()))
        .collect();
    let _ = writeln!(text, "\n{} files: {}.", rows.len(), counts.join(", "));
    text
}

pub fn render_json(files: &[(PathBuf, Assignment)]) -> String {
    let mut text = serde_json::to_string_pretty(&rows(files)).expect("roles serialise");
    text.push('\n');
    text
}
