#!/usr/bin/env python3
"""Crash safety of saves: every save the server acknowledged is still there after the server
is killed with SIGKILL in the middle of writing, and the SQLite file stays sound
(see bench/README.md).

usage: bench/crash.py BINARY [--runs 10] [--writers 4] [--creators 2]

It sets up a fresh site the way a contributor would meet it: an administrator
(`create-admin`), an open call (`import`), a session through the sign-in form and a personal
API token with writing allowed, made on the account page. Each writer owns one draft entry
and changes one answer again and again through `PATCH /api/v1/submissions/<id>`, with a number
that grows at each save; each creator starts new entries with `POST /api/v1/calls/<slug>/submissions`.
After a random 1-5 s the server gets SIGKILL. Then:
- a copy of the database file (and its write-ahead log) must pass `PRAGMA integrity_check` and
  `PRAGMA foreign_key_check`, and hold every acknowledged save: for each writer, the last
  acknowledged number (or the one still in flight at the kill, which may or may not have
  landed); every acknowledged new entry, of this run and the earlier ones;
- the server, started again on the same data directory, must serve the same through
  `GET /api/v1/submissions/<id>`.
Exits with status 1 when a save is missing or a check fails. Server logs are kept in
bench/results/crash-<date>/ (with the data directory, when something failed).
"""
import argparse, datetime, http.client, json, os, random, re, shutil, signal, sqlite3, subprocess, sys, tempfile, threading, time

from benchlib import Server, Site, describe_status, free_port

RESULTS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "results")
EMAIL, PASSWORD = "crash-bench@example.org", "a long crash benchmark passphrase 2027"
CALL = "crash-benchmark-call"
# A short text of the case-study questionnaire's first section that nothing else depends on.
FIELD = "your_organisation"
NUMBER = re.compile(r"(\d+)$")


def options():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("binary", help="the observatory binary (a copy, so that a rebuild does not replace it mid-run)")
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--writers", type=int, default=4, help="threads that each change their own entry")
    parser.add_argument("--creators", type=int, default=2, help="threads that start new entries")
    parser.add_argument("--min-kill", type=float, default=1.0, help="shortest time of writing before SIGKILL, in seconds")
    parser.add_argument("--max-kill", type=float, default=5.0, help="longest time of writing before SIGKILL, in seconds")
    parser.add_argument("--startup-timeout", type=float, default=180.0, help="seconds to wait for the server to answer")
    parser.add_argument("--seed", type=int, help="seed of the random kill times")
    parser.add_argument("--keep-data", action="store_true", help="keep the data directory in the results folder")
    args = parser.parse_args()
    if args.runs < 1 or args.writers < 0 or args.creators < 0 or args.writers + args.creators < 1 \
            or not 0 < args.min_kill <= args.max_kill:
        parser.error("give at least one run, one writer or creator, and 0 < --min-kill <= --max-kill")
    args.binary = os.path.abspath(args.binary)
    if not os.access(args.binary, os.X_OK):
        parser.error(f"{args.binary} is not an executable file")
    return args


def run_command(binary, data, args, stdin=""):
    done = subprocess.run([binary, *args], input=stdin, text=True, capture_output=True, timeout=300,
                          env=dict(os.environ, OBSERVATORY_DATA_DIR=data))
    if done.returncode != 0:
        raise SystemExit(f"bench: `observatory {' '.join(args)}` failed with status {done.returncode}:\n{done.stdout}{done.stderr}")


class API:
    """A keep-alive connection to the JSON API with a bearer token."""

    def __init__(self, port, token, timeout=30):
        self.port, self.token, self.timeout = port, token, timeout
        self.connection = None

    def call(self, method, path, body=None):
        """(status, decoded JSON or None); raises OSError/HTTPException when the connection fails."""
        if self.connection is None:
            self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
        headers = {"Authorization": f"Bearer {self.token}", "Accept": "application/json"}
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        try:
            self.connection.request(method, path, body=data, headers=headers)
            response = self.connection.getresponse()
            raw = response.read()
        except Exception:
            self.close()
            raise
        try:
            return response.status, json.loads(raw) if raw else None
        except ValueError:
            return response.status, None

    def close(self):
        if self.connection is not None:
            self.connection.close()
            self.connection = None


def answer_of(entry):
    value = (entry or {}).get("answers", {}).get(FIELD)
    return value if isinstance(value, str) else None


