#!/usr/bin/env bash
# make demo: the provider against the bundled emulator of both APIs, with no
# account, no network and nothing left behind (all state lives in a temporary
# directory that is removed on exit).
set -euo pipefail
cd "$(dirname "$0")/.."

TERRAFORM="${TERRAFORM:-terraform}"
command -v "$TERRAFORM" >/dev/null || { echo "error: $TERRAFORM is not on PATH; install Terraform or OpenTofu (TERRAFORM=tofu make demo)." >&2; exit 1; }

work="$(mktemp -d "${TMPDIR:-/tmp}/whatsapp-demo.XXXXXX")"
emulator_pid=""
cleanup() {
  if [ -n "$emulator_pid" ]; then kill "$emulator_pid" 2>/dev/null || true; wait "$emulator_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT INT TERM

echo "==> Building the provider and the emulator"
go build -o "$work/bin/terraform-provider-whatsapp" .
go build -o "$work/bin/whatsapp-emulator" ./internal/emulator/cmd/whatsapp-emulator

echo "==> Starting the emulator (Z-API and EnviaAI) on loopback"
"$work/bin/whatsapp-emulator" -addr 127.0.0.1:0 -url-file "$work/url" >"$work/emulator.log" 2>&1 &
emulator_pid=$!
for _ in $(seq 100); do
  [ -s "$work/url" ] && break
  kill -0 "$emulator_pid" 2>/dev/null || { cat "$work/emulator.log" >&2; exit 1; }
  sleep 0.1
done
[ -s "$work/url" ] || { echo "error: the emulator did not start" >&2; cat "$work/emulator.log" >&2; exit 1; }
url="$(cat "$work/url")"
echo "    $url"

# A CLI config of our own: dev_overrides point both registries' address of
# the provider at the binary just built, so nothing is downloaded.
cat >"$work/cli.tfrc" <<CFG
provider_installation {
  dev_overrides {
    "registry.terraform.io/whatsapp-tf/whatsapp" = "$work/bin"
    "registry.opentofu.org/whatsapp-tf/whatsapp" = "$work/bin"
  }
  direct {}
}
CFG
cp -R examples/demo "$work/demo"
export TF_CLI_CONFIG_FILE="$work/cli.tfrc" TF_DATA_DIR="$work/demo/.terraform" CHECKPOINT_DISABLE=1 TF_IN_AUTOMATION=1

echo "==> $TERRAFORM apply (examples/demo)"
# `get` installs the local module only; the provider comes from dev_overrides,
# so no init (which would ask a registry) is needed.
"$TERRAFORM" -chdir="$work/demo" get -no-color >"$work/init.log" 2>&1 || {
  cat "$work/init.log" >&2; exit 1;
}
"$TERRAFORM" -chdir="$work/demo" apply -auto-approve -input=false -compact-warnings -var "emulator_url=$url" >"$work/apply.log" 2>&1 || {
  cat "$work/apply.log" >&2; exit 1;
}
grep -E '^Apply complete' "$work/apply.log" || true

echo "==> Outputs"
"$TERRAFORM" -chdir="$work/demo" output
