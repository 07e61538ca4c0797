"""Real-browser journeys: Debian's Chromium driven by Playwright against a live server.

The server is ``manage.py runserver`` in a subprocess on a free loopback port, on its own
database: a SQLite file in a temporary folder, or (when ``DATABASE_URL`` names PostgreSQL) a
fresh database on that server, dropped afterwards. It holds the demo department
(``seed_demo``) and a small capability plan (``site_setup.py``).

These tests take a couple of minutes, so the ordinary ``pytest`` run leaves them out; run them
with ``make test-browser`` (``SKILLS_BROWSER_TESTS=1``). Screenshots of every step go to
``test-artifacts/screenshots/``.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.sso.provider import CLIENT_ID, loopback_provider

ENABLED = os.environ.get("SKILLS_BROWSER_TESTS") == "1"
collect_ignore_glob = [] if ENABLED else ["test_*.py"]

ROOT = Path(__file__).resolve().parent.parent.parent
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
PASSWORD = "demo-skills-2569"
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True,
         "device_scale_factor": 2}  # fmt: skip
DESKTOP = {"viewport": {"width": 1366, "height": 900}}
# The sign-in page has the single sign-on button's form above the password form.
PASSWORD_FORM_BUTTON = "main form:has(input[name=password]) button[type=submit]"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _psql(server_url: str, sql: str) -> None:
    subprocess.run(["psql", f"{server_url}/postgres", "-qc", sql], check=True, capture_output=True)


@pytest.fixture(scope="session")
def sso_provider():
    """A real OpenID Connect provider on loopback, which the live server's single sign-on uses."""
    with loopback_provider() as provider:
        yield provider


@pytest.fixture(scope="session")
def live_url(sso_provider):
    """The base URL of a live server on the demo department; stopped and cleaned up at the end.

    ``SKILLS_BROWSER_URL`` points the journeys at a server you started yourself (one set up
    with ``site_setup.py``) instead, which saves the minute of migrating while writing a test.
    """
    if os.environ.get("SKILLS_BROWSER_URL"):
        yield os.environ["SKILLS_BROWSER_URL"].rstrip("/")
        return
    work = Path(tempfile.mkdtemp(prefix="skills-browser-"))
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env.update(
        DJANGO_SETTINGS_MODULE="skills_site.settings.dev",
        SKILLS_VAR_DIR=str(work),
        MFA_REQUIRED_ROLES="none",
        PYTHONUNBUFFERED="1",
        SSO_ISSUER_URL=sso_provider.url,
        SSO_CLIENT_ID=CLIENT_ID,
        SSO_CLIENT_SECRET="browser-journeys",
    )
    database_url = os.environ.get("DATABASE_URL", "")
    pg_server = None
    if database_url.startswith(("postgres://", "postgresql://")):
        pg_server, _slash, _name = database_url.rpartition("/")
        db_name = f"skills_browser_{os.getpid()}"
        _psql(pg_server, f'DROP DATABASE IF EXISTS "{db_name}"')
        _psql(pg_server, f'CREATE DATABASE "{db_name}"')
        env["DATABASE_URL"] = f"{pg_server}/{db_name}"
    else:
        env.pop("DATABASE_URL", None)
    server = None
    try:
        subprocess.run(
            [sys.executable, str(Path(__file__).with_name("site_setup.py"))], env=env, cwd=ROOT, check=True
        )
        port = _free_port()
        server = subprocess.Popen(
            [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
            env=env,
            cwd=ROOT,
            stdout=open(work / "server.log", "w"),
            stderr=subprocess.STDOUT,
        )
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(url + "/accounts/login/", timeout=5):
                    break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise RuntimeError((work / "server.log").read_text()) from None
                time.sleep(0.3)
        yield url
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=20)
        if pg_server:
            _psql(pg_server, f'DROP DATABASE IF EXISTS "{db_name}" WITH (FORCE)')
        shutil.rmtree(work, ignore_errors=True)


@pytest.fixture(scope="session")
def chromium():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: apt-get install chromium")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


LOOPBACK_HOSTS = {"127.0.0.1", "localhost", "::1", "[::1]"}


def _loopback_only(route) -> None:
    url = route.request.url
    if url.startswith(("data:", "blob:")) or urlsplit(url).hostname in LOOPBACK_HOSTS:
        route.continue_()
    else:
        route.abort()


# English words that must not show on a Thai page: the site's and Wagtail's chrome that once did
# (the menu, the admin's sidebar, buttons). Whole words, case as shown; content in English (a course
# title, a framework's published English name) uses none of them on its own.
ENGLISH_CHROME = (
    "Help", "Reports", "Settings", "Dashboard", "Pages", "Search all pages", "Choose File", "Sign out",
    "Log out", "Save", "Cancel", "Delete", "Edit", "Submit", "Download", "Next", "Previous", "Show",
    "Digital Skills Tracker", "My skills", "My team", "My learning", "Catalogue", "Not yet assessed",
)  # fmt: skip


