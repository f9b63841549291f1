#!/usr/bin/env bash
# Installs the Debian packages a purpose needs, only those that are missing.
#   run   - nothing beyond the .NET SDK (curl for the printed examples)
#   test  - the real peers the tests drive: PostgreSQL, curl, nginx, haproxy, and Go with
#           hashicorp/yamux (a yamux peer nobody here wrote, for the multiplexer's interop tests),
#           openssl (s_server as a TLS origin behind SNI passthrough), sprig and yaml.v2 for the
#           packaging tests' stand-in for `helm template` (helm itself is not packaged)
#   bench - load generators and reference proxies: wrk, h2load, iperf3, nginx (+ stream module
#           for UDP), haproxy, python3 (connection set-up timing)
set -euo pipefail
purpose=${1:-test}

declare -A binary_of=(
  [curl]=/usr/bin/curl
  [postgresql]=/usr/lib/postgresql/15/bin/initdb
  [nginx-light]=/usr/sbin/nginx
  [haproxy]=/usr/sbin/haproxy
  [wrk]=/usr/bin/wrk
  [nghttp2-client]=/usr/bin/h2load
  [procps]=/usr/bin/ps
  [golang-go]=/usr/bin/go
  [golang-github-hashicorp-yamux-dev]=/usr/share/gocode/src/github.com/hashicorp/yamux/session.go
  [openssl]=/usr/bin/openssl
  [golang-github-masterminds-sprig-dev]=/usr/share/gocode/src/github.com/Masterminds/sprig/functions.go
  [golang-gopkg-yaml.v2-dev]=/usr/share/gocode/src/gopkg.in/yaml.v2/yaml.go
  [iperf3]=/usr/bin/iperf3
  [libnginx-mod-stream]=/usr/lib/nginx/modules/ngx_stream_module.so
  [python3]=/usr/bin/python3
)

case "$purpose" in
  run) wanted=(curl) ;;
  test) wanted=(curl postgresql nginx-light haproxy procps golang-go golang-github-hashicorp-yamux-dev openssl golang-github-masterminds-sprig-dev golang-gopkg-yaml.v2-dev) ;;
  bench) wanted=(curl nginx-light haproxy wrk nghttp2-client procps iperf3 libnginx-mod-stream python3) ;;
  *) echo "usage: $0 run|test|bench" >&2; exit 2 ;;
esac

missing=()
for package in "${wanted[@]}"; do
  [ -e "${binary_of[$package]}" ] || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if ! command -v dotnet >/dev/null; then
  echo "error: the .NET 10 SDK is not installed; see https://learn.microsoft.com/dotnet/core/install/linux-debian" >&2
  exit 1
fi

if [ "$(id -u)" -ne 0 ]; then
  echo "error: missing Debian packages: ${missing[*]}; run as root or: sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi

echo "installing: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
# The packaged services are not wanted running: tests start their own on loopback.
for service in nginx haproxy postgresql; do
  if command -v service >/dev/null && service "$service" status >/dev/null 2>&1; then
    service "$service" stop >/dev/null 2>&1 || true
  fi
done
