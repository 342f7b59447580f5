#!/usr/bin/env bash
# Runs one benchmark scenario against contentgen (and nginx+nchan where it applies), on loopback,
# bounded in count and time; stops everything it started. Usage:
#   bench/run.sh SCENARIO [--store sqlite|postgresql] [--n N]
# Scenarios: capacity, fanout, manyjobs, dbcost, catchup, throughput, auth. Results go to stdout and
# bench/results.log; copy the lines you keep into bench/RESULTS.md with the command.
# capacity takes a list too (--n 1000,5000,10000,18000: a fresh server per size, for the slope); past
# 9,000 subscribers it spreads them over several client processes (a process here may open at most
# 20,000 files). BENCH_PORT (default 18090) sets contentgen's port; nchan listens on the next one.
set -euo pipefail
cd "$(dirname "$0")/.."
root="$(pwd)"
scenario="${1:?scenario: capacity|fanout|manyjobs|dbcost|catchup|throughput|auth}"; shift
store=sqlite; n=""
while [ $# -gt 0 ]; do
  case "$1" in
    --store) store="$2"; shift 2 ;;
    --n) n="$2"; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done

work="$(mktemp -d /tmp/contentgen-bench.XXXXXX)"
# BENCH_PORT moves both servers (nchan listens on the next port), so parallel runs do not clash.
port="${BENCH_PORT:-18090}"; nchan_port=$((port + 1))
pids=()
cleanup() {
  for pid in "${pids[@]:-}"; do [ -n "$pid" ] && kill "$pid" 2>/dev/null || true; done
  [ -f "$work/nchan/nginx.pid" ] && kill "$(cat "$work/nchan/nginx.pid")" 2>/dev/null || true
  sleep 1
  [ "$store" = postgresql ] && psql -h 127.0.0.1 -U postgres -qc "drop database if exists $pgdb with (force)" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
pgdb="cg_bench_$$"

ulimit -n 20000 2>/dev/null || true
# nginx + nchan is the reference the stream scenarios compare with (Debian: nginx, libnginx-mod-nchan).
nchan_module=/usr/lib/nginx/modules/ngx_nchan_module.so
if ! command -v nginx >/dev/null || [ ! -f "$nchan_module" ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "installing nginx and nchan (apt-get install -y nginx libnginx-mod-nchan) for the comparison" >&2
    apt-get install -y -q nginx libnginx-mod-nchan >/dev/null || echo "install failed: the nchan rows are skipped" >&2
  else
    echo "nginx + nchan missing: the nchan rows are skipped (apt-get install nginx libnginx-mod-nchan)" >&2
  fi
fi
has_nchan() { command -v nginx >/dev/null && [ -f "$nchan_module" ]; }
./contentgen --version >/dev/null   # builds the jars when needed
bench() { CONTENTGEN_MAIN_JAR="$root/bench/target/contentgen-bench.jar" CONTENTGEN_JAVA_OPTS="-Xss256k" ./contentgen "$@"; }

db_args=()
if [ "$store" = postgresql ]; then
  psql -h 127.0.0.1 -U postgres -qc "create database $pgdb" >/dev/null
  db_args=(--db "postgresql://postgres@127.0.0.1:5432/$pgdb")
fi

start_contentgen() {  # extra serve flags
  ./contentgen serve --port "$port" --data-dir "$work/data" "${db_args[@]}" "$@" > "$work/server.log" 2>&1 &
  server_pid=$!; pids+=("$server_pid")
  for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && return 0; sleep 0.2; done
  echo "contentgen did not start:"; cat "$work/server.log"; exit 1
}

start_nchan() {
  mkdir -p "$work/nchan"
  sed -e "s#__DIR__#$work/nchan#g" -e "s#__PORT__#$nchan_port#g" bench/nchan/nginx.conf.template > "$work/nchan/nginx.conf"
  nginx -p "$work/nchan" -c "$work/nchan/nginx.conf"
  sleep 0.5
  nchan_pids="$(pgrep -P "$(cat "$work/nchan/nginx.pid")" | paste -sd, -)"
}

rss_kib() {  # comma-separated pids → their summed resident memory
  local total=0 p
  for p in ${1//,/ }; do total=$((total + $(awk '/^VmRSS:/{print $2}' "/proc/$p/status"))); done
  echo "$total"
}

# Holds N idle subscribers on URL (in as many client processes as the file limit needs) and reports
# each process's line: held, connect time, the server's CPU over the hold and its RSS per subscriber.
hold_idle() {  # N URL PIDS LABEL [subscribe options…]
  local subs="$1" url="$2" server_pids="$3" label="$4"; shift 4
  local clients=$(( (subs + 8999) / 9000 )) rss0 i part parts=()
  rss0="$(rss_kib "$server_pids")"
  for i in $(seq 1 "$clients"); do
    part=$(( subs / clients )); [ "$i" -eq "$clients" ] && part=$(( subs - (clients - 1) * (subs / clients) ))
    bench subscribe --url "$url" --subscribers "$part" --duration 20 --server-pid "$server_pids" \
      --rss-baseline-kib "$rss0" --all-subscribers "$subs" \
      --label "$label$([ "$clients" -gt 1 ] && echo ", client $i of $clients")" "$@" > "$work/client$i.out" &
    parts+=($!)
  done
  wait "${parts[@]}"
  cat "$work"/client*.out | log; rm -f "$work"/client*.out
}

create_job() {  # JSON body → id
  curl -sf "http://127.0.0.1:$port/api/jobs" -H 'Content-Type: application/json' -d "$1" | sed -E 's/.*"id":"([^"]+)".*/\1/'
}

machine="$(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(uname -r)"
echo "# $(date -u +%FT%TZ) scenario=$scenario store=$store machine: $machine" | tee -a bench/results.log
log() { tee -a bench/results.log; }

case "$scenario" in
  capacity)
    sizes="${n:-1000}"
    for subs in ${sizes//,/ }; do
      start_contentgen --workers 0
      job="$(create_job '{"topic":"Idle subscribers"}')"
      sleep 2
      hold_idle "$subs" "http://127.0.0.1:$port/api/jobs/$job/events" "$server_pid" "contentgen capacity $subs ($store)" \
        --metrics "http://127.0.0.1:$port/metrics"
      kill "$server_pid"; wait "$server_pid" 2>/dev/null || true
      if has_nchan; then
        start_nchan
        hold_idle "$subs" "http://127.0.0.1:$nchan_port/sub?id=idle" "$nchan_pids" "nchan capacity $subs"
        kill "$(cat "$work/nchan/nginx.pid")"; sleep 1; rm -rf "$work/nchan"
      fi
    done ;;
  fanout)
    subs="${n:-1000}"
    start_contentgen --tokens-per-second 20 --delta-window 50ms --workers 1
    job="$(create_job '{"topic":"Fan-out at twenty events a second","length":"long"}')"
    bench subscribe --url "http://127.0.0.1:$port/api/jobs/$job/events" --subscribers "$subs" --duration 30 \
      --server-pid "$server_pid" --metrics "http://127.0.0.1:$port/metrics" --label "contentgen fanout $subs x 20/s ($store)" | log
    if has_nchan; then
      start_nchan
      (sleep 3; bench publish --url "http://127.0.0.1:$nchan_port/pub?id=fan" --rate 20 --size 250 --duration 33 >/dev/null 2>&1) &
      pids+=($!)
      bench subscribe --url "http://127.0.0.1:$nchan_port/sub?id=fan" --subscribers "$subs" --duration 30 \
        --server-pid "$nchan_pids" --label "nchan fanout $subs x 20/s" | log
    fi ;;
  manyjobs)
    jobs="${n:-500}"
    start_contentgen --tokens-per-second 0 --workers 8
    bench jobs --server "http://127.0.0.1:$port" --count "$jobs" --urls-out "$work/urls.txt" --label "created" >/dev/null
    bench subscribe --url-list "$work/urls.txt" --per-url 2 --until-ended --from-start --duration 120 \
      --server-pid "$server_pid" --metrics "http://127.0.0.1:$port/metrics" --label "contentgen manyjobs $jobs x 2 ($store)" | log ;;
  dbcost)
    subs="${n:-1000}"
    start_contentgen --workers 0
    idle="$(create_job '{"topic":"Idle streams cost nothing"}')"
    bench subscribe --url "http://127.0.0.1:$port/api/jobs/$idle/events" --subscribers "$subs" --duration 20 \
      --server-pid "$server_pid" --metrics "http://127.0.0.1:$port/metrics" --label "contentgen dbcost idle $subs ($store)" | log
    # The idle job must not be the next one claimed when workers start.
    curl -sf -X POST "http://127.0.0.1:$port/api/jobs/$idle/cancel" >/dev/null
    kill "$server_pid"; wait "$server_pid" 2>/dev/null || true
    start_contentgen --workers 1 --tokens-per-second 20 --delta-window 50ms
    busy="$(create_job '{"topic":"A busy job watched by many","length":"long"}')"
    bench subscribe --url "http://127.0.0.1:$port/api/jobs/$busy/events" --subscribers "$subs" --duration 20 \
      --server-pid "$server_pid" --metrics "http://127.0.0.1:$port/metrics" --label "contentgen dbcost busy $subs ($store)" | log ;;
  catchup)
    subs="${n:-1000}"
    mkdir -p "$work/data"
    job="$(bench seed --data-dir "$work/data" "${db_args[@]}" --events 2000 | tail -n 1)"
    start_contentgen --workers 0
    bench subscribe --url "http://127.0.0.1:$port/api/jobs/$job/events" --subscribers "$subs" --until-ended --from-start --duration 120 \
      --server-pid "$server_pid" --metrics "http://127.0.0.1:$port/metrics" --label "contentgen catchup $subs x 2000 events ($store)" | log
    if has_nchan; then
      start_nchan
      bench publish --url "http://127.0.0.1:$nchan_port/pub?id=long" --rate 2000 --size 250 --duration 1 >/dev/null
      # /replay starts each subscriber at the oldest buffered message, as Last-Event-ID 0 does for contentgen.
      bench subscribe --url "http://127.0.0.1:$nchan_port/replay?id=long" --subscribers "$subs" --from-start --duration 20 \
        --server-pid "$nchan_pids" --label "nchan catchup $subs x buffered messages" | log
    fi ;;
  throughput)
    count="${n:-2000}"
    start_contentgen --tokens-per-second 0 --workers 16
    bench jobs --server "http://127.0.0.1:$port" --count "$count" --concurrency 32 --wait \
      --label "contentgen throughput $count short articles ($store)" | log ;;
  auth)
    # What a key costs per request: GET /api/jobs/{id} in local mode, then with a key (one indexed lookup).
    start_contentgen --workers 0
    job="$(create_job '{"topic":"What a key costs"}')"
    bench requests --url "http://127.0.0.1:$port/api/jobs/$job" --concurrency 16 --duration 20 \
      --label "contentgen GET job, local mode, no key ($store)" | log
    kill "$server_pid"; wait "$server_pid" 2>/dev/null || true
    key="$(./contentgen keys create --name bench --data-dir "$work/data" "${db_args[@]}" 2>/dev/null)"
    start_contentgen --workers 0 --auth keys
    # The job was created in local mode; the bench key's owner sees its own jobs only, so make one.
    job="$(curl -sf "http://127.0.0.1:$port/api/jobs" -H "Authorization: Bearer $key" -H 'Content-Type: application/json' \
      -d '{"topic":"What a key costs"}' | sed -E 's/.*"id":"([^"]+)".*/\1/')"
    bench requests --url "http://127.0.0.1:$port/api/jobs/$job" --header "Authorization: Bearer $key" --concurrency 16 --duration 20 \
      --label "contentgen GET job, with a key ($store)" | log ;;
  *) echo "unknown scenario $scenario" >&2; exit 2 ;;
esac
