"""Background work of the insights room, run by the database-backed task worker."""

from django.utils import timezone
from django_tasks import task

from tawasul.insights.bulletins import bulletins_send_due
from tawasul.insights.services import case_rollups_refresh, local_day
from tawasul.insights.wallboard import wallboard_push


@task()
def push_wallboard() -> int:
    """Publish a fresh wallboard snapshot (the scheduler enqueues it every tick)."""
    return wallboard_push()["waiting"]


@task()
def send_due_bulletins() -> int:
    """E-mail the bulletins whose period has ended (idempotent: each period is sent once)."""
    return bulletins_send_due(today=local_day(timezone.now()))


@task()
def refresh_case_rollups() -> int:
    """Bring the case roll-ups up to date with cases changed since the last run."""
    return case_rollups_refresh()
