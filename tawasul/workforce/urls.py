from django.urls import path

from tawasul.workforce import views

app_name = "workforce"

urlpatterns = [
    path("", views.home, name="home"),
    path("override", views.override, name="override"),
    path("export.csv", views.export_csv, name="export"),
]
