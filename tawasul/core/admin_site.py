"""The admin behind the same two-step sign-in as the desk.

Django's own admin login takes a password only; a session made there would be a signed-in
staff session without the second factor, which the API and every admin page would accept. The
admin therefore sends visitors to the desk's sign-in (password, then TOTP) and accepts only a
second-factor-verified session.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from tawasul.accounts.mfa import is_verified


class TawasulAdminSite(admin.AdminSite):
    def has_permission(self, request: HttpRequest) -> bool:
        return super().has_permission(request) and is_verified(request)

    def login(self, request: HttpRequest, extra_context=None) -> HttpResponse:
        next_url = request.GET.get("next") or reverse("admin:index", current_app=self.name)
        return redirect(reverse("desk:login") + "?" + urlencode({"next": next_url}))


class TawasulAdminConfig(AdminConfig):
    default_site = "tawasul.core.admin_site.TawasulAdminSite"