class Writer:
    """Changes one entry's answer with a growing number; remembers the last save the server
    acknowledged and the ones it never answered (in flight when the connection broke)."""

    def __init__(self, index, entry_id):
        self.index, self.entry_id = index, entry_id
        self.counter = 0
        self.acked = 0          # the last acknowledged number (0: the value set at creation)
        self.unanswered = set()  # numbers sent without an answer: they may or may not be saved
        self.refused = {}        # number -> status, for saves the server refused

    def value(self, number):
        return f"writer {self.index} save {number}"

    def work(self, api, stop, stats):
        while not stop.is_set():
            self.counter += 1
            number = self.counter
            try:
                status, body = api.call("PATCH", f"/api/v1/submissions/{self.entry_id}", {"answers": {FIELD: self.value(number)}})
            except Exception as error:  # noqa: BLE001
                self.unanswered.add(number)
                stats.error(error)
                time.sleep(0.02)
                continue
            if 200 <= status < 300:
                if answer_of(body) != self.value(number):
                    stats.note(f"writer {self.index}: the answer of save {number} shows {answer_of(body)!r}")
                self.acked = number
                stats.saved()
            else:
                self.refused[number] = status
                stats.refused(status, body)


class Creator:
    """Starts new entries, each with its own answer; remembers every acknowledged one."""

    def __init__(self, index):
        self.index = index
        self.counter = 0
        self.acked = {}       # entry id -> answer, for every 201
        self.unanswered = 0   # requests without an answer (an entry may or may not exist)

    def work(self, api, stop, stats):
        while not stop.is_set():
            self.counter += 1
            value = f"creator {self.index} entry {self.counter}"
            try:
                status, body = api.call("POST", f"/api/v1/calls/{CALL}/submissions", {"answers": {FIELD: value}})
            except Exception as error:  # noqa: BLE001
                self.unanswered += 1
                stats.error(error)
                time.sleep(0.02)
                continue
            if 200 <= status < 300 and isinstance(body, dict) and isinstance(body.get("id"), int):
                self.acked[body["id"]] = value
                stats.created()
            else:
                stats.refused(status, body)


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.saves = self.creates = 0
        self.refusals = {}
        self.errors = {}
        self.notes = []
        self.killed_at = None

    def saved(self):
        with self.lock:
            self.saves += 1

    def created(self):
        with self.lock:
            self.creates += 1

    def refused(self, status, body):
        detail = (body or {}).get("detail", "") if isinstance(body, dict) else ""
        with self.lock:
            key = f"{status} {detail}".strip()
            self.refusals[key] = self.refusals.get(key, 0) + 1

    def error(self, error):
        when = "after the kill" if self.killed_at is not None else "BEFORE the kill"
        with self.lock:
            key = f"{type(error).__name__} {when}"
            self.errors[key] = self.errors.get(key, 0) + 1

    def note(self, text):
        with self.lock:
            if len(self.notes) < 20:
                self.notes.append(text)


def sign_in_and_make_token(base):
    site = Site(base)
    site.sign_in(EMAIL, PASSWORD)
    fields = site.hidden("/account", "/account/api-tokens")
    fields.update(token_name="crash benchmark", token_scope="write")
    status, _, body = site.request("/account/api-tokens", fields)
    found = re.search(r'value="(obs_[^"]+)"', body.decode("utf-8", errors="replace"))
    if status != 201 or not found:
        raise SystemExit(f"bench: making an API token on the account page answered {status} without a token")
    return found.group(1)


def check_database(data, label, writers, creators):
    """Checks a copy of the database file and its write-ahead log (the server may not have
    checkpointed), as the next start would open it: integrity, foreign keys, acknowledged saves."""
    copy = tempfile.mkdtemp(prefix="observatory-crash-check-")
    try:
        for suffix in ("", "-wal"):
            source = os.path.join(data, "observatory.sqlite" + suffix)
            if os.path.exists(source):
                shutil.copyfile(source, os.path.join(copy, "observatory.sqlite" + suffix))
        db = sqlite3.connect(os.path.join(copy, "observatory.sqlite"), timeout=30)
        try:
            integrity = "; ".join(row[0] for row in db.execute("PRAGMA integrity_check"))
            foreign = db.execute("PRAGMA foreign_key_check").fetchall()
            stored = {row[0]: row[1] for row in db.execute("SELECT id, answers FROM submissions")}
        finally:
            db.close()
    finally:
        shutil.rmtree(copy, ignore_errors=True)
    missing = []
    landed = 0
    for writer in writers:
        value = json.loads(stored.get(writer.entry_id, "{}")).get(FIELD) if writer.entry_id in stored else None
        verdict = judge_writer(writer, value)
        if verdict == "landed":
            landed += 1
        elif verdict != "ok":
            missing.append(f"{label}: writer {writer.index} (entry {writer.entry_id}): {verdict}")
    for creator in creators:
        for entry_id, value in creator.acked.items():
            if entry_id not in stored:
                missing.append(f"{label}: entry {entry_id} of creator {creator.index} is not in the database")
            elif json.loads(stored[entry_id]).get(FIELD) != value:
                missing.append(f"{label}: entry {entry_id} holds {json.loads(stored[entry_id]).get(FIELD)!r}, not {value!r}")
    return integrity, foreign, missing, landed


