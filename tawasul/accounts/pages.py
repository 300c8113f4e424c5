"""The page side of the policy: an HTML view for staff needs a second-factor-verified session
and a role that may take the view's action (:mod:`tawasul.accounts.policy`).

Anonymous and password-only visitors go to the desk's sign-in page (htmx requests get 401 with
``HX-Redirect``); a verified person whose role may not take the action gets 403.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from tawasul.accounts.mfa import is_verified
from tawasul.accounts.policy import Action, may


def sign_in_redirect(request: HttpRequest) -> HttpResponse:
    login_url = reverse("desk:login") + "?" + urlencode({"next": request.get_full_path()})
    if request.headers.get("HX-Request"):
        response = HttpResponse(status=401)
        response["HX-Redirect"] = login_url
        return response
    return redirect(login_url)


def staff_page(action: Action, *, forbidden_template: str | None = None) -> Callable:
    """Require a verified staff session whose role may take ``action`` (on some entity: the
    view still scopes the object it shows)."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if not is_verified(request):
                return sign_in_redirect(request)
            if not may(request.user, action):
                if forbidden_template is None:
                    raise PermissionDenied
                return render(request, forbidden_template, status=403)
            return view(request, *args, **kwargs)

        wrapped.policy_action = action
        return wrapped

    return decorator
