//! Build systems and CI (the guide's §10): the project's CI configuration, GitHub Actions
//! workflows and actions first. The workflow model the rules share is here: workflows and
//! their jobs, the steps of jobs and of composite actions, `uses:` references, triggers,
//! permissions, and the `${{ … }}` expressions of a script with the contexts they expand.

pub mod adhoc_ci_install;
pub mod ci_config_missing;
pub mod ci_python_matrix_drift;
pub mod dangerous_workflow_trigger;
pub mod dependabot_code_execution;
pub mod long_lived_publish_token;
pub mod missing_lockfile;
pub mod persisted_checkout_credentials;
pub mod precommit_mutable_rev;
pub mod quality_gates_weakened;
pub mod release_cache_poisoning;
pub mod unbounded_token_permissions;
pub mod unpinned_action;
pub mod workflow_template_injection;

use archlint_project::ci::{CiFile, CiKind};
use archlint_source::yaml::Node;

use crate::CiContext;

/// A step of a workflow job or of a composite action, with what holds it.
#[derive(Clone, Copy)]
pub struct Step<'a> {
    pub file: &'a CiFile,
    pub node: Node<'a>,
    /// The job (`None` in a composite action).
    pub job: Option<Job<'a>>,
    /// The workflow's root (`None` in an action).
    pub workflow: Option<Node<'a>>,
}

/// A job of a workflow: its key (the job id) and its body.
#[derive(Clone, Copy)]
pub struct Job<'a> {
    pub key: Node<'a>,
    pub body: Node<'a>,
}

/// The parsed workflows (their root a mapping), each with its root.
pub fn workflows<'a>(cx: &CiContext<'a>) -> Vec<(&'a CiFile, Node<'a>)> {
    let files = cx.files;
    files
        .of(CiKind::Workflow)
        .filter_map(|file| file.root().filter(|r| r.is_mapping()).map(|r| (file, r)))
        .collect()
}

/// The jobs of a workflow.
pub fn jobs<'a>(workflow: Node<'a>) -> Vec<Job<'a>> {
    workflow
        .get("jobs")
        .map(|jobs| {
            jobs.entries()
                .filter(|(_, body)| body.is_mapping())
                .map(|(key, body)| Job { key, body })
                .collect()
        })
        .unwrap_or_default()
}

/// Every step: of every job of every workflow, then of every composite action.
pub fn steps<'a>(cx: &CiContext<'a>) -> Vec<Step<'a>> {
    let mut out = Vec::new();
    for (file, workflow) in workflows(cx) {
        for job in jobs(workflow) {
            if let Some(steps) = job.body.get("steps") {
                out.extend(steps.items().filter(Node::is_mapping).map(|node| Step {
                    file,
                    node,
                    job: Some(job),
                    workflow: Some(workflow),
                }));
            }
        }
    }
    for file in cx.files.of(CiKind::Action) {
        let Some(steps) = file
            .root()
            .and_then(|r| r.get("runs"))
            .and_then(|r| r.get("steps"))
        else {
            continue;
        };
        out.extend(steps.items().filter(Node::is_mapping).map(|node| Step {
            file,
            node,
            job: None,
            workflow: None,
        }));
    }
    out
}

/// A `uses:` reference split into its parts.
#[derive(Debug, PartialEq, Eq)]
pub enum Uses<'a> {
    /// `./path`: an action or workflow of the same repository.
    Local,
    /// Not `owner/repo[/path][@ref]` (GitHub rejects it; nothing to pin).
    Invalid,
    /// `docker://image[:tag|@digest]`.
    Docker(&'a str),
    /// `owner/repo[/path]@ref` (`git_ref` is `None` when there is no `@`).
    Repository {
        owner: &'a str,
        repo: &'a str,
        git_ref: Option<&'a str>,
    },
}

/// A step's `run:` script cut into its commands (continuation lines joined, then split at
/// `&`, `|` and `;`), with the script's raw text in the file and the offset it starts at, to
/// place a finding on the command's words.
pub struct RunCommands<'a> {
    pub commands: Vec<String>,
    pub raw: &'a str,
    pub raw_start: usize,
}

impl RunCommands<'_> {
    /// The offset in the file of the first occurrence of `text` in the script (its start when
    /// the text is not found as written, e.g. across a continuation).
    pub fn offset_of(&self, text: &str) -> Option<usize> {
        self.raw.find(text).map(|i| self.raw_start + i)
    }
}

