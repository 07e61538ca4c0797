import re

from django.test import Client
from django.urls import reverse


def test_site_pages_carry_a_strict_content_security_policy(client, alice):
    client.force_login(alice.user)
    first = client.get(reverse("profiles:my_profile"))["Content-Security-Policy"]
    second = client.get(reverse("profiles:my_profile"))["Content-Security-Policy"]
    assert "default-src 'self'" in first and "object-src 'none'" in first
    assert "frame-ancestors 'none'" in first and "'unsafe-eval'" not in first
    nonces = [re.search(r"'nonce-([^']+)'", policy).group(1) for policy in (first, second)]
    assert nonces[0] != nonces[1]


def test_admin_keeps_its_own_scripts_but_no_foreign_framing(client, hana):
    client.force_login(hana)
    policy = client.get("/admin/")["Content-Security-Policy"]
    assert "frame-ancestors 'self'" in policy and "object-src 'none'" in policy


def test_forms_refuse_posts_without_the_csrf_token(alice):
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("account_login"), {"login": alice.user.email, "password": "x"})
    assert response.status_code == 403
    client.force_login(alice.user)
    assert client.post(reverse("set_language"), {"language": "en"}).status_code == 403
    assert client.post(reverse("account_logout")).status_code == 403


def test_pages_are_not_framed_by_other_sites(client, db):
    response = client.get(reverse("account_login"))
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_no_inline_script_runs_without_the_nonce(settings):
    """Every inline script in the site's templates carries the nonce; no inline event handlers."""
    from pathlib import Path

    offenders = []
    for folder in ("templates", "courses", "assessments", "profiles", "skills_site"):
        for template in (Path(settings.BASE_DIR) / folder).rglob("*.html"):
            text = template.read_text(encoding="utf-8")
            for tag in re.findall(r"<script\b[^>]*>", text):
                if "src=" not in tag and "csp_nonce" not in tag:
                    offenders.append(f"{template}: {tag}")
            if re.search(r"\son(click|submit|change|load|input)=", text):
                offenders.append(f"{template}: inline event handler")
    assert offenders == []
