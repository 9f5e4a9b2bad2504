#!/usr/bin/env bash
# make audit-demo: examples/audit planned against the bundled emulator, once
# per backend, with no account and nothing left behind. Each plan shows the
# audit's findings, then its exact outcome (every rule that failed or warned,
# and nothing else) is checked against scripts/audit-outcomes.txt, the file
# the provider's tests check every instance state against.
#
#   Z-API    spam chats (the failing condition), an unread backlog over 500,
#            archived chats hiding unread messages, auto-read on and a
#            webhook on an old host (check warnings); the support chat
#            5511999999999 is pinned, so that rule holds.
#   EnviaAI  no pinning reported for the support chat (the failing
#            postcondition); no spam or archive status reported, an unread
#            backlog over 500 and auto-read on (check warnings).
set -euo pipefail
cd "$(dirname "$0")/.."
work="$(mktemp -d "${TMPDIR:-/tmp}/whatsapp-audit.XXXXXX")"
. scripts/lib.sh
trap 'stop_emulator; rm -rf "$work"' EXIT INT TERM
require_terraform

# A chat of the emulator's EnviaAI instance inst_demo (the newest one), to
# audit as the support chat: EnviaAI has no chat at Z-API's support phone.
enviaai_support_phone=5591983247397

echo "==> Building the provider and the emulator"
build_binaries
go build -o "$work/tools/plan-outcomes" ./scripts/plan-outcomes
start_emulator
use_provider_from "$work/bin"
cp -R examples/audit "$work/audit"
export TF_DATA_DIR="$work/audit/.terraform"

# audit STATE VAR=VALUE... -- [plan args]: plans examples/audit with the
# backend's variables, shows the plan without the dev_overrides notice, then
# plans it again with -json and fails unless its diagnostics are exactly
# those scripts/audit-outcomes.txt lists for STATE.
audit() {
  local state="$1"; shift
  local env=()
  while [ "$1" != "--" ]; do env+=("$1"); shift; done
  shift
  echo
  echo "==> $TERRAFORM plan examples/audit against the emulator ($state)"
  env "${env[@]}" "$TERRAFORM" -chdir="$work/audit" plan -input=false -no-color "$@" >"$work/plan.log" 2>&1 || true
  # Drop the CLI's notice about dev_overrides: it says the provider is this
  # build, which is the point here.
  awk '/Warning: Provider development overrides are in effect/ {skip = 1}
       skip && /^releases\.$/ {skip = 0; next}
       !skip' "$work/plan.log" | cat -s
  env "${env[@]}" "$TERRAFORM" -chdir="$work/audit" plan -input=false -json "$@" 2>/dev/null |
    "$work/tools/plan-outcomes" >"$work/got" || true
  awk -v s="$state" '$1 == s { sub(/^[^ ]+ /, ""); if ($0 != "none") print }' scripts/audit-outcomes.txt | LC_ALL=C sort >"$work/want"
  LC_ALL=C sort -o "$work/got" "$work/got"
  if ! cmp -s "$work/got" "$work/want"; then
    echo "error: the audit's outcome on $state is not the one scripts/audit-outcomes.txt lists:" >&2
    diff "$work/want" "$work/got" | sed 's/^</  missing:/; s/^>/  unexpected:/' | grep -E '^  (missing|unexpected)' >&2
    exit 1
  fi
  echo "==> $state: exactly the outcome scripts/audit-outcomes.txt lists ($(wc -l <"$work/want") findings)"
}

audit zapi-connected ZAPI_INSTANCE_ID=demo-instance ZAPI_TOKEN=demo-token ZAPI_CLIENT_TOKEN=demo-client-token \
  ZAPI_BASE_URL="$emulator_url" --
audit enviaai-connected ENVIAAI_API_KEY=demo-api-key ENVIAAI_INSTANCE_ID=inst_demo ENVIAAI_BASE_URL="$emulator_url" -- \
  -var "support_phone=$enviaai_support_phone"

echo
echo "==> The audit found what the emulator's data breaks, on both backends, and nothing else went wrong."
