#!/usr/bin/env bash
# HTTP tunnel benchmark, side by side in one run, all on loopback:
#   direct  - wrk/h2load -> origin (nginx serving a 1 KiB body)
#   nginx   - wrk/h2load -> nginx reverse proxy (keepalive upstream) -> origin
#   tunnel  - wrk/h2load -> tunneld (plain HTTP port) -> mux stream -> tunnelctl -> origin
# Two measurements per path: saturated throughput (wrk, 50 connections) and latency at a
# fixed 1,000 req/s (h2load --rps, per-request log -> p50/p99). Prints ratios at the end.
#   BIN=dir: run the tunneld and tunnelctl in dir instead of bin/ (A/B two builds)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
DURATION=${BENCH_DURATION:-10}
CONNECTIONS=${BENCH_CONNECTIONS:-50}
WARMUP=${BENCH_WARMUP:-8}
BIN=$(cd "${BIN:-bin}" && pwd)
work=$(mktemp -d /tmp/tunnel-bench.XXXXXX)
. "$root/bench/lib.sh"
trap cleanup EXIT


ORIGIN=$(free_port); PROXY=$(free_port); HTTP=$(free_port); HTTPS=$(free_port); CONTROL=$(free_port); ADMIN=$(free_port)
start_origin "$ORIGIN" "
  upstream origin { server 127.0.0.1:$ORIGIN; keepalive 128; }
  server {
    listen 127.0.0.1:$PROXY;
    location / { proxy_pass http://origin; proxy_http_version 1.1; proxy_set_header Connection \"\"; }
  }"

"$BIN/tunneld" admin create-user --email bench@example.com --data-dir "$work/edge" >/dev/null
TOKEN=$("$BIN/tunneld" admin issue-token --email bench@example.com --name bench --data-dir "$work/edge" | tail -n 1)
TUNNELD_LOG=warn "$BIN/tunneld" serve --base-host localhost --data-dir "$work/edge" \
  --http-addr "127.0.0.1:$HTTP" --https-addr "127.0.0.1:$HTTPS" --control-addr "127.0.0.1:$CONTROL" \
  --admin-addr "127.0.0.1:$ADMIN" --max-concurrent 10000 > "$work/tunneld.log" 2>&1 & EDGE_PID=$!; pids+=($EDGE_PID)
wait_http "http://127.0.0.1:$ADMIN/healthz"
HOME="$work" TUNNEL_LOG=warn "$BIN/tunnelctl" tunnel --url "http://127.0.0.1:$ORIGIN" --name bench \
  --endpoint "https://localhost:$CONTROL" --ca-cert "$work/edge/ca.crt" --token "$TOKEN" > "$work/agent.log" 2>&1 & AGENT_PID=$!; pids+=($AGENT_PID)
for _ in $(seq 1 200); do grep -q "public URL" "$work/agent.log" && break; sleep 0.05; done
SUB=$(sed -n 's#public URL: https://\([^.]*\)\..*#\1#p' "$work/agent.log")
[ -n "$SUB" ] || { echo "tunnel did not open:"; cat "$work/agent.log"; exit 1; }
TUNNEL_HOST="$SUB.localhost:$HTTP"
wait_http -H "Host: $TUNNEL_HOST" "http://127.0.0.1:$HTTP/"

declare -A rps p50 p99 fixed50 fixed99
run_path() { # name url host-header
  local name=$1 url=$2 host=$3 out h2args=()
  # Warm-up, then the measured run: connection pools fill, and the .NET programs' tiered JIT
  # (with its PGO re-compilations) settles, which takes longer than 2 s of load.
  wrk -t2 -c"$CONNECTIONS" -d"${WARMUP}s" -H "Host: $host" "$url" >/dev/null
  out=$(wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency -H "Host: $host" "$url")
  if grep -q "Non-2xx" <<<"$out"; then echo "$name: not every answer was 2xx/3xx:" >&2; echo "$out" >&2; exit 1; fi
  rps[$name]=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  p50[$name]=$(awk '$1=="50%" {print $2}' <<<"$out")
  p99[$name]=$(awk '$1=="99%" {print $2}' <<<"$out")
  # Fixed rate: 10 clients x 100 req/s = 1,000 req/s. h2load ignores --rps when -H overrides
  # the Host, so the tunnel's hostname goes in the URL and --connect-to names the socket.
  local authority=${url#http://}
  authority=${authority%%/*}
  if [ "$host" = "$authority" ]; then h2args=("$url"); else h2args=("--connect-to=$authority" "http://$host/"); fi
  timeout $((DURATION + 30)) h2load --h1 -c 10 --rps 100 -D "$DURATION" --log-file="$work/$name.h2log" "${h2args[@]}" >/dev/null
  read -r fixed50[$name] fixed99[$name] < <(awk '{print $3}' "$work/$name.h2log" | sort -n | awk '{a[NR]=$1} END {printf "%.3f %.3f\n", a[int(NR*0.50)]/1000, a[int(NR*0.99)]/1000}')
}

run_path direct "http://127.0.0.1:$ORIGIN/" "127.0.0.1:$ORIGIN"
run_path nginx "http://127.0.0.1:$PROXY/" "127.0.0.1:$PROXY"
run_path tunnel "http://127.0.0.1:$HTTP/" "$TUNNEL_HOST"

echo
echo "HTTP tunnel benchmark: ${DURATION}s per run, wrk -t2 -c$CONNECTIONS; fixed rate 1,000 req/s via h2load; 1 KiB body; $(nproc) cores"
printf '%-8s %12s %10s %10s %16s %16s\n' path "req/s" "p50" "p99" "p50@1000rps" "p99@1000rps"
for name in direct nginx tunnel; do
  printf '%-8s %12s %10s %10s %14sms %14sms\n' "$name" "${rps[$name]}" "${p50[$name]}" "${p99[$name]}" "${fixed50[$name]}" "${fixed99[$name]}"
done
echo
awk -v t="${rps[tunnel]}" -v d="${rps[direct]}" -v n="${rps[nginx]}" 'BEGIN {printf "ratio tunnel/direct req/s: %.2f\nratio tunnel/nginx  req/s: %.2f\n", t/d, t/n}'
awk -v t="${fixed99[tunnel]}" -v d="${fixed99[direct]}" -v n="${fixed99[nginx]}" 'BEGIN {printf "p99 overhead at 1,000 req/s: tunnel-direct %.3f ms, nginx-direct %.3f ms\n", t-d, n-d}'
echo "edge RSS: $(rss_mb $EDGE_PID) MiB (peak $(hwm_mb $EDGE_PID) MiB); agent RSS: $(rss_mb $AGENT_PID) MiB (peak $(hwm_mb $AGENT_PID) MiB)"
