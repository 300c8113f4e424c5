"""The REST API (OpenAPI 3 at /api/openapi.json, interactive docs at /api/docs)."""

from ninja import NinjaAPI
from ninja.renderers import JSONRenderer

from tawasul.api import errors
from tawasul.api.auth import API_AUTH
from tawasul.api.routers import cases, directory, interactions, residents
from tawasul.desk.api import router as desk_router
from tawasul.insights.api import router as insights_router
from tawasul.knowledge.api import router as knowledge_router
from tawasul.omnichannel.api import router as channels_router
from tawasul.portal.api import router as app_router
from tawasul.voice.api import router as voice_router


class TawasulAPI(NinjaAPI):
    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        return errors.document_errors(
            super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        )


class Utf8JSONRenderer(JSONRenderer):
    # Arabic stays readable in responses and logs instead of \u0645\u0631… escapes.
    json_dumps_params = {"ensure_ascii": False}


api = TawasulAPI(
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
api.add_router("/desk", desk_router)
api.add_router("/knowledge", knowledge_router)
api.add_router("/channels", channels_router)
api.add_router("/app", app_router)
api.add_router("/voice", voice_router)
api.add_router("/insights", insights_router)
