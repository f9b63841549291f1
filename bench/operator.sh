#!/usr/bin/env bash
# Operator benchmark (run at the end of bench/run.sh): how fast the operator converges 1,000 Tunnels.
#   - the local control plane without the workload runner: `tunneld local --no-workloads --no-operator`
#   - the operator as its own process: `tunneld operator --kubeconfig ...`, so its memory is its own
#   - one EdgeNode whose edge is a real `tunneld serve` run directly (outside the runner), on loopback,
#     with the admin token the operator generated; the operator reaches its admin Service name
#     (edge-admin.bench.svc.cluster.local) through a hosts file (TUNNELOP_HOSTS_FILE)
# 1,000 Tunnels to a URL target are created with one `kubectl create`; a Tunnel counts as reconciled
# when its status says AgentNotConnected (no agents run without the runner), which the operator writes
# only after the user, the token, the token Secret and the agent Deployment exist. Reported: the time
# from the create until all are reconciled, reconciles per second and by result, the CPU seconds each
# process spent meanwhile (steadier than wall time on a shared machine), and the RSS and PSS of the
# operator, the control plane and the edge. OPERATOR_ENV / PLANE_ENV add environment variables to those
# processes (e.g. runtime knobs to compare); BENCH_HOLD=SECONDS keeps everything running afterwards for
# dotnet-counters or dotnet-gcdump.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
COUNT=${BENCH_TUNNELS:-1000}
TIMEOUT=${BENCH_OPERATOR_TIMEOUT:-300}
KUBECTL=${KUBECTL:-$(command -v /usr/lib/google-cloud-sdk/bin/kubectl.1.33 || command -v kubectl)}
work=$(mktemp -d /tmp/operator-bench.XXXXXX)
. "$root/bench/lib.sh"
trap cleanup EXIT

