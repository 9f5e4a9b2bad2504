#!/usr/bin/env bash
# make demo: the provider against the bundled emulator of both APIs, with no
# account, no network and nothing left behind (all state lives in a temporary
# directory that is removed on exit).
set -euo pipefail
cd "$(dirname "$0")/.."
work="$(mktemp -d "${TMPDIR:-/tmp}/whatsapp-demo.XXXXXX")"
. scripts/lib.sh
trap 'stop_emulator; rm -rf "$work"' EXIT INT TERM
require_terraform

echo "==> Building the provider and the emulator"
build_binaries

echo "==> Starting the emulator (Z-API and EnviaAI) on loopback"
start_emulator
echo "    $emulator_url"

use_provider_from "$work/bin"
cp -R examples/demo "$work/demo"
export TF_DATA_DIR="$work/demo/.terraform"

echo "==> $TERRAFORM apply (examples/demo)"
"$TERRAFORM" -chdir="$work/demo" apply -auto-approve -input=false -compact-warnings -var "emulator_url=$emulator_url" \
  -var "show_chat_names=${SHOW_CHAT_NAMES:-false}" >"$work/apply.log" 2>&1 || {
  cat "$work/apply.log" >&2; exit 1;
}
grep -E '^Apply complete' "$work/apply.log" || true

echo "==> Outputs"
"$TERRAFORM" -chdir="$work/demo" output

# Configuration as code: apply the settings of one instance per backend,
# plan again (no changes), change a setting behind Terraform's back, and
# show the plan that repairs it.
cp -R examples/settings "$work/settings"
export TF_DATA_DIR="$work/settings/.terraform"
tf() { "$TERRAFORM" -chdir="$work/settings" "$@" -input=false -no-color -var "emulator_url=$emulator_url"; }

echo "==> $TERRAFORM apply (examples/settings: whatsapp_instance_settings on both backends, whatsapp_webhook on EnviaAI)"
tf apply -auto-approve -compact-warnings >"$work/settings.log" 2>&1 || { cat "$work/settings.log" >&2; exit 1; }
grep -E '^Apply complete' "$work/settings.log"

echo "==> $TERRAFORM plan again: nothing to change"
status=0
tf plan -detailed-exitcode >"$work/plan.log" 2>&1 || status=$?
[ "$status" -eq 0 ] || { cat "$work/plan.log" >&2; echo "error: the second plan is not empty" >&2; exit 1; }
grep -E '^No changes' "$work/plan.log"

echo "==> Changing settings behind Terraform's back (HTTP to the emulator)"
curl -fsS -X PUT -H 'Client-Token: demo-client-token' -H 'Content-Type: application/json' \
  -d '{"value":"https://attacker.example.net/steal"}' "$emulator_url/instances/demo-instance/token/demo-token/update-webhook-received" >/dev/null
echo "    Z-API:   PUT .../update-webhook-received {\"value\":\"https://attacker.example.net/steal\"}"
curl -fsS -X PATCH -H 'Authorization: Bearer demo-api-key' -H 'Content-Type: application/json' \
  -d '{"settings":{"autoRead":true}}' "$emulator_url/v1/instances/inst_demo" >/dev/null
echo "    EnviaAI: PATCH /v1/instances/inst_demo {\"settings\":{\"autoRead\":true}}"

echo "==> $TERRAFORM plan: the drift, and what the apply writes back"
status=0
tf plan -detailed-exitcode >"$work/plan.log" 2>&1 || status=$?
[ "$status" -eq 2 ] || { cat "$work/plan.log" >&2; echo "error: the plan did not show the drift" >&2; exit 1; }
grep -E 'changed outside of (Terraform|OpenTofu)|(Terraform|OpenTofu) will perform|will be updated in-place|^ +~ |^Plan:' "$work/plan.log" |
  grep -v 'update in-place$' | sed 's/^/    /'

echo "==> $TERRAFORM apply: repaired"
tf apply -auto-approve -compact-warnings >"$work/settings.log" 2>&1 || { cat "$work/settings.log" >&2; exit 1; }
grep -E '^Apply complete' "$work/settings.log"
status=0
tf plan -detailed-exitcode >"$work/plan.log" 2>&1 || status=$?
[ "$status" -eq 0 ] || { cat "$work/plan.log" >&2; echo "error: the plan after the repair is not empty" >&2; exit 1; }
grep -E '^No changes' "$work/plan.log"

echo "==> $TERRAFORM destroy: only the managed webhook URLs are cleared"
tf destroy -auto-approve >"$work/settings.log" 2>&1 || { cat "$work/settings.log" >&2; exit 1; }
grep -m1 -A9 'Warning: Instance Settings Are Not Reset' "$work/settings.log" | grep -v -E '^ *(with|on) |^ *[0-9]+:|^$' | sed 's/^/    /'
grep -E '^Destroy complete' "$work/settings.log"
