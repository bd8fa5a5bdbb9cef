#!/usr/bin/env python3
"""Graceful shutdown under load: a server sent SIGTERM while it is busy must finish the
requests it accepted, exit with status 0 within the drain timeout and never trap
(see bench/README.md).

usage: bench/shutdown.py BINARY [--runs 10] [--drain-timeout 20] [--connections 64] [--clients 16]

Each run starts `BINARY demo` (sample content) on a fresh data directory and a free port of
127.0.0.1, loads it with wrk (rotating over --url) and with --clients threads of this script
(each one request at a time over --client-url), sends SIGTERM after a random 2-4 s and
measures the exit status, the seconds from the signal to the exit, traps in the server's
output, and whether every request of this script that the server had accepted before the
signal and not yet answered completed with a full 200 response. Exits with status 1 if any
run misses one of these. wrk's output and the server's logs are kept in
bench/results/shutdown-<date>/.
"""
import argparse, datetime, http.client, os, random, re, shutil, signal, subprocess, sys, tempfile, threading, time

from benchlib import Server, accept_queue, describe_status, ensure_tool, free_port, parse_wrk_text

RESULTS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "results")
TRAP = re.compile(r"Fatal error|Unexpectedly found nil|Illegal instruction|Segmentation fault|Program crashed|"
                  r"Precondition failed|Assertion failed|Trace/breakpoint trap|Bus error|Aborted")
TRAP_STATUSES = {132, 133, 134, 135, 136, 139, -4, -5, -6, -7, -8, -11}
WRK_URLS = ["/innovations?q=health", "/search?q=the"]
# Requests that keep the server busy for a while each: a streamed export, a JSON search that
# is never cached, and keyword searches of the case library.
CLIENT_URLS = ["/data/cases.csv", "/api/v1/cases?q=health", "/data/cases.json", "/search?q=the&page=2"]


def options():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("binary", help="the observatory binary (a copy, so that a rebuild does not replace it mid-run)")
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--drain-timeout", type=float, default=20.0, help="seconds the server may take to exit after SIGTERM")
    parser.add_argument("--connections", type=int, default=64, help="wrk connections")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--clients", type=int, default=16, help="requests of this script kept in flight")
    parser.add_argument("--min-delay", type=float, default=2.0, help="shortest load before the signal, in seconds")
    parser.add_argument("--max-delay", type=float, default=4.0, help="longest load before the signal, in seconds")
    parser.add_argument("--url", action="append", help=f"a path wrk requests, in turn (default: {' '.join(WRK_URLS)})")
    parser.add_argument("--client-url", action="append", help=f"a path the clients request, in turn (default: {' '.join(CLIENT_URLS)})")
    parser.add_argument("--startup-timeout", type=float, default=300.0, help="seconds to wait for the server to answer")
    parser.add_argument("--seed", type=int, help="seed of the random delays")
    parser.add_argument("--page-cache", choices=["on", "off"], default="on", help="OBSERVATORY_PAGE_CACHE of the server")
    args = parser.parse_args()
    if args.runs < 1 or args.clients < 0 or args.connections < 1 or not 0 < args.min_delay <= args.max_delay:
        parser.error("give at least one run, a positive number of connections and 0 < --min-delay <= --max-delay")
    args.url = args.url or WRK_URLS
    args.client_url = args.client_url or CLIENT_URLS
    args.binary = os.path.abspath(args.binary)
    if not os.access(args.binary, os.X_OK):
        parser.error(f"{args.binary} is not an executable file")
    return args


def wrk_script(paths):
    quoted = ", ".join('"' + p.replace("\\", "\\\\").replace('"', '\\"') + '"' for p in paths)
    return f"""-- Requests each path in turn (written by bench/shutdown.py).
local paths = {{{quoted}}}
local counter = 0
request = function()
  counter = counter + 1
  return wrk.format(nil, paths[(counter % #paths) + 1])
end
"""


class Attempt:
    """One request of a client thread, with monotonic times of its steps."""
    __slots__ = ("path", "started", "connected", "sent", "finished", "status", "size", "error")

    def __init__(self, path):
        self.path, self.started = path, time.monotonic()
        self.connected = self.sent = self.finished = self.status = self.error = None
        self.size = 0


