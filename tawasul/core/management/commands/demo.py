"""`make demo`: migrate, load the demo center, print the logins, run everything."""

import os

from django.core.management import call_command
from django.core.management.base import BaseCommand

from tawasul.accounts.models import User
from tawasul.core import seed


class Command(BaseCommand):
    help = "Prepare and run the demo center on this machine."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        parser.add_argument("--no-run", action="store_true", help="prepare only")

    def handle(self, *args, port: int, no_run: bool, **options) -> None:
        call_command("migrate", interactive=False, verbosity=0)
        call_command("seed", "demo")
        token = seed.issue_demo_token()
        base = f"http://127.0.0.1:{port}"
        lines = [
            "",
            "Tawasul demo center",
            f"  web UI / admin   {base}/admin/",
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
        if not no_run:
            call_command("run", port=port)
