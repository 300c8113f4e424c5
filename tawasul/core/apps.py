from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """Platform plumbing: health check, the process runner and the demo set-up."""

    name = "tawasul.core"
    label = "core"
    verbose_name = _("Platform")
