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
#   hand-written, latency-bound: the same 10,000 chats read by a configuration
#     of hashicorp/http data sources (one per page, Terraform's default
#     parallelism) and jsondecode into the same two outputs, the way a
#     configuration does it without this provider. The list and the summary
#     are each set against it.          list target <= 1.2, summary <= 0.6
#   The list also runs at the previous default concurrency (8), beside the
#   current one.
#   ephemeral, latency-bound: the same 10,000 chats read by ephemeral
#     whatsapp_chats, with a rule that walks every chat (a precondition:
#     every chat read, unread messages added up), against the hand-written
#     configuration.                                         target <= 1.0
#   fleet, latency-bound: whatsapp_instances { details = true } over 100
#     generated instances (103 with the seeded ones), 50 ms per answer, per
#     backend: the listing's page, then each instance read in full (Z-API
#     three requests an instance, EnviaAI one).
#     floor = (1 + ceil(detail requests / max_concurrent_requests)) x 50 ms,
#             the round trips that cannot overlap, + a plan of the same
#             configuration with no latency.                      target <= 1.3
#
# BENCH_RUNS (default 3) plans are run per measurement; the fastest counts.
# BENCH_CASES (default "list size summary ephemeral fleet") chooses the cases to run.
# BENCH_CONCURRENCY (default: the provider's default) sets
# max_concurrent_requests.
set -euo pipefail
cd "$(dirname "$0")/.."
work="$(mktemp -d "${TMPDIR:-/tmp}/whatsapp-bench.XXXXXX")"
. scripts/lib.sh
trap 'stop_emulator; rm -rf "$work"' EXIT INT TERM
require_terraform
runs="${BENCH_RUNS:-3}"
cases="${BENCH_CASES:-list size summary ephemeral fleet}"
latency_ms=50
page_size=100
default_concurrency=16
concurrency="${BENCH_CONCURRENCY:-$default_concurrency}"
previous_concurrency=8

build_binaries
# hashicorp/http, pinned in tools/httpprovider/go.mod, for the hand-written
# configuration.
mkdir -p "$work/http"
go build -modfile=tools/httpprovider/go.mod -o "$work/http/terraform-provider-http" github.com/terraform-providers/terraform-provider-http
# Run the provider under GNU time so each plan appends its peak RSS (KiB).
mkdir -p "$work/measured"
if [ -x /usr/bin/time ]; then
  printf '#!/bin/sh\nexec /usr/bin/time -f %%M -a -o "%s/rss.kb" "%s/bin/terraform-provider-whatsapp" "$@"\n' "$work" "$work" >"$work/measured/terraform-provider-whatsapp"
else
  printf '#!/bin/sh\nexec "%s/bin/terraform-provider-whatsapp" "$@"\n' "$work" >"$work/measured/terraform-provider-whatsapp"
fi
chmod +x "$work/measured/terraform-provider-whatsapp"
use_provider_from "$work/measured"
# Terraform 1.11 finds the http provider through the same dev_overrides.
sed -i "/dev_overrides {/a\\    \"registry.terraform.io/hashicorp/http\" = \"$work/http\"\n    \"registry.opentofu.org/hashicorp/http\" = \"$work/http\"" "$work/cli.tfrc"

# write_provider DIR BACKEND CONCURRENCY ZAPI_ARGS ENVIAAI_ARGS: a new
# DIR/main.tf with the provider block of BACKEND, its arguments
# ("instance_id = ..., token = ...") and base_url = var.url.
write_provider() {
  mkdir -p "$1"
  local args="$4"
  [ "$2" = zapi ] || args="$5"
  cat >"$1/main.tf" <<TF
terraform {
  required_providers {
    whatsapp = { source = "whatsapp-tf/whatsapp" }
  }
}
variable "url" { type = string }
provider "whatsapp" {
  max_concurrent_requests = $3
  $2 = { $args, base_url = var.url }
}
TF
}

