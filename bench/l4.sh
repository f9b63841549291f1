#!/usr/bin/env bash
# L4 benchmark, side by side in one run, all on loopback (run by `make bench` after run.sh):
#   direct - client -> origin
#   proxy  - client -> haproxy in TCP mode (nginx stream for UDP: haproxy has no UDP) -> origin
#   tunnel - client -> tunneld declared port -> mux stream -> tunnelctl agent -> origin
# Measurements per path: iperf3 TCP throughput (one stream), iperf3 UDP throughput (unlimited
# offered rate, 1400-byte datagrams, what the receiver got), and connection set-up rate and
# latency (connect + first echoed byte, bench/connrate.py). Edge and agent RSS and CPU seconds
# are read from /proc around the tunnel runs. Prints ratios at the end.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
DURATION=${BENCH_DURATION:-10}
CONN_SECONDS=${BENCH_CONN_SECONDS:-5}
WARMUP=${BENCH_WARMUP:-5}
CONN_WORKERS=${BENCH_CONN_WORKERS:-16}
work=$(mktemp -d /tmp/tunnel-l4-bench.XXXXXX)
. "$root/bench/lib.sh"
trap cleanup EXIT

hz=$(getconf CLK_TCK)

IPERF=$(free_port); ECHO=$(free_port); HAPROXY=$(free_port); HAPROXY_ECHO=$(free_port); NGINX=$(free_port)
TUNNEL=$(free_port); TUNNEL_ECHO=$(free_port); HTTP=$(free_port); HTTPS=$(free_port); CONTROL=$(free_port); ADMIN=$(free_port)

iperf3 -s -B 127.0.0.1 -p "$IPERF" > "$work/iperf3.log" 2>&1 & pids+=($!)
python3 bench/connrate.py echo "$ECHO" & pids+=($!)
wait_tcp "$IPERF"; wait_tcp "$ECHO"

cat > "$work/haproxy.cfg" <<CFG
global
  maxconn 4000
defaults
  mode tcp
  timeout connect 5s
  timeout client 60s
  timeout server 60s
listen iperf
  bind 127.0.0.1:$HAPROXY
  server origin 127.0.0.1:$IPERF
listen echo
  bind 127.0.0.1:$HAPROXY_ECHO
  server origin 127.0.0.1:$ECHO

CFG
haproxy -f "$work/haproxy.cfg" -db > "$work/haproxy.log" 2>&1 & pids+=($!)

# nginx's stream module relays UDP (and the iperf3 control connection on the same port number).
cat > "$work/nginx.conf" <<NGINX
load_module /usr/lib/nginx/modules/ngx_stream_module.so;
worker_processes 1;
pid $work/nginx.pid;
error_log $work/nginx-error.log warn;
events { worker_connections 4096; }
stream {
  server { listen 127.0.0.1:$NGINX; proxy_pass 127.0.0.1:$IPERF; }
  server { listen 127.0.0.1:$NGINX udp; proxy_pass 127.0.0.1:$IPERF; proxy_timeout 30s; }
}
NGINX
nginx -c "$work/nginx.conf" -g 'daemon off;' & pids+=($!)

TUNNELD_LOG=warn bin/tunneld serve --base-host localhost --data-dir "$work/edge" \
  --http-addr "127.0.0.1:$HTTP" --https-addr "127.0.0.1:$HTTPS" --control-addr "127.0.0.1:$CONTROL" \
  --admin-addr "127.0.0.1:$ADMIN" --ports-bind-addr 127.0.0.1 > "$work/tunneld.log" 2>&1 & EDGE_PID=$!; pids+=($EDGE_PID)
for _ in $(seq 1 600); do grep -q "tunneld ready" "$work/tunneld.log" && break; sleep 0.05; done
TOKEN=$(bin/tunneld invite create --name bench --data-dir "$work/edge" | tail -n 1)
TUNNEL_LOG=warn TUNNEL_INVITE_TOKEN="$TOKEN" TUNNEL_CA_CERT="$work/edge/ca.crt" \
  TUNNEL_AGENT_TCP_SERVICES="[{\"name\":\"iperf\",\"origin\":\"127.0.0.1:$IPERF\",\"listen_port\":$TUNNEL},{\"name\":\"echo\",\"origin\":\"127.0.0.1:$ECHO\",\"listen_port\":$TUNNEL_ECHO}]" \
  TUNNEL_AGENT_UDP_SERVICES="[{\"name\":\"iperf-udp\",\"origin\":\"127.0.0.1:$IPERF\",\"listen_port\":$TUNNEL}]" \
  bin/tunnelctl agent > "$work/agent.log" 2>&1 & AGENT_PID=$!; pids+=($AGENT_PID)
for _ in $(seq 1 600); do grep -q "tunnelctl agent ready" "$work/agent.log" && break; sleep 0.05; done
grep -q "tunnelctl agent ready" "$work/agent.log" || { echo "agent did not start:"; cat "$work/agent.log"; exit 1; }
wait_tcp "$HAPROXY_ECHO"; wait_tcp "$NGINX"; wait_tcp "$TUNNEL_ECHO"

