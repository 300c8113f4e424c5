"""Status values of the portal room."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Source(models.TextChoices):
    """Where a resident's submission came from (also the interaction channel it is logged on)."""

    WEB = "web", _("Web portal")
    APP = "app", _("Mobile app")
    OPEN311 = "open311", _("Open311 client")


class OtpChannel(models.TextChoices):
    SMS = "sms", _("SMS to the phone on file")
    EMAIL = "email", _("E-mail to the address on file")


class AttributeType(models.TextChoices):
    """The datatypes of an Open311 GeoReport v2 service attribute."""

    STRING = "string", _("Short text")
    NUMBER = "number", _("Number")
    DATETIME = "datetime", _("Date and time")
    TEXT = "text", _("Long text")
    SINGLE = "singlevaluelist", _("One choice from a list")
    MULTI = "multivaluelist", _("Several choices from a list")
