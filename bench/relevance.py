#!/usr/bin/env python3
"""Relevance benchmark of the case library's keyword search (see bench/README.md).

usage: bench/relevance.py [--bin PATH] [--count N]

Imports N generated sample items (default 10000) together with the judged case studies of
bench/relevance/cases.jsonl into a fresh SQLite site, starts the server on a free port of
127.0.0.1 and sends every query of bench/relevance/queries.json to /api/v1/cases twice: as a
visitor would (ranked), and with match=all and spelling=off (every word as typed must match), the baseline. Prints
recall@5, MRR and nDCG@10 for both, then the queries whose ranked top 5 misses a relevant case.
Standard library only.
"""
import argparse
import json
import math
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse

from benchlib import Server, Site, describe_status, free_port

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
CASES = os.path.join(HERE, "relevance", "cases.jsonl")
QUERIES = os.path.join(HERE, "relevance", "queries.json")

# The API takes 12, 24 or 48 results per page; the metrics read the first 10.
PER_PAGE = 12
DEPTH = 10
RECALL_AT = 5


def log(message):
    print(f"relevance: {message}", file=sys.stderr, flush=True)


def default_binary():
    for build in ("release", "debug"):
        path = os.path.join(ROOT, ".build", build, "observatory")
        if os.path.exists(path):
            return path
    return os.path.join(ROOT, ".build", "release", "observatory")


