from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InsightsConfig(AppConfig):
    """KPIs, roll-ups, the wallboard and statistical bulletins."""

    name = "tawasul.insights"
    label = "insights"
    verbose_name = _("Insights")

    def ready(self) -> None:
        from tawasul.insights import signals  # noqa: F401
