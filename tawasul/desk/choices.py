from django.db import models
from django.utils.translation import gettext_lazy as _


class AgentStatus(models.TextChoices):
    LOGGED_OUT = "logged_out", _("Logged out")
    AVAILABLE = "available", _("Available")
    ON_BREAK = "on_break", _("On break")
    WRAP_UP = "wrap_up", _("Wrap-up")
    ON_CONTACT = "on_contact", _("On contact")


class BreakReason(models.TextChoices):
    """Reasons offered in one click; the service accepts any short text."""

    LUNCH = "lunch", _("Lunch")
    SHORT = "short", _("Short break")
    TRAINING = "training", _("Training")
    MEETING = "meeting", _("Meeting")
    COACHING = "coaching", _("Coaching")


class OfferStatus(models.TextChoices):
    RINGING = "ringing", _("Ringing")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    ENDED = "ended", _("Ended")
