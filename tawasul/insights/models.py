"""Roll-ups (sums and counts per interval and slice), what each contact contributed to them,
case roll-ups, and bulletin subscriptions.

Roll-up rows store sums and counts, never ratios, so any slice and any longer period is a
plain SUM over rows (see :mod:`tawasul.insights.kpis` for the counting rules). Dimension
foreign keys carry no database constraint: roll-ups are derived data, bulk-loaded and rebuilt,
and must never block deleting or merging directory rows.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tawasul.insights.choices import BulletinFrequency


def _dim(model: str, verbose: str) -> models.ForeignKey:
    return models.ForeignKey(
        model,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=verbose,
    )


class Counters(models.Model):
    """The additive counters of :class:`tawasul.insights.kpis.Totals` (plus ``max_wait``)."""

    offered = models.IntegerField(_("offered"), default=0)
    answered = models.IntegerField(_("answered"), default=0)
    abandoned = models.IntegerField(_("abandoned"), default=0)
    short_abandoned = models.IntegerField(_("short abandons"), default=0)
    callbacks = models.IntegerField(_("call-back requests"), default=0)
    ivr_handled = models.IntegerField(_("served by the IVR"), default=0)
    outbound = models.IntegerField(_("outbound"), default=0)
    answered_10 = models.IntegerField(default=0)
    answered_20 = models.IntegerField(default=0)
    answered_30 = models.IntegerField(default=0)
    answered_60 = models.IntegerField(default=0)
    abandoned_10 = models.IntegerField(default=0)
    abandoned_20 = models.IntegerField(default=0)
    abandoned_30 = models.IntegerField(default=0)
    abandoned_60 = models.IntegerField(default=0)
    sum_answer_wait = models.FloatField(_("total wait of answered (s)"), default=0)
    max_wait = models.FloatField(_("longest wait (s)"), default=0)
    sum_talk = models.FloatField(_("total talk (s)"), default=0)
    sum_hold = models.FloatField(_("total hold (s)"), default=0)
    sum_wrap = models.FloatField(_("total wrap-up (s)"), default=0)
    resolved_first_contact = models.IntegerField(_("resolved on first contact"), default=0)
    transfers = models.IntegerField(_("transfers"), default=0)

    class Meta:
        abstract = True


class DailyDimensions(models.Model):
    """The slices kept per day (agent and queue only in the 15-minute rows)."""

    hotline = _dim("directory.Hotline", _("hotline"))
    entity = _dim("directory.Entity", _("entity"))
    service = _dim("directory.Service", _("service"))
    language = models.CharField(_("language"), max_length=8, blank=True)
    channel = models.CharField(_("channel"), max_length=10, blank=True)
    site = _dim("accounts.Site", _("site"))

    class Meta:
        abstract = True


class InteractionRollup(Counters, DailyDimensions):
    """Contacts offered in one 15-minute interval (UTC start) for one combination of slices.

    ``key`` is a digest of the slice values, so the (interval, slice) pair is unique even
    though several slice columns may be empty.
    """

    interval_start = models.DateTimeField(_("interval start"))
    queue = models.CharField(_("queue"), max_length=80, blank=True)
    agent = _dim(settings.AUTH_USER_MODEL, _("agent"))
    key = models.CharField(max_length=32)

    class Meta:
        verbose_name = _("15-minute contact roll-up")
        verbose_name_plural = _("15-minute contact roll-ups")
        constraints = [
            models.UniqueConstraint(fields=["interval_start", "key"], name="insights_rollup_key"),
        ]
        indexes = [
            models.Index(fields=["entity", "interval_start"], name="insights_rollup_entity"),
        ]

    def __str__(self) -> str:
        return f"{self.interval_start:%Y-%m-%d %H:%M} {self.key[:8]}"


class DailyRollup(Counters, DailyDimensions):
    """Contacts offered on one local calendar day (the center's TIME_ZONE) for one slice.

    Kept in step with the 15-minute rows by the same write; days and months are read here.
    """

    day = models.DateField(_("day"))
    key = models.CharField(max_length=32)

    class Meta:
        verbose_name = _("daily contact roll-up")
        verbose_name_plural = _("daily contact roll-ups")
        constraints = [
            models.UniqueConstraint(fields=["day", "key"], name="insights_daily_key"),
        ]
        indexes = [models.Index(fields=["entity", "day"], name="insights_daily_entity")]

    def __str__(self) -> str:
        return f"{self.day} {self.key[:8]}"


class InteractionContribution(Counters, DailyDimensions):
    """What one interaction currently adds to the roll-ups.

    A change to the interaction subtracts this and adds the new contribution, so recording
    the same contact twice (or updating it) never counts it twice.
    """

    interaction = models.OneToOneField(
        "interactions.Interaction",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        primary_key=True,
        related_name="+",
    )
    interval_start = models.DateTimeField()
    day = models.DateField()
    queue = models.CharField(max_length=80, blank=True)
    agent = _dim(settings.AUTH_USER_MODEL, _("agent"))
    key = models.CharField(max_length=32)
    daily_key = models.CharField(max_length=32)

    class Meta:
        verbose_name = _("interaction contribution")
        verbose_name_plural = _("interaction contributions")
        indexes = [
            models.Index(fields=["interval_start", "key"], name="insights_contrib_bucket"),
            models.Index(fields=["day", "daily_key"], name="insights_contrib_day"),
        ]

    def __str__(self) -> str:
        return str(self.interaction_id)


class CaseRollup(models.Model):
    """Cases per local day × entity × kind: ``created``/``completed`` by creation day
    (completed = now resolved or closed), ``resolved``/``resolved_within_sla`` by resolution
    day."""

    day = models.DateField(_("day"))
    entity = _dim("directory.Entity", _("entity"))
    kind = models.CharField(_("kind"), max_length=12)
    created = models.IntegerField(_("created"), default=0)
    completed = models.IntegerField(_("completed"), default=0)
    resolved = models.IntegerField(_("resolved"), default=0)
    resolved_within_sla = models.IntegerField(_("resolved within SLA"), default=0)

    class Meta:
        verbose_name = _("daily case roll-up")
        verbose_name_plural = _("daily case roll-ups")
        constraints = [
            models.UniqueConstraint(fields=["day", "entity", "kind"], name="insights_case_key"),
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.entity_id} {self.kind}"


class CaseContribution(models.Model):
    """What one case currently adds to :class:`CaseRollup` (see InteractionContribution)."""

    case = models.OneToOneField(
        "cases.Case",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        primary_key=True,
        related_name="+",
    )
    entity = _dim("directory.Entity", _("entity"))
    kind = models.CharField(max_length=12)
    created_day = models.DateField()
    completed = models.BooleanField(default=False)
    resolved_day = models.DateField(null=True, blank=True)
    resolved_within_sla = models.BooleanField(default=False)

    def __str__(self) -> str:
        return str(self.case_id)


class RollupWatermark(models.Model):
    """How far a periodic roll-up refresh has read (e.g. the last case ``updated_at`` seen)."""

    name = models.CharField(max_length=40, primary_key=True)
    value = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.name}: {self.value:%Y-%m-%d %H:%M:%S}"


class BulletinSubscription(models.Model):
    """Someone who receives the periodic statistical bulletin by e-mail (PDF attached)."""

    email = models.EmailField(_("e-mail"))
    language = models.CharField(
        _("language"), max_length=2, choices=[("ar", _("Arabic")), ("en", _("English"))]
    )
    entity = models.ForeignKey(
        "directory.Entity",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("entity"),
        help_text=_("Empty: the whole center's bulletin."),
    )
    frequency = models.CharField(
        _("frequency"),
        max_length=10,
        choices=BulletinFrequency.choices,
        default=BulletinFrequency.MONTHLY,
    )
    active = models.BooleanField(_("active"), default=True)
    last_period_start = models.DateField(
        _("last period sent"), null=True, blank=True, editable=False
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["email"]
        verbose_name = _("bulletin subscription")
        verbose_name_plural = _("bulletin subscriptions")
        constraints = [
            models.UniqueConstraint(
                fields=["email", "language", "entity", "frequency"],
                name="insights_subscription_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.email} ({self.frequency}, {self.language})"
