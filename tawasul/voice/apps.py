from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VoiceConfig(AppConfig):
    """The SIP voice gateway, IVR flows, prompts and recordings."""

    name = "tawasul.voice"
    label = "voice"
    verbose_name = _("Voice")
