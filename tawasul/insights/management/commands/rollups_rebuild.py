"""Recompute the contact and case roll-ups from raw rows: ``tawasul rollups_rebuild [--since]``."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from tawasul.insights.services import rollups_rebuild


class Command(BaseCommand):
    help = "Recompute the KPI roll-ups from interactions and cases (all, or from a local day)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--since", help="first local day to recompute, YYYY-MM-DD")

    def handle(self, *args, since: str | None, **options) -> None:
        try:
            first = date.fromisoformat(since) if since else None
        except ValueError as exc:
            raise CommandError("--since: expected a date like 2026-03-01") from exc
        result = rollups_rebuild(since=first)
        self.stdout.write(
            f"{result.interactions} interactions → {result.quarter_rows} 15-minute rows, "
            f"{result.daily_rows} daily rows; {result.cases} cases"
        )
