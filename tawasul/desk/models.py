"""The staff desk: agent states and their history, contacts offered to agents, sign-in attempts."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tawasul.desk.choices import AgentStatus, OfferStatus


class AgentState(models.Model):
    """An agent's current state (one row per agent); every change also adds a history row."""

    agent = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="desk_state",
        verbose_name=_("agent"),
    )
    state = models.CharField(
        _("state"), max_length=12, choices=AgentStatus.choices, default=AgentStatus.LOGGED_OUT
    )
    reason = models.CharField(_("reason"), max_length=80, blank=True)
    since = models.DateTimeField(_("since"))
    offer = models.ForeignKey(
        "ContactOffer",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("current contact"),
    )

    class Meta:
        verbose_name = _("agent state")
        verbose_name_plural = _("agent states")

    def __str__(self) -> str:
        return f"{self.agent_id}: {self.state}"


class AgentStateChange(models.Model):
    """One period an agent spent in one state (``ended_at`` empty while it lasts)."""

    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="desk_state_history",
        verbose_name=_("agent"),
    )
    state = models.CharField(_("state"), max_length=12, choices=AgentStatus.choices)
    reason = models.CharField(_("reason"), max_length=80, blank=True)
    started_at = models.DateTimeField(_("started"), db_index=True)
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("changed by"),
    )
    forced = models.BooleanField(_("forced by a supervisor"), default=False)

    class Meta:
        ordering = ["-started_at", "-id"]
        verbose_name = _("agent state change")
        verbose_name_plural = _("agent state history")
        indexes = [models.Index(fields=["agent", "started_at"], name="desk_state_agent_started")]

    def __str__(self) -> str:
        return f"{self.agent_id} {self.state} {self.started_at:%Y-%m-%d %H:%M}"


class ContactOffer(models.Model):
    """A contact (call ringing, message assigned) offered to one agent, with the path it took."""

    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="desk_offers",
        verbose_name=_("agent"),
    )
    interaction = models.ForeignKey(
        "interactions.Interaction",
        on_delete=models.CASCADE,
        related_name="desk_offers",
        verbose_name=_("interaction"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=OfferStatus.choices, default=OfferStatus.RINGING
    )
    offered_at = models.DateTimeField(_("offered"), db_index=True)
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    declined_at = models.DateTimeField(_("declined"), null=True, blank=True)
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)
    path = models.JSONField(
        _("contact path"),
        default=dict,
        blank=True,
        help_text=_('e.g. {"hotline": "107", "ivr": ["1", "3"], "channel": "call"}'),
    )
    language = models.CharField(_("language"), max_length=8, blank=True)

    class Meta:
        ordering = ["-offered_at", "-id"]
        verbose_name = _("contact offer")
        verbose_name_plural = _("contact offers")
        indexes = [models.Index(fields=["agent", "status"], name="desk_offer_agent_status")]

    def __str__(self) -> str:
        return f"{self.agent_id} {self.status} {self.offered_at:%Y-%m-%d %H:%M}"
