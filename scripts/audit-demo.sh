#!/usr/bin/env bash
# make audit-demo: examples/audit planned against the bundled emulator, once
# per backend, with no account and nothing left behind. Each plan is meant
# to fail: the emulator's data breaks every rule of the audit at least once.
#
#   Z-API    spam chats (the failing condition), an unread backlog over 500
#            and archived chats hiding unread messages (check warnings);
#            the support chat 5511999999999 is pinned, so that rule holds.
#   EnviaAI  no pinning reported for the support chat (the failing
#            postcondition), and no spam or archive status reported and an
#            unread backlog over 500 (check warnings).
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
start_emulator
use_provider_from "$work/bin"
cp -R examples/audit "$work/audit"
export TF_DATA_DIR="$work/audit/.terraform"

# audit BACKEND VAR=VALUE... -- [plan args]: plans examples/audit with the
# backend's variables, shows the plan without the dev_overrides notice, and
# fails when the plan passes or fails for another reason than the audit.
audit() {
  local backend="$1"; shift
  local env=()
  while [ "$1" != "--" ]; do env+=("$1"); shift; done
  shift
  echo
  echo "==> $TERRAFORM plan examples/audit against the emulator's $backend API"
  local status=0
  env "${env[@]}" "$TERRAFORM" -chdir="$work/audit" plan -input=false -no-color "$@" >"$work/plan.log" 2>&1 || status=$?
  # Drop the CLI's notice about dev_overrides: it says the provider is this
  # build, which is the point here.
  awk '/Warning: Provider development overrides are in effect/ {skip = 1}
       skip && /^releases\.$/ {skip = 0; next}
       !skip' "$work/plan.log" | cat -s
  if [ "$status" -eq 0 ]; then
    echo "error: the audit passed on $backend; the emulator's data should break it" >&2
    exit 1
  fi
  if ! grep -q 'condition failed' "$work/plan.log"; then
    echo "error: the plan on $backend failed for another reason than the audit" >&2
    exit 1
  fi
}

audit Z-API ZAPI_INSTANCE_ID=demo-instance ZAPI_TOKEN=demo-token ZAPI_CLIENT_TOKEN=demo-client-token \
  ZAPI_BASE_URL="$emulator_url" --
audit EnviaAI ENVIAAI_API_KEY=demo-api-key ENVIAAI_INSTANCE_ID=inst_demo ENVIAAI_BASE_URL="$emulator_url" -- \
  -var "support_phone=$enviaai_support_phone"

echo
echo "==> The audit failed on both backends, as the emulator's data makes it."