def judge_writer(writer, value):
    """'ok' when the entry holds the last acknowledged save, 'landed' when it holds a later save
    that was in flight at the kill, otherwise what is wrong."""
    match = NUMBER.search(value or "")
    number = int(match.group(1)) if match and value.startswith(f"writer {writer.index} save ") else None
    if number is None:
        return f"holds {value!r}, not save {writer.acked}"
    if number == writer.acked:
        return "ok"
    if number > writer.acked and number in writer.unanswered:
        return "landed"
    if number in writer.refused:
        return f"holds save {number}, which the server refused with status {writer.refused[number]}"
    return f"holds save {number}, the last acknowledged was {writer.acked}"


def check_api(port, token, writers, creators_this_run):
    api = API(port, token)
    missing = []
    try:
        for writer in writers:
            status, body = api.call("GET", f"/api/v1/submissions/{writer.entry_id}")
            verdict = judge_writer(writer, answer_of(body)) if status == 200 else f"GET answered {status}"
            if verdict not in ("ok", "landed"):
                missing.append(f"API: writer {writer.index} (entry {writer.entry_id}): {verdict}")
        for entry_id, value, index in creators_this_run:
            status, body = api.call("GET", f"/api/v1/submissions/{entry_id}")
            if status != 200 or answer_of(body) != value:
                missing.append(f"API: entry {entry_id} of creator {index}: answered {status} with {answer_of(body)!r}, not {value!r}")
    finally:
        api.close()
    return missing