declare -A tcp udp udploss rate p50 p99 errs
# Warm-up before each measured TCP run: pools fill and the .NET programs' tiered JIT settles
# (a 2 s warm-up left part of that inside the measurement). Not counted in the CPU figures.
warm_iperf() { iperf_json "$1" -t "$WARMUP" >/dev/null; }
run_iperf() { # name port
  local name=$1 port=$2 out
  out=$(iperf_json "$port" -t "$DURATION")
  tcp[$name]=$(python3 -c 'import json,sys; d=json.load(sys.stdin); print("%.2f" % (d["end"]["sum_received"]["bits_per_second"]/1e9))' <<<"$out" 2>/dev/null || echo 0)
}
run_iperf_udp() { # name port
  local name=$1 port=$2 out
  out=$(iperf_json "$port" -t "$DURATION" -u -b 0 -l 1400)
  read -r udp[$name] udploss[$name] < <(python3 -c 'import json,sys; d=json.load(sys.stdin); s=d["end"]["sum"]; print("%.2f %.1f" % (s["bits_per_second"]/1e9 * (1 - s["lost_percent"]/100), s["lost_percent"]))' <<<"$out" 2>/dev/null || echo "0 100")
}
run_conn() { # name port
  local name=$1 port=$2
  python3 bench/connrate.py run "$port" 1 "$CONN_WORKERS" >/dev/null
  read -r rate[$name] p50[$name] p99[$name] errs[$name] < <(python3 bench/connrate.py run "$port" "$CONN_SECONDS" "$CONN_WORKERS")
}

warm_iperf "$IPERF"; run_iperf direct "$IPERF"; warm_iperf "$HAPROXY"; run_iperf proxy "$HAPROXY"
warm_iperf "$TUNNEL"
e0=$(cpu_ticks $EDGE_PID); a0=$(cpu_ticks $AGENT_PID)
run_iperf tunnel "$TUNNEL"
e1=$(cpu_ticks $EDGE_PID); a1=$(cpu_ticks $AGENT_PID)
run_iperf_udp direct "$IPERF"; run_iperf_udp proxy "$NGINX"
e2=$(cpu_ticks $EDGE_PID); a2=$(cpu_ticks $AGENT_PID)
run_iperf_udp tunnel "$TUNNEL"
e3=$(cpu_ticks $EDGE_PID); a3=$(cpu_ticks $AGENT_PID)
run_conn direct "$ECHO"; run_conn proxy "$HAPROXY_ECHO"
e4=$(cpu_ticks $EDGE_PID); a4=$(cpu_ticks $AGENT_PID)
run_conn tunnel "$TUNNEL_ECHO"
e5=$(cpu_ticks $EDGE_PID); a5=$(cpu_ticks $AGENT_PID)
secs() { awk -v t="$1" -v hz="$hz" 'BEGIN {printf "%.1f", t/hz}'; }

echo
echo "L4 benchmark: ${DURATION}s iperf3 runs (TCP: 1 stream; UDP: unlimited rate, 1400-byte datagrams), ${CONN_SECONDS}s connection runs with $CONN_WORKERS workers; $(nproc) cores"
echo "proxy = haproxy (TCP mode) for TCP and connections, nginx stream for UDP"
printf '%-8s %12s %14s %10s %12s %10s %10s\n' path "TCP Gbit/s" "UDP Gbit/s" "UDP loss" "conn/s" "p50 ms" "p99 ms"
for name in direct proxy tunnel; do
  printf '%-8s %12s %14s %9s%% %12s %10s %10s\n' "$name" "${tcp[$name]}" "${udp[$name]}" "${udploss[$name]}" "${rate[$name]}" "${p50[$name]}" "${p99[$name]}"
done
echo
awk -v t="${tcp[tunnel]}" -v d="${tcp[direct]}" -v p="${tcp[proxy]}" 'BEGIN {printf "ratio tunnel/direct TCP: %.2f (target >= 0.5)\nratio tunnel/haproxy TCP: %.2f (target >= 0.8)\n", t/d, t/p}'
awk -v t="${udp[tunnel]}" -v d="${udp[direct]}" -v p="${udp[proxy]}" 'BEGIN {printf "ratio tunnel/direct UDP: %.2f (target >= 0.5)\nratio tunnel/nginx UDP: %.2f\n", t/d, t/p}'
awk -v t="${rate[tunnel]}" -v d="${rate[direct]}" -v p="${rate[proxy]}" 'BEGIN {printf "ratio tunnel/direct conn/s: %.2f; tunnel/haproxy conn/s: %.2f\n", t/d, t/p}'
echo "connection errors: direct ${errs[direct]}, proxy ${errs[proxy]}, tunnel ${errs[tunnel]}"
echo "CPU seconds during the tunnel runs: TCP edge $(secs $((e1-e0))) agent $(secs $((a1-a0))); UDP edge $(secs $((e3-e2))) agent $(secs $((a3-a2))); connections edge $(secs $((e5-e4))) agent $(secs $((a5-a4)))"
echo "edge RSS: $(rss_mb $EDGE_PID) MiB (peak $(hwm_mb $EDGE_PID) MiB); agent RSS: $(rss_mb $AGENT_PID) MiB (peak $(hwm_mb $AGENT_PID) MiB)"