# write_config DIR BACKEND [CONCURRENCY]: a configuration reading every chat
# into two aggregate outputs, the same ones the jsondecode floor computes.
write_config() {
  write_provider "$1" "$2" "${3:-$concurrency}" \
    'instance_id = "demo-instance", token = "demo-token", client_token = "demo-client-token"' \
    'api_key = "demo-api-key", instance_id = "inst_demo"'
  cat >>"$1/main.tf" <<TF
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

# write_ephemeral_config DIR BACKEND CHATS: every chat read ephemerally and
# walked by a rule: a precondition that fails the plan unless every chat was
# read, over the sum of their unread messages (ephemeral values cannot be
# outputs). The plan adds the resource that holds the rule.
write_ephemeral_config() {
  write_config "$1" "$2"
  sed -i '/^data "whatsapp_chats"/,$d' "$1/main.tf"
  cat >>"$1/main.tf" <<TF
ephemeral "whatsapp_chats" "all" {
  page_size = $page_size
}
locals { chats = ephemeral.whatsapp_chats.all.chats }
resource "terraform_data" "audit" {
  lifecycle {
    precondition {
      condition     = length(local.chats) == $3 && sum(concat([0], [for c in local.chats : coalesce(c.unread_count, 0)])) >= 0
      error_message = "Not every chat was read."
    }
  }
}
TF
}

# write_http_config DIR BACKEND PAGES: the same two outputs from one
# hashicorp/http data source per page and jsondecode, as a configuration
# without this provider reads them (it has to know the page count).
write_http_config() {
  mkdir -p "$1"
  local url headers rows unread
  if [ "$2" = zapi ]; then
    unread='c.unread'
    url='"${var.url}/instances/demo-instance/token/demo-token/chats?page=${count.index + 1}&pageSize='$page_size'"'
    headers='{ "Client-Token" = "demo-client-token" }'
    rows='jsondecode(p.body)'
  else
    url='"${var.url}/v1/messages/chats?instanceId=inst_demo&limit='$page_size'&offset=${count.index * '$page_size'}"'
    headers='{ Authorization = "Bearer demo-api-key" }'
    rows='jsondecode(p.body).data'
    unread='c.unreadCount'
  fi
  cat >"$1/main.tf" <<TF
terraform {
  required_providers {
    http = { source = "hashicorp/http" }
  }
}
variable "url" { type = string }
data "http" "page" {
  count           = $3
  url             = $url
  request_headers = $headers
}
locals {
  chats = flatten([for p in data.http.page : $rows])
}
output "count"  { value = length(local.chats) }
output "unread" { value = sum(concat([0], [for c in local.chats : try(tonumber($unread), 0)])) }
TF
}

# measure_hand_written BACKEND: sets $http to the hand-written
# configuration's plan over 10,000 chats at 50 ms, measured once per backend
# (not in a subshell: it starts the emulator).
declare -A hand_written
measure_hand_written() {
  if [ -z "${hand_written[$1]:-}" ]; then
    write_http_config "$work/http-$1" "$1" "$pages"
    start_emulator -chats "$chats" -latency "${latency_ms}ms"
    hand_written[$1]=$(plan_ms "$work/http-$1" "$chats"); rm -f "$work/rss.kb"
  fi
  http="${hand_written[$1]}"
}

# plan_ms DIR EXPECTED_COUNT [PATTERN]: the fastest of $runs plans, in
# milliseconds; each plan's output must match PATTERN (by default, the count
# output equal to EXPECTED_COUNT).
plan_ms() {
  local expect="${3:-count *= *$2\$}"
  local best="" start end ms
  for _ in $(seq "$runs"); do
    start=$(date +%s%N)
    TF_DATA_DIR="$1/.terraform" "$TERRAFORM" -chdir="$1" plan -input=false -lock=false -no-color -var "url=$emulator_url" >"$work/plan.log" 2>&1 || {
      cat "$work/plan.log" >&2; exit 1; }
    end=$(date +%s%N)
    grep -q "$expect" "$work/plan.log" || { echo "error: the plan did not read $2 chats:" >&2; cat "$work/plan.log" >&2; exit 1; }
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
  write_config "$work/previous-$backend" "$backend" "$previous_concurrency"
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
  previous=$(plan_ms "$work/previous-$backend" "$chats")
  previous_floor=$(( local_plan + ((pages + previous_concurrency - 1) / previous_concurrency + 1) * latency_ms ))
  row "  at concurrency $previous_concurrency" "$backend" "$(secs "$previous")" "$(secs "$previous_floor")" "$(ratio "$previous" "$previous_floor")" "" "$(peak_mb)"
  measure_hand_written "$backend"
  row "  hand-written http + jsondecode" "$backend" "$(secs "$http")" "" "" "" ""
  row "  typed list vs hand-written" "$backend" "$(secs "$all")" "$(secs "$http")" "$(ratio "$all" "$http")" "<= 1.2" ""
done
;; esac

case " $cases " in *" size "*)
chats=100000
start_emulator -chats "$chats"
for backend in zapi enviaai; do
  write_config "$work/$backend" "$backend"
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
  measure_hand_written "$backend"
  row "  summary vs hand-written list" "$backend" "$(secs "$all")" "$(secs "$http")" "$(ratio "$all" "$http")" "<= 0.6" ""
done
chats=100000
start_emulator -chats "$chats"
for backend in zapi enviaai; do
  all=$(plan_ms "$work/summary-$backend" "$chats")
  row "summary: 100,000 chats, memory" "$backend" "$(secs "$all")" "" "" "<= 50 MB" "$(peak_mb)"
done
;; esac
case " $cases " in *" ephemeral "*)
chats=10000
for backend in zapi enviaai; do
  write_ephemeral_config "$work/ephemeral-$backend" "$backend" "$chats"
  start_emulator -chats "$chats" -latency "${latency_ms}ms"
  all=$(plan_ms "$work/ephemeral-$backend" "$chats" "Plan: 1 to add")
  peak="$(peak_mb)"
  measure_hand_written "$backend"
  row "ephemeral: 10,000 chats, 50 ms" "$backend" "$(secs "$all")" "$(secs "$http")" "$(ratio "$all" "$http")" "<= 1.0" "$peak"
