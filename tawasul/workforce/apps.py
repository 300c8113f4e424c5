from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkforceConfig(AppConfig):
    name = "tawasul.workforce"
    verbose_name = _("Workforce planning")
    default_auto_field = "django.db.models.BigAutoField"
