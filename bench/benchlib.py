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

As a module it also gives the Python benchmarks a server to start and stop (`Server`), a
signed-in browser-like client (`Site`), a way to install missing tools (`ensure_tool`) and
the accept queue of a listening port (`accept_queue`).
"""

import html
import http.cookiejar
import json
import os
import re
import resource
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

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


def ensure_tool(command, package):
    """Installs Debian's `package` with apt-get when `command` is missing (apt-get update
    first if the package is not found); exits with a clear message when that fails."""
    if shutil.which(command):
        return
    print(f"bench: installing {package} (apt-get install {package})", file=sys.stderr)
    sudo = [] if os.geteuid() == 0 else ["sudo", "-n"]
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    install = sudo + ["apt-get", "install", "-y", "-qq", package]
    try:
        if subprocess.run(install, env=env, stdout=sys.stderr, timeout=600).returncode != 0:
            subprocess.run(sudo + ["apt-get", "update", "-qq"], env=env, stdout=sys.stderr, timeout=600)
            subprocess.run(install, env=env, stdout=sys.stderr, timeout=600)
    except (OSError, subprocess.TimeoutExpired) as error:
        print(f"bench: apt-get failed: {error}", file=sys.stderr)
    if not shutil.which(command):
        raise SystemExit(f"bench: {command} is missing and could not be installed: install Debian's '{package}' package")


def accept_queue(port):
    """Connections the kernel completed on 127.0.0.1:`port` that the server has not accepted
    yet (the listening socket's queue, from /proc/net/tcp); None when no socket listens."""
    with open("/proc/net/tcp") as table:
        next(table)
        for line in table:
            fields = line.split()
            local, state, queues = fields[1], fields[3], fields[4]
            if state == "0A" and int(local.split(":")[1], 16) == port:
                return int(queues.split(":")[1], 16)
    return None


def describe_status(code):
    """An exit status as a shell would show it: `0`, `1`, `137 (SIGKILL)`."""
    if code is None:
        return "running"
    if code < 0:
        try:
            name = signal.Signals(-code).name
        except ValueError:
            name = f"signal {-code}"
        return f"{128 - code} ({name})"
    return str(code)


class Server:
    """The observatory binary serving on 127.0.0.1:`port`, its standard output and error kept
    in `log_prefix`.out and .err. `command` is `serve` or `demo`."""

    def __init__(self, binary, data_dir, port, log_prefix, command="serve", env=None, args=()):
        self.port = port
        self.base = f"http://127.0.0.1:{port}"
        self.out_path, self.err_path = log_prefix + ".out", log_prefix + ".err"
        environment = dict(os.environ, OBSERVATORY_DATA_DIR=data_dir, OBSERVATORY_BASE_URL=self.base)
        environment.update(env or {})
        self._out, self._err = open(self.out_path, "ab"), open(self.err_path, "ab")
        self.process = subprocess.Popen(
            [binary, command, "--env", "production", "--hostname", "127.0.0.1", "--port", str(port), *args],
            env=environment, stdin=subprocess.DEVNULL, stdout=self._out, stderr=self._err)
        self.pid = self.process.pid

    def alive(self):
        return self.process.poll() is None

    def wait_ready(self, paths=("/robots.txt",), timeout=120):
        """Waits until every path answers 200; exits with the log's end if the server dies or
        does not answer in time."""
        deadline = time.monotonic() + timeout
        pending = list(paths)
        while pending:
            if not self.alive():
                raise SystemExit(f"bench: the server exited during start-up with status "
                                 f"{describe_status(self.process.returncode)}:\n{self.log_tail()}")
            try:
                with urllib.request.urlopen(self.base + pending[0], timeout=max(1, min(30, deadline - time.monotonic()))) as r:
                    r.read()
                    if r.status == 200:
                        pending.pop(0)
                        continue
            except urllib.error.HTTPError as error:
                if error.code != 503:
                    raise SystemExit(f"bench: {pending[0]} answered {error.code} instead of 200")
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise SystemExit(f"bench: the server did not answer {pending[0]} with 200 within {timeout} s:\n{self.log_tail()}")
            time.sleep(0.1)

    def signal(self, number):
        if self.alive():
            os.kill(self.pid, number)

    def wait(self, timeout):
        """The exit status (negative: killed by that signal), or None if still running after `timeout` s."""
        try:
            return self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            return None

    def stop(self, timeout=30):
        """SIGTERM, then SIGKILL after `timeout` s; returns the exit status."""
        self.signal(signal.SIGTERM)
        status = self.wait(timeout)
        if status is None:
            self.signal(signal.SIGKILL)
            status = self.wait(10)
        self.close()
        return status

    def kill(self):
        """SIGKILL, whatever the state; safe to call twice (for `finally` blocks)."""
        if self.alive():
            self.signal(signal.SIGKILL)
            self.wait(10)
        self.close()

    def close(self):
        for f in (self._out, self._err):
            if not f.closed:
                f.close()

    def log_text(self):
        text = ""
        for path in (self.out_path, self.err_path):
            with open(path, encoding="utf-8", errors="replace") as f:
                text += f.read()
        return text

    def log_tail(self, lines=30):
        return "\n".join(self.log_text().splitlines()[-lines:])


class Site:
    """A browser-like client of one site: keeps cookies, does not follow redirects, reads the
    hidden fields (CSRF token, form stamp) of a page's form."""

    def __init__(self, base):
        self.base = base

        class NoRedirect(urllib.request.HTTPRedirectHandler):
            def redirect_request(self, *args, **kwargs):
                return None

        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), NoRedirect)

    def request(self, path, data=None, headers=None, method=None, timeout=120):
        """(status, headers, body bytes) of a request; `data` may be a dict (form-encoded)."""
        if isinstance(data, dict):
            data = urllib.parse.urlencode(data).encode()
        request = urllib.request.Request(self.base + path, data=data, headers=headers or {}, method=method)
        try:
            with self.opener.open(request, timeout=timeout) as response:
                return response.status, response.headers, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.headers, error.read()

    def hidden(self, path, action):
        """The hidden inputs of the form of `path` that posts to `action`."""
        status, _, body = self.request(path)
        page = body.decode("utf-8", errors="replace")
        start = page.find(f'action="{action}"')
        if status != 200 or start < 0:
            raise SystemExit(f"bench: {path} answered {status} without a form posting to {action}")
        form = page[start:page.index("</form>", start)]
        return {m.group(1): html.unescape(m.group(2))
                for m in re.finditer(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form)}

    def sign_in(self, email, password):
        fields = self.hidden("/account/sign-in", "/account/sign-in")
        time.sleep(3.2)  # public forms turn away answers sent faster than a person types
        fields.update(email=email, password=password)
        status, _, body = self.request("/account/sign-in", fields)
        if status != 303:
            raise SystemExit(f"bench: signing in as {email} answered {status}")


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


