"""`tawasul screenshots --out docs/screenshots`: the main screens in Arabic and English.

Needs the demo database (`tawasul seed demo`; with the demo's 90 days of history, `tawasul
simulate --backfill-days 90`, the report and bulletin have last month to show). Starts its own
server on a free port against the same database (or uses ``--base`` of a running one), signs
the demo people in with their demo TOTP devices, rings a contact on an agent's desk, and
photographs with Debian's Chromium.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from datetime import date, timedelta
from pathlib import Path

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.core.management.base import BaseCommand, CommandError
from django.db.models import Count
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from tawasul.accounts.access import scope_cases
from tawasul.accounts.models import Role, User
from tawasul.cases.models import Case
from tawasul.desk import services
from tawasul.desk.choices import OfferStatus
from tawasul.desk.demo import DEMO_DEVICE_NAME
from tawasul.desk.models import ContactOffer
from tawasul.errors import DomainError

WIDTH, HEIGHT = 1280, 800
PHONE = (390, 844)


def _session(user: User) -> str:
    """A signed-in, second-factor-verified session for a demo user (demo devices only)."""
    device = TOTPDevice.objects.filter(user=user, name=DEMO_DEVICE_NAME, confirmed=True).first()
    if device is None:
        raise CommandError(f"{user.username} has no demo TOTP device: run `tawasul seed demo`")
    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store[DEVICE_ID_SESSION_KEY] = device.persistent_id
    store.create()
    return store.session_key


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Command(BaseCommand):
    help = (
        "Take screenshots of the agent desktop, case page, supervisor view, admin, wallboard, "
        "report page and the first page of last month's bulletin."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--out", default="docs/screenshots")
        parser.add_argument("--base", help="URL of a running server (default: start one)")

    def handle(self, *args, out: str, base: str | None, **options) -> None:
        folder = Path(out)
        folder.mkdir(parents=True, exist_ok=True)
        people = {
            "agent": User.objects.filter(role=Role.AGENT, username__startswith="agent.")
            .order_by("username")
            .first(),
            "backoffice": User.objects.filter(role=Role.BACKOFFICE, entity__code="phcc").first(),
            "supervisor": User.objects.filter(role=Role.SUPERVISOR).order_by("username").first(),
            "admin": User.objects.filter(is_superuser=True, username="admin").first(),
        }
        if not all(people.values()):
            raise CommandError("demo people missing: run `tawasul seed demo` first")
        case = (
            scope_cases(people["backoffice"], Case.objects.all())
            .filter(resident__isnull=False, status__in=["in_progress", "awaiting_resident"])
            .annotate(steps=Count("events"))
            .order_by("-steps", "pk")
            .first()
        )
        if case is None:
            raise CommandError("no demo case for the back office: run `tawasul seed demo`")
        phone = case.resident.contacts.filter(kind="phone").values_list("value", flat=True).first()

        server = None
        if base is None:
            port = _free_port()
            base = f"http://127.0.0.1:{port}"
            server = subprocess.Popen(
                [sys.executable, "-m", "uvicorn", "tawasul.asgi:application",
                 "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"],
                env={**os.environ, "PYTHONUNBUFFERED": "1"},
            )  # fmt: skip
            for _ in range(100):
                try:
                    urllib.request.urlopen(f"{base}/healthz", timeout=1)
                    break
                except OSError:
                    time.sleep(0.1)
        agent = people["agent"]
        offer = None
        try:
            services.agent_set_state(agent=agent, state="available")
            ContactOffer.objects.filter(agent=agent, status=OfferStatus.RINGING).update(
                status=OfferStatus.DECLINED
            )
            offer = services.contact_offer_inbound(
                agent=agent, channel="call", phone=phone, hotline="107", ivr=["1", "3"],
                subject=case.subject,
            )  # fmt: skip
            self._shoot(folder, base, people, case)
        except DomainError as exc:
            raise CommandError(f"{exc.field}: {exc.message}") from None
        finally:
            # Leave the demo as it was: no call ringing for ever on the agent's desk.
            if offer is not None:
                services.contact_decline(offer=offer, agent=agent)
            services.agent_set_state(agent=agent, state="logged_out")
            if server is not None:
                server.terminate()
                server.wait(timeout=10)

    def _shoot(self, folder: Path, base: str, people: dict, case: Case) -> None:
        from playwright.sync_api import sync_playwright

        sessions = {name: _session(user) for name, user in people.items()}
        case_url = f"/desk/cases/{case.reference}/"
        shots = [
            ("agent-desktop", "agent", "/desk/", "[data-testid=screen-pop]", None),
            ("case", "backoffice", case_url, "[data-testid=timeline]", None),
            ("backoffice-phone", "backoffice", case_url, "[data-testid=timeline]", PHONE),
            ("supervisor", "supervisor", "/desk/supervisor/", "[data-testid=agents]", None),
            ("admin", "admin", "/admin/", "#content", None),
            ("wallboard-tv", "supervisor", "/insights/wallboard/?tv=1", "#wb-hotlines tr", None),
            ("reports", "supervisor", "/insights/reports/", "table.report", None),
        ]  # fmt: skip
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"]
            )
            for language in ("ar", "en"):
                for name, who, path, ready, size in shots:
                    width, height = size or (WIDTH, HEIGHT)
                    context = browser.new_context(
                        viewport={"width": width, "height": height},
                        locale="ar-QA" if language == "ar" else "en-US",
                    )
                    context.add_cookies([
                        {"name": settings.SESSION_COOKIE_NAME, "value": sessions[who], "url": base},
                        {"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": base},
                    ])  # fmt: skip
                    page = context.new_page()
                    page.goto(base + path)
                    page.wait_for_selector(ready, timeout=15000)
                    page.wait_for_load_state("networkidle")
                    page.wait_for_timeout(400)  # timers tick, fonts settle
                    target = folder / f"{name}-{language}.png"
                    page.screenshot(path=str(target))
                    self.stdout.write(f"wrote {target}")
                    if name == "reports":
                        self._bulletin_page(context, base, folder, language)
                    context.close()
            browser.close()

    def _bulletin_page(self, context, base: str, folder: Path, language: str) -> None:
        """Last month's center bulletin as the supervisor downloads it; its first page as PNG
        (poppler's pdftoppm)."""
        month = (date.today().replace(day=1) - timedelta(days=1)).strftime("%Y-%m")
        answer = context.request.get(
            f"{base}/insights/bulletins/download/?month={month}&lang={language}&format=pdf"
        )
        if not answer.ok:
            raise CommandError(f"bulletin download: HTTP {answer.status}")
        pdf = folder / f"bulletin-{language}.pdf"
        pdf.write_bytes(answer.body())
        stem = folder / f"bulletin-{language}"
        subprocess.run(
            ["pdftoppm", "-png", "-r", "70", "-f", "1", "-l", "1", "-singlefile", pdf, stem],
            check=True,
        )
        pdf.unlink()
        self.stdout.write(f"wrote {stem}.png")
