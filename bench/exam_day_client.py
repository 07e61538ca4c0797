"""Exam-day load client: simulated employees sign in, take the 30-question test and submit it.

A second process, standard library only. Each simulated employee is a thread that arrives at its
own moment in the window, signs in with its own loopback source address (so the per-address
sign-in limits see 1,500 workstations, not one), starts the test, answers in three saves with a
pause to think, submits, and reads the result. Load is bounded: at most ``--max-in-flight`` users
at once, a time-out on every request and a hard stop for the whole run.

Some users misbehave on purpose (``cohort``): they double-click Submit (two submissions at once),
submit again once finished (and try to change answers), or submit after the time limit. Each
refusal they meet is counted; the database check afterwards shows nothing they did changed a
stored result.

Writes one JSON line per user (outcomes) and one JSON summary with every request's latency.
"""

from __future__ import annotations

import argparse
import http.client
import itertools
import json
import random
import re
import threading
import time
import urllib.parse
from http.cookies import SimpleCookie
from pathlib import Path

CSRF_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
START_RE = re.compile(r'action="(/assessments/\d+/start/)"')
ATTEMPT_RE = re.compile(r"^/assessments/attempt/(\d+)/$")
REMAINING_RE = re.compile(r'data-remaining="(\d+)"')
OPTION_RE = re.compile(
    r'<input type="radio" name="(answer-\d+)" value="(\d+)"[^>]*>\s*\[([A-Z-]+)\] (Q\d+) (ok|x\d)'
)
SUBMITTED_MSG = "Your answers were submitted."
ALREADY_MSG = "already submitted"
LATE_MSG = "Time was up"


class Refused(Exception):
    pass


class StepFailed(Exception):
    pass


class Recorder:
    """Every request's step, status and latency, shared by all user threads."""

    def __init__(self):
        self.lock = threading.Lock()
        self.samples: list[tuple[str, int, float]] = []
        self.errors: dict[str, int] = {}

    def add(self, step: str, status: int, seconds: float) -> None:
        with self.lock:
            self.samples.append((step, status, seconds))

    def error(self, kind: str) -> None:
        with self.lock:
            self.errors[kind] = self.errors.get(kind, 0) + 1


class Browser:
    """One employee's browser: cookies, CSRF token, and a TLS-terminating proxy's headers."""

    def __init__(self, targets: itertools.cycle, source_ip: str, recorder: Recorder, timeout: float):
        self.targets, self.source_ip, self.recorder, self.timeout = targets, source_ip, recorder, timeout
        self.cookies: dict[str, str] = {"skills_language": "en"}

    def fork(self) -> Browser:
        twin = Browser(self.targets, self.source_ip, self.recorder, self.timeout)
        twin.cookies = dict(self.cookies)
        return twin

    def request(self, step: str, method: str, path: str, fields=None, extra_headers=None):
        host, port = next(self.targets)
        origin = f"https://{host}:{port}"
        headers = {
            "Host": f"{host}:{port}",
            "X-Forwarded-Proto": "https",
            "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
            "User-Agent": "exam-day-bench",
        }
        body = None
        if method == "POST":
            body = urllib.parse.urlencode(fields or [], doseq=True).encode()
            headers.update(
                {
                    "Content-Type": "application/x-www-form-urlencoded",
                    "Origin": origin,
                    "Referer": origin + path,
                }
            )
        headers.update(extra_headers or {})
        started = time.monotonic()
        connection = http.client.HTTPConnection(
            host, port, timeout=self.timeout, source_address=(self.source_ip, 0)
        )
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            text = response.read().decode("utf-8", "replace")
        except (OSError, http.client.HTTPException) as exc:
            self.recorder.add(step, 0, time.monotonic() - started)
            self.recorder.error(f"{step}: {type(exc).__name__}")
            raise StepFailed(step) from exc
        finally:
            connection.close()
        self.recorder.add(step, response.status, time.monotonic() - started)
        for header in response.headers.get_all("Set-Cookie") or []:
            cookie = SimpleCookie()
            cookie.load(header)
            for name, morsel in cookie.items():
                if morsel.value == "" or morsel["max-age"] == "0":
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value
        if response.status >= 500:
            self.recorder.error(f"{step}: HTTP {response.status}")
            raise StepFailed(step)
        location = urllib.parse.urlsplit(response.headers.get("Location", "")).path
        return response.status, location, text


def _csrf(text: str) -> str:
    match = CSRF_RE.search(text)
    if not match:
        raise StepFailed("csrf token missing")
    return match.group(1)