def load_judgments():
    """The case slugs of cases.jsonl and the queries with their graded relevant slugs; stops
    with a message when a query names no relevant case or a slug that is not in the file."""
    slugs = set()
    with open(CASES, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                slugs.add(json.loads(line)["slug"])
    with open(QUERIES, encoding="utf-8") as f:
        queries = json.load(f)
    for entry in queries:
        relevant = entry.get("relevant") or {}
        if not relevant:
            raise SystemExit(f"relevance: query {entry.get('query')!r} has no relevant case")
        unknown = sorted(set(relevant) - slugs)
        if unknown:
            raise SystemExit(f"relevance: query {entry['query']!r} names slugs not in cases.jsonl: {', '.join(unknown)}")
    return slugs, queries


def run(command, env):
    started = time.monotonic()
    result = subprocess.run(command, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, errors="replace")
    return result, time.monotonic() - started


# MARK: - Metrics

def recall_at(ranked, relevant, k=RECALL_AT):
    hits = sum(1 for slug in ranked[:k] if relevant.get(slug, 0) >= 1)
    wanted = sum(1 for grade in relevant.values() if grade >= 1)
    return hits / min(k, wanted)


def reciprocal_rank(ranked, relevant, depth=DEPTH):
    for rank, slug in enumerate(ranked[:depth], 1):
        if relevant.get(slug, 0) >= 1:
            return 1 / rank
    return 0.0


def ndcg(ranked, relevant, depth=DEPTH):
    def dcg(grades):
        return sum((2 ** g - 1) / math.log2(i + 2) for i, g in enumerate(grades))
    ideal = dcg(sorted(relevant.values(), reverse=True)[:depth])
    return dcg([relevant.get(slug, 0) for slug in ranked[:depth]]) / ideal if ideal else 0.0


def summarise(rankings, queries):
    """Mean recall@5, MRR and nDCG@10 over the queries, and two counts."""
    n = len(queries)
    rows = {"recall@5": 0.0, "MRR": 0.0, "nDCG@10": 0.0, "no relevant case in top 10": 0, "no result at all": 0}
    for entry in queries:
        ranked, relevant = rankings[entry["query"]], entry["relevant"]
        rows["recall@5"] += recall_at(ranked, relevant) / n
        rows["MRR"] += reciprocal_rank(ranked, relevant) / n
        rows["nDCG@10"] += ndcg(ranked, relevant) / n
        rows["no relevant case in top 10"] += reciprocal_rank(ranked, relevant) == 0
        rows["no result at all"] += not ranked
    return rows


# MARK: - Searching

class Unavailable(Exception):
    pass


def search(site, query, extra=()):
    """The slugs of the first DEPTH results for `query`, and the answer's canonical address."""
    path = "/api/v1/cases?" + urllib.parse.urlencode([("q", query), ("per_page", str(PER_PAGE)), *extra])
    deadline = time.monotonic() + 60
    status, _, body = site.request(path, timeout=120)
    while status == 503 and time.monotonic() < deadline:  # still starting up
        time.sleep(0.5)
        status, _, body = site.request(path, timeout=120)
    if status == 400 and extra:
        try:
            detail = json.loads(body).get("detail", "")
        except ValueError:
            detail = body[:200].decode("utf-8", errors="replace")
        raise Unavailable(f"the server answered 400 to {path}: {detail}")
    if status not in (200, 404):
        raise SystemExit(f"relevance: {path} answered {status}: {body[:300].decode('utf-8', errors='replace')}")
    answer = json.loads(body)
    return [result["slug"] for result in answer.get("results", [])][:DEPTH], answer.get("links", {}).get("self", "")


def missing_cases(site, slugs):
    missing = []
    for slug in sorted(slugs):
        status, _, _ = site.request(f"/api/v1/items/case_study/{slug}")
        if status != 200:
            missing.append(f"{slug} ({status})")
    return missing


# MARK: - Report

def print_table(ranked, baseline, baseline_note):
    names = list(ranked)
    cells = []
    for name in names:
        def show(rows):
            if rows is None:
                return "unavailable"
            value = rows[name]
            return str(value) if isinstance(value, int) else f"{value:.3f}"
        cells.append([name, show(ranked), show(baseline)])
    header = ["metric", "ranked", "all words"]
    widths = [max(len(row[i]) for row in [header] + cells) for i in range(3)]
    line = lambda row: "  ".join([row[0].ljust(widths[0])] + [row[i].rjust(widths[i]) for i in (1, 2)])
    print(line(header))
    print("  ".join("-" * w for w in widths))
    for row in cells:
        print(line(row))
    if baseline_note:
        print(f"all words: {baseline_note}")


def print_misses(queries, ranked, baseline):
    misses = [entry for entry in queries if recall_at(ranked[entry["query"]], entry["relevant"]) < 1]
    print()
    print(f"{len(misses)} of {len(queries)} queries miss a relevant case in the ranked top {RECALL_AT}:")
    for entry in misses:
        query, relevant = entry["query"], entry["relevant"]
        top = ranked[query]
        scores = f"recall@{RECALL_AT} {recall_at(top, relevant):.2f}"
        if baseline is not None:
            scores += f", all words {recall_at(baseline[query], relevant):.2f}"
        print()
        print(f"  {query!r} ({scores})")
        expected = sorted(relevant.items(), key=lambda item: (-item[1], item[0]))
        print("    expected: " + ", ".join(f"{slug} ({grade})" for slug, grade in expected))
        if not top:
            print("    returned: nothing")
        for rank, slug in enumerate(top[:RECALL_AT], 1):
            mark = f"  <- relevant ({relevant[slug]})" if slug in relevant else ""
            print(f"    {rank}. {slug}{mark}")


# MARK: - Main

def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--bin", default=None, help="the observatory binary (default: .build/release/observatory, else .build/debug/observatory)")
    parser.add_argument("--count", type=int, default=10000, help="generated sample items imported beside the judged cases (default 10000)")
    args = parser.parse_args()
    binary = os.path.abspath(args.bin) if args.bin else default_binary()
    if not os.access(binary, os.X_OK):
        raise SystemExit(f"relevance: no executable binary at {binary} (build it with: swift build -c release --product observatory)")
    if args.count < 0:
        raise SystemExit("relevance: --count must be zero or more")

    slugs, queries = load_judgments()
    work = tempfile.mkdtemp(prefix="observatory-relevance-")
    data_dir = os.path.join(work, "data")
    os.makedirs(data_dir)
    env = dict(os.environ, OBSERVATORY_DATA_DIR=data_dir)
    server = None
    succeeded = False
    try:
        sample = os.path.join(work, "sample.jsonl")
        log(f"generating {args.count} sample items with {binary}")
        result, _ = run([binary, "sample", "--count", str(args.count), "-o", sample], env)
        if result.returncode != 0:
            raise SystemExit(f"relevance: 'observatory sample' failed with status {describe_status(result.returncode)}:\n{result.stdout[-3000:]}")

        combined = os.path.join(work, "import.jsonl")
        clashes = 0
        with open(combined, "w", encoding="utf-8") as out:
            with open(sample, encoding="utf-8") as f:
                for line in f:
                    if line.strip():
                        item = json.loads(line)
                        clashes += item.get("type") == "case_study" and item.get("slug") in slugs
                        out.write(line if line.endswith("\n") else line + "\n")
            with open(CASES, encoding="utf-8") as f:
                shutil.copyfileobj(f, out)
        if clashes:
            log(f"warning: {clashes} sample case studies share a slug with a judged case; the judged case replaces them")

        log(f"importing {args.count} sample items and {len(slugs)} judged cases")
        result, seconds = run([binary, "import", combined], env)
        if result.returncode not in (0, 2):
            raise SystemExit(f"relevance: 'observatory import' failed with status {describe_status(result.returncode)}:\n{result.stdout[-3000:]}")
        if result.returncode == 2:
            log("warning: the import skipped some lines:\n" + result.stdout[-3000:])
        log(f"imported in {seconds:.1f} s")

        port = free_port()
        server = Server(binary, data_dir, port, os.path.join(work, "server"))
        log(f"starting the server on 127.0.0.1:{port}")
        server.wait_ready(("/robots.txt",), timeout=180)
        site = Site(server.base)

        missing = missing_cases(site, slugs)
        if missing:
            raise SystemExit("relevance: judged cases missing after the import: " + ", ".join(missing))

        ranked, baseline, selves = {}, {}, []
        baseline_note = None
        started = time.monotonic()
        for entry in queries:
            ranked[entry["query"]], _ = search(site, entry["query"])
        ranked_seconds = time.monotonic() - started
        try:
            for entry in queries:
                baseline[entry["query"]], self_url = search(site, entry["query"], [("match", "all"), ("spelling", "off")])
                selves.append(self_url)
        except Unavailable as error:
            baseline, baseline_note = None, f"unavailable ({error})"
        if baseline is not None and not any("match=" in url for url in selves) and baseline == ranked:
            baseline, baseline_note = None, ("unavailable (the server ignored match=all: its canonical "
                                             "addresses leave it out and every ranking is the same)")

        print(f"{len(queries)} queries over {len(slugs)} judged cases and {args.count} sample items; "
              f"ranked searches took {1000 * ranked_seconds / len(queries):.0f} ms each on average")
        print()
        print_table(summarise(ranked, queries), summarise(baseline, queries) if baseline is not None else None, baseline_note)
        print_misses(queries, ranked, baseline)
        succeeded = True
    finally:
        if server is not None:
            status = server.stop()
            if status != 0:
                log(f"warning: the server exited with status {describe_status(status)}; its log:\n{server.log_tail()}")
        if succeeded:
            shutil.rmtree(work, ignore_errors=True)
        else:
            log(f"kept the data directory and server logs in {work}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
