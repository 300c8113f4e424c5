"""Enqueue periodic tasks for the worker: SLA escalation every minute (or --interval)."""

import time

from django.core.management.base import BaseCommand

from tawasul.cases.tasks import escalate_overdue_cases
from tawasul.insights.tasks import push_wallboard, refresh_case_rollups, send_due_bulletins

PERIODIC = (escalate_overdue_cases, refresh_case_rollups, push_wallboard, send_due_bulletins)


class Command(BaseCommand):
    help = "Enqueue periodic background tasks (escalations) at a fixed interval."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--interval", type=float, default=60.0)
        parser.add_argument("--once", action="store_true", help="enqueue once and exit")

    def handle(self, *args, interval: float, once: bool, **options) -> None:
        while True:
            for periodic in PERIODIC:
                periodic.enqueue()
            if once:
                return
            time.sleep(interval)
