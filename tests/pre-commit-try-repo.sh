#!/usr/bin/env bash
# pre-commit's `try-repo` on this repository's hooks (.pre-commit-hooks.yaml), built and run by
# pre-commit exactly as a user's pre-commit builds them (`language: rust`: `cargo install
# --bins --path .` of a clone of this repository), against a fixture repository:
#   - `archlint` on one bad file (`requests.get` without a timeout, SEC113, on by default)
#     and one good file must fail and name the bad file only;
#   - `archlint-deps-audit` on a `requirements.txt` pinning Django 3.2.0 must fail and name
#     advisories, offline: the fixture's `[tool.archlint.deps] osv-db` points at the OSV
#     snapshot in tests/fixtures/osv (the hook's `entry` takes no `--db`, the configuration
#     does), and on a clean `requirements.txt` it must pass.
#
# Build time: `cargo install` builds the release profile, which nothing else in CI builds, so
# there is nothing to reuse; the release profile's LTO and 4 codegen units are what make it
# slow, so they are turned off here through cargo's own environment variables
# (CARGO_PROFILE_RELEASE_*). The hook definition, the sources and the command pre-commit
# runs are the users'; only the optimisation level differs. ARCHLINT_HOOK_BUILD=release keeps
# the release profile as it is.
#
# Needs python3 with venv, git, cargo, and the network for pre-commit and the crates.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
PRE_COMMIT_VERSION=4.7.0

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
fail() {
    echo "pre-commit-try-repo: $*" >&2
    exit 1
}

python3 -m venv "$work/venv"
"$work/venv/bin/python" -m pip install --quiet --disable-pip-version-check "pre-commit==$PRE_COMMIT_VERSION"
pre_commit="$work/venv/bin/pre-commit"

# pre-commit's own store, so that every run builds the hooks (never a build of another commit).
export PRE_COMMIT_HOME="$work/pre-commit-home"
# The build goes to this repository's target/ (target/release), not a temporary folder.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$repo/target}"
if [ "${ARCHLINT_HOOK_BUILD:-fast}" != release ]; then
    export CARGO_PROFILE_RELEASE_LTO=false
    export CARGO_PROFILE_RELEASE_CODEGEN_UNITS=256
    export CARGO_PROFILE_RELEASE_OPT_LEVEL=0
    export CARGO_PROFILE_RELEASE_INCREMENTAL=true
fi

project="$work/project"
mkdir -p "$project/app"
cat >"$project/pyproject.toml" <<EOF
[project]
name = "app"
version = "1.0"
requires-python = ">=3.10"

[tool.archlint.deps]
osv-db = "$repo/tests/fixtures/osv/pypi-2024-10-10.zip"
EOF
: >"$project/app/__init__.py"
cat >"$project/app/bad.py" <<'EOF'
import requests


def fetch(url: str) -> bytes:
    return requests.get(url).content
EOF
cat >"$project/app/good.py" <<'EOF'
import requests


def fetch(url: str) -> bytes:
    return requests.get(url, timeout=10).content
EOF
echo "django==3.2.0" >"$project/requirements.txt"
git -C "$project" init --quiet
git -C "$project" add .

cd "$project"
# `try-repo` builds the hooks anew in a store of its own on every call, so both hooks are
# tried together: once on the fixture with its faults, once with them fixed.
started=$(date +%s)
status=0
"$pre_commit" try-repo "$repo" --all-files >"$work/bad.log" 2>&1 || status=$?
echo "pre-commit-try-repo: hooks built and run in $(($(date +%s) - started)) s (exit $status)"
cat "$work/bad.log"
[ "$status" -ne 0 ] || fail "the hooks passed on app/bad.py and django==3.2.0"
hook_output() { # the lines of hook $1's section of log $2
    awk -v id="- hook id: $1" '$0 == id { on = 1; next } /^[^ ].*\.\.\.\.(Passed|Failed|Skipped)/ { on = 0 } on' "$2"
}
hook_output archlint "$work/bad.log" >"$work/archlint.log"
hook_output archlint-deps-audit "$work/bad.log" >"$work/audit.log"
grep -qx 'app/bad.py' "$work/archlint.log" && grep -q '^  5:12 warning SEC113' "$work/archlint.log" ||
    fail "the archlint hook did not name app/bad.py and its SEC113 at 5:12"
! grep -q 'good.py' "$work/archlint.log" || fail "the archlint hook named app/good.py"
grep -q '^django 3.2.0 (requirements.txt:1): 25 vulnerabilities' "$work/audit.log" &&
    grep -q 'PYSEC-2021-109' "$work/audit.log" ||
    fail "the archlint-deps-audit hook did not name django 3.2.0's advisories"

cp "$project/app/good.py" "$project/app/bad.py"
echo "django==5.2.8" >"$project/requirements.txt"
git -C "$project" add .
started=$(date +%s)
"$pre_commit" try-repo "$repo" --all-files >"$work/good.log" 2>&1 ||
    { cat "$work/good.log"; fail "the hooks failed on the fixed fixture"; }
echo "pre-commit-try-repo: hooks built and run in $(($(date +%s) - started)) s on the fixed fixture"
grep -q '^archlint\.\.\..*Passed$' "$work/good.log" && grep -q '^archlint deps --audit\.\.\..*Passed$' "$work/good.log" ||
    { cat "$work/good.log"; fail "not both hooks ran and passed on the fixed fixture"; }
echo "pre-commit-try-repo: both hooks behave as documented"
