#!/usr/bin/env bash
# Load test of `digest serve` on loopback, with rebuilds in the middle of it, then abuse.
#
#   scripts/load-test.sh            # 20,000 requests over 50 connections, 1,000 articles
#   REQUESTS=40000 CONNECTIONS=100 ARTICLES=2000 scripts/load-test.sh
#
# 1. Builds the release binary and generates the corpus (scripts/gen-corpus.sh: the repository's
#    generator; GEN_CORPUS runs another) into a temporary folder that the test edits.
# 2. Starts `digest serve --port 0` (127.0.0.1 only) and sends REQUESTS requests over
#    CONNECTIONS keep-alive connections with wrk (Debian: apt-get install -y wrk): a mix of the
#    home page, articles, term pages, style.css and a page that does not exist (404 expected),
#    while an article is edited every 200 ms, so the server rebuilds throughout the load.
#    Every response's status is checked against what its path expects.
# 3. Sends a 100 KB header, 1,000 headers, an endless header and 100 KB paths, each of which
#    must be answered with a 4xx or a closed connection, and checks the server still serves.
# Prints requests per second, p99 latency and errors; exits 1 on any error.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
requests="${REQUESTS:-20000}"
connections="${CONNECTIONS:-50}"
articles="${ARTICLES:-1000}"
max_seconds="${MAX_SECONDS:-300}"
bin="${CARGO_TARGET_DIR:-$root/target}/release/digest"

command -v wrk >/dev/null || { echo "load-test: wrk is missing (Debian: apt-get install -y wrk)" >&2; exit 2; }

work="$(mktemp -d /tmp/digest-load.XXXXXX)"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  if [ -z "${KEEP:-}" ]; then rm -rf "$work"; else echo "kept $work"; fi
}
trap cleanup EXIT

echo "== building the release binary"
(cd "$root" && cargo build --release --quiet)

echo "== generating $articles articles"
"$root/scripts/gen-corpus.sh" --n "$articles" --flavor digest --out "$work/site" >/dev/null
site="$work/site"

# The pages to request, read from a build of the same site.
"$bin" build --quiet --root "$site" --output "$work/pages" >/dev/null
python3 - "$work/pages" "$work/paths.txt" <<'EOF'
import os, random, sys
out, target = sys.argv[1], sys.argv[2]
pages = {"articles": [], "terms": []}
for taxonomy in sorted(os.listdir(out)):
    folder = os.path.join(out, taxonomy)
    if not os.path.isdir(folder):
        continue
    kind = "articles" if taxonomy == "articles" else "terms"
    for name in sorted(os.listdir(folder)):
        if os.path.isfile(os.path.join(folder, name, "index.html")):
            pages[kind].append(f"/{taxonomy}/{name}/")
assert os.path.isfile(os.path.join(out, "style.css")), "no style.css in the build"
assert pages["articles"] and pages["terms"], pages
rng = random.Random(1)
lines = []
# In every 10 requests: the home page, 5 articles, 2 term pages, style.css, a 404.
for _ in range(100):
    block = ["200 /", "200 /style.css", "404 /no/such/page/"]
    block += [f"200 {p}" for p in rng.sample(pages["articles"], 5)]
    block += [f"200 {p}" for p in rng.sample(pages["terms"], 2)]
    rng.shuffle(block)
    lines += block
open(target, "w").write("\n".join(lines) + "\n")
print(f"   {len(pages['articles'])} articles, {len(pages['terms'])} term pages; "
      f"mix of {len(lines)} requests repeated")
EOF

echo "== starting digest serve"
: >"$work/serve.log"
"$bin" serve --port 0 --root "$site" >"$work/serve.log" 2>&1 &
pids+=($!)
url=""
for _ in $(seq 1 600); do
  url="$(sed -n 's/^Serving \(http:[^ ]*\).*/\1/p' "$work/serve.log" | head -1 || true)"
  [ -n "$url" ] && break
  sleep 0.2
done
[ -n "$url" ] || { echo "serve did not start:"; cat "$work/serve.log"; exit 1; }
origin="${url%/}"
origin="$(echo "$origin" | sed -E 's#^(http://[^/]+).*#\1#')"
case "$origin" in http://127.0.0.1:*) ;; *) echo "not on loopback: $origin" >&2; exit 1 ;; esac
echo "   $url"

# Reload events, to count the rebuilds that happened during the load.
curl -sN "$origin/__digest/events" >"$work/events.log" 2>/dev/null &
pids+=($!)

# An edit every 200 ms, round the first five articles.
mapfile -t edited < <(ls "$site/content/articles" | head -5)
for name in "${edited[@]}"; do cp "$site/content/articles/$name" "$work/$name.orig"; done
(
  i=0
  while :; do
    i=$((i + 1))
    name="${edited[$((i % ${#edited[@]}))]}"
    { cat "$work/$name.orig"; printf '\nLoad-test edit %d.\n' "$i"; } >"$site/content/articles/$name"
    echo "$i $name" >"$work/last-edit"
    sleep 0.2
  done
) &
edit_pid=$!
pids+=($edit_pid)
sleep 1

echo "== $requests requests over $connections connections"
per_connection=$((requests / connections))
start_rebuilds="$(grep -c '^Rebuilt' "$work/serve.log" || true)"
# One thread per connection: the script then checks each response against its request.
# wrk waits out its -d even when every thread has stopped, so it is interrupted (it then
# prints its summary) once all threads have written their line to threads-done.
: >"$work/threads-done"
wrk -t"$connections" -c"$connections" -d"${max_seconds}s" --timeout 10s --latency \
  -s "$root/scripts/load-test.wrk.lua" "$origin" -- "$work/paths.txt" "$per_connection" \
  "$work/threads-done" >"$work/wrk.txt" 2>&1 &