/// The commands of a step's `run:` script, when it has one.
pub fn run_commands<'a>(step: &Step<'a>) -> Option<RunCommands<'a>> {
    commands_in(step.file, step.node.get("run")?)
}

/// The commands of a shell script held by `node` (a string) in `file`.
fn commands_in<'a>(file: &'a CiFile, node: Node<'a>) -> Option<RunCommands<'a>> {
    let raw_start = node.start().offset;
    let raw = file
        .source
        .get(raw_start..node.end().offset.min(file.source.len()))
        .unwrap_or_default();
    let commands = node
        .as_str()?
        .replace("\\\n", " ")
        .lines()
        .flat_map(|line| line.split(['&', '|', ';']))
        .map(str::to_string)
        .collect();
    Some(RunCommands {
        commands,
        raw,
        raw_start,
    })
}

/// A job of `.gitlab-ci.yml` (or its `default:` section, which holds scripts every job runs).
#[derive(Clone, Copy)]
pub struct GitlabJob<'a> {
    pub file: &'a CiFile,
    pub key: Node<'a>,
    pub body: Node<'a>,
}

impl GitlabJob<'_> {
    pub fn is_default(&self) -> bool {
        self.key.as_str() == Some("default")
    }
}

/// GitLab CI's top-level keywords other than `default`: every other top-level mapping is a
/// job (hidden `.template` jobs included: jobs `extends:` them).
const GITLAB_KEYWORDS: &[&str] = &[
    "include",
    "stages",
    "variables",
    "workflow",
    "image",
    "services",
    "cache",
    "before_script",
    "after_script",
    "spec",
];

/// The jobs of every `.gitlab-ci.yml`, and its `default:` section.
pub fn gitlab_jobs<'a>(cx: &CiContext<'a>) -> Vec<GitlabJob<'a>> {
    let mut jobs = Vec::new();
    for file in cx.files.of(CiKind::GitlabCi) {
        let Some(root) = file.root().filter(|r| r.is_mapping()) else {
            continue;
        };
        jobs.extend(
            root.entries()
                .filter(|(key, body)| {
                    body.is_mapping() && key.as_str().is_some_and(|k| !GITLAB_KEYWORDS.contains(&k))
                })
                .map(|(key, body)| GitlabJob { file, key, body }),
        );
    }
    jobs
}

/// The shell lines of a GitLab job (`before_script`, `script`, `after_script`: a string or a
/// list of them, nested lists flattened as GitLab does), each with its commands.
pub fn gitlab_scripts<'a>(job: &GitlabJob<'a>) -> Vec<RunCommands<'a>> {
    let mut scripts = Vec::new();
    for key in ["before_script", "script", "after_script"] {
        let Some(value) = job.body.get(key) else {
            continue;
        };
        let mut pending = vec![value];
        while let Some(node) = pending.pop() {
            if node.is_sequence() {
                pending.extend(node.items().collect::<Vec<_>>().into_iter().rev());
            } else if let Some(commands) = commands_in(job.file, node) {
                scripts.push(commands);
            }
        }
    }
    scripts
}

pub fn parse_uses(text: &str) -> Uses<'_> {
    let text = text.trim();
    if text.starts_with("./") || text.starts_with(".\\") {
        return Uses::Local;
    }
    if let Some(image) = text.strip_prefix("docker://") {
        return Uses::Docker(image);
    }
    let (path, git_ref) = match text.rsplit_once('@') {
        Some((path, git_ref)) => (path, Some(git_ref)),
        None => (text, None),
    };
    let mut parts = path.splitn(3, '/');
    let owner = parts.next().unwrap_or_default();
    let repo = parts.next().unwrap_or_default();
    let name = |part: &str| {
        !part.is_empty()
            && part
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
    };
    if !name(owner) || !name(repo) {
        return Uses::Invalid;
    }
    Uses::Repository {
        owner,
        repo,
        git_ref,
    }
}

/// Whether `uses:` names `owner/repo` (any path, any ref; GitHub compares case-insensitively).
pub fn uses_action(text: &str, action: &str) -> bool {
    match parse_uses(text) {
        Uses::Repository { owner, repo, .. } => action
            .split_once('/')
            .is_some_and(|(o, r)| o.eq_ignore_ascii_case(owner) && r.eq_ignore_ascii_case(repo)),
        _ => false,
    }
}