class Clients:
    """Threads that each keep one request in flight until `stop` is set; every attempt is kept."""

    def __init__(self, port, paths, count, timeout):
        self.port, self.paths, self.timeout = port, paths, timeout
        self.stop = threading.Event()
        self.attempts = []
        self._lock = threading.Lock()
        self._threads = [threading.Thread(target=self._run, args=(i,), daemon=True) for i in range(count)]

    def start(self):
        for thread in self._threads:
            thread.start()

    def _run(self, index):
        turn = index
        while not self.stop.is_set():
            attempt = Attempt(self.paths[turn % len(self.paths)])
            turn += 1
            with self._lock:
                self.attempts.append(attempt)
            connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
            try:
                connection.connect()
                attempt.connected = time.monotonic()
                connection.request("GET", attempt.path, headers={"Connection": "close"})
                attempt.sent = time.monotonic()  # in the server's receive buffer: loopback delivers at once
                response = connection.getresponse()
                attempt.status = response.status
                while True:
                    chunk = response.read(65536)
                    if not chunk:
                        break
                    attempt.size += len(chunk)
                # http.client raises IncompleteRead when a body ends before its length or last chunk.
            except Exception as error:  # noqa: BLE001: every failure is a result
                attempt.error = type(error).__name__ + (f": {error}" if str(error) else "")
                if attempt.connected is None:
                    time.sleep(0.05)  # refused: the server is going away, do not spin
            finally:
                attempt.finished = time.monotonic()
                connection.close()

    def join(self, timeout):
        deadline = time.monotonic() + timeout
        for thread in self._threads:
            thread.join(max(0.1, deadline - time.monotonic()))
        return sum(thread.is_alive() for thread in self._threads)


def in_flight_at(attempts, snapshot, signal_time, queued):
    """The attempts whose connection the server had accepted and whose request it had been sent
    before the signal, and that had not finished by then. Of the connections established before
    `snapshot`, when the listening socket's queue held `queued` connections, the `queued` most
    recent were not accepted yet (the queue is first in, first out) and are left out."""
    established = sorted((a for a in attempts if a.connected is not None and a.connected <= snapshot), key=lambda a: a.connected)
    if queued:
        established = established[:-queued]
    return [a for a in established if a.sent is not None and a.sent <= snapshot and (a.finished is None or a.finished > signal_time)]


def ok(attempt):
    return attempt.error is None and attempt.status == 200 and attempt.finished is not None


