#!/usr/bin/env bash
# Runs one benchmark scenario against contentgen (and nginx+nchan where it applies), on loopback,
# bounded in count and time; stops everything it started. Usage:
#   bench/run.sh SCENARIO [--store sqlite|postgresql] [--n N] [--nodes 1|2] [--sweep] [--rounds R] [--aot]
# Scenarios: capacity, fanout, manyjobs, dbcost, catchup, throughput, auth, concurrent, bytes, write-floor, retention, webhooks. Results go to
# stdout and bench/results.log; copy the lines you keep into bench/RESULTS.md with the command.
# capacity takes a list too (--n 1000,5000,10000,18000: a fresh server per size, for the slope); past
# 9,000 subscribers it spreads them over several client processes (a process here may open at most
# 20,000 files). --rounds R (capacity, concurrent): R holds (R rounds of N jobs) one after another on the same
# server; the first meets a fresh process (its code not yet compiled by the JIT), the later ones a warm one.
# --aot (capacity, JDK 25+): each measured node starts from an AOT cache (classes loaded and linked, method profiles)
# that a training node wrote as it stopped, after holding the same subscribers twice (README, "A node that starts warm"). BENCH_PORT (default 18090) sets contentgen's port; nchan listens on the next one.
set -euo pipefail
cd "$(dirname "$0")/.."
root="$(pwd)"
scenario="${1:?scenario: capacity|fanout|manyjobs|dbcost|catchup|throughput|auth|concurrent|bytes|write-floor|retention|webhooks}"; shift
store=sqlite; n=""; nodes=1; sweep=false; rounds=1; aot=false
while [ $# -gt 0 ]; do
  case "$1" in
    --store) store="$2"; shift 2 ;;
    --n) n="$2"; shift 2 ;;
    --nodes) nodes="$2"; shift 2 ;;
    --sweep) sweep=true; shift ;;
    --rounds) rounds="$2"; shift 2 ;;
    --aot) aot=true; shift ;;
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
  start_node "$port" "$work/data" "$@"; server_pid=$node_pid
}

# CONTENTGEN_SERVER_HOME: run the nodes from another checkout (e.g. the commit before a change) with this load tool.
server_home="${CONTENTGEN_SERVER_HOME:-$root}"
start_node() {  # port, data dir, extra serve flags → node_pid
  local node_port="$1" dir="$2"; shift 2
  "$server_home/contentgen" serve --port "$node_port" --data-dir "$dir" "${db_args[@]}" "$@" > "$dir.log" 2>&1 &
  node_pid=$!; pids+=("$node_pid")
  for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$node_port/healthz" >/dev/null && return 0; sleep 0.2; done
  echo "contentgen did not start:"; cat "$dir.log"; exit 1
}

fresh_store() {  # a new, empty store for each run of a sweep
  if [ "$store" = postgresql ]; then
    psql -h 127.0.0.1 -U postgres -qc "drop database if exists $pgdb with (force)" -c "create database $pgdb" >/dev/null
  fi
  rm -rf "$work"/node*
}

