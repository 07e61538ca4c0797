"""The Wagtail admin in Thai: Wagtail's strings its own Thai catalogue lacks come from ours
(skills_site/locale_wagtail), the dashboard shows the site's Thai name, the avatar is served by the
site itself, and the project's listings show B.E. dates."""

import datetime as dt
import re
from html.parser import HTMLParser

import pytest
from django.core.management import call_command
from django.urls import reverse

from profiles.models import ActingHead
from skills_site.management.commands.wagtail_thai_gaps import (
    OUR_CATALOGUE,
    project_catalogues,
    thai_gaps,
    wagtail_catalogues,
)
from skills_site.po_files import read_po

# English a Thai reader saw on these pages before our catalogue, page by page. Each must be a msgid
# of Wagtail's that our catalogue translates (checked below), so the page tests fail if it stops loading.
ENGLISH_SEEN = {
    "dashboard": ["Help", "Reports", "Search all pages…", "Pages", "Editor Guide", "Dashboard", "Account"],
    "explorer": ["Pages", "Updated", "Type", "Title", "Bulk actions", "Select all pages in listing", "Live"],
    "listing": ["Help", "Reports", "Show filters", "Actions", "More actions"],
    "images": ["Images", "Newest", "Grid layout", "List layout", "Sort by"],
    "account": [
        "Profile", "Notifications", "Name and Email", "Profile picture", "Theme preferences", "Locale",
    ],  # fmt: skip
}
ALWAYS_THAI_BY_WAGTAIL = {"Images", "Account"}  # Wagtail's own Thai is fine for these


class _Text(HTMLParser):
    """A page's text as a reader meets it: text nodes, placeholders, titles and the sidebar's JSON."""

    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag == "style" or (tag == "script" and ("type", "application/json") not in attrs):
            self._skip += 1
        for name, value in attrs:
            if name in ("placeholder", "title", "aria-label", "alt") and value:
                self.parts.append(value)

    def handle_endtag(self, tag):
        if tag in ("style", "script") and self._skip:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def reader_text(response) -> str:
    parser = _Text()
    parser.feed(response.content.decode())
    return "\n".join(parser.parts)


def english_left(text: str, strings) -> list[str]:
    return [s for s in strings if re.search(rf"(?<![\w-]){re.escape(s)}(?![\w-])", text)]


def our_catalogue() -> dict[str, str]:
    return {entry.msgid: entry.msgstr[0] for entry in read_po(OUR_CATALOGUE) if entry.translated}


@pytest.fixture
def thai_admin(client, hana):
    client.force_login(hana)
    client.cookies["skills_language"] = "th"
    return client


def test_every_string_the_pages_check_is_translated_by_our_catalogue():
    ours = our_catalogue()
    wagtail = {entry.msgid for path in wagtail_catalogues("en").values() for entry in read_po(path)}
    for strings in ENGLISH_SEEN.values():
        for msgid in set(strings) - ALWAYS_THAI_BY_WAGTAIL:
            assert msgid in wagtail, msgid
            assert ours.get(msgid), msgid
    assert ours["Pages"] == "หน้า"  # Wagtail's own reads "หลายหน้า"


@pytest.mark.parametrize(
    "page, url",
    [
        ("dashboard", "/admin/"),
        ("explorer", "/admin/pages/"),
        ("listing", "/admin/employee/"),
        ("images", "/admin/images/"),
        ("account", "/admin/account/"),
    ],
)
def test_the_thai_admin_shows_no_english_we_translate(thai_admin, page, url):
    response = thai_admin.get(url, follow=True)
    assert response.status_code == 200
    assert english_left(reader_text(response), ENGLISH_SEEN[page]) == []


def test_the_dashboard_is_titled_with_the_sites_thai_name(thai_admin):
    response = thai_admin.get("/admin/")
    assert re.search(r"<h1[^>]*>\s*ระบบติดตามทักษะดิจิทัล\s*</h1>", response.content.decode())
    assert "Digital Skills Tracker" not in reader_text(response)


def test_the_english_dashboard_keeps_the_english_name(client, hana):
    client.force_login(hana)
    client.cookies["skills_language"] = "en"
    response = client.get("/admin/")
    assert re.search(r"<h1[^>]*>\s*Digital Skills Tracker\s*</h1>", response.content.decode())
    assert english_left(reader_text(response), ["Help", "Reports", "Search all pages…"]) == [
        "Help",
        "Reports",
        "Search all pages…",
    ]


