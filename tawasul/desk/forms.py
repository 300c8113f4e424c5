"""Forms of the desk: they check the shape of what staff type; the services check the rest."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from tawasul.cases.choices import CaseKind, CaseStatus, Priority
from tawasul.desk.choices import AgentStatus, BreakReason


class LoginForm(forms.Form):
    username = forms.CharField(label=_("Username"), max_length=150)
    password = forms.CharField(label=_("Password"), max_length=256, widget=forms.PasswordInput)


class CodeForm(forms.Form):
    code = forms.RegexField(
        label=_("6-digit code"),
        regex=r"^\s*\d{6}\s*$",
        error_messages={"invalid": _("Enter the 6 digits shown in your authenticator app.")},
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "maxlength": 8}
        ),
    )


class StateForm(forms.Form):
    state = forms.ChoiceField(choices=AgentStatus.choices)
    reason = forms.CharField(max_length=80, required=False)


class ResolveForm(forms.Form):
    summary = forms.CharField(label=_("How it was resolved"), max_length=300)


class CaseForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=CaseKind.choices)
    entity = forms.CharField(label=_("Entity"), max_length=40)
    service = forms.CharField(label=_("Service"), max_length=60, required=False)
    department = forms.CharField(label=_("Department"), max_length=40, required=False)
    priority = forms.ChoiceField(
        label=_("Priority"), choices=Priority.choices, initial="normal", required=False
    )
    subject = forms.CharField(label=_("Subject"), max_length=300)
    description = forms.CharField(label=_("Description"), max_length=20000, widget=forms.Textarea)


class QueueFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("All open")), *list(CaseStatus.choices)], required=False
    )
    kind = forms.ChoiceField(
        label=_("Kind"), choices=[("", _("All kinds")), *list(CaseKind.choices)], required=False
    )
    priority = forms.ChoiceField(
        label=_("Priority"),
        choices=[("", _("All priorities")), *list(Priority.choices)],
        required=False,
    )
    department = forms.CharField(label=_("Department"), max_length=40, required=False)
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)
    mine = forms.BooleanField(label=_("Assigned to me"), required=False)
    q = forms.CharField(label=_("Reference or text"), max_length=200, required=False)


BREAK_REASONS = BreakReason.choices
