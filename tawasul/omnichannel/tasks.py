"""Background work for the channels, run by the database-backed task worker."""

from django_tasks import task

from tawasul.omnichannel.services import outbox_deliver_due


@task()
def deliver_outbox() -> int:
    """One delivery pass over the outbox (safe to run at any moment, and concurrently)."""
    return len(outbox_deliver_due())
