#!/usr/bin/env python3
"""Latency of `digest serve`: from saving one article's body to the reload message.

  scripts/bench-serve.py [--n 10000] [--edits 20] [--work /tmp/digest-bench]

Generates (once) the corpus of N articles in WORK/corpus-N with scripts/gen-corpus.sh (the
repository's generator; GEN_CORPUS runs another), starts the release binary's
`digest serve --port 0` on it, listens to its event stream, then edits the body of a different
article EDITS times, timing each save until the `reload` event that names the article's page
arrives. Prints the first full build time, the median, worst and best latency, and the
server's peak memory (VmHWM). The timing includes the watcher's debounce. Files are restored
afterwards. scripts/bench.sh runs it after the build benchmarks.
"""
import argparse
import http.client
import os
import random
import shutil
import statistics
import subprocess
import sys
import threading
import time
import queue

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=10000)
    ap.add_argument("--edits", type=int, default=20)
    ap.add_argument("--work", default="/tmp/digest-bench")
    a = ap.parse_args()
    site = os.path.join(a.work, f"corpus-{a.n}")
    if not os.path.isdir(site):
        # Into a side folder first: an interrupted run must not leave a partial corpus to reuse.
        partial = site + ".partial"
        shutil.rmtree(partial, ignore_errors=True)
        gen = os.path.join(ROOT, "scripts", "gen-corpus.sh")
        subprocess.run(["bash", gen, "--n", str(a.n), "--flavor", "digest", "--out", partial], check=True,
                       stdout=subprocess.DEVNULL)
        os.rename(partial, site)
    # DIGEST_BIN measures another binary (an earlier commit's, for a before/after).
    binary = os.environ.get("DIGEST_BIN")
    if not binary:
        subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
        binary = os.path.join(ROOT, "target", "release", "digest")

    started = time.monotonic()
    server = subprocess.Popen([binary, "serve", "--port", "0", "--root", site], stdout=subprocess.PIPE,
                              stderr=subprocess.DEVNULL, text=True)
    url = None
    for line in server.stdout:
        if line.startswith("Serving "):
            url = line.split()[1]
            break
    first_build = time.monotonic() - started
    host = url.split("//")[1].split("/")[0]
    base = "/" + "/".join(url.split("//")[1].split("/")[1:]).rstrip("/")
    base = base.rstrip("/")
    threading.Thread(target=lambda: [None for _ in server.stdout], daemon=True).start()

    events = queue.Queue()

    def listen():
        conn = http.client.HTTPConnection(host)
        conn.request("GET", "/__digest/events")
        response = conn.getresponse()
        event = []
        while True:
            line = response.fp.readline().decode()
            if not line:
                return
            if line.strip() == "":
                if event:
                    events.put((time.monotonic(), "".join(event)))
                    event = []
            elif line.startswith(("event:", "data:")):
                event.append(line)

    threading.Thread(target=listen, daemon=True).start()
    time.sleep(0.5)

    articles_dir = os.path.join(site, "content", "articles")
    names = sorted(os.listdir(articles_dir))
    rng = random.Random(7)
    chosen = rng.sample(names, a.edits)
    originals = {}
    latencies = []
    try:
        for i, name in enumerate(chosen):
            path = os.path.join(articles_dir, name)
            with open(path, encoding="utf-8") as f:
                text = f.read()
            originals[path] = text
            slug = name[11:-3]
            while not events.empty():
                events.get_nowait()
            t0 = time.monotonic()
            with open(path, "w", encoding="utf-8") as f:
                f.write(text + f"\nAn added sentence number {i}.\n")
            while True:
                at, event = events.get(timeout=30)
                if "event: reload" in event and f"/articles/{slug}/" in event:
                    latencies.append((at - t0) * 1000)
                    break
            time.sleep(0.2)
    finally:
        for path, text in originals.items():
            with open(path, "w", encoding="utf-8") as f:
                f.write(text)
        time.sleep(0.5)
        peak_kib = peak_memory_kib(server.pid)
        server.terminate()
        server.wait()
    print(f"articles: {a.n}")
    print(f"first full build until 'Serving': {first_build:.2f} s")
    print(f"save -> reload event over {len(latencies)} edits: median {statistics.median(latencies):.1f} ms, "
          f"worst {max(latencies):.1f} ms, best {min(latencies):.1f} ms")
    if peak_kib is not None:
        print(f"serve peak memory: {peak_kib // 1024} MiB (VmHWM, initial build included)")


def peak_memory_kib(pid):
    """The process's peak resident memory so far, from /proc (Linux); None elsewhere."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return None


if __name__ == "__main__":
    main()
