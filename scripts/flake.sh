#!/usr/bin/env bash
# Runs the tests many times to catch the ones that pass or fail by timing:
# the fast packages FLAKE_COUNT times each way (as is, GOMAXPROCS=1 and =4,
# and a fifth as often under -race), the provider package
# FLAKE_PROVIDER_COUNT times each way. Prints every command before it runs,
# goes on after a failure, and ends with the list of failed runs.
set -uo pipefail
cd "$(dirname "$0")/.."

count="${FLAKE_COUNT:-20}"
provider_count="${FLAKE_PROVIDER_COUNT:-2}"
race_count=$(( (count + 4) / 5 ))
fast=(./internal/client/ ./internal/emulator/...)
timeout="${TEST_TIMEOUT:-60m}"

terraform="${TF_ACC_TERRAFORM_PATH:-$(command -v "${TERRAFORM:-terraform}" || true)}"
if [ -z "$terraform" ]; then
  echo "error: the provider tests need the Terraform CLI; install it or set TF_ACC_TERRAFORM_PATH" >&2
  exit 1
fi
export TF_ACC_TERRAFORM_PATH="$terraform"

failed=()
run() {
  echo "+ $*"
  local start=$SECONDS
  if env "$@"; then
    echo "  passed in $((SECONDS - start)) s"
  else
    echo "  FAILED after $((SECONDS - start)) s"
    failed+=("$*")
  fi
}

for procs in "" 1 4; do
  run ${procs:+GOMAXPROCS=$procs} go test -count="$count" -timeout "$timeout" "${fast[@]}"
done
run go test -race -count="$race_count" -timeout "$timeout" "${fast[@]}"
for procs in "" 1 4; do
  run ${procs:+GOMAXPROCS=$procs} go test -count="$provider_count" -timeout "$timeout" ./internal/provider/
done
run go test -race -count=1 -timeout "$timeout" ./internal/provider/

if [ ${#failed[@]} -gt 0 ]; then
  echo "flaky or failing runs:"
  printf '  %s\n' "${failed[@]}"
  exit 1
fi
echo "every run passed"
