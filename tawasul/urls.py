from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from tawasul.api.api import api
from tawasul.core.views import healthz, home

admin.site.site_header = _("Tawasul contact center")
admin.site.site_title = _("Tawasul")
admin.site.index_title = _("Administration")

urlpatterns = [
    path("", home, name="home"),
    path("healthz", healthz, name="healthz"),
    path("api/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("desk/", include("tawasul.desk.urls")),
    path("knowledge/", include("tawasul.knowledge.urls")),
    path("portal/", include("tawasul.portal.urls")),
    path("channels/", include("tawasul.omnichannel.urls")),
    path("voice/", include("tawasul.voice.urls")),
    path("insights/", include("tawasul.insights.urls")),
    path("workforce/", include("tawasul.workforce.urls")),
]
