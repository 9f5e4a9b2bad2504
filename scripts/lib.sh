# Shared by demo.sh and bench.sh: build the provider and the emulator into a
# temporary directory, run the emulator on loopback, and point Terraform at
# the fresh provider through dev_overrides. Source it after setting $work.

TERRAFORM="${TERRAFORM:-terraform}"
emulator_pid=""

require_terraform() {
  command -v "$TERRAFORM" >/dev/null || {
    echo "error: $TERRAFORM is not on PATH; install Terraform or OpenTofu (TERRAFORM=tofu)." >&2; exit 1; }
}

build_binaries() {
  go build -o "$work/bin/terraform-provider-whatsapp" .
  go build -o "$work/bin/whatsapp-emulator" ./internal/emulator/cmd/whatsapp-emulator
}

# start_emulator [flags...]: starts it and sets $emulator_url.
start_emulator() {
  stop_emulator
  rm -f "$work/url"
  "$work/bin/whatsapp-emulator" -addr 127.0.0.1:0 -url-file "$work/url" "$@" >"$work/emulator.log" 2>&1 &
  emulator_pid=$!
  for _ in $(seq 300); do
    [ -s "$work/url" ] && break
    kill -0 "$emulator_pid" 2>/dev/null || { cat "$work/emulator.log" >&2; exit 1; }
    sleep 0.1
  done
  [ -s "$work/url" ] || { echo "error: the emulator did not start" >&2; cat "$work/emulator.log" >&2; exit 1; }
  emulator_url="$(cat "$work/url")"
}

stop_emulator() {
  if [ -n "$emulator_pid" ]; then
    kill "$emulator_pid" 2>/dev/null || true
    wait "$emulator_pid" 2>/dev/null || true
    emulator_pid=""
  fi
}

# use_provider_from DIR: a CLI config of our own whose dev_overrides point
# both registries' address of the provider at DIR, so nothing is downloaded
# and no init is needed.
use_provider_from() {
  cat >"$work/cli.tfrc" <<CFG
provider_installation {
  dev_overrides {
    "registry.terraform.io/whatsapp-tf/whatsapp" = "$1"
    "registry.opentofu.org/whatsapp-tf/whatsapp" = "$1"
  }
  direct {}
}
CFG
  export TF_CLI_CONFIG_FILE="$work/cli.tfrc" CHECKPOINT_DISABLE=1 TF_IN_AUTOMATION=1
}
