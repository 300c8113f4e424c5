from django.urls import path

from tawasul.knowledge import views

app_name = "knowledge"
urlpatterns = [
    path("", views.article_list_view, name="list"),
    path("panel/", views.panel_view, name="panel"),
    path("new/", views.article_edit_view, name="new"),
    path("<int:article_id>/", views.article_view, name="article"),
    path("<int:article_id>/edit/", views.article_edit_view, name="edit"),
    path("<int:article_id>/publish/", views.article_publish_view, name="publish"),
    path("<int:article_id>/archive/", views.article_archive_view, name="archive"),
    path("<int:article_id>/diff/", views.version_diff_view, name="diff"),
    path(
        "<int:article_id>/versions/<int:number>/restore/",
        views.version_restore_view,
        name="restore",
    ),
]
