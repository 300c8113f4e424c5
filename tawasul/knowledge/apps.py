from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KnowledgeConfig(AppConfig):
    """Service procedures, FAQs and awareness articles with Arabic-aware search."""

    name = "tawasul.knowledge"
    label = "knowledge"
    verbose_name = _("Knowledge base")
