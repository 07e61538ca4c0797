"""Exam-day load test: a whole department takes the annual test at once, and nothing is lost.

    .venv/bin/python bench/exam_day.py                      # gunicorn + PostgreSQL + Redis
    .venv/bin/python bench/exam_day.py --database sqlite    # the embedded default
    .venv/bin/python bench/exam_day.py --app-servers 2      # two app servers, shared PG and Redis

Creates its own database (PostgreSQL ``bench_exam_day``, dropped afterwards; or a SQLite file
under a temporary folder), seeds 1,500 staff and a 30-question timed test, collects static files,
starts gunicorn with the production settings (test secret, loopback only, no TLS redirect) and
its own Redis, runs ``exam_day_client.py`` as a second process, then checks in the database that
every submission is stored exactly once with the right score and evidence. The last line printed
is JSON: throughput, p50/p95/p99 per step, errors, refusals, lost and duplicated submissions.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
HERE = Path(__file__).resolve().parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def log(message: str) -> None:
    print(f"[exam-day {time.strftime('%H:%M:%S')}] {message}", flush=True)


def run(cmd: list[str], env: dict, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, env=env, cwd=ROOT, check=True, **kwargs)


def wait_until_up(port: int, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            request = urllib.request.Request(
                f"http://127.0.0.1:{port}/accounts/login/", headers={"X-Forwarded-Proto": "https"}
            )
            with urllib.request.urlopen(request, timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"app server on port {port} did not answer within {seconds:.0f}s")


def stop_all(processes: list[subprocess.Popen]) -> None:
    """Ask every server started to stop, then wait for each (killing one that will not)."""
    for process in processes:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
    for process in processes:
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


class CpuMeter:
    """CPU seconds used by the app servers, PostgreSQL and Redis during the load (Linux /proc).

    Samples every process each second from a thread, so that a database backend or a worker that
    ends during the load still counts. The report can then say what a sitting costs, not only how
    long it took. PostgreSQL is counted whole (its other databases are idle during a run).
    """

    KINDS = ("app_servers", "postgresql", "redis")

    def __init__(self):
        self.tick = os.sysconf("SC_CLK_TCK")
        self.seen: dict[int, tuple[str, float]] = {}
        self.baseline = self._sample()
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _kind(self, command: str) -> str | None:
        if "gunicorn" in command and "skills_site.wsgi" in command:
            return "app_servers"
        if command.startswith("postgres"):
            return "postgresql"
        if command.startswith("redis-server"):
            return "redis"
        return None

    def _sample(self) -> dict[int, float]:
        now: dict[int, float] = {}
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            kind = self._kind(command)
            if kind:
                pid, seconds = int(entry.name), (int(fields[11]) + int(fields[12])) / self.tick
                self.seen[pid] = (kind, seconds)
                now[pid] = seconds
        return now

    def _run(self) -> None:
        while not self.stopping.wait(1.0):
            self._sample()

    def stop(self) -> dict[str, float]:
        self.stopping.set()
        self.thread.join()
        self._sample()
        totals = dict.fromkeys(self.KINDS, 0.0)
        for pid, (kind, seconds) in self.seen.items():
            totals[kind] += seconds - self.baseline.get(pid, 0.0)
        return {kind: round(value, 1) for kind, value in totals.items()}


def _probe_loop() -> float:
    started = time.process_time()
    table: dict[int, int] = {}
    total = 0
    for i in range(3_000_000):
        total += i % 7
        table[i & 1023] = total
    return round(time.process_time() - started, 2)


def speed_probe() -> dict[str, float]:
    """CPU seconds a fixed pure-Python loop takes now, alone and on every core at once.

    The yardstick for this machine's speed: on a shared virtual machine the same code has needed
    twice the CPU per request from one hour to the next, and with every core busy (as under the
    load) each core may run the loop much slower than one core alone. Taken just before and just
    after the load, so two runs' figures can be told apart by the machine rather than by the code.
    """
    alone = _probe_loop()
    cores = os.cpu_count() or 1
    with multiprocessing.get_context("spawn").Pool(cores) as pool:
        together = pool.starmap(_probe_loop, [()] * cores)
    return {"alone": alone, "all_cores": max(together)}


def percentiles(values: list[float]) -> dict:
    if not values:
        return {"count": 0}
    ordered = sorted(values)

    def pick(q: float) -> float:
        return round(ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000, 1)

    return {
        "count": len(ordered),
        "p50_ms": pick(0.50),
        "p95_ms": pick(0.95),
        "p99_ms": pick(0.99),
        "max_ms": round(ordered[-1] * 1000, 1),
        "mean_ms": round(statistics.fmean(ordered) * 1000, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database", choices=["postgres", "sqlite"], default="postgres")
    parser.add_argument("--app-servers", type=int, choices=[1, 2], default=1)
    parser.add_argument("--workers", type=int, default=None, help="gunicorn workers per app server")
    parser.add_argument("--employees", type=int, default=1500)
    parser.add_argument("--window", type=float, default=240, help="arrivals spread over this many seconds")
    parser.add_argument("--hard-stop", type=float, default=600)
    parser.add_argument("--think", type=float, default=1.0)
    parser.add_argument("--bad-share", type=float, default=0.03)
    parser.add_argument("--pg", default=os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432"))
    parser.add_argument(
        "--one-address", action="store_true", help="all users from one address (a proxy or an office NAT)"
    )
    parser.add_argument("--keep", action="store_true", help="keep the database and folder afterwards")
    args = parser.parse_args()
    workers = args.workers or (5 if args.app_servers == 1 else 3)

    work = Path(tempfile.mkdtemp(prefix="exam-day-"))
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")}
    env.update(
        DJANGO_SETTINGS_MODULE="skills_site.settings.production",
        SECRET_KEY=secrets.token_urlsafe(48),
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="0",
        SECURE_HSTS_SECONDS="0",
        SKILLS_VAR_DIR=str(work / "var"),
        MEDIA_ROOT=str(work / "shared-media"),
        PYTHONUNBUFFERED="1",
    )
    db_name = "bench_exam_day"
    processes: list[subprocess.Popen] = []

    def psql(sql: str) -> None:
        subprocess.run(["psql", f"{args.pg}/postgres", "-qc", sql], check=True, capture_output=True)

    def cleanup() -> None:
        stop_all(processes)
        if not args.keep:
            if args.database == "postgres":
                psql(f'DROP DATABASE IF EXISTS "{db_name}" WITH (FORCE)')
            shutil.rmtree(work, ignore_errors=True)

    try:
        if args.database == "postgres":
            psql(f'DROP DATABASE IF EXISTS "{db_name}" WITH (FORCE)')
            psql(f'CREATE DATABASE "{db_name}"')
            env["DATABASE_URL"] = f"{args.pg}/{db_name}"
        if args.database == "postgres" or args.app_servers > 1:
            redis_port = free_port()
            processes.append(
                subprocess.Popen(
                    [
                        "redis-server",
                        "--port",
                        str(redis_port),
                        "--bind",
                        "127.0.0.1",
                        "--save",
                        "",
                        "--appendonly",
                        "no",
                    ],
                    stdout=subprocess.DEVNULL,
                )
            )
            env["REDIS_URL"] = f"redis://127.0.0.1:{redis_port}/0"
        log(f"database {args.database}, {args.app_servers} app server(s) x {workers} workers, folder {work}")
        run([PYTHON, "manage.py", "migrate", "--noinput", "-v0"], env)
        run([PYTHON, "manage.py", "collectstatic", "--noinput", "-v0"], env)
        seeded = json.loads(
            run(
                [PYTHON, str(HERE / "exam_day_data.py"), "seed", "--employees", str(args.employees)],
                env,
                capture_output=True,
                text=True,
            )
            .stdout.strip()
            .splitlines()[-1]
        )
        log(f"seeded {seeded['employees']} staff; test at {seeded['main_url']}")

        ports = [free_port() for _ in range(args.app_servers)]
        for port in ports:
            processes.append(
                subprocess.Popen(
                    [
                        PYTHON,
                        "-m",
                        "gunicorn",
                        "skills_site.wsgi:application",
                        "--bind",
                        f"127.0.0.1:{port}",
                        "--workers",
                        str(workers),
                        "--timeout",
                        "120",
                        "--backlog",
                        "2048",
                        "--log-level",
                        "warning",
                    ],
                    env=env,
                    cwd=ROOT,
                    stdout=open(work / f"gunicorn-{port}.log", "w"),
                    stderr=subprocess.STDOUT,
                )
            )
        for port in ports:
            wait_until_up(port)
        log(f"gunicorn up on {', '.join(map(str, ports))}; load starts")

        outcomes, summary = work / "outcomes.jsonl", work / "summary.json"
        probe_before = speed_probe()
        meter = CpuMeter()
        client_cpu_before = os.times()
        started = time.monotonic()
        run(
            [
                PYTHON,
                str(HERE / "exam_day_client.py"),
                "--targets",
                ",".join(f"127.0.0.1:{p}" for p in ports),
                "--users",
                str(args.employees),
                "--window",
                str(args.window),
                "--hard-stop",
                str(args.hard_stop),
                "--think",
                str(args.think),
                "--bad-share",
                str(args.bad_share),
                "--password",
                seeded["password"],
                "--main-url",
                seeded["main_url"],
                "--late-url",
                seeded["late_url"],
                *(["--one-address"] if args.one_address else []),
                "--outcomes",
                str(outcomes),
                "--summary",
                str(summary),
            ],
            env,
        )
        load_seconds = time.monotonic() - started
        cpu = meter.stop()
        client_cpu_after = os.times()
        cpu["load_client"] = round(
            (client_cpu_after.children_user + client_cpu_after.children_system)
            - (client_cpu_before.children_user + client_cpu_before.children_system),
            1,
        )
        probe_after = speed_probe()
        log(f"load finished in {load_seconds:.0f}s; checking the database")
        checked = json.loads(
            run(
                [PYTHON, str(HERE / "exam_day_data.py"), "verify", str(outcomes)],
                env,
                capture_output=True,
                text=True,
            )
            .stdout.strip()
            .splitlines()[-1]
        )
        report = json.loads(summary.read_text())
        outcomes_list = [json.loads(line) for line in outcomes.read_text().splitlines() if line.strip()]
        server_errors = sum((work / f"gunicorn-{p}.log").read_text().count("Traceback") for p in ports)
    finally:
        cleanup()

    samples = report["samples"]
    by_step: dict[str, list[float]] = {}
    for step, _status, seconds in samples:
        by_step.setdefault(step, []).append(seconds)
    five_xx = sum(1 for _s, status, _t in samples if status >= 500)
    cohorts: dict[str, dict] = {}
    for outcome in outcomes_list:
        cohort = cohorts.setdefault(
            outcome["cohort"], {"users": 0, "refusals_expected": 0, "refusals_seen": 0}
        )
        cohort["users"] += 1
        cohort["refusals_expected"] += outcome.get("refusals_expected", 0)
        cohort["refusals_seen"] += outcome.get("refusals_seen", 0)
    failed_at: dict[str, int] = {}
    for outcome in outcomes_list:
        if "failed_at" in outcome:
            failed_at[outcome["failed_at"]] = failed_at.get(outcome["failed_at"], 0) + 1
    submits = by_step.get("submit", [])
    result = {
        "database": args.database,
        "app_servers": args.app_servers,
        "workers_per_server": workers,
        "employees": args.employees,
        "arrival_window_s": args.window,
        "one_address": args.one_address,
        "load_s": round(report["elapsed_s"], 1),
        "requests": len(samples),
        "throughput_rps": round(len(samples) / report["elapsed_s"], 1),
        "submissions_per_min": round(checked["stored"] / report["elapsed_s"] * 60, 1),
        "steps": {step: percentiles(values) for step, values in sorted(by_step.items())},
        "cpu_s": cpu,
        "app_cpu_ms_per_request": round(cpu["app_servers"] * 1000 / max(1, len(samples)), 1),
        "cpu_ms_per_sitting": {
            "app_servers": round(cpu["app_servers"] * 1000 / args.employees),
            "postgresql": round(cpu["postgresql"] * 1000 / args.employees),
        },
        "speed_probe_cpu_s": {"before": probe_before, "after": probe_after},
        "http_5xx": five_xx,
        "server_tracebacks": server_errors,
        "client_errors": report["errors"],
        "users_failed": failed_at,
        "bad_input": cohorts,
        "verify": checked,
        "goal_met": bool(
            checked["lost"] == 0
            and checked["duplicated"] == 0
            and checked["wrong_score"] == 0
            and checked["wrong_evidence"] == 0
            and five_xx == 0
            and percentiles(submits).get("p95_ms", 1e9) < 500
        ),
        "lost": checked["lost"],
        "duplicated": checked["duplicated"],
    }
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
