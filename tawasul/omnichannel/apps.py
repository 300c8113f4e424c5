from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OmnichannelConfig(AppConfig):
    """Channel adapters (e-mail, SMS via Kannel, social, fax, Open311) and the outbox."""

    name = "tawasul.omnichannel"
    label = "omnichannel"
    verbose_name = _("Channels")