wrk_pid=$!
pids+=($wrk_pid)
while kill -0 "$wrk_pid" 2>/dev/null; do
  if [ "$(wc -l <"$work/threads-done")" -ge "$connections" ]; then
    kill -INT "$wrk_pid" 2>/dev/null || true
    break
  fi
  sleep 0.05
done
wait "$wrk_pid" || true
cat "$work/wrk.txt"
kill "$edit_pid" 2>/dev/null || true
wait "$edit_pid" 2>/dev/null || true
end_rebuilds="$(grep -c '^Rebuilt' "$work/serve.log" || true)"

figure() { sed -n "s/^CHECKED .*$1=\([0-9.]*\).*/\1/p" "$work/wrk.txt"; }
checked="$(figure responses)"
unexpected="$(figure unexpected)"
unexpected="${unexpected:-0}"
rps="$(figure rps)"
seconds="$(figure seconds)"
p50="$(awk -v us="$(figure p50_us)" 'BEGIN {printf "%.2f ms", us / 1000}')"
p99="$(awk -v us="$(figure p99_us)" 'BEGIN {printf "%.2f ms", us / 1000}')"
max="$(awk -v us="$(figure max_us)" 'BEGIN {printf "%.2f ms", us / 1000}')"
socket_errors="$(sed -n 's/^ *Socket errors: *//p' "$work/wrk.txt" | { grep -oE '[0-9]+' || true; } | awk '{s += $1} END {print s + 0}')"
socket_errors="${socket_errors:-0}"
missing=$((per_connection * connections - ${checked:-0}))
[ "$missing" -lt 0 ] && missing=0
errors=$((unexpected + socket_errors + missing))

# After the storm: the last edit shows on its page.
read -r last_n last_name <"$work/last-edit"
slug="$(echo "${last_name%.md}" | sed -E 's/^[0-9]{4}-[0-9]{2}-[0-9]{2}-//')"
fresh=no
for _ in $(seq 1 100); do
  if curl -s "$origin/articles/$slug/" | grep -q "Load-test edit $last_n\."; then fresh=yes; break; fi
  sleep 0.2
done

echo "== abuse: huge headers and paths"
python3 - "$origin" >"$work/abuse.txt" <<'EOF' || true
import socket, sys

host, port = sys.argv[1].split("//")[1].split(":")
port = int(port)


def exchange(raw, timeout=10):
    """Sends raw bytes; returns the status line, or 'closed' when the server hung up."""
    s = socket.create_connection((host, port), timeout=timeout)
    try:
        try:
            s.sendall(raw)
        except (BrokenPipeError, ConnectionResetError):
            pass
        data = b""
        try:
            while b"\r\n" not in data:
                chunk = s.recv(4096)
                if not chunk:
                    break
                data += chunk
        except (ConnectionResetError, socket.timeout) as e:
            if not data:
                return "closed" if isinstance(e, ConnectionResetError) else "timeout"
        return data.split(b"\r\n")[0].decode(errors="replace") or "closed"
    finally:
        s.close()


def still_serving():
    return exchange(b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").startswith("HTTP/1.1 200")


kb100 = 100 * 1024
cases = [
    ("100 KB header", b"GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * kb100 + b"\r\nConnection: close\r\n\r\n"),
    ("1000 headers", b"GET / HTTP/1.1\r\nHost: x\r\n"
     + b"".join(b"X-H-%d: v\r\n" % i for i in range(1000)) + b"Connection: close\r\n\r\n"),
    ("1 MB header, never ended", b"GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * (1024 * 1024)),
    ("100 KB path", b"GET /" + b"a" * kb100 + b" HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"),
    ("100 KB path of ../", b"GET /" + b"..%2f" * (kb100 // 5) + b"etc/passwd HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"),
]
failed = 0
for label, raw in cases:
    status = exchange(raw)
    code = status.split(" ")[1] if status.startswith("HTTP/") else ""
    rejected = status in ("closed",) or code.startswith("4")
    serving = still_serving()
    ok = rejected and serving
    failed += not ok
    print(f"{'ok  ' if ok else 'FAIL'} {label}: {status}; serving afterwards: {'yes' if serving else 'NO'}")
print(f"ABUSE failed={failed}")
EOF
cat "$work/abuse.txt"
abuse_failed="$(sed -n 's/^ABUSE failed=//p' "$work/abuse.txt")"
abuse_failed="${abuse_failed:-1}"

reloads="$(grep -c '^event: reload' "$work/events.log" || true)"
echo
echo "== results"
echo "requests:      $requests over $connections connections (${checked:-0} responses checked)"
echo "requests/sec:  $rps (${seconds}s from the first request to the last response)"
echo "latency:       p50 $p50, p99 $p99, max $max"
echo "errors:        $errors (unexpected status $unexpected, socket errors $socket_errors, missing $missing)"
echo "rebuilds:      $((end_rebuilds - start_rebuilds)) during the load ($reloads reload events in all)"
echo "fresh after:   $fresh (edit $last_n of $last_name served)"
echo "abuse:         $abuse_failed failed"
if [ "$errors" -ne 0 ] || [ "$abuse_failed" -ne 0 ] || [ "$fresh" != yes ] \
  || [ $((end_rebuilds - start_rebuilds)) -eq 0 ]; then
  echo "load-test: FAILED"
  exit 1
fi
echo "load-test: passed"