/// A 40-hex-digit object id.
pub fn is_commit_sha(git_ref: &str) -> bool {
    git_ref.len() == 40 && git_ref.bytes().all(|b| b.is_ascii_hexdigit())
}

/// The events a workflow is triggered by (`on: push`, `on: [push, pull_request]`, `on:
/// {push: …}`), each with its node.
pub fn triggers<'a>(workflow: Node<'a>) -> Vec<(&'a str, Node<'a>)> {
    let Some(on) = workflow.get("on") else {
        return Vec::new();
    };
    if let Some(event) = on.as_str() {
        return vec![(event, on)];
    }
    if on.is_sequence() {
        return on
            .items()
            .filter_map(|item| item.as_str().map(|e| (e, item)))
            .collect();
    }
    on.entries()
        .filter_map(|(key, _)| key.as_str().map(|e| (e, key)))
        .collect()
}

/// The `on` key of a workflow (where trigger findings point).
pub fn on_key<'a>(workflow: Node<'a>) -> Option<Node<'a>> {
    workflow.entry("on").map(|(key, _)| key)
}

/// Whether a `permissions:` value grants `id-token: write` (or `write-all`).
pub fn grants_id_token(permissions: Option<Node<'_>>) -> bool {
    let Some(permissions) = permissions else {
        return false;
    };
    if let Some(base) = permissions.as_str() {
        return base == "write-all";
    }
    permissions.str_of("id-token") == Some("write")
}

/// One `${{ … }}` of a script: where it is (byte offsets in the file) and its text.
pub struct Expression<'a> {
    pub start: usize,
    pub end: usize,
    /// Between the braces.
    pub body: &'a str,
}

/// The `${{ … }}` expressions in the source text of `node` (the raw text, so the offsets
/// are exact whatever the scalar's style).
pub fn expressions<'a>(file: &'a CiFile, node: Node<'_>) -> Vec<Expression<'a>> {
    let (from, to) = (
        node.start().offset.min(file.source.len()),
        node.end().offset.min(file.source.len()),
    );
    let Some(raw) = file.source.get(from..to) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut at = 0;
    while let Some(open) = raw[at..].find("${{") {
        let start = at + open;
        let Some(close) = raw[start + 3..].find("}}") else {
            break;
        };
        let end = start + 3 + close + 2;
        out.push(Expression {
            start: from + start,
            end: from + end,
            body: &raw[start + 3..end - 2],
        });
        at = end;
    }
    out
}

/// A context an expression reads (`github.event.issue.title`) and its byte offset in the
/// expression's body.
pub struct ContextUse<'a> {
    pub name: &'a str,
    pub offset: usize,
    /// The field read from the value of a group holding the context: `number` in
    /// `(github.event.pull_request || github.event.issue).number`.
    pub field: Option<&'a str>,
}

impl ContextUse<'_> {
    /// The context as read, with the field read from its group.
    pub fn read(&self) -> String {
        match self.field {
            Some(field) => format!("{}.{field}", self.name),
            None => self.name.to_string(),
        }
    }
}

/// Functions whose result is a boolean or a hash: what they read does not flow into the
/// script.
const NON_FLOWING_CALLS: &[&str] = &[
    "contains",
    "startswith",
    "endswith",
    "hashfiles",
    "success",
    "failure",
    "always",
    "cancelled",
];

