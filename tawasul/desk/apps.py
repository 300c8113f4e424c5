from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeskConfig(AppConfig):
    """Agent desktop, entity back office and supervisor views (staff web UI)."""

    name = "tawasul.desk"
    label = "desk"
    verbose_name = _("Staff desk")
