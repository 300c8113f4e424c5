from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    """The resident-facing web portal and the mobile-app API."""

    name = "tawasul.portal"
    label = "portal"
    verbose_name = _("Resident portal")
