"""Every URL the project serves, requested by every persona, with the outcome each one must get.

The rule for the Wagtail admin: its built-in URLs (pages, images, documents, users, settings...)
are Wagtail's own and protected by Wagtail's permissions; the matrix covers the admin home and
every URL of the project's own admin viewsets, reports, imports and lists. Everything outside the
admin is covered except allauth's sign-in pages, Wagtail's page and document serving, and static
and media files (``SKIPPED``). A URL pattern that is neither expected nor skipped fails the test.

Outcomes: "200"; "login" (redirect to sign in); "302" (another redirect, e.g. back with a
message); "403"; "404"; "405". Personas: see ``world.PERSONAS``.
"""

from __future__ import annotations

import os
import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from wagtail.admin.viewsets import viewsets

from tests.access.world import PERSONAS

PROJECT_APPS = ("profiles", "courses", "assessments", "skills_site", "api")
SKIPPED = (
    "accounts/",  # allauth: sign-in, sign-up, password reset, MFA; tested in tests/test_sign_in_security.py
    "documents/",  # Wagtail's document serving (its own privacy rules)
    "_util/",  # Wagtail's page password / login helpers
    "^media/",  # uploaded files (DEBUG only)
    "^((?:[\\w\\-]+/)*)$",  # Wagtail's page serving: pages carry their own privacy and views
)
# Wagtail's own admin views that the project narrows (skills_site/admin_views.py).
PROJECT_ADMIN_NAMES = ("site_history", "site_history_results")
POST_ONLY = {
    "set_language", "courses:enrol", "courses:assign", "courses:complete_lesson", "assessments:start",
    "assessments:autosave", "assessments:submit", "assessments:self_submit", "profiles_import:commit",
    "profiles_departed:anonymise", "api_clients:revoke", "moodle_frameworks:commit",
    "outside_learning_import:commit", "profiles:prior_learning_review",
}  # fmt: skip


def _walk(patterns, prefix="", namespace=None):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern):
            name = f"{namespace}:{pattern.name}" if namespace and pattern.name else pattern.name
            yield prefix + str(pattern.pattern), name


def project_admin_namespaces() -> set[str]:
    return {
        viewset.url_namespace
        for viewset in viewsets.viewsets
        if type(viewset).__module__.split(".")[0] in PROJECT_APPS
    } | {"profiles_import", "profiles_departed", "api_clients"}


def served_urls() -> list[tuple[str, str]]:
    """(key, route) for every pattern in the matrix; key is the URL name, or the route if unnamed."""
    patterns = get_resolver().url_patterns  # loads the admin's URLs, which registers the viewsets
    namespaces = project_admin_namespaces()
    found = []
    for route, name in _walk(patterns):
        if route.startswith(SKIPPED):
            continue
        if route.startswith("admin/"):
            own = name and (
                name in ("wagtailadmin_home", *PROJECT_ADMIN_NAMES) or name.split(":")[0] in namespaces
            )
            if not own and route != "admin/login/":
                continue
        found.append((name or route, route))
    return found


def _kwargs(key: str, route: str, world) -> dict:
    names = re.findall(r"<(?:\w+:)?(\w+)>", route)
    values = dict(world["kwargs"])
    namespace = key.split(":")[0]
    if namespace in world["objects"]:
        values["pk"] = world["objects"][namespace].pk
    overrides = {
        "assessments:self_submit": {"page_id": world["self_page"].pk},
        "profiles:my_skills_chart": {"kind": "levels"},
        "profiles_import:template": {"kind": "staff"},
        "profiles_import:detail": {"pk": world["staff_import"].pk},
        "profiles_import:commit": {"pk": world["staff_import"].pk},
        "profiles_departed:anonymise": {"pk": world["objects"]["employee"].pk},
        "profiles:prior_learning_detail": {"pk": world["claim"].pk},
        "profiles:prior_learning_file": {"pk": world["claim"].pk},
        "profiles:prior_learning_review": {"pk": world["claim"].pk},
    }
    values.update(overrides.get(key, {}))
    return {name: values[name] for name in names}


def _url(key: str, route: str, world) -> str:
    if ":" not in key and "/" in key or key == route:
        return "/" + route
    return reverse(key, kwargs=_kwargs(key, route, world))


def outcome(response) -> str:
    if response.status_code in (301, 302):
        location = response.headers.get("Location", "")
        return "login" if "/login/" in location else "302"
    return str(response.status_code)


def actual_row(client, world, persona: str) -> dict[str, str]:
    if persona != "anonymous":
        client.force_login(world["users"][persona])
    results = {}
    for key, route in served_urls():
        url = _url(key, route, world)
        method = client.post if key in POST_ONLY else client.get
        results[key] = outcome(method(url))
    return results


def test_every_served_url_has_an_expectation():
    from tests.access.matrix_expectations import EXPECTED

    missing = [key for key, _route in served_urls() if key not in EXPECTED]
    assert not missing, "URL patterns with no expectation in the permission matrix: " + ", ".join(missing)
    stale = set(EXPECTED) - {key for key, _route in served_urls()}
    assert not stale, "Expectations for URLs the project no longer serves: " + ", ".join(sorted(stale))


@pytest.mark.parametrize("persona", PERSONAS)
def test_permission_matrix(client, world, persona):
    from tests.access.matrix_expectations import EXPECTED

    actual = actual_row(client, world, persona)
    if os.environ.get("MATRIX_PRINT"):
        with open(os.environ["MATRIX_PRINT"], "a") as out:  # a file to review the actual matrix
            out.write(f"{persona} {actual!r}\n")
        return
    column = PERSONAS.index(persona)
    wrong = {
        key: f"expected {EXPECTED[key][column]}, got {result}"
        for key, result in actual.items()
        if key in EXPECTED and EXPECTED[key][column] != result
    }
    assert not wrong, f"{persona}: " + "; ".join(f"{key}: {text}" for key, text in wrong.items())
