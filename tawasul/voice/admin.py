"""Admin: IVR flows (edited as YAML, validated, saved as a new version), recorded prompts,
agents' SIP phones (password set here, stored as HA1 only), call-back requests, agents' holds."""

from __future__ import annotations

import yaml
from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from tawasul.voice import flows, services
from tawasul.voice.models import CallbackRequest, CallHold, IvrFlow, RecordedPrompt, VoiceEndpoint


class IvrFlowForm(forms.ModelForm):
    definition_yaml = forms.CharField(
        label=_("flow (YAML)"), widget=forms.Textarea(attrs={"rows": 30, "cols": 100})
    )

    class Meta:
        model = IvrFlow
        fields = ["hotline", "comment", "active"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["definition_yaml"].initial = yaml.safe_dump(
                self.instance.definition, allow_unicode=True, sort_keys=False
            )

    def clean_definition_yaml(self) -> dict:
        try:
            data = flows.load_yaml(self.cleaned_data["definition_yaml"])
        except flows.YamlError as exc:
            raise forms.ValidationError(
                _("Not valid YAML: %(error)s"), params={"error": exc.detail}
            ) from None
        flows._stringify_digits(data)
        problems = flows.validate(data)
        if problems:
            raise forms.ValidationError([f"{path}: {message}" for path, message in problems])
        return data


@admin.register(IvrFlow)
class IvrFlowAdmin(admin.ModelAdmin):
    form = IvrFlowForm
    list_display = ["hotline", "version", "active", "comment", "created_at", "created_by"]
    list_filter = ["active", "hotline"]
    readonly_fields = ["version", "created_at", "created_by"]

    def save_model(self, request, obj, form, change) -> None:
        # Every save is a new version: calls in progress keep the flow they started with.
        saved = services.ivr_flow_save(
            hotline=form.cleaned_data["hotline"],
            definition=form.cleaned_data["definition_yaml"],
            actor=request.user,
            comment=form.cleaned_data.get("comment", ""),
        )
        obj.pk, obj.version = saved.pk, saved.version


@admin.register(RecordedPrompt)
class RecordedPromptAdmin(admin.ModelAdmin):
    list_display = ["hotline", "node", "language", "uploaded_at"]
    list_filter = ["hotline", "language"]


class VoiceEndpointForm(forms.ModelForm):
    password = forms.CharField(
        label=_("SIP password"),
        widget=forms.PasswordInput,
        min_length=8,
        required=False,
        help_text=_("Leave empty to keep the current password."),
    )

    class Meta:
        model = VoiceEndpoint
        fields = ["user", "sip_username", "skills", "active"]


@admin.register(VoiceEndpoint)
class VoiceEndpointAdmin(admin.ModelAdmin):
    form = VoiceEndpointForm
    list_display = ["sip_username", "user", "active", "updated_at"]
    search_fields = ["sip_username", "user__username"]

    def save_model(self, request, obj, form, change) -> None:
        password = form.cleaned_data.get("password")
        if password:
            saved = services.voice_endpoint_set(
                user=obj.user,
                sip_username=obj.sip_username,
                password=password,
                skills=obj.skills,
            )
            obj.pk, obj.ha1 = saved.pk, saved.ha1
            VoiceEndpoint.objects.filter(pk=saved.pk).update(active=obj.active)
        else:
            super().save_model(request, obj, form, change)


@admin.register(CallbackRequest)
class CallbackRequestAdmin(admin.ModelAdmin):
    list_display = [
        "phone",
        "hotline",
        "language",
        "reason",
        "status",
        "attempts",
        "next_attempt_at",
        "created_at",
    ]
    list_filter = ["status", "hotline", "reason"]
    # The dialler moves these; an administrator may cancel a request (status) or retry it.
    readonly_fields = ["interaction", "outbound", "attempts", "last_attempt_at", "line_since"]


@admin.register(CallHold)
class CallHoldAdmin(admin.ModelAdmin):
    list_display = ["interaction", "agent", "started_at", "ended_at"]
    readonly_fields = ["interaction", "agent", "started_at", "ended_at"]
