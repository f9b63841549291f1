#!/usr/bin/env bash
# Where the HTTP tunnel's CPU goes. Starts nginx (origin, 1 KiB body), tunneld and tunnelctl
# as bench/run.sh does, drives the tunnel with wrk, and prints CPU time per request for the
# edge and the agent (utime+stime from /proc/<pid>/stat over the run, divided by the
# requests wrk completed). On a shared machine req/s swings with the neighbours' load; CPU
# per request barely moves, so compare that.
#
#   bench/profile.sh [seconds]            # default 10 s per round
#   PROFILE_WARMUP=10                     # seconds of load before measuring
#   PROFILE_ROUNDS=3                      # measured rounds (each after the warm-up); all are printed
#   PROFILE_CONNECTIONS=50                # wrk connections (-t2)
#   PROFILE_PERF=1                        # also perf record -g both programs in the last round
#                                         # (JIT frames via DOTNET_PerfMapEnabled); report in $PROFILE_OUT
#   PROFILE_OUT=/tmp/tunnel-profile       # where perf data and reports go
#   BIN=bin                               # directory holding tunneld and tunnelctl (A/B another build)
#   PROFILE_ENV="DOTNET_gcServer=0 ..."   # extra environment for both programs (runtime knobs)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
DURATION=${1:-10}
ROUNDS=${PROFILE_ROUNDS:-3}
CONNECTIONS=${PROFILE_CONNECTIONS:-50}
BIN=$(cd "${BIN:-bin}" && pwd)
OUT=${PROFILE_OUT:-/tmp/tunnel-profile}
mkdir -p "$OUT"
work=$(mktemp -d /tmp/tunnel-profile.XXXXXX)
. "$root/bench/lib.sh"
trap cleanup EXIT

TICK=$(getconf CLK_TCK)

ORIGIN=$(free_port); HTTP=$(free_port); HTTPS=$(free_port); CONTROL=$(free_port); ADMIN=$(free_port)
start_origin "$ORIGIN"

# env execs the program, so $! is the program's own pid. PROFILE_ENV is a list of VAR=value words.
# shellcheck disable=SC2086
extra_env=(${PROFILE_ENV:-})
# JIT code is named in /tmp/perf-<pid>.map; with W^X on, perf sees it as memfd:doublemapper instead.
[ -n "${PROFILE_PERF:-}" ] && extra_env+=(DOTNET_PerfMapEnabled=1 DOTNET_EnableWriteXorExecute=0)
"$BIN/tunneld" admin create-user --email bench@example.com --data-dir "$work/edge" >/dev/null
TOKEN=$("$BIN/tunneld" admin issue-token --email bench@example.com --name bench --data-dir "$work/edge" | tail -n 1)
env TUNNELD_LOG=warn "${extra_env[@]}" "$BIN/tunneld" serve --base-host localhost --data-dir "$work/edge" \
  --http-addr "127.0.0.1:$HTTP" --https-addr "127.0.0.1:$HTTPS" --control-addr "127.0.0.1:$CONTROL" \
  --admin-addr "127.0.0.1:$ADMIN" --max-concurrent 10000 > "$work/tunneld.log" 2>&1 & EDGE=$!; pids+=($EDGE)
wait_http "http://127.0.0.1:$ADMIN/healthz"
env HOME="$work" TUNNEL_LOG=warn "${extra_env[@]}" "$BIN/tunnelctl" tunnel --url "http://127.0.0.1:$ORIGIN" --name bench \
  --endpoint "https://localhost:$CONTROL" --ca-cert "$work/edge/ca.crt" --token "$TOKEN" > "$work/agent.log" 2>&1 & AGENT=$!; pids+=($AGENT)
for _ in $(seq 1 200); do grep -q "public URL" "$work/agent.log" && break; sleep 0.05; done
SUB=$(sed -n 's#public URL: https://\([^.]*\)\..*#\1#p' "$work/agent.log")
[ -n "$SUB" ] || { echo "tunnel did not open:"; cat "$work/agent.log"; exit 1; }
HOST="$SUB.localhost:$HTTP"
URL="http://127.0.0.1:$HTTP/"
wait_http -H "Host: $HOST" "$URL"
status=$(curl -s -o /dev/null -w '%{http_code}' -H "Host: $HOST" "$URL")
[ "$status" = 200 ] || { echo "the tunnel answers $status:"; curl -s -H "Host: $HOST" "$URL"; exit 1; }

# The warm-up lets tiered compilation (and its PGO re-jits) and the connection pools settle.
wrk -t2 -c"$CONNECTIONS" -d"${PROFILE_WARMUP:-10}s" -H "Host: $HOST" "$URL" >/dev/null

echo "tunnel under wrk -t2 -c$CONNECTIONS, ${DURATION}s x $ROUNDS rounds, $(nproc) cores, bin: $BIN ${PROFILE_ENV:+(env: $PROFILE_ENV)}"
printf '%-6s %8s %12s %12s %12s %10s %10s %8s\n' round "req/s" "edge µs/req" "agent µs/req" "both µs/req" "edge cs/req" "agent cs/req" "non-2xx"
for round in $(seq 1 "$ROUNDS"); do
  perf_pid=
  if [ -n "${PROFILE_PERF:-}" ] && [ "$round" = "$ROUNDS" ]; then
    perf record -F 999 -g -p "$EDGE,$AGENT" -o "$OUT/perf.data" -- sleep "$DURATION" 2>"$OUT/perf-record.log" & perf_pid=$!
  fi
  e0=$(cpu_ticks $EDGE); a0=$(cpu_ticks $AGENT); c0=$(ctx_switches $EDGE); d0=$(ctx_switches $AGENT)
  out=$(wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" -H "Host: $HOST" "$URL")
  e1=$(cpu_ticks $EDGE); a1=$(cpu_ticks $AGENT); c1=$(ctx_switches $EDGE); d1=$(ctx_switches $AGENT)
  [ -n "$perf_pid" ] && wait "$perf_pid"
  requests=$(awk '/requests in/ {print $1}' <<<"$out")
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  bad=$(awk '/Non-2xx/ {print $NF}' <<<"$out"); bad=${bad:-0}
  awk -v r="$round" -v rps="$rps" -v n="$requests" -v e=$((e1 - e0)) -v a=$((a1 - a0)) -v t="$TICK" -v bad="$bad" \
    -v ce=$((c1 - c0)) -v ca=$((d1 - d0)) \
    'BEGIN {f = 1e6 / t / n; printf "%-6s %8.0f %12.1f %12.1f %12.1f %10.2f %10.2f %8s\n", r, rps, e*f, a*f, (e+a)*f, ce/n, ca/n, bad}'
done
echo "RSS after the run: edge $(rss_mb $EDGE) MiB, agent $(rss_mb $AGENT) MiB"

if [ -n "${PROFILE_PERF:-}" ]; then
  perf_reports "$OUT" "$EDGE" "$AGENT" 25
fi
