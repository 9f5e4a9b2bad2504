#!/usr/bin/env bash
# make testacc (live part): runs the TestLive_* acceptance tests, which read
# the real Z-API and EnviaAI, and lists those skipped for lack of
# credentials, so that a skip is never mistaken for a pass.
set -uo pipefail
cd "$(dirname "$0")/.."
out="$(mktemp)"
trap 'rm -f "$out"' EXIT
echo "==> Live acceptance tests (TestLive_*): Z-API needs ZAPI_INSTANCE_ID and ZAPI_TOKEN (and ZAPI_PARTNER_TOKEN for the instance listing), EnviaAI needs ENVIAAI_API_KEY and ENVIAAI_INSTANCE_ID"
TF_ACC=1 go test -count=1 -timeout "${TEST_TIMEOUT:-20m}" -run '^TestLive_' -v ./... >"$out" 2>&1
status=$?
grep -vE '^(PASS$|=== (RUN|PAUSE|CONT|NAME)|testing: warning: no tests to run|ok .*\[no tests to run\]|\?.*\[no test files\])' "$out"
passed=$(grep -cE '^\s+--- PASS: TestLive_' "$out")
skipped=$(grep -cE '^\s+--- SKIP: TestLive_' "$out")
failed=$(grep -cE '^\s*--- FAIL: TestLive_[^ ]*/' "$out")
echo "==> Live acceptance tests: $passed passed, $failed failed, $skipped skipped (not run)"
if [ "$skipped" -gt 0 ]; then
  echo "    skipped:"
  grep -E '^\s+--- SKIP: TestLive_' "$out" | sed -E 's/^\s+--- SKIP: ([^ ]+).*/      \1/'
fi
exit "$status"
