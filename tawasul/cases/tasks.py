"""Background work for cases, run by the database-backed task worker."""

from django_tasks import task

from tawasul.cases.services import case_escalate_breached


@task()
def escalate_overdue_cases() -> list[str]:
    """Escalate cases whose resolution is overdue (idempotent: safe to run at any moment)."""
    return [case.reference for case in case_escalate_breached()]
