"""A planner's correction of the forecast for one queue and interval, kept as versions."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ForecastOverride(models.Model):
    """One version of a planner's override: the newest version of an interval replaces the
    forecast; older versions stay as the history of who changed what and why."""

    channel = models.CharField(_("channel"), max_length=10)
    queue = models.CharField(_("queue"), max_length=80, blank=True)
    day = models.DateField(_("day"))
    interval = models.PositiveSmallIntegerField(_("interval (0 = 00:00, 47 = 23:30)"))
    contacts = models.FloatField(_("contacts"))
    version = models.PositiveIntegerField(_("version"))
    reason = models.CharField(_("reason"), max_length=300)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["channel", "queue", "day", "interval", "-version"]
        verbose_name = _("forecast override")
        verbose_name_plural = _("forecast overrides")
        constraints = [
            models.UniqueConstraint(
                fields=["channel", "queue", "day", "interval", "version"],
                name="forecast_override_unique_version",
            ),
            models.CheckConstraint(
                condition=models.Q(interval__lte=47), name="forecast_override_interval_range"
            ),
            models.CheckConstraint(
                condition=models.Q(contacts__gte=0), name="forecast_override_contacts_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.channel}:{self.queue} {self.day} #{self.interval} v{self.version}"
