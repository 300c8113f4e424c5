from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.generic import RedirectView

from tawasul.api.api import api
from tawasul.core.views import healthz

admin.site.site_header = _("Tawasul contact center")
admin.site.site_title = _("Tawasul")
admin.site.index_title = _("Administration")

urlpatterns = [
    path("", RedirectView.as_view(url="/admin/", permanent=False)),
    path("healthz", healthz, name="healthz"),
    path("api/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
