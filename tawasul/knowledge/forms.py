"""Forms of the knowledge pages: parsing and field limits only; the rules live in services."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from tawasul.accounts.models import User
from tawasul.directory.models import Entity, Language, Service
from tawasul.knowledge import search
from tawasul.knowledge.choices import ArticleKind, ArticleStatus
from tawasul.knowledge.models import Article


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=search.MAX_QUERY_LENGTH)
    entity = forms.CharField(label=_("Entity"), required=False, max_length=40)
    service = forms.CharField(label=_("Service"), required=False, max_length=60)
    language = forms.CharField(label=_("Language"), required=False, max_length=8)
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("All kinds")), *ArticleKind.choices]
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Published")), *ArticleStatus.choices]
    )


class ArticleForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=ArticleKind.choices)
    entity = forms.ModelChoiceField(
        label=_("Entity"), queryset=Entity.objects.filter(active=True), to_field_name="code"
    )
    service = forms.ModelChoiceField(
        label=_("Service"),
        queryset=Service.objects.filter(active=True).select_related("entity"),
        to_field_name="code",
        required=False,
    )
    language = forms.ModelChoiceField(
        label=_("Language"), queryset=Language.objects.filter(active=True)
    )
    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 14}))
    review_due = forms.DateField(
        label=_("Review due"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    change_note = forms.CharField(label=_("Change note"), required=False, max_length=300)

    def __init__(self, *args, user: User, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if user.entity_id and not user.is_superuser and user.role == "backoffice":
            # Back-office staff write only for their own entity.
            self.fields["entity"].queryset = Entity.objects.filter(pk=user.entity_id)
            self.fields["service"].queryset = Service.objects.filter(entity_id=user.entity_id)

    @staticmethod
    def initial_for(article: Article) -> dict:
        return {
            "kind": article.kind,
            "entity": article.entity.code,
            "service": article.service.code if article.service_id else None,
            "language": article.language_id,
            "title": article.title,
            "body": article.body,
            "review_due": article.review_due,
        }
