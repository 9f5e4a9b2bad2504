#!/usr/bin/env bash
# Fails when docs/ differs from what `make docs` generates, and runs
# tfplugindocs validate.
set -euo pipefail
cd "$(dirname "$0")/.."
tools="$1"
# tfplugindocs writes relative to the provider directory: render into a
# git-ignored folder beside docs/ and compare.
out=".docs-check"
log="$(mktemp)"
trap 'rm -rf "$out" "$log"' EXIT
rm -rf "$out"
$tools tfplugindocs generate --provider-name whatsapp --rendered-provider-name WhatsApp --rendered-website-dir "$out/docs" >"$log" 2>&1 || {
  cat "$log" >&2; echo "error: tfplugindocs generate failed" >&2; exit 1; }
if ! diff -ru docs "$out/docs"; then
  echo "error: docs/ is stale; run 'make docs' and commit the result." >&2
  exit 1
fi
$tools tfplugindocs validate --provider-name whatsapp >"$log" 2>&1 || {
  cat "$log" >&2; echo "error: tfplugindocs validate failed" >&2; exit 1; }
echo "docs/ is current and valid"
