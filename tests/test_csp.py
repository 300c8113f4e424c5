"""The Content-Security-Policy header (tawasul.core.csp) and the templates it relies on."""

from __future__ import annotations

import re
from pathlib import Path

from django.http import HttpResponse
from django.test import RequestFactory

from tawasul.core.csp import ContentSecurityPolicyMiddleware

ROOT = Path(__file__).resolve().parent.parent / "tawasul"
# WeasyPrint's PDF templates are never served to a browser; the policy does not apply to them.
PDF_ONLY = {"insights/templates/insights/report_pdf.html"}
INLINE = re.compile(
    r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")|<style|\sstyle=|\son[a-z]+="
    r"|hx-on|javascript:|hx-vals=['\"]js:",
    re.IGNORECASE,
)


def test_every_page_gets_the_policy(client, db):
    response = client.get("/portal/")
    assert response["Content-Security-Policy"] == (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "connect-src 'self' ws://testserver; object-src 'none'; base-uri 'none'; "
        "form-action 'self'; frame-ancestors 'none'"
    )
    assert client.get("/api/openapi.json")["Content-Security-Policy"].startswith(
        "default-src 'self'"
    )


def test_sockets_over_tls_are_wss_to_this_host_only(rf: RequestFactory, settings):
    settings.ALLOWED_HOSTS = ["contact.example.gov.qa"]
    request = rf.get("/desk/", HTTP_HOST="contact.example.gov.qa", secure=True)
    response = ContentSecurityPolicyMiddleware(lambda r: HttpResponse())(request)
    directives = response["Content-Security-Policy"].split("; ")
    assert "connect-src 'self' wss://contact.example.gov.qa" in directives


def test_a_disallowed_host_gets_the_policy_without_its_name(client, settings):
    response = client.get("/healthz", HTTP_HOST="evil.example")
    assert response.status_code == 400
    assert "connect-src 'self';" in response["Content-Security-Policy"]
    assert "evil" not in response["Content-Security-Policy"]


def test_debug_error_pages_stay_readable(client, db, settings):
    """Django's technical 404 page is inline CSS and script: only in DEBUG, it is left alone."""
    settings.DEBUG = True
    assert "Content-Security-Policy" not in client.get("/no-such-page/")
    assert "Content-Security-Policy" in client.get("/healthz")
    settings.DEBUG = False
    assert "Content-Security-Policy" in client.get("/no-such-page/")


def test_a_view_that_sets_its_own_policy_keeps_it(rf: RequestFactory):
    def view(request):
        response = HttpResponse()
        response["Content-Security-Policy"] = "sandbox"
        return response

    response = ContentSecurityPolicyMiddleware(view)(rf.get("/"))
    assert response["Content-Security-Policy"] == "sandbox"


def test_templates_carry_no_inline_code():
    """Inline script, style, on* handlers, hx-on and javascript: URLs are refused by the policy:
    they would break silently in the browser. Code goes in static files."""
    templates = sorted(ROOT.rglob("templates/**/*.html"))
    assert len(templates) > 40
    found = {
        str(path.relative_to(ROOT)): INLINE.findall(path.read_text())
        for path in templates
        if str(path.relative_to(ROOT)) not in PDF_ONLY
    }
    assert {path: hits for path, hits in found.items() if hits} == {}
