"""`make demo`: migrate, load the demo center, print the logins, run everything.

The seed writes today's simulated traffic so far (the wallboard has numbers as soon as the web
server answers); the 90 days before it are written by a second process (``tawasul demo
--history``, low priority) started beside the center, newest day first, so this month's
reports fill within seconds while older days keep arriving.
"""

import os
import subprocess
import sys

from django.core.management import call_command
from django.core.management.base import BaseCommand

from tawasul.accounts.models import User
from tawasul.core import seed
from tawasul.sim import conf as sim_conf
from tawasul.sim.demo import AFTER_START_ENV, demo_history


class Command(BaseCommand):
    help = "Prepare and run the demo center on this machine."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        parser.add_argument("--no-run", action="store_true", help="prepare only")
        parser.add_argument(
            "--history", action="store_true", help="only write the demo history (newest first)"
        )

    def handle(self, *args, port: int, no_run: bool, history: bool, **options) -> None:
        if history:
            return self._history()
        call_command("migrate", interactive=False, verbosity=0)
        if not no_run:
            os.environ[AFTER_START_ENV] = "1"
        call_command("seed", "demo")
        os.environ.pop(AFTER_START_ENV, None)
        self._print_logins(port)
        if no_run:
            return None
        writer = None
        if sim_conf.demo_backfill_days() > 0:
            writer = subprocess.Popen(
                [sys.executable, "-m", "tawasul.cli", "demo", "--history"],
                env={**os.environ, "PYTHONUNBUFFERED": "1"},
            )
        try:
            call_command("run", port=port)
        finally:
            if writer is not None and writer.poll() is None:
                # Stopped before the history was complete: the days written so far stay
                # (each is one transaction) and the next start adds the rest.
                writer.terminate()
                writer.wait(timeout=10)
        return None

    def _history(self) -> None:
        # Today is on the wallboard already (the seed wrote it); the older days are
        # background work that must not slow the center starting up beside it.
        os.nice(10)
        written: list[int] = []

        def progress(day, contacts: int) -> None:
            written.append(contacts)
            if len(written) == 1 or len(written) % 30 == 0:
                self.stdout.write(f"[history] {day}: {contacts} contacts ({len(written)} days)")

        try:
            result = demo_history(on_day=progress)
        except KeyboardInterrupt:  # Ctrl-C stops the whole demo; the next start goes on
            self.stdout.write(f"[history] stopped after {len(written)} days")
            return
        self.stdout.write(f"[history] {result.summary()}")

    def _print_logins(self, port: int) -> None:
        token = seed.issue_demo_token()
        base = f"http://127.0.0.1:{port}"
        lines = [
            "",
            "Tawasul demo center",
            f"  web UI           {base}/",
            f"  staff sign-in    {base}/desk/login/   (then a TOTP code: tawasul totp <username>)",
            f"  wallboard        {base}/insights/wallboard/   (TV mode: ?tv=1)",
            f"  resident portal  {base}/portal/",
            f"  admin            {base}/admin/",
            f"  API docs         {base}/api/docs",
            f"  health           {base}/healthz",
            f"  API token        {token}   (Authorization: Bearer …)",
            "",
            f"  Demo logins (password for all: {seed.DEMO_PASSWORD})",
        ]
        staff = User.objects.exclude(username="integration").order_by("role", "username")
        shown: set[str] = set()
        for user in staff.select_related("entity"):
            if user.role in shown and user.role != "backoffice":
                continue
            shown.add(user.role)
            where = f" · {user.entity.code}" if user.entity_id else ""
            lines.append(f"    {user.get_role_display():<26} {user.username}{where}")
        lines.append(f"    (and {staff.count() - len(lines) + 8} more: see /admin/accounts/user/)")
        self.stdout.write("\n".join(lines) + "\n")
