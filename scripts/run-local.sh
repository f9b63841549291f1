#!/usr/bin/env bash
# `make run`: the whole suite on this machine, no cluster needed. `tunneld local` starts a local
# Kubernetes API (state in .local/control-plane, kubeconfig at .local/kubeconfig), its workload
# runner (Deployments of the suite's image run as local processes on loopback addresses,
# LoadBalancer Services on 127.0.0.1) and the operator, then prints the quick start:
#   kubectl --kubeconfig .local/kubeconfig apply -f config/samples/
#   kubectl --kubeconfig .local/kubeconfig get tunnels
#   curl --cacert .local/edge-ca.crt <URL>
# Ctrl-C stops everything; the state stays for the next `make run`.
# `make run-edge` runs a lone edge on embedded defaults instead (scripts/run-edge.sh).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
mkdir -p .local
exec bin/tunneld local --data-dir .local/control-plane --kubeconfig .local/kubeconfig "$@"
