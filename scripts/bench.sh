#!/usr/bin/env bash
# make bench (end-to-end part): times `terraform plan` of configurations that
# read chats from the bundled emulator, against the floor each case allows,
# and records the provider's peak memory (GNU time's maximum RSS).
#
#   latency-bound: 10,000 chats, 50 ms per answer, pages of 100, per backend.
#     floor = (ceil(pages / max_concurrent_requests) + 1) x 50 ms, the round
#             trips that cannot overlap,
#             + a plan of the same configuration over the same chats with no
#             latency: Terraform's own work on 10,000 chats (decoding,
#             checking and storing them, evaluating the outputs), which no
#             provider can overlap with its reads.                  target <= 1.3
#     A second line shows the wall time against the round trips plus a plan
#     returning one chat, which leaves Terraform's work out.
#   size-bound: 100,000 chats, no latency.
#     floor = a plan of a configuration that only jsondecodes the same
#             normalized chats from a local file into the same outputs. target <= 1.2
#   summary, latency-bound: whatsapp_chat_summary over 10,000 chats, 50 ms
#     per answer, per backend.
#     floor = the round trips that cannot overlap, as above, + a plan of the
#             same configuration over one chat with no latency.  target <= 1.3
#   summary, size-bound: whatsapp_chat_summary over 100,000 chats, no
#     latency: the provider's peak memory.                   target <= 50 MB
#
# BENCH_RUNS (default 3) plans are run per measurement; the fastest counts.
# BENCH_CASES (default "list summary") chooses the cases to run.
set -euo pipefail
cd "$(dirname "$0")/.."
work="$(mktemp -d "${TMPDIR:-/tmp}/whatsapp-bench.XXXXXX")"
. scripts/lib.sh
trap 'stop_emulator; rm -rf "$work"' EXIT INT TERM
require_terraform
runs="${BENCH_RUNS:-3}"
cases="${BENCH_CASES:-list summary}"
latency_ms=50
page_size=100
concurrency=8

build_binaries
# Run the provider under GNU time so each plan appends its peak RSS (KiB).
mkdir -p "$work/measured"
if [ -x /usr/bin/time ]; then
  printf '#!/bin/sh\nexec /usr/bin/time -f %%M -a -o "%s/rss.kb" "%s/bin/terraform-provider-whatsapp" "$@"\n' "$work" "$work" >"$work/measured/terraform-provider-whatsapp"
else
  printf '#!/bin/sh\nexec "%s/bin/terraform-provider-whatsapp" "$@"\n' "$work" >"$work/measured/terraform-provider-whatsapp"
fi
chmod +x "$work/measured/terraform-provider-whatsapp"
use_provider_from "$work/measured"

# write_config DIR BACKEND: a configuration reading every chat into two
# aggregate outputs, the same ones the jsondecode floor computes.
write_config() {
  mkdir -p "$1"
  cat >"$1/main.tf" <<TF
terraform {
  required_providers {
    whatsapp = { source = "whatsapp-tf/whatsapp" }
  }
}
variable "url" { type = string }
provider "whatsapp" {
  max_concurrent_requests = $concurrency
  $( [ "$2" = zapi ] && echo 'zapi = { instance_id = "demo-instance", token = "demo-token", client_token = "demo-client-token", base_url = var.url }' \
                     || echo 'enviaai = { api_key = "demo-api-key", instance_id = "inst_demo", base_url = var.url }' )
}
data "whatsapp_chats" "all" {
  page_size = $page_size
}
locals { chats = data.whatsapp_chats.all.chats }
output "count"  { value = length(local.chats) }
output "unread" { value = sum(concat([0], [for c in local.chats : coalesce(c.unread_count, 0)])) }
TF
}

# write_summary_config DIR BACKEND: the same two outputs from
# whatsapp_chat_summary.
write_summary_config() {
  write_config "$1" "$2"
  sed -i '/^data "whatsapp_chats"/,$d' "$1/main.tf"
  cat >>"$1/main.tf" <<'TF'
data "whatsapp_chat_summary" "all" {}
output "count"  { value = data.whatsapp_chat_summary.all.chats }
output "unread" { value = data.whatsapp_chat_summary.all.unread_messages }
TF
}

# plan_ms DIR EXPECTED_COUNT: the fastest of $runs plans, in milliseconds.
plan_ms() {
  local best="" start end ms
  for _ in $(seq "$runs"); do
    start=$(date +%s%N)
    TF_DATA_DIR="$1/.terraform" "$TERRAFORM" -chdir="$1" plan -input=false -lock=false -no-color -var "url=$emulator_url" >"$work/plan.log" 2>&1 || {
      cat "$work/plan.log" >&2; exit 1; }
    end=$(date +%s%N)
    grep -q "count *= *$2\$" "$work/plan.log" || { echo "error: the plan did not read $2 chats:" >&2; cat "$work/plan.log" >&2; exit 1; }
    ms=$(( (end - start) / 1000000 ))
    if [ -z "$best" ] || [ "$ms" -lt "$best" ]; then best=$ms; fi
  done
  echo "$best"
}