def parse_wrk_text(text):
    """wrk's summary as a dict: `requests`, `rps`, `p50_ms`, `p99_ms` (None without --latency),
    `non2xx` and `errors` (connect, read, write, timeout); None when there is no summary."""
    total = re.search(r"^\s*(\d+) requests in ", text, re.M)
    rps = re.search(r"^Requests/sec:\s+([0-9.]+)", text, re.M)
    if not (total and rps):
        return None
    p50 = re.search(r"^\s+50%\s+(\S+)", text, re.M)
    p99 = re.search(r"^\s+99%\s+(\S+)", text, re.M)
    non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", text)
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text)
    return {"requests": int(total.group(1)), "rps": float(rps.group(1)),
            "p50_ms": to_ms(p50.group(1)) if p50 else None, "p99_ms": to_ms(p99.group(1)) if p99 else None,
            "non2xx": int(non2xx.group(1)) if non2xx else 0,
            "errors": tuple(int(g) for g in errors.groups()) if errors else (0, 0, 0, 0)}


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


def compare(path):
    """Each URL's throughput and median latency against the same URL on the baseline build
    (rows whose data set label ends in `-baseline`), as ratios."""
    rows = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            cells = line.rstrip("\n").split("\t")
            if len(cells) >= 8:
                rows[(cells[0], cells[1])] = cells
    header = ["dataset", "URL", "c32 req/s ratio", "c1 req/s ratio", "c1 p50 ratio"]
    out = []
    ratios32 = []
    for (label, url), cells in rows.items():
        if "-baseline/" in label:
            continue
        parts = label.split("/")
        base_label = "/".join([parts[0], parts[1] + "-baseline"] + parts[2:])
        base = rows.get((base_label, url))
        if not base:
            continue

        def ratio(new, old, invert=False):
            try:
                new, old = float(new), float(old)
            except ValueError:
                return None
            if new <= 0 or old <= 0:
                return None
            return old / new if invert else new / old
        r32 = ratio(cells[2], base[2])
        r1 = ratio(cells[5], base[5])
        p50 = ratio(cells[6], base[6], invert=True)
        if r32:
            ratios32.append(r32)
        out.append([label, url] + ["%.2f" % r if r else "-" for r in (r32, r1, p50)])
    if not out:
        print("(no URL was measured on both builds)")
        return 0
    widths = [max(len(r[i]) for r in [header] + out) for i in range(len(header))]
    for r in [header, ["-" * w for w in widths]] + out:
        print("  ".join([r[0].ljust(widths[0]), r[1].ljust(widths[1])] + [r[i].rjust(widths[i]) for i in range(2, len(r))]).rstrip())
    product = 1.0
    for r in ratios32:
        product *= r
    print("geometric mean of the c32 req/s ratios: %.2f over %d URLs" % (product ** (1 / len(ratios32)), len(ratios32)))
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
    if len(argv) == 2 and argv[0] == "compare":
        return compare(argv[1])
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
