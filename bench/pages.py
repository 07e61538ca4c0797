"""The pages each role opens, under gunicorn with the production settings, against /healthz.

    .venv/bin/python bench/pages.py                     # the demo department (1,500 staff)
    .venv/bin/python bench/pages.py --employees 20000   # a department of 20,000

Builds its own PostgreSQL database (``bench_pages``, dropped afterwards unless ``--keep``) with
``seed_demo``, starts its own Redis and gunicorn (production settings, test secret, loopback only),
signs in as the demo employee, head of unit and HR officer, and requests each page ``--rounds``
times one after another (after two warm-up requests, so the figures are of the pages a second
viewer sees while nothing changes). The floor is ``/healthz`` (database and cache reachable,
nothing else), timed in the same run between the pages, so the ratio p95(page) / p95(healthz)
compares pages with the framework's own cost on this machine at this moment.

Then ``--write-rounds`` times: one new assessment result is recorded for the demo employee (as a
submission records it, through the application, in a separate process) and every page is opened
once, so each is built afresh from the new evidence (``after_write`` p50 and max per page).
The last line printed is JSON.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import secrets
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from exam_day import PYTHON, ROOT, free_port, percentiles, run, stop_all, wait_until_up
from exam_day_client import Browser, Recorder, StepFailed, _csrf

PASSWORD = "demo-skills-2569"
ROLES = {
    "employee": (
        "employee@dept.example",
        ["/", "/me/skills/", "/me/skills/chart/levels.png", "/courses/"],
    ),
    "manager": ("manager@dept.example", ["/", "/me/team/", "/me/team/chart.png"]),
    "hr": (
        "hr@dept.example",
        ["/", "/admin/reports/capability/", "/admin/reports/capability/chart/overview.png"],
    ),
}
GOAL_RATIO = 3.0  # every page's p95 within 3x /healthz's
# One new assessment result for the demo employee, recorded as a submission records it.
RECORD_EVIDENCE = """
import datetime as dt
from django.utils import timezone
from profiles.competencies.models import Competency
from profiles.competencies.services import evidence_record
from profiles.organisation.models import Employee
employee = Employee.objects.get(user__email="employee@dept.example")
competency = Competency.objects.filter(framework__code="DigComp-2.2").order_by("?").first()
evidence_record(employee=employee, competency=competency, level={level}, source="assessment",
                observed_at=timezone.now() - dt.timedelta(seconds=1), source_label="bench/pages.py")
