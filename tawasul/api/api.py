"""The REST API (OpenAPI 3 at /api/openapi.json, interactive docs at /api/docs)."""

from ninja import NinjaAPI
from ninja.renderers import JSONRenderer

from tawasul.api import errors
from tawasul.api.auth import API_AUTH
from tawasul.api.routers import cases, directory, interactions, residents


class Utf8JSONRenderer(JSONRenderer):
    # Arabic stays readable in responses and logs instead of \u0645\u0631… escapes.
    json_dumps_params = {"ensure_ascii": False}


api = NinjaAPI(
    renderer=Utf8JSONRenderer(),
    title="Tawasul API",
    version="1",
    description=(
        "Government contact center: directory, residents, interactions and cases. "
        "Authenticate with `Authorization: Bearer <token>` (systems) or a staff session. "
        'Errors always look like `{"detail": [{"field", "message", "code"}]}`.'
    ),
    auth=API_AUTH,
    urls_namespace="api",
)
errors.install(api)
api.add_router("/directory", directory.router)
api.add_router("/residents", residents.router)
api.add_router("/interactions", interactions.router)
api.add_router("/cases/escalations", cases.escalations)
api.add_router("/cases", cases.router)
