"""KPIs, roll-ups, the wallboard and statistical bulletins."""

from django.urls import path

from tawasul.insights import views

app_name = "insights"
urlpatterns = [
    path("", views.index, name="index"),
    path("definitions/", views.definitions, name="definitions"),
    path("wallboard/", views.wallboard, name="wallboard"),
    path("reports/", views.report_page, name="reports"),
    path("bulletins/", views.bulletins, name="bulletins"),
    path("bulletins/download/", views.bulletin_download, name="bulletin_download"),
]