/// The contexts whose *value* flows into the expression's result: not those compared
/// (`a == 'x'`), negated, tested before `&&`, or passed to a boolean function
/// (`contains(…)`).
pub fn flowing_contexts(body: &str) -> Vec<ContextUse<'_>> {
    #[derive(PartialEq)]
    enum Token<'b> {
        Name(&'b str, usize),
        Op(&'b str),
        Open,
        Close,
        Other(&'b str),
    }
    let bytes = body.as_bytes();
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        if c.is_ascii_whitespace() {
            i += 1;
        } else if c == b'\'' {
            // A string literal; `''` is an escaped quote.
            i += 1;
            while i < bytes.len() {
                if bytes[i] == b'\'' {
                    if bytes.get(i + 1) == Some(&b'\'') {
                        i += 2;
                        continue;
                    }
                    break;
                }
                i += 1;
            }
            i += 1;
            tokens.push(Token::Other("'"));
        } else if c.is_ascii_alphabetic() || c == b'_' {
            let start = i;
            while i < bytes.len() {
                let b = bytes[i];
                if b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.' | b'*') {
                    i += 1;
                } else if b == b'[' {
                    // An index: `github.event['issue']` or `labels[0]`.
                    match body[i..].find(']') {
                        Some(close) => i += close + 1,
                        None => i = bytes.len(),
                    }
                } else {
                    break;
                }
            }
            tokens.push(Token::Name(&body[start..i], start));
        } else if c == b'(' {
            tokens.push(Token::Open);
            i += 1;
        } else if c == b')' {
            tokens.push(Token::Close);
            i += 1;
        } else {
            let two = body.get(i..i + 2).unwrap_or("");
            if ["==", "!=", "<=", ">=", "&&", "||"].contains(&two) {
                tokens.push(Token::Op(two));
                i += 2;
            } else {
                let one = &body[i..i + 1];
                if ["<", ">", "!"].contains(&one) {
                    tokens.push(Token::Op(one));
                } else {
                    let width = body[i..].chars().next().map_or(1, char::len_utf8);
                    tokens.push(Token::Other(&body[i..i + width]));
                }
                i += body[i..].chars().next().map_or(1, char::len_utf8);
            }
        }
    }
    let mut out: Vec<ContextUse<'_>> = Vec::new();
    // The groups open around each token: whether their content flows into the result (a
    // boolean function's arguments do not), and how many contexts were found before them.
    let mut groups: Vec<(bool, usize)> = Vec::new();
    let tests_value = |token: Option<&Token>| matches!(token, Some(Token::Op(op)) if *op != "||");
    let negates_or_compares =
        |token: Option<&Token>| matches!(token, Some(Token::Op(op)) if *op != "||" && *op != "&&");
    for (index, token) in tokens.iter().enumerate() {
        let before = index.checked_sub(1).and_then(|p| tokens.get(p));
        let after = tokens.get(index + 1);
        match token {
            Token::Open => {
                let flows = match before {
                    Some(Token::Name(name, _)) => {
                        !NON_FLOWING_CALLS.contains(&name.to_ascii_lowercase().as_str())
                            && !negates_or_compares(
                                index.checked_sub(2).and_then(|p| tokens.get(p)),
                            )
                    }
                    other => !negates_or_compares(other),
                };
                groups.push((flows, out.len()));
            }
            Token::Close => {
                let Some((_, first)) = groups.pop() else {
                    continue;
                };
                if tests_value(after) {
                    // `fromJSON(x) && 'a' || 'b'`, `(x).y == 1`: only a boolean comes out.
                    out.truncate(first);
                } else if after == Some(&Token::Other(".")) {
                    // `(a || b).number`: the field read from the group's value.
                    if let Some(Token::Name(field, _)) = tokens.get(index + 2) {
                        for context in &mut out[first..] {
                            context.field = Some(field);
                        }
                    }
                }
            }
            Token::Name(name, offset) => {
                if after == Some(&Token::Open) {
                    continue;
                }
                let literal = matches!(*name, "true" | "false" | "null")
                    || name.bytes().all(|b| b.is_ascii_digit());
                // A field read from a group's value (`).number`) is not a context.
                let projected = before == Some(&Token::Other("."));
                // Compared, negated, or tested before `&&`: only a boolean comes out.
                let tested = tests_value(after) || negates_or_compares(before);
                if literal || projected || tested || groups.iter().any(|(flows, _)| !flows) {
                    continue;
                }
                out.push(ContextUse {
                    name,
                    offset: *offset,
                    field: None,
                });
            }
            Token::Op(_) | Token::Other(_) => {}
        }
    }
    out
}

/// Top-level `github` contexts whose value no outsider chooses.
const FIXED_GITHUB: &[&str] = &[
    "action_path",
    "job",
    "repository",
    "repository_id",
    "repository_owner",
    "repository_owner_id",
    "repositoryurl",
    "run_attempt",
    "run_id",
    "run_number",
    "server_url",
    "api_url",
    "graphql_url",
    "sha",
    "token",
    "triggering_actor",
    "workspace",
    "retention_days",
    "event_name",
    "action_status",
];

