from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_GET


@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness and database reachability, for load balancers and `make demo`'s wait loop."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        database = {"ok": True, "vendor": connection.vendor}
    except Exception as exc:  # any driver error means "not reachable"
        database = {"ok": False, "vendor": connection.vendor, "error": type(exc).__name__}
    return JsonResponse(
        {"status": "ok" if database["ok"] else "degraded", "database": database},
        status=200 if database["ok"] else 503,
    )


def home(request: HttpRequest):
    """The front door: links to the resident portal, the staff desk, the admin and the API."""
    from django.shortcuts import render

    return render(request, "core/home.html")