def main():
    args = options()
    rng = random.Random(args.seed)
    out_dir = os.path.join(RESULTS, "crash-" + datetime.datetime.now().strftime("%Y%m%d-%H%M%S"))
    os.makedirs(out_dir)
    data = tempfile.mkdtemp(prefix="observatory-crash-")
    # A low bcrypt cost only makes the one sign-in quicker; saves do not hash anything.
    env = {"OBSERVATORY_BCRYPT_COST": "4"}
    port = free_port()
    server = None
    results = []
    finished = False
    try:
        print("bench: setting up: create-admin, an open call, a token", file=sys.stderr)
        run_command(args.binary, data, ["create-admin", "--email", EMAIL, "--name", "Crash Bench"], stdin=PASSWORD + "\n")
        now = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)
        call = {"type": "call", "title": "Crash benchmark call", "slug": CALL, "body": "A call that stays open for the benchmark.",
                "published_at": (now - datetime.timedelta(days=2)).isoformat().replace("+00:00", "Z"),
                "fields": {"opens_at": (now - datetime.timedelta(days=1)).isoformat().replace("+00:00", "Z"),
                           "closes_at": (now + datetime.timedelta(days=60)).isoformat().replace("+00:00", "Z"),
                           "timezone": "UTC"}}
        call_file = os.path.join(data, "call.jsonl")
        with open(call_file, "w") as f:
            f.write(json.dumps(call) + "\n")
        run_command(args.binary, data, ["import", call_file])

        server = Server(args.binary, data, port, os.path.join(out_dir, "server-00"), env=env)
        server.wait_ready(timeout=args.startup_timeout)
        token = sign_in_and_make_token(server.base)
        api = API(port, token)
        writers = []
        for index in range(args.writers):
            status, body = api.call("POST", f"/api/v1/calls/{CALL}/submissions", {"answers": {FIELD: f"writer {index} save 0"}})
            if status != 201:
                raise SystemExit(f"bench: starting an entry answered {status}: {body}")
            writers.append(Writer(index, body["id"]))
        api.close()
        creators = [Creator(index) for index in range(args.creators)]

        for number in range(1, args.runs + 1):
            stats = Stats()
            stop = threading.Event()
            before_creates = [dict(c.acked) for c in creators]
            before_saves = [w.acked for w in writers]
            clients = [API(port, token) for _ in writers + creators]
            threads = [threading.Thread(target=w.work, args=(c, stop, stats), daemon=True)
                       for w, c in zip(writers + creators, clients)]
            kill_after = rng.uniform(args.min_kill, args.max_kill)
            for thread in threads:
                thread.start()
            time.sleep(kill_after)
            alive = server.alive()
            exited = describe_status(server.process.returncode)
            stats.killed_at = time.monotonic()
            server.signal(signal.SIGKILL)
            status = server.wait(10)
            stop.set()
            for thread in threads:
                thread.join(40)
            for client in clients:
                client.close()
            stuck = sum(t.is_alive() for t in threads)
            server.close()

            integrity, foreign, missing, landed = check_database(data, "database", writers, creators)
            new_entries = [(i, v, c.index) for c, before in zip(creators, before_creates) for i, v in c.acked.items() if i not in before]
            server = Server(args.binary, data, port, os.path.join(out_dir, f"server-{number:02d}"), env=env)
            server.wait_ready(timeout=args.startup_timeout)
            missing += check_api(port, token, writers, new_entries)
            problems = []
            if not alive:
                problems.append(f"the server had exited by itself before the kill ({exited})")
            if status is None:
                problems.append("the server was still running 10 s after SIGKILL")
            if stuck:
                problems.append(f"{stuck} writer threads still waiting 40 s after the kill")
            if integrity != "ok":
                problems.append(f"integrity_check: {integrity[:300]}")
            if foreign:
                problems.append(f"foreign_key_check: {len(foreign)} rows, first {foreign[0]}")
            if stats.saves + stats.creates == 0:
                problems.append("no save was acknowledged before the kill: nothing was measured")
            problems += missing
            results.append({"run": number, "kill": kill_after, "saves": stats.saves, "creates": stats.creates,
                            "refused": sum(stats.refusals.values()), "refusals": stats.refusals, "errors": stats.errors,
                            "notes": stats.notes, "missing": len(missing), "landed": landed, "integrity": integrity,
                            "foreign": foreign, "problems": problems,
                            "advanced": sum(w.acked > b for w, b in zip(writers, before_saves))})
            print(f"bench: run {number}: killed after {kill_after:.2f} s, {stats.saves} saves and {stats.creates} new entries "
                  f"acknowledged; " + ("ok" if not problems else "; ".join(problems[:3])), file=sys.stderr)

        final_status = server.stop(timeout=30)
        integrity, foreign, missing, _ = check_database(data, "final database", writers, creators)
        final = {"status": final_status, "integrity": integrity, "foreign": foreign, "missing": missing}
        finished = True
    finally:
        if server:
            server.kill()
        if not finished:
            shutil.move(data, os.path.join(out_dir, "data"))
            print(f"bench: stopped early; server logs and the data directory: {out_dir}", file=sys.stderr)

    print(f"kill -9 while writing: {args.writers} writers changing their entry, {args.creators} creators starting entries, "
          f"{args.runs} runs")
    header = ["run", "killed at s", "acked saves", "acked new", "refused", "in flight landed", "missing", "integrity", "fk errors", "result"]
    rows = [[str(r["run"]), f"{r['kill']:.2f}", str(r["saves"]), str(r["creates"]), str(r["refused"]), str(r["landed"]),
             str(r["missing"]), r["integrity"][:20], str(len(r["foreign"])), "ok" if not r["problems"] else "FAIL"] for r in results]
    widths = [max(len(x) for x in col) for col in zip(header, *rows)]
    for row in [header, ["-" * w for w in widths]] + rows:
        print("  ".join(cell.rjust(width) for cell, width in zip(row, widths)))
    for r in results:
        for problem in r["problems"]:
            print(f"run {r['run']}: {problem}")
        for key, count in sorted(r["refusals"].items()):
            print(f"run {r['run']}:   refused {count} x {key}")
        for key, count in sorted(r["errors"].items()):
            if "BEFORE" in key:
                print(f"run {r['run']}:   {count} x {key}")
        for note in r["notes"]:
            print(f"run {r['run']}:   {note}")
    acked = sum(r["saves"] + r["creates"] for r in results)
    lost = sum(r["missing"] for r in results) + len(final["missing"])
    bad_runs = [r["run"] for r in results if r["problems"]]
    print()
    print(f"acknowledged saves and new entries:  {acked}")
    print(f"missing after a kill:                {lost}")
    print(f"integrity after every kill:          {'ok' if all(r['integrity'] == 'ok' and not r['foreign'] for r in results) else 'NOT ok'}")
    print(f"final stop (SIGTERM):                exit {describe_status(final['status'])}; integrity {final['integrity'][:60]}, "
          f"{len(final['foreign'])} foreign key errors")
    for problem in final["missing"]:
        print(problem)
    print(f"runs failing:                        {len(bad_runs)}" + (f" ({', '.join(map(str, bad_runs))})" if bad_runs else ""))
    failed = bool(bad_runs or final["missing"] or final["integrity"] != "ok" or final["foreign"])
    if failed or args.keep_data:
        shutil.move(data, os.path.join(out_dir, "data"))
        print(f"server logs and the data directory: {out_dir}")
    else:
        shutil.rmtree(data, ignore_errors=True)
        print(f"server logs: {out_dir}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