pss_mb() { awk '/^Pss:/ {printf "%.1f", $2/1024}' "/proc/$1/smaps_rollup"; } # RSS with pages shared between processes (the three tunnelds' runtime files) split among them
cpu_s() { awk -v t="$(getconf CLK_TCK)" '{printf "%.2f", ($14 + $15) / t}' "/proc/$1/stat"; } # user + system CPU seconds so far
now() { date +%s.%N; }
k() { "$KUBECTL" --kubeconfig "$work/kubeconfig" --cache-dir "$work/kube-cache" "$@"; }
fail() { echo "operator bench: $*" >&2; tail -n 20 "$work"/*.log >&2 || true; exit 1; }
wait_for() { # seconds description command...
  local deadline=$(( $(date +%s) + $1 )) what=$2; shift 2
  until "$@" >/dev/null 2>&1; do [ "$(date +%s)" -lt "$deadline" ] || fail "timed out waiting for $what"; sleep 0.2; done
}
reconcile_total() { curl -s "http://127.0.0.1:$METRICS/metrics" | awk '/^tunneloperator_reconcile_total\{controller="tunnels"/ {s += $NF} END {printf "%d", s}'; }
reconcile_results() { curl -s "http://127.0.0.1:$METRICS/metrics" | awk '/^tunneloperator_reconcile_total\{controller="tunnels"/ {match($0, /result="[a-z_]*"/); printf "%s%s %d", sep, substr($0, RSTART + 8, RLENGTH - 9), $NF; sep = ", "}'; }

API=$(free_port); METRICS=$(free_port); ADMIN=$(free_port); HTTPS=$(free_port)

env ${PLANE_ENV:-} TUNNELD_LOG=warn bin/tunneld local --no-workloads --no-operator --data-dir "$work/control-plane" --kubeconfig "$work/kubeconfig" \
  --addr "127.0.0.1:$API" --metrics-addr off --health-addr off > "$work/local.log" 2>&1 & PLANE_PID=$!; pids+=($PLANE_PID)
wait_for 60 "the local control plane" grep -q "tunneld local ready" "$work/local.log"

echo "127.0.0.1 edge-admin.bench.svc.cluster.local edge-admin.bench.svc edge-admin.bench" > "$work/hosts"
env ${OPERATOR_ENV:-} TUNNELOP_HOSTS_FILE="$work/hosts" TUNNELD_LOG=warn bin/tunneld operator --kubeconfig "$work/kubeconfig" \
  --metrics-addr "127.0.0.1:$METRICS" --health-addr off > "$work/operator.log" 2>&1 & OPERATOR_PID=$!; pids+=($OPERATOR_PID)
wait_for 60 "the operator" grep -q "tunneld operator ready" "$work/operator.log"

k create namespace bench >/dev/null
k apply -n bench -f - >/dev/null <<YAML
apiVersion: tunneloperator.io/v1alpha1
kind: EdgeNode
metadata:
  name: edge
spec:
  baseHost: bench.localhost
  ports: {https: $HTTPS, admin: $ADMIN}
  service: {type: ClusterIP}
YAML
wait_for 60 "the edge's admin token Secret" k get -n bench secret edge-admin-token
ADMIN_TOKEN=$(k get -n bench secret edge-admin-token -o jsonpath='{.data.token}' | base64 -d)
TUNNELD_ADMIN_TOKEN="$ADMIN_TOKEN" TUNNELD_LOG=warn bin/tunneld serve --base-host bench.localhost --data-dir "$work/edge" \
  --http-addr off --https-addr "127.0.0.1:$HTTPS" --control-addr off --admin-addr "127.0.0.1:$ADMIN" > "$work/edge.log" 2>&1 & EDGE_PID=$!; pids+=($EDGE_PID)
wait_for 60 "the edge" curl -sf "http://127.0.0.1:$ADMIN/readyz"

python3 - "$COUNT" > "$work/tunnels.yaml" <<'PY'
import sys
for i in range(int(sys.argv[1])):
    print(f"""---
apiVersion: tunneloperator.io/v1alpha1
kind: Tunnel
metadata:
  name: t{i:04d}
spec:
  edgeRef: {{name: edge}}
  target: {{url: "http://app.bench.svc.cluster.local:8080"}}
  name: t{i:04d}""")
PY

reconciled() { k get tunnels -n bench -o jsonpath='{range .items[*]}{.status.conditions[?(@.type=="Ready")].reason}{"\n"}{end}' | grep -c '^AgentNotConnected$' || true; }
export LOAD_BEFORE=$(cut -d' ' -f1 /proc/loadavg)
before=$(reconcile_total)
cpu_before=("$(cpu_s $OPERATOR_PID)" "$(cpu_s $PLANE_PID)" "$(cpu_s $EDGE_PID)")
start=$(now)
k create -n bench -f "$work/tunnels.yaml" >/dev/null
created=$(now)
done_count=0
deadline=$(( $(date +%s) + TIMEOUT ))
while :; do
  done_count=$(reconciled)
  [ "$done_count" -ge "$COUNT" ] && break
  [ "$(date +%s)" -lt "$deadline" ] || fail "only $done_count of $COUNT Tunnels reconciled within ${TIMEOUT}s"
  sleep 0.5
done
finished=$(now)
after=$(reconcile_total)
cpu_after=("$(cpu_s $OPERATOR_PID)" "$(cpu_s $PLANE_PID)" "$(cpu_s $EDGE_PID)")
deployments=$(k get deployments -n bench --no-headers | grep -c -- '-agent ' || true)
secrets=$(k get secrets -n bench --no-headers | grep -c -- '-tunnel-token ' || true)
tokens=$(curl -s -H "Authorization: Bearer $ADMIN_TOKEN" "http://127.0.0.1:$ADMIN/admin/tokens" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')

echo
echo "Operator benchmark: $COUNT Tunnels on one EdgeNode (edge run directly as tunneld serve), workload runner off; $(nproc) cores"
awk -v s="$start" -v c="$created" -v f="$finished" -v n="$COUNT" -v r="$((after - before))" 'BEGIN {
  printf "kubectl create of %d Tunnels: %.1f s\n", n, c - s
  printf "all reconciled (children created, status written): %.1f s after the create began (target: 60 s)\n", f - s
  printf "reconciles: %d in %.1f s = %.0f/s (tunnels controller, every reconcile including finalizer adds)\n", r, f - s, r / (f - s)
}'
echo "reconciles by result since the operator started: $(reconcile_results)"
awk -v o0="${cpu_before[0]}" -v o1="${cpu_after[0]}" -v p0="${cpu_before[1]}" -v p1="${cpu_after[1]}" -v e0="${cpu_before[2]}" -v e1="${cpu_after[2]}" 'BEGIN {
  printf "CPU from the create until all reconciled: operator %.1f s, control plane %.1f s, edge %.1f s (load average before: %s)\n", o1 - o0, p1 - p0, e1 - e0, ENVIRON["LOAD_BEFORE"]
}'
echo "children: $deployments agent Deployments, $secrets token Secrets, $tokens tokens on the edge"
echo "RSS: operator $(rss_mb $OPERATOR_PID) MiB (peak $(hwm_mb $OPERATOR_PID) MiB, target < 150); control plane $(rss_mb $PLANE_PID) MiB (peak $(hwm_mb $PLANE_PID) MiB); edge $(rss_mb $EDGE_PID) MiB"
echo "PSS: operator $(pss_mb $OPERATOR_PID) MiB; control plane $(pss_mb $PLANE_PID) MiB; edge $(pss_mb $EDGE_PID) MiB"
if [ -n "${BENCH_HOLD:-}" ]; then # keep the processes for inspection (dotnet-counters, dotnet-gcdump) for BENCH_HOLD seconds
  echo "holding for ${BENCH_HOLD}s: operator $OPERATOR_PID, control plane $PLANE_PID, edge $EDGE_PID, metrics http://127.0.0.1:$METRICS/metrics"
  sleep "$BENCH_HOLD"
fi