done
;; esac
case " $cases " in *" fleet "*)
fleet=100
for backend in zapi enviaai; do
  write_provider "$work/fleet-$backend" "$backend" "$concurrency" \
    'partner_token = "demo-partner-token", client_token = "demo-client-token"' 'api_key = "demo-api-key"'
  cat >>"$work/fleet-$backend/main.tf" <<TF
data "whatsapp_instances" "fleet" {
  details = true
}
output "count" { value = length(data.whatsapp_instances.fleet.instances) }
output "read"  { value = length([for i in data.whatsapp_instances.fleet.instances : i if i.status_message != null || i.stats != null]) }
TF
  if [ "$backend" = zapi ]; then instances=$((fleet + 3)); per=3; else instances=$((fleet + 5)); per=1; fi
  start_emulator -chats 1 -instances "$fleet"
  local_plan=$(plan_ms "$work/fleet-$backend" "$instances"); rm -f "$work/rss.kb"
  start_emulator -chats 1 -instances "$fleet" -latency "${latency_ms}ms"
  all=$(plan_ms "$work/fleet-$backend" "$instances")
  floor=$(( local_plan + (1 + (instances * per + concurrency - 1) / concurrency) * latency_ms ))
  row "fleet: $instances instances in full, 50 ms" "$backend" "$(secs "$all")" "$(secs "$floor")" "$(ratio "$all" "$floor")" "<= 1.3" "$(peak_mb)"
done
;; esac
echo "(peak memory: the provider process, target <= 300 MB for a 100,000-chat list, <= 50 MB for its summary; $runs runs each, fastest shown; $(nproc) cores)"
