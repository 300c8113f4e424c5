"""Who may open which desk page: a signed-in, second-factor-verified member of staff in a role.

Sign-in is two steps. A correct password only parks the user id in the session
(``desk_pending``); the session becomes a signed-in one — ``login()`` then
``django_otp.login()`` — only after the TOTP code, so there is never a half-signed-in session
that another page or the API could accept.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import wraps
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from tawasul.accounts.mfa import is_verified
from tawasul.accounts.models import Role, User

AGENT_DESK = (Role.AGENT, Role.SUPERVISOR, Role.ADMIN)
CASE_DESK = (
    Role.AGENT, Role.SUPERVISOR, Role.ADMIN, Role.QUALITY_ANALYST, Role.BACKOFFICE,
)  # fmt: skip
SUPERVISOR_DESK = (Role.SUPERVISOR, Role.ADMIN)


def has_role(user: User, roles: Iterable[str]) -> bool:
    return user.is_superuser or user.role in roles


def desk_view(roles: Iterable[str]) -> Callable:
    """Require a verified staff session and one of ``roles``: anonymous (or password-only)
    visitors go to the sign-in page, other roles get 403."""
    roles = tuple(roles)

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if not is_verified(request):
                login_url = reverse("desk:login") + "?" + urlencode({"next": request.path})
                if request.headers.get("HX-Request"):
                    response = HttpResponse(status=401)
                    response["HX-Redirect"] = login_url
                    return response
                return redirect(login_url)
            if not has_role(request.user, roles):
                return render(request, "desk/forbidden.html", status=403)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
