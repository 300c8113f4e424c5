"""ASGI entry point: HTTP through Django, WebSockets through Channels (session-authenticated)."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tawasul.settings")
django_asgi_app = get_asgi_application()

# Imported after Django is set up: consumers import models.
from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402
from django.contrib.staticfiles.handlers import ASGIStaticFilesHandler  # noqa: E402

from tawasul.desk.ws import websocket_urlpatterns as desk_ws  # noqa: E402
from tawasul.insights.ws import websocket_urlpatterns as insights_ws  # noqa: E402

application = ProtocolTypeRouter(
    {
        # Static files (admin, API docs, desk) served in the event loop, found in the apps: no
        # collectstatic step and no sync middleware on every request. A proxy may take over.
        "http": ASGIStaticFilesHandler(django_asgi_app),
        "websocket": AllowedHostsOriginValidator(
            AuthMiddlewareStack(URLRouter([*desk_ws, *insights_ws]))
        ),
    }
)
