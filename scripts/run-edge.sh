#!/usr/bin/env bash
# `make run-edge`: a lone edge (no Kubernetes) on embedded defaults, on loopback ports, with its state in .local/edge.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
data=.local/edge
mkdir -p "$data"
HTTP=${TUNNELD_HTTP_ADDR:-127.0.0.1:8080}
HTTPS=${TUNNELD_HTTPS_ADDR:-127.0.0.1:8443}
CONTROL=${TUNNELD_CONTROL_ADDR:-127.0.0.1:7777}
ADMIN=${TUNNELD_ADMIN_ADDR:-127.0.0.1:9090}
https_port=${HTTPS##*:}

cat <<TEXT
Starting tunneld: base host localhost (so *.localhost is loopback), SQLite and a generated CA in $data.

In another terminal:
  # 1. a user and a token (the token is the last line)
  bin/tunneld admin create-user --email you@example.com --data-dir $data
  bin/tunneld admin issue-token --email you@example.com --name laptop --data-dir $data

  # 2. log in once, trusting the generated CA
  bin/tunnelctl login --token <TOKEN> --endpoint https://localhost:$https_port --ca-cert $data/ca.crt

  # 3. something to expose, and a tunnel to it
  python3 -m http.server 3000 --bind 127.0.0.1 &
  bin/tunnelctl tunnel --url http://127.0.0.1:3000 --name demo

  # 4. the printed public URL works from here
  curl --cacert $data/ca.crt https://demo-<your-slug>.localhost:$https_port/

Admin API: curl -H "Authorization: Bearer \$(cat $data/admin.token)" http://$ADMIN/admin/tunnels
Metrics:   curl http://$ADMIN/metrics
Ctrl-C stops the edge.
TEXT
exec bin/tunneld serve --base-host localhost --data-dir "$data" \
  --http-addr "$HTTP" --https-addr "$HTTPS" --control-addr "$CONTROL" --admin-addr "$ADMIN"