class Examinee:
    def __init__(self, number: int, cohort: str, args, recorder: Recorder, targets):
        self.number, self.cohort, self.args = number, cohort, args
        self.email = args.email.format(number)
        source_ip = "127.0.0.1" if args.one_address else f"127.0.{1 + number // 250}.{1 + number % 250}"
        self.browser = Browser(targets, source_ip, recorder, args.timeout)
        self.rng = random.Random(number)
        # How many questions this user answers correctly, first to last as shown.
        self.correct_count = (number * 7) % 31
        self.outcome = {
            "user": self.email,
            "cohort": cohort,
            "page": "exam-day-late" if cohort == "late" else "exam-day",
            "submit_confirmed": False,
            "refusals_seen": 0,
            "refusals_expected": 0,
        }

    def run(self) -> dict:
        try:
            self._take_test()
        except StepFailed as failure:
            self.outcome["failed_at"] = str(failure)
        except Refused as refusal:
            self.outcome["failed_at"] = f"unexpected refusal: {refusal}"
        return self.outcome

    def _think(self, low: float, high: float) -> None:
        time.sleep(self.rng.uniform(low, high) * self.args.think)

    def _take_test(self) -> None:
        b = self.browser
        _status, _loc, text = b.request("login_page", "GET", "/accounts/login/")
        status, location, _text = b.request(
            "login",
            "POST",
            "/accounts/login/",
            {"login": self.email, "password": self.args.password, "csrfmiddlewaretoken": _csrf(text)},
        )
        if status != 302:
            raise StepFailed(f"login answered {status}")
        b.request("landing", "GET", location or "/me/")
        page_url = self.args.late_url if self.cohort == "late" else self.args.main_url
        _status, _loc, text = b.request("assessment_page", "GET", page_url)
        start = START_RE.search(text)
        if not start:
            raise StepFailed("no start button")
        status, location, _text = b.request(
            "start", "POST", start.group(1), {"csrfmiddlewaretoken": _csrf(text)}
        )
        match = ATTEMPT_RE.match(location)
        if status != 302 or not match:
            raise StepFailed(f"start answered {status} {location}")
        attempt_path = location
        _status, _loc, text = b.request("attempt_page", "GET", attempt_path)
        token = _csrf(text)
        questions: dict[str, dict] = {}
        for field, value, code, _q, kind in OPTION_RE.findall(text):
            question = questions.setdefault(field, {"code": code, "right": None, "wrong": []})
            if kind == "ok":
                question["right"] = value
            else:
                question["wrong"].append(value)
        if len(questions) != self.args.questions:
            raise StepFailed(f"attempt page shows {len(questions)} questions")
        remaining = int(REMAINING_RE.search(text).group(1))
        fields = list(questions)  # in the order shown
        answers: dict[str, str] = {}
        per_competency: dict[str, list[int]] = {}
        for position, field in enumerate(fields):
            question = questions[field]
            right = position < self.correct_count
            answers[field] = question["right"] if right else self.rng.choice(question["wrong"])
            tally = per_competency.setdefault(question["code"], [0, 0])
            tally[0] += int(right)
            tally[1] += 1
        self.outcome["per_competency"] = per_competency
        save_path = attempt_path + "save/"
        for part in range(1, 4):  # three saves: a third of the questions each
            self._think(1, 4)
            shown = fields[: len(fields) * part // 3]
            status, _loc, _text = b.request(
                "autosave",
                "POST",
                save_path,
                [("csrfmiddlewaretoken", token)] + [(f, answers[f]) for f in shown],
                {"X-Requested-With": "fetch"},
            )
            if status != 200:
                raise StepFailed(f"autosave answered {status}")
        submit_path = attempt_path + "submit/"
        form = [("csrfmiddlewaretoken", token)] + [(f, answers[f]) for f in fields]
        if self.cohort == "late":
            # Wait past the deadline, then try to submit every answer right: refused, the saved ones count.
            time.sleep(remaining + 2)
            all_right = [("csrfmiddlewaretoken", token)] + [(f, questions[f]["right"]) for f in fields]
            self._submit(submit_path, all_right, expect=LATE_MSG)
            self.outcome["refusals_expected"] += 1
            return
        self._think(1, 3)
        if self.cohort == "double":
            self._double_submit(submit_path, form)
        else:
            self._submit(submit_path, form, expect=SUBMITTED_MSG)
        if self.cohort == "resubmit":
            self._think(1, 2)
            all_right = [("csrfmiddlewaretoken", token)] + [(f, questions[f]["right"]) for f in fields]
            self.outcome["refusals_expected"] += 2
            self._submit(submit_path, all_right, expect=ALREADY_MSG, step="resubmit", confirms=False)
            status, _loc, _text = b.request(
                "resubmit", "POST", save_path, all_right, {"X-Requested-With": "fetch"}
            )
            if status == 409:
                self.outcome["refusals_seen"] += 1

    def _submit(self, path, form, *, expect, step="submit", browser=None, confirms=True) -> str:
        b = browser or self.browser
        status, location, _text = b.request(step, "POST", path, form)
        if status != 302 or not location.endswith("/result/"):
            raise StepFailed(f"{step} answered {status} {location}")
        if confirms:
            # The request went through: from here on the server owes us a stored submission.
            self.outcome["submit_confirmed"] = True
        _status, _loc, text = b.request("result", "GET", location)
        if expect in text and expect != SUBMITTED_MSG:
            self.outcome["refusals_seen"] += 1
        elif expect not in text:
            raise Refused(f"{step}: expected {expect!r} on the result page")
        return text

    def _double_submit(self, path, form) -> None:
        """Two Submit clicks at the same moment: one is recorded, the other told so."""
        twins = [self.browser.fork(), self.browser.fork()]
        pages: list[str | None] = [None, None]

        def click(index):
            try:
                status, location, _t = twins[index].request("submit", "POST", path, form)
                if status == 302:
                    self.outcome["submit_confirmed"] = True
                    pages[index] = twins[index].request("result", "GET", location)[2]
            except StepFailed:
                pass

        threads = [threading.Thread(target=click, args=(i,)) for i in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        self.outcome["refusals_expected"] += 1
        accepted = sum(1 for p in pages if p and SUBMITTED_MSG in p)
        refused = sum(1 for p in pages if p and ALREADY_MSG in p)
        self.outcome["refusals_seen"] += refused
        self.outcome["double_accepted"] = accepted
        if accepted + refused != 2:
            raise StepFailed("double submit: a click got no clear answer")


def cohort_of(number: int, share: float) -> str:
    """A share of users for each kind of bad input, spread evenly through the arrivals."""
    slot = number % 100
    bad = round(share * 100)
    if slot < bad:
        return "double"
    if slot < 2 * bad:
        return "resubmit"
    if slot < 3 * bad:
        return "late"
    return "normal"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--targets", required=True, help="host:port[,host:port] (alternated per request)")
    parser.add_argument("--users", type=int, default=1500)
    parser.add_argument("--window", type=float, default=240, help="arrivals spread over this many seconds")
    parser.add_argument(
        "--hard-stop", type=float, default=600, help="give up on users still going after this"
    )
    parser.add_argument("--max-in-flight", type=int, default=200)
    parser.add_argument("--timeout", type=float, default=60)
    parser.add_argument("--think", type=float, default=1.0, help="scale of the pauses between saves")
    parser.add_argument("--bad-share", type=float, default=0.03, help="share of users per kind of bad input")
    parser.add_argument("--questions", type=int, default=30)
    parser.add_argument(
        "--one-address", action="store_true", help="every user from 127.0.0.1 (as behind one proxy or NAT)"
    )
    parser.add_argument("--email", default="bench{:05d}@exam.example")
    parser.add_argument("--password", required=True)
    parser.add_argument("--main-url", required=True)
    parser.add_argument("--late-url", required=True)
    parser.add_argument("--outcomes", type=Path, required=True)
    parser.add_argument("--summary", type=Path, required=True)
    args = parser.parse_args()

    targets_list = []
    for target in args.targets.split(","):
        host, port = target.rsplit(":", 1)
        targets_list.append((host, int(port)))
    lock = threading.Lock()
    targets = itertools.cycle(targets_list)

    class LockedCycle:
        def __next__(self):
            with lock:
                return next(targets)

    recorder = Recorder()
    slots = threading.BoundedSemaphore(args.max_in_flight)
    outcomes: list[dict] = []
    outcomes_lock = threading.Lock()
    began = time.monotonic()

    def user(number: int) -> None:
        examinee = Examinee(number, cohort_of(number, args.bad_share), args, recorder, LockedCycle())
        try:
            outcome = examinee.run()
        finally:
            slots.release()
        with outcomes_lock:
            outcomes.append(outcome)

    threads = []
    for number in range(args.users):
        due = began + number * args.window / args.users
        time.sleep(max(0.0, due - time.monotonic()))
        if not slots.acquire(timeout=max(0.0, began + args.hard_stop - time.monotonic())):
            break
        thread = threading.Thread(target=user, args=(number,), daemon=True)
        thread.start()
        threads.append(thread)
    for thread in threads:
        thread.join(timeout=max(0.0, began + args.hard_stop - time.monotonic()))
    elapsed = time.monotonic() - began
    with outcomes_lock:
        finished = list(outcomes)
    finished_users = {o["user"] for o in finished}
    for number in range(args.users):
        email = args.email.format(number)
        if email not in finished_users:
            finished.append(
                {
                    "user": email,
                    "cohort": cohort_of(number, args.bad_share),
                    "page": "exam-day",
                    "submit_confirmed": False,
                    "failed_at": "hard stop",
                    "refusals_seen": 0,
                    "refusals_expected": 0,
                }
            )
    args.outcomes.write_text("".join(json.dumps(o) + "\n" for o in finished))
    with recorder.lock:
        samples = list(recorder.samples)
        errors = dict(recorder.errors)
    args.summary.write_text(json.dumps({"elapsed_s": elapsed, "samples": samples, "errors": errors}))


if __name__ == "__main__":
    main()
