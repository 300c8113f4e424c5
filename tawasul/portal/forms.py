"""Forms of the resident portal: they parse and give field-level messages; the checks that
matter (service, location, files, limits) are in :mod:`tawasul.portal.services`."""

from __future__ import annotations

import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from tawasul.cases.choices import CaseKind
from tawasul.directory.models import Entity, Service
from tawasul.portal import conf
from tawasul.portal.choices import AttributeType, OtpChannel
from tawasul.portal.models import ServiceAttribute
from tawasul.residents import texts
from tawasul.residents.models import ReplyChannel

REPLY_CHANNELS = [
    (ReplyChannel.SMS, _("SMS")),
    (ReplyChannel.EMAIL, _("E-mail")),
    (ReplyChannel.PHONE, _("Phone call")),
]
# The portal's pages are in Arabic and English; the acknowledgements and codes it sends are in
# every hotline language (tawasul.residents.texts), so a resident may ask for any of them.
LANGUAGES = [(code, texts.NATIVE_NAMES[code]) for code in texts.LANGUAGES]


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/*,application/pdf"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data] if data else []
        return [super(MultipleFileField, self).clean(f, initial) for f in files]


class SubmitForm(forms.Form):
    kind = forms.ChoiceField(label=_("What would you like to send?"), choices=CaseKind.choices,
                             widget=forms.RadioSelect)  # fmt: skip
    entity = forms.ModelChoiceField(
        label=_("Government entity"),
        queryset=Entity.objects.filter(active=True, services__active=True).distinct(),
        to_field_name="code",
        empty_label=_("Choose the entity"),
    )
    service = forms.ModelChoiceField(
        label=_("Service"),
        queryset=Service.objects.filter(active=True, entity__active=True),
        to_field_name="code",
        required=False,
        empty_label=_("Not sure / other"),
    )
    description = forms.CharField(
        label=_("Describe your request"), widget=forms.Textarea(attrs={"rows": 5})
    )
    address = forms.CharField(label=_("Address or landmark"), max_length=300, required=False)
    latitude = forms.DecimalField(
        label=_("Latitude"), max_digits=9, decimal_places=6, required=False,
        min_value=-90, max_value=90, widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )  # fmt: skip
    longitude = forms.DecimalField(
        label=_("Longitude"), max_digits=9, decimal_places=6, required=False,
        min_value=-180, max_value=180, widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )  # fmt: skip
    attachments = MultipleFileField(label=_("Photos or documents (images or PDF)"), required=False)
    full_name = forms.CharField(label=_("Your name (optional)"), max_length=200, required=False)
    phone = forms.CharField(
        label=_("Mobile number"), max_length=40, required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel", "dir": "ltr"}),
    )  # fmt: skip
    email = forms.CharField(
        label=_("E-mail"), max_length=254, required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "dir": "ltr"}),
    )  # fmt: skip
    preferred_channel = forms.ChoiceField(
        label=_("How should we answer you?"), choices=REPLY_CHANNELS, required=False
    )
    language = forms.ChoiceField(label=_("Language of our answers"), choices=LANGUAGES)
    # Honeypot: hidden from people by CSS; bots that fill every field give themselves away.
    website = forms.CharField(label=_("Leave this field empty"), required=False)
    submission_id = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)

    def __init__(self, *args, questions: list[ServiceAttribute] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["description"].max_length = conf.description_max_chars()
        self.fields["description"].widget.attrs["maxlength"] = conf.description_max_chars()
        if not self.is_bound:
            self.initial.setdefault("submission_id", uuid.uuid4().hex)
        self.questions = questions or []
        for question in self.questions:
            self.fields[f"attr_{question.code}"] = _question_field(question)

    def question_fields(self):
        return [self[f"attr_{q.code}"] for q in self.questions]

    def attribute_answers(self) -> dict[str, list[str]]:
        answers: dict[str, list[str]] = {}
        for question in self.questions:
            value = self.cleaned_data.get(f"attr_{question.code}")
            if value in (None, "", []):
                continue
            answers[question.code] = (
                [str(v) for v in value] if isinstance(value, list) else [str(value)]
            )
        return answers


def _question_field(question: ServiceAttribute) -> forms.Field:
    from django.utils.translation import get_language

    label = question.description_in(get_language() or "ar")
    choices = [
        (str(v.get("key")), v.get("name_ar") if (get_language() or "")[:2] == "ar"
         else v.get("name_en") or v.get("name") or v.get("key"))
        for v in question.values
    ]  # fmt: skip
    common = {
        "label": label,
        "required": question.required,
        "help_text": question.datatype_description,
    }
    if question.datatype == AttributeType.SINGLE:
        return forms.ChoiceField(choices=[("", "—"), *choices], **common)
    if question.datatype == AttributeType.MULTI:
        return forms.MultipleChoiceField(
            choices=choices, widget=forms.CheckboxSelectMultiple, **common
        )
    if question.datatype == AttributeType.NUMBER:
        return forms.DecimalField(**common)
    if question.datatype == AttributeType.TEXT:
        return forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), max_length=4000, **common)
    if question.datatype == AttributeType.DATETIME:
        return forms.CharField(
            widget=forms.DateTimeInput(attrs={"type": "datetime-local"}), **common
        )
    return forms.CharField(max_length=300, **common)


class TrackForm(forms.Form):
    reference = forms.CharField(
        label=_("Reference number"), max_length=32,
        widget=forms.TextInput(attrs={"dir": "ltr", "placeholder": "1111-2026-000123",
                                      "autocapitalize": "characters"}),
    )  # fmt: skip
    channel = forms.ChoiceField(
        label=_("Send me a one-time code by"),
        choices=OtpChannel.choices,
        widget=forms.RadioSelect,
        initial=OtpChannel.SMS,
    )


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("One-time code"), min_length=6, max_length=6,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code",
                                      "dir": "ltr", "pattern": "[0-9]{6}"}),
    )  # fmt: skip


class ReplyForm(forms.Form):
    body = forms.CharField(label=_("Your reply"), widget=forms.Textarea(attrs={"rows": 4}))


class RatingForm(forms.Form):
    score = forms.TypedChoiceField(
        label=_("How satisfied are you with our answer?"),
        choices=[(i, str(i)) for i in range(1, 6)],
        coerce=int,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment (optional)"), required=False, max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )  # fmt: skip