"""


def log(message: str) -> None:
    print(f"[pages {time.strftime('%H:%M:%S')}] {message}", flush=True)


def sign_in(browser: Browser, email: str) -> None:
    _status, _location, text = browser.request("login_page", "GET", "/accounts/login/")
    status, location, _text = browser.request(
        "login", "POST", "/accounts/login/",
        {"login": email, "password": PASSWORD, "csrfmiddlewaretoken": _csrf(text)},
    )  # fmt: skip
    if status != 302 or location.startswith("/accounts/"):
        raise SystemExit(f"{email} could not sign in (HTTP {status} to {location or 'nowhere'})")


def timed(browser: Browser, path: str) -> float:
    started = time.monotonic()
    status, _location, _text = browser.request(path, "GET", path)
    if status != 200:
        raise StepFailed(f"{path}: HTTP {status}")
    return time.monotonic() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--employees", type=int, default=1500)
    parser.add_argument("--rounds", type=int, default=40)
    parser.add_argument("--write-rounds", type=int, default=5)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--pg", default=os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432"))
    parser.add_argument("--db-name", default="bench_pages", help="the database it creates and drops")
    parser.add_argument("--keep", action="store_true", help="keep the database and folder afterwards")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="bench-pages-"))
    db_name = args.db_name
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")}
    env.update(
        DJANGO_SETTINGS_MODULE="skills_site.settings.production",
        SECRET_KEY=secrets.token_urlsafe(48),
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="0",
        SECURE_HSTS_SECONDS="0",
        MFA_REQUIRED_ROLES="none",
        SKILLS_VAR_DIR=str(work / "var"),
        MEDIA_ROOT=str(work / "media"),
        DATABASE_URL=f"{args.pg}/{db_name}",
        PYTHONUNBUFFERED="1",
    )
    processes: list[subprocess.Popen] = []

    def psql(sql: str) -> None:
        subprocess.run(["psql", f"{args.pg}/postgres", "-qc", sql], check=True, capture_output=True)

    try:
        psql(f'DROP DATABASE IF EXISTS "{db_name}" WITH (FORCE)')
        psql(f'CREATE DATABASE "{db_name}"')
        redis_port = free_port()
        processes.append(
            subprocess.Popen(
                ["redis-server", "--port", str(redis_port), "--bind", "127.0.0.1", "--save", "",
                 "--appendonly", "no"],
                stdout=subprocess.DEVNULL,  # fmt: skip
            )
        )
        env["REDIS_URL"] = f"redis://127.0.0.1:{redis_port}/0"
        started = time.monotonic()
        run([PYTHON, "manage.py", "migrate", "--noinput", "-v0"], env)
        run([PYTHON, "manage.py", "collectstatic", "--noinput", "-v0"], env)
        run([PYTHON, "manage.py", "load_frameworks"], env, capture_output=True)
        run([PYTHON, "manage.py", "seed_demo", "--employees", str(args.employees)], env, capture_output=True)
        log(f"{args.employees} staff seeded in {time.monotonic() - started:.0f} s; folder {work}")

        port = free_port()
        processes.append(
            subprocess.Popen(
                [PYTHON, "-m", "gunicorn", "skills_site.wsgi:application", "--bind", f"127.0.0.1:{port}",
                 "--workers", str(args.workers), "--timeout", "300", "--log-level", "warning"],
                env=env, cwd=ROOT, stdout=open(work / "gunicorn.log", "w"), stderr=subprocess.STDOUT,
            )  # fmt: skip
        )
        wait_until_up(port)
        targets = itertools.cycle([("127.0.0.1", port)])
        recorder = Recorder()
        floor_browser = Browser(targets, "127.0.0.1", recorder, timeout=300)
        browsers = {}
        for role, (email, _paths) in ROLES.items():
            browsers[role] = Browser(targets, "127.0.0.1", recorder, timeout=300)
            browsers[role].cookies["skills_language"] = "th"
            sign_in(browsers[role], email)

        samples: dict[str, list[float]] = {"/healthz": []}
        first: dict[str, float] = {}
        for role, (_email, paths) in ROLES.items():
            for path in paths:
                key = f"{role} {path}"
                first[key] = round(timed(browsers[role], path) * 1000, 1)  # built if not cached yet
                timed(browsers[role], path)
                samples[key] = []
        for _round in range(args.rounds):
            for role, (_email, paths) in ROLES.items():
                for path in paths:
                    samples["/healthz"].append(timed(floor_browser, "/healthz"))
                    samples[f"{role} {path}"].append(timed(browsers[role], path))
        after_write: dict[str, list[float]] = {key: [] for key in first}
        for write_round in range(args.write_rounds):
            record = RECORD_EVIDENCE.format(level=2 + write_round % 4)
            run([PYTHON, "manage.py", "shell", "--no-imports", "-c", record], env, capture_output=True)
            for role, (_email, paths) in ROLES.items():
                for path in paths:
                    after_write[f"{role} {path}"].append(timed(browsers[role], path))
        floor = percentiles(samples["/healthz"])
        pages = {}
        for key, values in samples.items():
            if key == "/healthz":
                continue
            figures = percentiles(values)
            figures["first_ms"] = first[key]
            figures["p95_over_healthz_p95"] = round(figures["p95_ms"] / floor["p95_ms"], 2)
            if after_write[key]:
                rebuilt = sorted(after_write[key])
                figures["after_write_p50_ms"] = round(rebuilt[len(rebuilt) // 2] * 1000, 1)
                figures["after_write_max_ms"] = round(rebuilt[-1] * 1000, 1)
            pages[key] = figures
            log(f"{key:52} p50 {figures['p50_ms']:8.1f} ms  p95 {figures['p95_ms']:8.1f} ms  "
                f"{figures['p95_over_healthz_p95']:6.2f}x healthz  (first {first[key]:.0f} ms; after new "
                f"evidence p50 {figures.get('after_write_p50_ms', 0):.0f}, "
                f"max {figures.get('after_write_max_ms', 0):.0f} ms)")  # fmt: skip
        log(f"{'/healthz (floor)':52} p50 {floor['p50_ms']:8.1f} ms  p95 {floor['p95_ms']:8.1f} ms")
        errors = (work / "gunicorn.log").read_text().count("Traceback")
        worst = max(page["p95_over_healthz_p95"] for page in pages.values())
        print(
            json.dumps(
                {
                    "employees": args.employees,
                    "workers": args.workers,
                    "rounds": args.rounds,
                    "write_rounds": args.write_rounds,
                    "healthz": floor,
                    "pages": pages,
                    "worst_p95_ratio": worst,
                    "goal": f"every page p95 <= {GOAL_RATIO}x /healthz p95",
                    "goal_met": worst <= GOAL_RATIO and errors == 0,
                    "server_tracebacks": errors,
                }
            )
        )
    finally:
        stop_all(processes)
        if not args.keep:
            psql(f'DROP DATABASE IF EXISTS "{db_name}" WITH (FORCE)')
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
