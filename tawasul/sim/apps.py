from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SimConfig(AppConfig):
    """Traffic generator (live) and discrete-event simulator (fast) on the routing engine."""

    name = "tawasul.sim"
    label = "sim"
    verbose_name = _("Simulator")
