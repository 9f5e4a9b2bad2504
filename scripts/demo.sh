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
"$TERRAFORM" -chdir="$work/demo" apply -auto-approve -input=false -compact-warnings -var "emulator_url=$emulator_url" >"$work/apply.log" 2>&1 || {
  cat "$work/apply.log" >&2; exit 1;
}
grep -E '^Apply complete' "$work/apply.log" || true

echo "==> Outputs"
"$TERRAFORM" -chdir="$work/demo" output