def one_run(args, number, out_dir, rng):
    delay = rng.uniform(args.min_delay, args.max_delay)
    port = free_port()
    data = tempfile.mkdtemp(prefix="observatory-shutdown-")
    prefix = os.path.join(out_dir, f"run-{number:02d}")
    result = {"run": number, "delay": delay, "status": None, "drain": None, "trap": None, "wrk": None,
              "accepted": [], "queued": None, "failures": []}
    server = wrk = clients = None
    try:
        print(f"bench: run {number}: starting `{os.path.basename(args.binary)} demo` on port {port}", file=sys.stderr)
        server = Server(args.binary, data, port, prefix + "-server", command="demo",
                        env={"OBSERVATORY_PAGE_CACHE": args.page_cache})
        server.wait_ready(["/"] + args.url + args.client_url, timeout=args.startup_timeout)
        duration = int(delay + args.drain_timeout + 15)  # longer than the run: wrk is stopped with SIGINT
        wrk_out = open(prefix + "-wrk.txt", "w")
        wrk = subprocess.Popen(["wrk", f"-t{args.threads}", f"-c{args.connections}", f"-d{duration}s",
                                f"--timeout={int(args.drain_timeout) + 5}s", "--latency", "-s", os.path.join(out_dir, "rotate.lua"),
                                server.base], stdout=wrk_out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        clients = Clients(port, args.client_url, args.clients, timeout=args.drain_timeout + 10)
        clients.start()
        time.sleep(delay)
        if not server.alive():
            result["failures"].append(f"the server exited under load before the signal ({describe_status(server.process.returncode)})")
        snapshot = time.monotonic()
        queued = accept_queue(port)
        signal_time = time.monotonic()
        server.signal(signal.SIGTERM)
        clients.stop.set()
        status = server.wait(args.drain_timeout)
        if status is None:
            result["failures"].append(f"still running {args.drain_timeout:.0f} s after SIGTERM")
            status = server.wait(10)  # how long it really takes, within reason
        exit_time = time.monotonic()
        if status is None:
            server.kill()
            result["failures"].append("still running 10 s after the drain timeout: killed")
        else:
            result["drain"] = exit_time - signal_time
        result["status"] = status
        result["queued"] = queued or 0
        wrk.send_signal(signal.SIGINT)  # wrk prints its figures when interrupted
        try:
            wrk.wait(timeout=15)
        except subprocess.TimeoutExpired:
            wrk.kill()
            wrk.wait(timeout=5)
        wrk_out.close()
        stuck = clients.join(args.drain_timeout + 15)
        if stuck:
            result["failures"].append(f"{stuck} client threads still waiting")
        result["accepted"] = in_flight_at(clients.attempts, snapshot, signal_time, queued or 0)
        # The connections left out as not accepted yet: what became of them (told, not judged).
        chosen = set(map(id, result["accepted"]))
        waiting = [a for a in clients.attempts if a.connected is not None and a.connected <= snapshot
                   and (a.finished is None or a.finished > signal_time) and id(a) not in chosen]
        result["queued_ok"], result["queued_mine"] = sum(ok(a) for a in waiting), len(waiting)
        failed = [a for a in result["accepted"] if not ok(a)]
        if failed:
            result["failures"].append(f"{len(failed)} of {len(result['accepted'])} accepted requests did not complete")
        with open(prefix + "-clients.tsv", "w") as f:
            f.write("path\tstarted\tconnected\tsent\tfinished\tstatus\tbytes\terror\tin flight at signal\n")
            for a in clients.attempts:
                rel = lambda t: "" if t is None else f"{t - signal_time:+.3f}"
                f.write(f"{a.path}\t{rel(a.started)}\t{rel(a.connected)}\t{rel(a.sent)}\t{rel(a.finished)}\t{a.status or ''}\t{a.size}\t"
                        f"{a.error or ''}\t{'yes' if id(a) in chosen else ''}\n")
        result["failed_requests"] = failed
        result["wrk"] = parse_wrk_text(open(prefix + "-wrk.txt", encoding="utf-8", errors="replace").read())
        server.close()
        log = server.log_text()
        trap = TRAP.search(log)
        if trap:
            line = next(l for l in log.splitlines() if TRAP.search(l))
            result["trap"] = line.strip()[:160]
        elif status in TRAP_STATUSES:
            result["trap"] = f"exit status {describe_status(status)}"
        if result["trap"]:
            result["failures"].append(f"trap: {result['trap']}")
        if status is not None and status != 0:
            result["failures"].append(f"exit status {describe_status(status)}")
        return result
    finally:
        if clients:
            clients.stop.set()
        if server:
            server.kill()
        if wrk and wrk.poll() is None:
            wrk.kill()
            wrk.wait(timeout=5)
        shutil.rmtree(data, ignore_errors=True)


def main():
    args = options()
    ensure_tool("wrk", "wrk")
    rng = random.Random(args.seed)
    out_dir = os.path.join(RESULTS, "shutdown-" + datetime.datetime.now().strftime("%Y%m%d-%H%M%S"))
    os.makedirs(out_dir)
    with open(os.path.join(out_dir, "rotate.lua"), "w") as f:
        f.write(wrk_script(args.url))
    results = []
    for number in range(1, args.runs + 1):
        result = one_run(args, number, out_dir, rng)
        results.append(result)
        print(f"bench: run {number}: " + ("ok" if not result["failures"] else "; ".join(result["failures"])), file=sys.stderr)

    print(f"SIGTERM under load: {args.connections} wrk connections on {' '.join(args.url)}; "
          f"{args.clients} clients on {' '.join(args.client_url)}; drain timeout {args.drain_timeout:g} s")
    header = ["run", "signal at s", "exit", "drain s", "wrk req/s", "wrk non-2xx", "wrk errors c/r/w/t",
              "in flight ok/total", "queued", "trap", "result"]
    rows = []
    for r in results:
        w = r["wrk"]
        good = sum(ok(a) for a in r["accepted"])
        rows.append([str(r["run"]), f"{r['delay']:.2f}", "killed" if r["status"] is None else describe_status(r["status"]),
                     "-" if r["drain"] is None else f"{r['drain']:.2f}",
                     "-" if not w else f"{w['rps']:.0f}", "-" if not w else str(w["non2xx"]),
                     "-" if not w else "/".join(map(str, w["errors"])),
                     f"{good}/{len(r['accepted'])}", str(r["queued"] if r["queued"] is not None else "-"),
                     "yes" if r["trap"] else "no", "ok" if not r["failures"] else "FAIL"])
    widths = [max(len(x) for x in col) for col in zip(header, *rows)]
    for row in [header, ["-" * w for w in widths]] + rows:
        print("  ".join(cell.rjust(width) for cell, width in zip(row, widths)))

    for r in results:
        for failure in r["failures"]:
            print(f"run {r['run']}: {failure}")
        reasons = {}
        for a in r.get("failed_requests", []):
            reason = a.error or f"status {a.status}"
            reasons[f"{a.path}: {reason}"] = reasons.get(f"{a.path}: {reason}", 0) + 1
        for reason, count in sorted(reasons.items()):
            print(f"run {r['run']}:   {count} x {reason}")

    clean = sum(r["status"] == 0 for r in results)
    drains = [r["drain"] for r in results if r["drain"] is not None]
    accepted = sum(len(r["accepted"]) for r in results)
    completed = sum(sum(ok(a) for a in r["accepted"]) for r in results)
    traps = sum(bool(r["trap"]) for r in results)
    failed = [r["run"] for r in results if r["failures"]]
    print()
    print(f"runs exiting 0:                          {clean}/{len(results)}")
    print(f"max drain (signal to exit):              {max(drains):.2f} s" if drains else
          "max drain (signal to exit):              - (no run exited by itself)")
    print(f"accepted-before-signal requests completed: {completed}/{accepted}")
    print(f"traps:                                   {traps}")
    queued = sum(r["queued"] or 0 for r in results)
    mine = sum(r.get("queued_mine", 0) for r in results)
    print(f"connections in the accept queue at the signal: {queued}; requests of this script left out "
          f"(not accepted or not sent yet): {mine}, {sum(r.get('queued_ok', 0) for r in results)} of them answered anyway")
    print(f"runs failing the bar:                    {len(failed)}" + (f" ({', '.join(map(str, failed))})" if failed else ""))
    print(f"wrk output, server logs and every client request: {out_dir}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
