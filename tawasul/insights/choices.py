from django.db import models
from django.utils.translation import gettext_lazy as _


class BulletinFrequency(models.TextChoices):
    WEEKLY = "weekly", _("Weekly")
    MONTHLY = "monthly", _("Monthly")


class ExportFormat(models.TextChoices):
    HTML = "html", _("Web page")
    CSV = "csv", "CSV"
    XLSX = "xlsx", _("Excel (XLSX)")
    PDF = "pdf", "PDF"
