from django.db import models
from django.utils.translation import gettext_lazy as _


class ArticleKind(models.TextChoices):
    PROCEDURE = "procedure", _("Service procedure")
    FAQ = "faq", _("FAQ")
    AWARENESS = "awareness", _("Awareness")


class ArticleStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    ARCHIVED = "archived", _("Archived")