def test_the_avatar_is_served_by_the_site(thai_admin):
    html = thai_admin.get("/admin/account/").content.decode()
    sources = re.findall(r'<img[^>]*src="([^"]+)"', html)
    assert any("default-user-avatar" in src for src in sources)
    for src in sources:
        assert src.startswith("/") and not src.startswith("//"), src
    assert "gravatar" not in html


def test_a_project_listing_shows_buddhist_era_dates(thai_admin, bob, org):
    ActingHead.objects.create(
        org_unit=org["service"], employee=bob, starts_on=dt.date(2026, 1, 5), ends_on=dt.date(2026, 3, 31)
    )
    text = reader_text(thai_admin.get(reverse("actinghead:index")))
    assert "5 ม.ค. 2569" in text and "31 มี.ค. 2569" in text
    assert "มกราคม 2026" not in text  # Django's Thai date format, in the Common Era


def test_in_english_the_listing_keeps_the_common_era(client, hana, bob, org):
    ActingHead.objects.create(
        org_unit=org["service"], employee=bob, starts_on=dt.date(2026, 1, 5), ends_on=dt.date(2026, 3, 31)
    )
    client.force_login(hana)
    client.cookies["skills_language"] = "en"
    assert "5 Jan 2026" in reader_text(client.get(reverse("actinghead:index")))


def test_our_catalogue_leaves_the_projects_own_wording_alone():
    """Where the project translates a msgid (its catalogue wins), ours has no entry that would
    silently differ, and every placeholder of the English survives in the Thai."""
    # a msgid under a context (pgettext) is a different string to gettext: only the same pair clashes
    project = {
        (entry.msgctxt, entry.msgid)
        for path in project_catalogues()
        for entry in read_po(path)
        if entry.translated
    }
    placeholder = re.compile(r"%\(\w+\)[sd]|\{\w+\}")
    for entry in read_po(OUR_CATALOGUE):
        assert (entry.msgctxt, entry.msgid) not in project, entry.msgid
        english = entry.msgid_plural or entry.msgid
        assert set(placeholder.findall(english)) == set(placeholder.findall(entry.msgstr[0])), entry.msgid


def test_the_gap_list_counts_only_what_is_still_english(capsys):
    before = sum(len(entries) for entries in thai_gaps().values())
    call_command("wagtail_thai_gaps")
    out = capsys.readouterr().out
    assert f"{before} untranslated string(s)." in out
    assert "\nSearch all pages…\n" not in out


def test_the_admins_own_forms_take_dates_as_day_month_and_buddhist_year(thai_admin, bob, org):
    acting = ActingHead.objects.create(
        org_unit=org["service"], employee=bob, starts_on=dt.date(2026, 1, 5), ends_on=dt.date(2026, 3, 31)
    )
    html = thai_admin.get(reverse("actinghead:edit", args=[acting.pk])).content.decode()
    assert 'name="starts_on_day"' in html and 'name="starts_on_year"' in html
    assert 'value="2569"' in html and "พ.ศ." in html  # 2026 shown as B.E. 2569
    assert 'type="date"' not in html and "2026-01-05" not in html
    form = {
        "org_unit": org["service"].pk, "employee": bob.pk,
        "starts_on_day": "1", "starts_on_month": "2", "starts_on_year": "2569",
        "ends_on_day": "30", "ends_on_month": "4", "ends_on_year": "2569",
    }  # fmt: skip
    response = thai_admin.post(reverse("actinghead:edit", args=[acting.pk]), form)
    assert response.status_code == 302, response.content.decode()[:2000]
    acting.refresh_from_db()
    assert (acting.starts_on, acting.ends_on) == (dt.date(2026, 2, 1), dt.date(2026, 4, 30))
    form["ends_on_day"] = "31"  # 31 April does not exist: said so in Thai, nothing saved
    response = thai_admin.post(reverse("actinghead:edit", args=[acting.pk]), form)
    assert response.status_code == 200 and "เดือนเมษายน 2569 มีเพียง 30 วัน" in response.content.decode()
    acting.refresh_from_db()
    assert acting.ends_on == dt.date(2026, 4, 30)


def test_the_admins_scripts_speak_thai_too(thai_admin, capsys):
    """Wagtail's JavaScript catalogue (autosave, comments, the block editor) gets our Thai as well."""
    script = thai_admin.get(reverse("wagtailadmin_javascript_catalog")).content.decode("unicode_escape")
    assert "กำลังบันทึกอัตโนมัติ" in script and "เพิ่มความคิดเห็น" in script
    call_command("wagtail_thai_gaps", "--domain", "djangojs")
    assert capsys.readouterr().out.splitlines()[-1] == "0 untranslated string(s)."