def _catalogue_sentences() -> list[str]:
    """The project's own translated strings of three words or more, as they would show untranslated."""
    import re

    sentences = set()
    for po in ROOT.glob("**/locale/th/LC_MESSAGES/django.po"):
        if ".venv" in po.parts:
            continue
        text = po.read_text(encoding="utf-8")
        for msgid, msgstr in re.findall(r'\nmsgid "(.*)"\nmsgstr "(.+)"', text):
            if msgstr != msgid and "%" not in msgid and "{" not in msgid and len(msgid.split()) >= 3:
                sentences.add(msgid.replace('\\"', '"'))
    return sorted(sentences)


CATALOGUE_SENTENCES = _catalogue_sentences()
FAULTS_SCRIPT = """() => {
  const root = document.documentElement;
  const broken = [...document.images].filter(img => img.complete && img.naturalWidth === 0)
    .map(img => img.currentSrc || img.src);
  return {width: root.scrollWidth, viewport: window.innerWidth, broken, text: document.body.innerText};
}"""


def page_faults(page, language: str) -> list[str]:
    """What is wrong with the page as shown: wider than the screen on a phone, an image that did not
    load, or (on a Thai page) English left from the site's chrome or its own catalogue."""
    import re

    page.wait_for_load_state()
    seen = page.evaluate(FAULTS_SCRIPT)
    faults = []
    if seen["viewport"] <= 480 and seen["width"] > seen["viewport"] + 1:
        faults.append(f"page is {seen['width']} px wide on a {seen['viewport']} px screen")
    if seen["broken"]:
        faults.append("images did not load: " + ", ".join(seen["broken"]))
    if language == "th":
        text = seen["text"]
        words = [w for w in ENGLISH_CHROME if re.search(rf"(?<![\w-]){re.escape(w)}(?![\w-])", text)]
        sentences = [s for s in CATALOGUE_SENTENCES if s in text]
        if words or sentences:
            faults.append("English on a Thai page: " + ", ".join(repr(x) for x in words + sentences))
    return faults


class Journey:
    """One person's browser tab, with numbered screenshots and helpers for the site's forms."""

    def __init__(self, browser, base_url: str, name: str, language: str, device: dict):
        self.base_url, self.name, self.language = base_url, name, language
        self.context = browser.new_context(base_url=base_url, locale="th-TH", **device)
        self.context.set_default_timeout(20_000)
        # Nothing leaves this machine: a page that names another host (the test provider's page
        # links a stylesheet on a CDN) gets its request refused at once instead of waiting on it.
        self.context.route("**/*", _loopback_only)
        self.context.add_cookies([{"name": "skills_language", "value": language, "url": base_url}])
        self.page = self.context.new_page()
        self.page.on("dialog", lambda dialog: dialog.accept())  # "Submit your answers?" confirmations
        self.shots = 0
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def shot(self, label: str) -> Path:
        """Screenshot the page, then check what every user would notice on it (see ``page_faults``)."""
        self.shots += 1
        path = SCREENSHOTS / f"{self.name}-{self.language}-{self.shots:02d}-{label}.png"
        self.page.screenshot(path=str(path), full_page=True)
        faults = page_faults(self.page, self.language)
        assert not faults, f"{path.name} ({self.page.url}): " + "; ".join(faults)
        return path

    def t(self, thai: str, english: str) -> str:
        return thai if self.language == "th" else english

    def log_in(self, email: str) -> None:
        self.page.goto("/accounts/login/")
        self.page.fill("input[name=login]", email)
        self.page.fill("input[name=password]", PASSWORD)
        self.shot("sign-in")
        self.page.click(PASSWORD_FORM_BUTTON)
        self.page.wait_for_load_state()
        assert "/accounts/login/" not in self.page.url, self.page.inner_text("main")

    def fill_date(self, name: str, day) -> None:
        """The site's date field: day and month chosen, the year typed (B.E. on a Thai page)."""
        self.page.select_option(f"select[name={name}_day]", str(day.day))
        self.page.select_option(f"select[name={name}_month]", str(day.month))
        self.page.fill(f"input[name={name}_year]", str(day.year + (543 if self.language == "th" else 0)))

    def get_file(self, href: str) -> tuple[str, bytes]:
        """Download a link with this person's session, as the browser would; (content type, body)."""
        response = self.context.request.get(href)
        assert response.ok, f"{href}: HTTP {response.status}"
        return response.headers.get("content-type", ""), response.body()

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def journey(chromium, live_url):
    opened: list[Journey] = []

    def open_journey(name: str, language: str = "th", device: dict | None = None) -> Journey:
        j = Journey(chromium, live_url, name, language, device or DESKTOP)
        opened.append(j)
        return j

    yield open_journey
    for j in opened:
        j.close()
