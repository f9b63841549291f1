# Helpers shared by the benchmark scripts (sourced, not run). A script sets `work` (its temporary
# directory) and appends the processes it starts to `pids`; `trap cleanup EXIT` stops them all.

pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }

# A loopback TCP port that was free a moment ago.
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
# Until an HTTP request (curl arguments) gets any answer, for at most 10 s.
wait_http() { for _ in $(seq 1 200); do curl -s -o /dev/null "$@" && return 0; sleep 0.05; done; echo "timed out waiting for $*" >&2; exit 1; }
# Until 127.0.0.1:<port> accepts a TCP connection, for at most 30 s.
wait_tcp() { for _ in $(seq 1 600); do (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 0.05; done; echo "timed out waiting for port $1" >&2; tail -n 5 "$work"/*.log >&2; exit 1; }

# Memory of a process in MiB: resident now, peak resident, and proportional (pages shared with
# other processes, such as the runtime's files, split among them).
rss_mb() { awk '/VmRSS/ {printf "%.1f", $2/1024}' "/proc/$1/status"; }
hwm_mb() { awk '/VmHWM/ {printf "%.1f", $2/1024}' "/proc/$1/status"; }
pss_mb() { awk '/^Pss:/ {printf "%.1f", $2/1024}' "/proc/$1/smaps_rollup"; }

# user + system CPU of a process in clock ticks (fields 14 and 15 of stat; the command name may
# hold spaces, so the fields are counted after its closing parenthesis), and in seconds.
cpu_ticks() { sed 's/.*) //' "/proc/$1/stat" | awk '{print $12 + $13}'; }
cpu_s() { awk -v t="$(cpu_ticks "$1")" -v hz="$(getconf CLK_TCK)" 'BEGIN {printf "%.2f", t / hz}'; }

# The origin every HTTP benchmark uses: nginx on 127.0.0.1:<port> serving a 1 KiB body, started
# and waited for. Further directives for nginx's http block (another server, an upstream) may
# follow as the second argument.
start_origin() {
  chmod 755 "$work" # nginx's workers (nobody, when started as root) must reach the body
  head -c 1024 /dev/urandom | base64 -w0 | head -c 1024 > "$work/body.txt"
  cat > "$work/nginx.conf" <<NGINX
worker_processes 1;
pid $work/nginx.pid;
error_log $work/nginx-error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  server { listen 127.0.0.1:$1; location / { root $work; try_files /body.txt =404; } }
${2:-}
}
NGINX
  nginx -c "$work/nginx.conf" -g 'daemon off;' & pids+=($!)
  wait_http "http://127.0.0.1:$1/"
  local answer
  answer=$(curl -s -o /dev/null -w '%{http_code} %{size_download}' "http://127.0.0.1:$1/")
  [ "$answer" = "200 1024" ] || { echo "the origin answered '$answer', not '200 1024'" >&2; exit 1; }
}

# Context switches of all live threads of a process: each thread hand-off costs a wake-up and a switch.
ctx_switches() { cat /proc/"$1"/task/*/status 2>/dev/null | awk '/ctxt_switches/ {s += $2} END {print s}'; }

# One iperf3 client run against 127.0.0.1:<port> as JSON (further arguments go to iperf3, -t
# included). iperf3 serves one test at a time and may still be closing the previous one: a
# "busy" answer is retried.
iperf_json() {
  local port=$1 out
  for _ in 1 2 3 4 5; do
    out=$(iperf3 -c 127.0.0.1 -p "$port" -J "${@:2}" 2>/dev/null || true)
    grep -q '"error"' <<<"$out" || { echo "$out"; return; }
    sleep 1
  done
  echo "iperf3 to port $port failed: $(grep '"error"' <<<"$out")" >&2
  echo "$out"
}

# perf reports for the edge and the agent of <perf.data dir> <edge pid> <agent pid> <rows>:
# top symbols (<name>-self.txt) and libraries (<name>-dso.txt) per program, the symbols printed.
perf_reports() {
  local out=$1 rows=$4 who name pid
  for who in edge:$2 agent:$3; do
    name=${who%%:*}; pid=${who#*:}
    perf report -i "$out/perf.data" --pid "$pid" --no-children --percentage relative --sort dso,sym --stdio 2>/dev/null | grep -v '^$' > "$out/$name-self.txt" || true
    perf report -i "$out/perf.data" --pid "$pid" --no-children --percentage relative --sort dso --stdio 2>/dev/null | grep -v '^$' > "$out/$name-dso.txt" || true
  done
  echo "perf: $out/perf.data; top symbols per program in $out/{edge,agent}-self.txt, by library in $out/{edge,agent}-dso.txt"
  for name in edge agent; do
    echo "--- $name: top self time"
    grep -m "$rows" -E '^ +[0-9.]+%' "$out/$name-self.txt" || true
  done
}
