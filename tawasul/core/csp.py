"""Content-Security-Policy on every response (Django 5.2 has none of its own; Django 6 does).

The policy is ``settings.SECURE_CSP`` (directive → sources, the shape Django 6 reads). The
WebSocket origin of the request's own host is added to ``connect-src``: CSP Level 3 lets 'self'
cover ws:/wss: of the same host, older browsers do not, and the desk and wallboard need it.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.http import HttpRequest, HttpResponse
from django.utils.deprecation import MiddlewareMixin

HEADER = "Content-Security-Policy"


def csp_header_value(request: HttpRequest) -> str:
    """The policy for this request, as the header's value."""
    policy = {name: list(sources) for name, sources in settings.SECURE_CSP.items()}
    try:
        host = request.get_host()
    except DisallowedHost:
        host = ""  # the response is the 400 for that host; 'self' is enough for it
    if host and "connect-src" in policy:
        socket = f"{'wss' if request.is_secure() else 'ws'}://{host}"
        if socket not in policy["connect-src"]:
            policy["connect-src"].append(socket)
    return "; ".join(" ".join([name, *sources]) for name, sources in policy.items())


class ContentSecurityPolicyMiddleware(MiddlewareMixin):
    """Sets the header unless the view chose its own policy.

    A MiddlewareMixin, like Django's own, so it runs sync or async and an ASGI request is
    not moved to a thread for it.
    """

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        if settings.DEBUG and response.status_code >= 400:
            # Django's technical 404/500 pages (DEBUG only) are all inline script and style.
            return response
        if HEADER not in response:
            response[HEADER] = csp_header_value(request)
        return response
