#!/usr/bin/env python3
"""Helpers for bench/run (standard library only).

    benchlib.py free-port                 a free TCP port on 127.0.0.1
    benchlib.py slug FILE                 slug of the first case study in a JSON Lines file
    benchlib.py case-query FILE           a case library query string with a keyword and two
                                          filters (country, level of government), taken from the
                                          first case study that has all three, in canonical order
    benchlib.py timed -- CMD [ARG...]     runs CMD (its output goes to stderr), then prints
                                          "SECONDS PEAK_RSS_KB" on stdout; exits with CMD's status
    benchlib.py wrk FILE                  parses wrk --latency output into
                                          "REQ_PER_S P50_MS P99_MS NON_2XX SOCKET_ERRORS"
    benchlib.py table TSV                 prints the results table of bench/run
"""

import json
import re
import resource
import socket
import subprocess
import sys
import threading
import time

UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0, "h": 3_600_000.0}


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def rss_mb(pid):
    """The resident memory of a process, in MiB."""
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


class PeakMemory:
    """Samples a process's resident memory while the `with` block runs: `before` and `peak`, in MiB."""

    def __init__(self, pid, every=0.02):
        self.pid, self.every = pid, every
        self.before = self.peak = rss_mb(pid)
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._sample)

    def _sample(self):
        while not self._done.is_set():
            self.peak = max(self.peak, rss_mb(self.pid))
            time.sleep(self.every)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._done.set()
        self._thread.join()
        self.peak = max(self.peak, rss_mb(self.pid))


def case_studies(path):
    """The case study items of a JSON Lines file, in file order."""
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if line:
                item = json.loads(line)
                if item.get("type") == "case_study":
                    yield item


def slug(path):
    for item in case_studies(path):
        if item.get("slug"):
            print(item["slug"])
            return 0
    print(f"benchlib: no case_study item in {path}", file=sys.stderr)
    return 1


def term_slug(name):
    """The site's slug rule for terms: lower case, drop apostrophes, runs of other characters
    outside a-z and 0-9 become one hyphen, no hyphen at either end."""
    text = name.lower().replace("'", "").replace("\u2019", "")
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


def case_query(path):
    for item in case_studies(path):
        fields = item.get("fields") or {}
        tags = [t for t in item.get("tags") or [] if re.fullmatch(r"[a-z]+", t)]
        if item.get("country") and fields.get("level_of_government") and tags:
            print(f"q={tags[0]}&country={term_slug(item['country'][0])}"
                  f"&level={term_slug(fields['level_of_government'])}")
            return 0
    print(f"benchlib: no case study with a country, a level and a one-word tag in {path}", file=sys.stderr)
    return 1


def timed(cmd):
    start = time.monotonic()
    status = subprocess.run(cmd, stdout=sys.stderr).returncode
    seconds = time.monotonic() - start
    if status != 0:
        return status if status > 0 else 128 - status
    peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # KiB on Linux
    print(f"{seconds:.3f} {peak_kb}")
    return 0


def to_ms(value):
    m = re.fullmatch(r"([0-9.]+)(us|ms|s|m|h)", value)
    if not m:
        raise ValueError(f"unrecognised wrk duration {value!r}")
    return float(m.group(1)) * UNITS_MS[m.group(2)]


def parse_wrk(path):
    text = open(path, encoding="utf-8", errors="replace").read()
    rps = re.search(r"^Requests/sec:\s+([0-9.]+)", text, re.M)
    p50 = re.search(r"^\s+50%\s+(\S+)", text, re.M)
    p99 = re.search(r"^\s+99%\s+(\S+)", text, re.M)
    if not (rps and p50 and p99):
        print(f"benchlib: cannot parse wrk output in {path}:\n{text}", file=sys.stderr)
        return 1
    non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", text)
    errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text
    )
    n_errors = sum(int(g) for g in errors.groups()) if errors else 0
    print(
        f"{float(rps.group(1)):.2f} {to_ms(p50.group(1)):.3f} {to_ms(p99.group(1)):.3f} "
        f"{int(non2xx.group(1)) if non2xx else 0} {n_errors}"
    )
    return 0


def fmt_rps(x):
    x = float(x)
    return f"{x:,.0f}" if x >= 100 else f"{x:.1f}"


def fmt_ms(x):
    x = float(x)
    return f"{x:.2f}" if x < 100 else f"{x:,.0f}"


def table(path):
    header = ["dataset", "URL", "c32 req/s", "c32 p50 ms", "c32 p99 ms",
              "c1 req/s", "c1 p50 ms", "c1 p99 ms"]
    rows = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            cells = line.rstrip("\n").split("\t")
            if len(cells) < 8:
                continue
            ds, url, r32, a32, b32, r1, a1, b1 = cells[:8]
            rows.append([ds, url, fmt_rps(r32), fmt_ms(a32), fmt_ms(b32),
                         fmt_rps(r1), fmt_ms(a1), fmt_ms(b1)])
    widths = [max(len(r[i]) for r in [header] + rows) for i in range(len(header))]

    def show(r):
        left = [r[i].ljust(widths[i]) for i in range(2)]
        right = [r[i].rjust(widths[i]) for i in range(2, len(r))]
        print("  ".join(left + right).rstrip())

    show(header)
    print("  ".join("-" * w for w in widths))
    for r in rows:
        show(r)
    return 0


def main(argv):
    if len(argv) >= 1 and argv[0] == "free-port":
        print(free_port())
        return 0
    if len(argv) == 2 and argv[0] == "slug":
        return slug(argv[1])
    if len(argv) == 2 and argv[0] == "case-query":
        return case_query(argv[1])
    if len(argv) >= 3 and argv[0] == "timed" and argv[1] == "--":
        return timed(argv[2:])
    if len(argv) == 2 and argv[0] == "wrk":
        return parse_wrk(argv[1])
    if len(argv) == 2 and argv[0] == "table":
        return table(argv[1])
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
