#!/usr/bin/env python3
"""Keyword search speed: every endpoint that takes keywords, asked for the most common words
of the content in turn, with the page cache off.

    bench/search.py [--bin PATH] [--baseline PATH] [--count 10000] [--words 200] [--duration 5]
                    [--database-url postgres://…]

For each binary: generates `--count` sample items (`observatory sample`), imports them into a
new SQLite data directory (or into the empty PostgreSQL database `--database-url` names),
starts the server with the page cache off, then for each endpoint

- measures requests per second with wrk at 32 connections, each request taking the next of the
  `--words` most common words of the content (stop words left out);
- asks each word once more, one request at a time, and reports the 50th and 99th percentile of
  the time to the whole answer (what one visitor waits for);

and reports the server's peak resident memory. With `--baseline`, the other binary is measured
on the same data in the same run and the last column gives the ratio of requests per second.
"""

import argparse
import collections
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import benchlib  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ENDPOINTS = [
    "/search?q={w}",
    "/innovations?q={w}",
    "/toolkits?q={w}",
    "/api/v1/items?q={w}&limit=20",
    "/api/v1/cases?q={w}",
    "/search/feed.rss?q={w}",
]
STOP = set("""a about above after again against all am an and any are as at be because been before being below
between both but by can could did do does doing down during each few for from further had has have having he her
here hers herself him himself his how i if in into is it its itself just me more most my myself no nor not now of
off on once only or other our ours ourselves out over own same she should so some such than that the their theirs
them themselves then there these they this those through to too under until up very was we were what when where
which while who whom why will with would you your yours yourself yourselves""".split())


def common_words(path, limit):
    counts = collections.Counter()
    with open(path, encoding="utf-8") as f:
        for line in f:
            item = json.loads(line)
            text = " ".join(str(item.get(k, "")) for k in ("title", "excerpt", "body"))
            for word in re.findall(r"[a-z]{3,}", text.lower()):
                if word not in STOP:
                    counts[word] += 1
    return [w for w, _ in counts.most_common(limit)]


def wrk_rotating(base, paths, duration, script_dir):
    script = os.path.join(script_dir, "rotate.lua")
    with open(script, "w") as f:
        f.write("local paths = {" + ",".join(json.dumps(p) for p in paths) + "}\n")
        f.write("local i = 0\nrequest = function()\n  i = i + 1\n"
                "  return wrk.format(\"GET\", paths[(i % #paths) + 1])\nend\n")
    out = subprocess.run(["wrk", "-t2", "-c32", f"-d{duration}s", "--latency", "-s", script, base],
                         capture_output=True, text=True, check=True).stdout
    parsed = benchlib.parse_wrk_text(out)
    return parsed


def alone(base, paths):
    times = []
    statuses = collections.Counter()
    for path in paths:
        start = time.perf_counter()
        try:
            with urllib.request.urlopen(base + path, timeout=60) as r:
                r.read()
                statuses[r.status] += 1
        except urllib.error.HTTPError as error:
            statuses[error.code] += 1
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    p99 = times[min(len(times) - 1, int(len(times) * 0.99))]
    return statistics.median(times), p99, statuses


def measure(binary, data_file, words, args, work, label):
    data_dir = os.path.join(work, f"data-{label}")
    env = {"OBSERVATORY_PAGE_CACHE": "off"}
    if args.database_url:
        env["DATABASE_URL"] = args.database_url
    started = time.monotonic()
    subprocess.run([binary, "import", data_file], env=dict(os.environ, OBSERVATORY_DATA_DIR=data_dir, **env),
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    import_seconds = time.monotonic() - started
    port = benchlib.free_port()
    server = benchlib.Server(binary, data_dir, port, os.path.join(work, f"server-{label}"), env=env)
    results = {}
    try:
        server.wait_ready()
        # The first search builds the index: time it on its own.
        started = time.monotonic()
        urllib.request.urlopen(server.base + "/search?q=" + urllib.parse.quote(words[0]), timeout=600).read()
        first = time.monotonic() - started
        with benchlib.PeakMemory(server.pid) as peak:
            for endpoint in ENDPOINTS:
                paths = [endpoint.format(w=urllib.parse.quote(w)) for w in words]
                wrk = wrk_rotating(server.base, paths, args.duration, work)
                p50, p99, statuses = alone(server.base, paths)
                results[endpoint] = (wrk, p50, p99, statuses)
        memory = round(peak.peak)
    finally:
        status = server.stop()
    return results, import_seconds, first, memory, status


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--bin", default=os.path.join(ROOT, ".build/release/observatory"))
    parser.add_argument("--baseline")
    parser.add_argument("--count", type=int, default=10000)
    parser.add_argument("--words", type=int, default=200)
    parser.add_argument("--duration", type=int, default=5)
    parser.add_argument("--database-url", help="an empty PostgreSQL database to use instead of SQLite")
    args = parser.parse_args()
    benchlib.ensure_tool("wrk", "wrk")
    work = tempfile.mkdtemp(prefix="observatory-search-bench-")
    try:
        data_file = os.path.join(work, "items.jsonl")
        subprocess.run([args.bin, "sample", "--count", str(args.count), "-o", data_file], check=True,
                       stdout=subprocess.DEVNULL)
        words = common_words(data_file, args.words)
        print(f"{args.count} items; {len(words)} most common words, from “{words[0]}” to “{words[-1]}”")
        runs = [("this build", args.bin)] + ([("baseline", args.baseline)] if args.baseline else [])
        measured = {}
        for label, binary in runs:
            if args.database_url and len(runs) > 1:
                raise SystemExit("bench: --baseline needs SQLite (one empty PostgreSQL database per build)")
            measured[label] = measure(binary, data_file, words, args, work, label.replace(" ", "-"))
        header = f"{'endpoint':34} {'req/s 32c':>10} {'p50 alone':>10} {'p99 alone':>10}"
        if args.baseline:
            header += f" {'baseline req/s':>15} {'baseline p50':>13} {'ratio':>7}"
        print(header)
        for endpoint in ENDPOINTS:
            wrk, p50, p99, statuses = measured["this build"][0][endpoint]
            line = f"{endpoint.replace('{w}', 'W'):34} {wrk['rps']:>10.0f} {p50:>8.2f}ms {p99:>8.2f}ms"
            if args.baseline:
                bwrk, bp50, _, _ = measured["baseline"][0][endpoint]
                line += f" {bwrk['rps']:>15.0f} {bp50:>11.2f}ms {wrk['rps'] / max(bwrk['rps'], 0.001):>6.1f}×"
            bad = {k: v for k, v in statuses.items() if k != 200}
            if bad:
                line += f"  (statuses {dict(statuses)})"
            print(line)
        for label, (_, import_seconds, first, memory, status) in measured.items():
            print(f"{label}: import {import_seconds:.1f} s, first search (index build) {first * 1000:.0f} ms, "
                  f"peak memory {memory if memory is not None else '?'} MB, exit status {status}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
