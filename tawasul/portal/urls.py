from django.urls import path, re_path

from tawasul.portal import open311, views

app_name = "portal"

_FMT = r"\.(?P<fmt>json|xml)$"

urlpatterns = [
    path("", views.home, name="home"),
    path("new/", views.submit, name="submit"),
    path("new/fields/", views.submit_fields, name="fields"),
    path("new/<str:reference>/done/", views.submitted, name="submitted"),
    path("track/", views.track, name="track"),
    path("track/code/", views.verify, name="verify"),
    path("track/<str:reference>/", views.case_detail, name="case"),
    path("track/<str:reference>/reply/", views.case_reply, name="reply"),
    path("track/<str:reference>/rate/", views.case_rate, name="rate"),
    # Open311 GeoReport v2
    path("open311/v2/", open311.root, name="open311-root"),
    re_path(r"^open311/v2/discovery" + _FMT, open311.discovery, name="open311-discovery"),
    re_path(r"^open311/v2/services" + _FMT, open311.service_list, name="open311-services"),
    re_path(
        r"^open311/v2/services/(?P<code>[-\w]+)" + _FMT,
        open311.service_definition,
        name="open311-service",
    ),
    re_path(r"^open311/v2/requests" + _FMT, open311.requests_view, name="open311-requests"),
    re_path(
        r"^open311/v2/requests/(?P<request_id>[-\w]+)" + _FMT,
        open311.request_detail,
        name="open311-request",
    ),
    re_path(
        r"^open311/v2/tokens/(?P<token>[-\w]+)" + _FMT, open311.token_detail, name="open311-token"
    ),
]
