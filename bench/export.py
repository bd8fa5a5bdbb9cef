#!/usr/bin/env python3
"""Open-data export benchmark: peak memory of the server and rows per second while it
streams /data/cases.{ndjson,csv,json}, for libraries of several sizes (see bench/README.md).

usage: bench/export.py BINARY N [N ...]

Imported libraries are kept in bench/results/export-N/ and reused by the next run (importing a
million cases takes about 25 minutes); BENCH_FRESH=1 imports again.
"""
import json, os, random, shutil, sqlite3, subprocess, sys, time, urllib.request

from benchlib import PeakMemory, free_port

BINARY = os.path.abspath(sys.argv[1])
RESULTS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "results")
SIZES = [int(n) for n in sys.argv[2:]] or [100_000]
COUNTRIES = [("Kenya", "KE"), ("Brazil", "BR"), ("France", "FR"), ("Japan", "JP"), ("Peru", "PE"), ("Canada", "CA")]
TAGS = ["Open data", "Data", "Service design", "Citizen engagement", "Public policy", "Behavioural insights"]
STATUSES = ["Implementation", "Evaluation", "Diffusing lessons", "Developing proposals"]
SECTORS = ["Health", "Education", "Economic affairs", "Transport and infrastructure"]


def write_cases(path, count):
    """Cases with every structured field filled and short texts, so the import stays quick."""
    rng = random.Random(7)
    with open(path, "w") as out:
        for index in range(count):
            country, code = COUNTRIES[index % len(COUNTRIES)]
            text = f"Case {index}: a team in {country} redesigned a service with the people who use it, \"step by step\", and measured it."
            out.write(json.dumps({
                "type": "case_study", "title": f"Innovation {index} in {country}", "slug": f"innovation-{index}",
                "body": text, "published_at": f"20{10 + index % 15:02d}-0{1 + index % 9}-1{index % 9}T10:00:00Z",
                "country": [country], "sector": [rng.choice(SECTORS)], "tags": ["open-data"], "author": "Bench Author",
                "fields": {
                    "organisation_name": f"Organisation {index % 5000}, {country}", "organisation_type": "Government",
                    "country_code": code, "level_of_government": "Local government", "primary_sectors": rng.sample(SECTORS, 2),
                    "innovation_tags": rng.sample(TAGS, 3), "innovation_status": rng.sample(STATUSES, 2),
                    "year_launched": 2000 + index % 25, "website": f"https://example.org/case/{index}",
                    "short_explanation": text, "overview": text * 3, "what_makes_it_innovative": text,
                    "status_description": text, "collaborations": text, "users_beneficiaries": text, "results": text,
                    "challenges": text, "conditions_for_success": text, "replication": text, "lessons_learned": text,
                    "related_url": f"https://example.org/case/{index}/report", "video_urls": [f"https://video.example/{index}"],
                },
            }) + "\n")


def measure(port, pid, fmt):
    rows = size = 0
    with PeakMemory(pid) as memory:
        start = time.perf_counter()
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/data/cases.{fmt}", timeout=3600) as response:
            while True:
                chunk = response.read(1 << 20)
                if not chunk:
                    break
                size += len(chunk)
                rows += chunk.count(b"\n")
        seconds = time.perf_counter() - start
    if fmt == "csv":
        rows -= 1  # the header (fields hold no raw new lines in this data set)
    elif fmt == "json":
        rows -= 2  # the brackets' lines
    return rows, seconds, size, memory.before, memory.peak


def wait_for_lines(path, count):
    """The server prepares each case's open-data line in the background (the import does it
    for what it imports); measure the steady state, once every line is there."""
    start = time.perf_counter()
    while True:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
            ready = db.execute("SELECT COUNT(*) FROM export_rows").fetchone()[0]
        if ready >= count:
            if time.perf_counter() - start > 1:
                print(f"bench: the server prepared {count} open-data lines in {time.perf_counter() - start:.0f} s", file=sys.stderr)
            return
        if time.perf_counter() - start > 3600:
            raise SystemExit(f"bench: only {ready} of {count} open-data lines after an hour")
        time.sleep(1)


def main():
    results = []
    for count in SIZES:
        directory = os.path.join(RESULTS, f"export-{count}")
        imported = os.path.join(directory, "imported")
        env = dict(os.environ, OBSERVATORY_DATA_DIR=os.path.join(directory, "data"), LOG_LEVEL="warning")
        if os.environ.get("BENCH_FRESH") == "1" or not os.path.exists(imported):
            shutil.rmtree(directory, ignore_errors=True)
            os.makedirs(directory)
            source = os.path.join(directory, "cases.jsonl")
            write_cases(source, count)
            start = time.perf_counter()
            subprocess.run([BINARY, "import", source], env=env, check=True, stdout=subprocess.DEVNULL)
            import_seconds = time.perf_counter() - start
            os.remove(source)
            with open(imported, "w") as marker:
                marker.write(f"{import_seconds:.1f}\n")
            print(f"bench: imported {count} cases in {import_seconds:.1f} s ({count / import_seconds:.0f}/s)", file=sys.stderr)
        else:
            print(f"bench: reusing the {count} cases imported in {directory}", file=sys.stderr)
        port = free_port()
        log = open(os.path.join(directory, "server.log"), "w")
        server = subprocess.Popen([BINARY, "serve", "--port", str(port), "--env", "production"], env=env,
                                  stdout=log, stderr=subprocess.STDOUT)
        try:
            for _ in range(600):
                try:
                    urllib.request.urlopen(f"http://127.0.0.1:{port}/robots.txt", timeout=1).read()
                    break
                except OSError:
                    time.sleep(0.1)
            wait_for_lines(os.path.join(directory, "data", "observatory.sqlite"), count)
            # The first download also reads the database file into the system's cache: it is
            # reported on its own, then each format is measured warm.
            for fmt, label in [("ndjson", "ndjson (first)"), ("ndjson", "ndjson"), ("csv", "csv"), ("json", "json")]:
                rows, seconds, size, before, peak = measure(port, server.pid, fmt)
                assert rows == count, f"{fmt}: {rows} rows for {count} cases"
                results.append((count, label, rows, seconds, size, before, peak))
        finally:
            server.terminate()
            server.wait(timeout=30)
    print(f"{'cases':>9} {'format':>14} {'seconds':>8} {'rows/s':>9} {'MB/s':>6} {'RSS before':>11} {'RSS peak':>9} {'growth':>7}")
    for count, fmt, rows, seconds, size, before, peak in results:
        print(f"{count:>9} {fmt:>14} {seconds:>8.2f} {rows / seconds:>9.0f} {size / seconds / 1e6:>6.1f} {before:>9.1f}MB {peak:>7.1f}MB {peak - before:>5.1f}MB")


if __name__ == "__main__":
    main()
