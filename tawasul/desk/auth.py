"""Who may open which desk page: a signed-in, second-factor-verified member of staff whose role
may take the page's action (:mod:`tawasul.accounts.policy`).

Sign-in is two steps. A correct password only parks the user id in the session
(``desk_pending``); the session becomes a signed-in one — ``login()`` then
``django_otp.login()`` — only after the TOTP code, so there is never a half-signed-in session
that another page or the API could accept.
"""

from __future__ import annotations

from collections.abc import Callable

from tawasul.accounts.mfa import is_verified
from tawasul.accounts.models import User
from tawasul.accounts.pages import staff_page
from tawasul.accounts.policy import Action, may

__all__ = ["desk_view", "home_action", "is_verified", "may"]


def desk_view(action: Action) -> Callable:
    """Require a verified staff session and a role that may take ``action``: anonymous (or
    password-only) visitors go to the sign-in page, other roles get the desk's 403 page."""
    return staff_page(action, forbidden_template="desk/forbidden.html")


def home_action(user: User) -> Action | None:
    """Which desk page is this person's home: the agent desktop, the case queue, or none."""
    if may(user, Action.HANDLE_CONTACTS):
        return Action.HANDLE_CONTACTS
    if may(user, Action.CASE_READ):
        return Action.CASE_READ
    return None
