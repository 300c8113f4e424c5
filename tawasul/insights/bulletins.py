"""Scheduled bulletins: find subscriptions whose last complete period has not been sent, build
the bulletin and e-mail it with the PDF attached. Safe to run every minute: a subscription is
marked with the period it received, so each period goes out once."""

from __future__ import annotations

import logging
from datetime import date, timedelta

from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from tawasul.insights import reports
from tawasul.insights.choices import BulletinFrequency
from tawasul.insights.models import BulletinSubscription
from tawasul.insights.selectors import month_days

logger = logging.getLogger(__name__)


def last_complete_period(frequency: str, today: date) -> tuple[date, date]:
    """[start, end) of the last whole month, or of the last whole week (weeks start on Sunday,
    the first working day in the Gulf)."""
    if frequency == BulletinFrequency.WEEKLY:
        this_week = today - timedelta(days=(today.weekday() + 1) % 7)
        return this_week - timedelta(days=7), this_week
    return month_days(today.replace(day=1) - timedelta(days=1))


def bulletins_send_due(*, today: date) -> int:
    """E-mail every bulletin that is due; returns how many were sent."""
    sent = 0
    due = BulletinSubscription.objects.filter(active=True).select_related("entity")
    built: dict[tuple, tuple[str, str, bytes]] = {}
    for subscription in due:
        start, end = last_complete_period(subscription.frequency, today)
        if subscription.last_period_start is not None and subscription.last_period_start >= start:
            continue
        key = (start, end, subscription.language, subscription.entity_id)
        if key not in built:
            report = reports.bulletin_build(
                start=start, end=end, language=subscription.language, entity=subscription.entity
            )
            built[key] = (report.title, report.subtitle, reports.render_pdf(report))
        title, subtitle, pdf = built[key]
        with translation.override(subscription.language):
            message = EmailMessage(
                subject=f"{title} — {subtitle}",
                body=_("The statistical bulletin for %(period)s is attached.")
                % {"period": subtitle},
                to=[subscription.email],
            )
        scope = subscription.entity.code if subscription.entity else "center"
        message.attach(
            f"bulletin-{start:%Y-%m-%d}-{scope}-{subscription.language}.pdf", pdf, "application/pdf"
        )
        with transaction.atomic():
            # Mark first, then send inside the transaction: a failed send rolls the mark back.
            BulletinSubscription.objects.filter(pk=subscription.pk).update(last_period_start=start)
            message.send()
        sent += 1
    return sent