# N jobs at a real model's pace (40 tokens/s, 100 ms deltas), one subscriber each, on $nodes node(s).
concurrent_run() {  # N [request body] → prints the result line
  local jobs="$1" body="${2:-}" urls="" node_pids=""
  fresh_store
  for i in $(seq 1 "$nodes"); do
    start_node $((port + 10 * i)) "$work/node$i" --workers "$jobs" --tokens-per-second 40 --delta-window 100ms --heartbeat 15s
    urls="${urls:+$urls,}http://127.0.0.1:$((port + 10 * i))"; node_pids="${node_pids:+$node_pids,}$node_pid"
  done
  local db_opts=()
  if [ "$store" = postgresql ]; then
    db_opts=(--db-process postgres --wal-bytes-command \
      "psql -h 127.0.0.1 -U postgres -Atc \"select pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')::bigint\"")
  fi
  [ -n "$body" ] && db_opts+=(--body "$body")
  bench generations --server "$urls" --n "$jobs" --rounds "$rounds" --server-pid "$node_pids" "${db_opts[@]}" \
    --label "contentgen concurrent $jobs ($store, $nodes node(s))" | log
  for pid in ${node_pids//,/ }; do kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null || true; done
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
  # Every client's window starts once all have connected: idle CPU is then measured idle, not during another's connecting.
  rm -rf "$work/ready"
  for i in $(seq 1 "$clients"); do
    part=$(( subs / clients )); [ "$i" -eq "$clients" ] && part=$(( subs - (clients - 1) * (subs / clients) ))
    bench subscribe --url "$url" --subscribers "$part" --duration 20 --server-pid "$server_pids" \
      --rss-baseline-kib "$rss0" --all-subscribers "$subs" --ready-dir "$work/ready" --ready-count "$clients" \
      --label "$label$([ "$clients" -gt 1 ] && echo ", client $i of $clients")" "$@" > "$work/client$i.out" &
    parts+=($!)
  done
  wait "${parts[@]}"
  cat "$work"/client*.out | log; rm -f "$work"/client*.out
}

# The next round starts once the node has ended this round's streams (without a stream limit, a stream learns
# that its client left at its next heartbeat); at most 40 s.
await_streams_ended() {
  for _ in $(seq 1 80); do
    curl -sf "http://127.0.0.1:$port/healthz" | grep -q '"openStreams":0' && return 0; sleep 0.5
  done
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
      node_opts=""
      if $aot; then
        # The training node: the JVM records what it loads and profiles, and writes the cache as it exits.
        rm -f "$work/contentgen.aot"
        CONTENTGEN_JAVA_OPTS="-XX:AOTCacheOutput=$work/contentgen.aot" start_contentgen --workers 0
        job="$(create_job '{"topic":"Idle subscribers"}')"
        for round in 1 2; do
          hold_idle "$subs" "http://127.0.0.1:$port/api/jobs/$job/events" "$server_pid" "contentgen capacity $subs ($store), AOT training $round"
          await_streams_ended
        done
        kill "$server_pid"; wait "$server_pid" 2>/dev/null || true
        [ -f "$work/contentgen.aot" ] || { echo "the training node wrote no AOT cache (JDK 25+ needed):"; tail -5 "$work/data.log"; exit 1; }
        node_opts="-XX:AOTCache=$work/contentgen.aot"
        rm -rf "$work/data"
      fi
      CONTENTGEN_JAVA_OPTS="$node_opts" start_contentgen --workers 0
      job="$(create_job '{"topic":"Idle subscribers"}')"
      sleep 2
      for round in $(seq 1 "$rounds"); do
        hold_idle "$subs" "http://127.0.0.1:$port/api/jobs/$job/events" "$server_pid" \
          "contentgen capacity $subs ($store)$($aot && echo ", AOT cache")$([ "$rounds" -gt 1 ] && echo ", round $round")" --metrics "http://127.0.0.1:$port/metrics"
        await_streams_ended
      done
      kill "$server_pid"; wait "$server_pid" 2>/dev/null || true
      if has_nchan; then
        start_nchan
        for round in $(seq 1 "$rounds"); do
          hold_idle "$subs" "http://127.0.0.1:$nchan_port/sub?id=idle" "$nchan_pids" \
            "nchan capacity $subs$([ "$rounds" -gt 1 ] && echo ", round $round")"
          sleep 3
        done
        kill "$(cat "$work/nchan/nginx.pid")"; sleep 1; rm -rf "$work/nchan"
      fi
    done ;;
  fanout)
    subs="${n:-1000}"
    # Tokens are paced 50 ms apart: a 10-ms window sends each as its own delta (20 events/s, as nchan's publisher); a 50-ms one
    # coalesced about every other pair of tokens (12 events/s).
    start_contentgen --tokens-per-second 20 --delta-window 10ms --workers 1
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
  concurrent)
    if [ "$sweep" = false ]; then
      concurrent_run "${n:-200}"
    else
      # The largest N with median stretch <= 1.1 and delivery p99 <= 250 ms, from N = 250 up; with --rounds R,
      # judged by the last round (nodes whose code the JIT has compiled), every round's line logged.
      best=0
      for jobs in 250 500 1000 1500 2000 2500 3000 4000; do
        result="$(concurrent_run "$jobs" | tail -n 1)"
        stretch="$(sed -E 's/.*stretch p50=([0-9.]+).*/\1/' <<<"$result")"
        p99="$(sed -E 's/.*latencyMs p50=[0-9]+ p99=([0-9]+).*/\1/' <<<"$result")"
        failed="$(sed -E 's/.*failed=([0-9]+).*/\1/' <<<"$result")"
        if awk -v s="$stretch" -v p="$p99" -v f="$failed" 'BEGIN { exit !(s <= 1.1 && p <= 250 && f == 0) }'; then
          best="$jobs"
        else
          break
        fi
      done
      echo "contentgen concurrent sweep ($store, $nodes node(s)): largest N with stretch <= 1.1 and p99 <= 250 ms: $best" | log
    fi ;;
  bytes)
    # Bytes written per byte of content for one long article alone, at a real model's pace.
    concurrent_run 1 '{"topic":"Bytes written per byte of content","length":"long"}' ;;
  write-floor)
    # The floor under `bytes`: what the store writes per byte of text when rows as bare as a log row can be commit one at a time.
    bench write-floor --data-dir "$work/data" "${db_args[@]}" | log ;;
  retention)
    # Bytes per finished job before and after compaction, and the compaction rate (in-process node, offline generator).
    bench retention --data-dir "$work/data" "${db_args[@]}" --jobs "${n:-40}" 2>/dev/null | log ;;
  webhooks)
    # Deliveries/s and what a webhook adds per job: N jobs without, N with one to a local receiver, then all redelivered.
    start_contentgen --tokens-per-second 0 --workers 16 --webhook-allow-private
    bench webhooks --server "http://127.0.0.1:$port" --count "${n:-200}" \
      --label "contentgen webhooks ${n:-200} short articles ($store)" | log ;;
  *) echo "unknown scenario $scenario" >&2; exit 2 ;;
esac