peak_mb() {
  if [ -s "$work/rss.kb" ]; then sort -n "$work/rss.kb" | tail -n 1 | awk '{printf "%.0f MB", $1 / 1024}'; else echo "n/a"; fi
  rm -f "$work/rss.kb"
}

row() { printf '%-36s %-8s %8s %8s %6s %7s %12s\n' "$@"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
secs() { awk -v ms="$1" 'BEGIN { printf "%.2fs", ms / 1000 }'; }

echo
row "case" "backend" "wall" "floor" "ratio" "target" "peak memory"

chats=10000
pages=$(( (chats + page_size - 1) / page_size ))
round_trips=$(( (pages + concurrency - 1) / concurrency + 1 ))
case " $cases " in *" list "*)
for backend in zapi enviaai; do
  write_config "$work/$backend" "$backend"
  start_emulator -chats 1 -latency "${latency_ms}ms"
  one=$(plan_ms "$work/$backend" 1)
  start_emulator -chats "$chats"
  local_plan=$(plan_ms "$work/$backend" "$chats"); rm -f "$work/rss.kb"
  start_emulator -chats "$chats" -latency "${latency_ms}ms"
  all=$(plan_ms "$work/$backend" "$chats")
  floor=$(( local_plan + round_trips * latency_ms ))
  row "latency-bound: 10,000 chats, 50 ms" "$backend" "$(secs "$all")" "$(secs "$floor")" "$(ratio "$all" "$floor")" "<= 1.3" "$(peak_mb)"
  without=$(( one + round_trips * latency_ms ))
  row "  without Terraform's work (1 chat)" "$backend" "$(secs "$all")" "$(secs "$without")" "$(ratio "$all" "$without")" "" ""
done

chats=100000
start_emulator -chats "$chats"
for backend in zapi enviaai; do
  # The floor's input: the same normalized chats, as the provider returns
  # them for this backend.
  mkdir -p "$work/export-$backend" "$work/floor-$backend"
  write_config "$work/export-$backend" "$backend"
  echo 'output "chats" { value = local.chats }' >>"$work/export-$backend/main.tf"
  TF_DATA_DIR="$work/export-$backend/.terraform" "$TERRAFORM" -chdir="$work/export-$backend" apply -auto-approve -input=false -no-color -var "url=$emulator_url" >"$work/export.log" 2>&1 || {
    cat "$work/export.log" >&2; exit 1; }
  TF_DATA_DIR="$work/export-$backend/.terraform" "$TERRAFORM" -chdir="$work/export-$backend" output -json chats >"$work/floor-$backend/chats.json"
  rm -rf "$work/export-$backend" "$work/rss.kb"
  cat >"$work/floor-$backend/main.tf" <<'TF'
variable "url" { type = string }
locals { chats = jsondecode(file("${path.module}/chats.json")) }
output "count"  { value = length(local.chats) }
output "unread" { value = sum(concat([0], [for c in local.chats : coalesce(c.unread_count, 0)])) }
TF
  floor=$(plan_ms "$work/floor-$backend" "$chats")
  all=$(plan_ms "$work/$backend" "$chats")
  row "size-bound: 100,000 chats" "$backend" "$(secs "$all")" "$(secs "$floor")" "$(ratio "$all" "$floor")" "<= 1.2" "$(peak_mb)"
done
;; esac

case " $cases " in *" summary "*)
chats=10000
for backend in zapi enviaai; do
  write_summary_config "$work/summary-$backend" "$backend"
  start_emulator -chats 1
  one=$(plan_ms "$work/summary-$backend" 1); rm -f "$work/rss.kb"
  start_emulator -chats "$chats" -latency "${latency_ms}ms"
  all=$(plan_ms "$work/summary-$backend" "$chats")
  floor=$(( one + round_trips * latency_ms ))
  row "summary: 10,000 chats, 50 ms" "$backend" "$(secs "$all")" "$(secs "$floor")" "$(ratio "$all" "$floor")" "<= 1.3" "$(peak_mb)"
done
chats=100000
start_emulator -chats "$chats"
for backend in zapi enviaai; do
  all=$(plan_ms "$work/summary-$backend" "$chats")
  row "summary: 100,000 chats, memory" "$backend" "$(secs "$all")" "" "" "<= 50 MB" "$(peak_mb)"
done
;; esac
echo "(peak memory: the provider process, target <= 300 MB for a 100,000-chat list, <= 50 MB for its summary; $runs runs each, fastest shown; $(nproc) cores)"
