#!/usr/bin/env bash
# Where the L4 tunnel's CPU goes on bulk TCP. Starts iperf3 (origin), tunneld and a tunnelctl
# agent declaring one TCP port as bench/l4.sh does, runs iperf3 through the tunnel port, and
# prints throughput and CPU seconds per GB for the edge and the agent (utime+stime from
# /proc/<pid>/stat over the run). CPU per GB moves little with the neighbours' load; compare that.
#
#   bench/profile-l4.sh [seconds]         # default 10 s per round
#   PROFILE_ROUNDS=2                      # measured rounds (after a 3 s warm-up)
#   PROFILE_REVERSE=1                     # iperf3 -R: origin -> client instead of client -> origin
#   PROFILE_UDP=1                         # UDP instead: 1400-byte datagrams at unlimited rate; Gbit/s
#                                         # and CPU per GB count what the receiver got
#   PROFILE_PERF=1                        # also perf record -g both programs in the last round
#   PROFILE_OUT=/tmp/tunnel-profile-l4    # where perf data and reports go
#   BIN=bin                               # directory holding tunneld and tunnelctl (A/B another build)
#   PROFILE_ENV="DOTNET_gcServer=0 ..."   # extra environment for both programs (runtime knobs)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
DURATION=${1:-10}
ROUNDS=${PROFILE_ROUNDS:-2}
BIN=$(cd "${BIN:-bin}" && pwd)
OUT=${PROFILE_OUT:-/tmp/tunnel-profile-l4}
mkdir -p "$OUT"
work=$(mktemp -d /tmp/tunnel-profile-l4.XXXXXX)
. "$root/bench/lib.sh"
trap cleanup EXIT
TICK=$(getconf CLK_TCK)

IPERF=$(free_port); TUNNEL=$(free_port); HTTP=$(free_port); HTTPS=$(free_port); CONTROL=$(free_port); ADMIN=$(free_port)
iperf3 -s -B 127.0.0.1 -p "$IPERF" > "$work/iperf3.log" 2>&1 & pids+=($!)
wait_tcp "$IPERF"

# shellcheck disable=SC2086
extra_env=(${PROFILE_ENV:-})
[ -n "${PROFILE_PERF:-}" ] && extra_env+=(DOTNET_PerfMapEnabled=1 DOTNET_EnableWriteXorExecute=0)
env TUNNELD_LOG=warn "${extra_env[@]}" "$BIN/tunneld" serve --base-host localhost --data-dir "$work/edge" \
  --http-addr "127.0.0.1:$HTTP" --https-addr "127.0.0.1:$HTTPS" --control-addr "127.0.0.1:$CONTROL" \
  --admin-addr "127.0.0.1:$ADMIN" --ports-bind-addr 127.0.0.1 > "$work/tunneld.log" 2>&1 & EDGE=$!; pids+=($EDGE)
wait_http "http://127.0.0.1:$ADMIN/healthz"
TOKEN=$("$BIN/tunneld" invite create --name bench --data-dir "$work/edge" | tail -n 1)
env TUNNEL_LOG=warn TUNNEL_INVITE_TOKEN="$TOKEN" TUNNEL_CA_CERT="$work/edge/ca.crt" "${extra_env[@]}" \
  TUNNEL_AGENT_TCP_SERVICES="[{\"name\":\"iperf\",\"origin\":\"127.0.0.1:$IPERF\",\"listen_port\":$TUNNEL}]" \
  TUNNEL_AGENT_UDP_SERVICES="[{\"name\":\"iperf-udp\",\"origin\":\"127.0.0.1:$IPERF\",\"listen_port\":$TUNNEL}]" \
  "$BIN/tunnelctl" agent > "$work/agent.log" 2>&1 & AGENT=$!; pids+=($AGENT)
for _ in $(seq 1 600); do grep -q "tunnelctl agent ready" "$work/agent.log" && break; sleep 0.05; done
grep -q "tunnelctl agent ready" "$work/agent.log" || { echo "agent did not start:"; cat "$work/agent.log"; exit 1; }
wait_tcp "$TUNNEL"

direction=(); [ -n "${PROFILE_REVERSE:-}" ] && direction=(-R)
[ -n "${PROFILE_UDP:-}" ] && direction+=(-u -b 0 -l 1400)
run_iperf() { iperf_json "$TUNNEL" -t "$1" "${direction[@]}"; }
run_iperf 3 >/dev/null # warm-up: tiered compilation and pools settle

echo "tunnel ${PROFILE_UDP:+UDP}${PROFILE_UDP:-TCP} under iperf3 (1 stream${PROFILE_REVERSE:+, reverse}), ${DURATION}s x $ROUNDS rounds, $(nproc) cores, bin: $BIN ${PROFILE_ENV:+(env: $PROFILE_ENV)}"
printf '%-6s %10s %14s %14s %14s %14s %14s\n' round "Gbit/s" "edge CPU s/GB" "agent CPU s/GB" "both CPU s/GB" "edge cs/MB" "agent cs/MB"
for round in $(seq 1 "$ROUNDS"); do
  perf_pid=
  if [ -n "${PROFILE_PERF:-}" ] && [ "$round" = "$ROUNDS" ]; then
    perf record -F 999 -g -p "$EDGE,$AGENT" -o "$OUT/perf.data" -- sleep "$DURATION" 2>"$OUT/perf-record.log" & perf_pid=$!
  fi
  e0=$(cpu_ticks $EDGE); a0=$(cpu_ticks $AGENT); c0=$(ctx_switches $EDGE); d0=$(ctx_switches $AGENT)
  out=$(run_iperf "$DURATION")
  e1=$(cpu_ticks $EDGE); a1=$(cpu_ticks $AGENT); c1=$(ctx_switches $EDGE); d1=$(ctx_switches $AGENT)
  [ -n "$perf_pid" ] && wait "$perf_pid"
  # TCP reports what the receiver got in sum_received; UDP in sum (bytes sent minus lost).
  read -r bytes bps < <(python3 -c '
import json, sys
end = json.load(sys.stdin)["end"]
if "sum_received" in end:
    s = end["sum_received"]; print(int(s["bytes"]), s["bits_per_second"])
else:
    s = end["sum"]; got = s["bytes"] * (1 - s["lost_percent"] / 100); print(int(got), got * 8 / s["seconds"])
' <<<"$out")
  awk -v r="$round" -v bps="$bps" -v b="$bytes" -v e=$((e1 - e0)) -v a=$((a1 - a0)) -v t="$TICK" \
    -v ce=$((c1 - c0)) -v ca=$((d1 - d0)) \
    'BEGIN {g = b / 1e9; printf "%-6s %10.2f %14.2f %14.2f %14.2f %14.1f %14.1f\n", r, bps / 1e9, e/t/g, a/t/g, (e+a)/t/g, ce/g/1000, ca/g/1000}'
done
echo "RSS after the run: edge $(rss_mb $EDGE) MiB, agent $(rss_mb $AGENT) MiB"

if [ -n "${PROFILE_PERF:-}" ]; then
  perf_reports "$OUT" "$EDGE" "$AGENT" 30
fi