/// Last fields of `github.event.…` that are numbers, booleans or ids.
const FIXED_EVENT_FIELDS: &[&str] = &[
    "id",
    "number",
    "site_admin",
    "deleted",
    "private",
    "fork",
    "draft",
    "merged",
    "locked",
    "archived",
    "disabled",
    "forced",
    "created",
    "after",
    "before",
    "size",
    "run_attempt",
    "run_number",
    "additions",
    "deletions",
    "changed_files",
    "comments",
    "commits",
    "sha",
];

/// Whether an outsider (the author of a pull request, issue or comment) can choose the
/// value of a `github` context: everything but the run's own identifiers and the event's
/// numbers, booleans and ids.
pub fn github_context_is_untrusted(context: &str) -> bool {
    let lower = context.to_ascii_lowercase();
    let Some(rest) = lower.strip_prefix("github.") else {
        return false;
    };
    match rest.strip_prefix("event.") {
        Some(event) => {
            let last = event
                .rsplit(['.', '['])
                .next()
                .unwrap_or(event)
                .trim_end_matches(']');
            !(FIXED_EVENT_FIELDS.contains(&last)
                || last.ends_with("_count")
                || last.ends_with("_id")
                || last.ends_with("_sha"))
        }
        None => {
            let head = rest.split(['.', '[']).next().unwrap_or(rest);
            !FIXED_GITHUB.contains(&head)
        }
    }
}

/// The input declared under `on.workflow_dispatch.inputs` or `on.workflow_call.inputs` (or
/// an action's `inputs`), when its type makes its value harmless: `boolean`, `number`,
/// `choice` or `environment`.
pub fn input_is_typed_safe(step: &Step<'_>, name: &str) -> bool {
    let Some(workflow) = step.workflow else {
        return false;
    };
    let Some(on) = workflow.get("on") else {
        return false;
    };
    ["workflow_dispatch", "workflow_call"].iter().any(|event| {
        on.get(event)
            .and_then(|e| e.get("inputs"))
            .and_then(|inputs| inputs.get(name))
            .and_then(|input| input.str_of("type"))
            .is_some_and(|t| matches!(t, "boolean" | "number" | "choice" | "environment"))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(body: &str) -> Vec<&str> {
        flowing_contexts(body).iter().map(|c| c.name).collect()
    }

    #[test]
    fn only_flowing_contexts_count() {
        assert_eq!(
            names(" github.event.issue.title "),
            ["github.event.issue.title"]
        );
        assert!(names(" github.event_name == 'push' ").is_empty());
        assert!(names(" contains(github.event.pull_request.labels.*.name, 'x') ").is_empty());
        assert_eq!(
            names(" github.head_ref || github.ref_name "),
            ["github.head_ref", "github.ref_name"]
        );
        assert_eq!(
            names(" format('{0}', github.event.comment.body) "),
            ["github.event.comment.body"]
        );
        assert_eq!(
            names(" github.event['issue'].title "),
            ["github.event['issue'].title"]
        );
    }

    #[test]
    fn untrusted_github_contexts() {
        assert!(github_context_is_untrusted("github.event.issue.title"));
        assert!(github_context_is_untrusted("github.head_ref"));
        assert!(!github_context_is_untrusted(
            "github.event.pull_request.number"
        ));
        assert!(!github_context_is_untrusted("github.sha"));
        assert!(!github_context_is_untrusted("github.event_name"));
        assert!(!github_context_is_untrusted(
            "github.event.pull_request.head.sha"
        ));
        assert!(!github_context_is_untrusted(
            "github.event.pull_request.head.repo.id"
        ));
    }

    #[test]
    fn uses_references() {
        assert_eq!(parse_uses("./.github/actions/x"), Uses::Local);
        assert_eq!(
            parse_uses("actions/checkout@v4"),
            Uses::Repository {
                owner: "actions",
                repo: "checkout",
                git_ref: Some("v4")
            }
        );
        assert!(uses_action("Actions/Checkout/sub@v4", "actions/checkout"));
        assert!(is_commit_sha("b4ffde65f46336ab88eb53be808477a3936bae11"));
        assert!(!is_commit_sha("v4"));
    }
}
