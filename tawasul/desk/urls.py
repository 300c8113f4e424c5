"""Agent desktop, entity back office and supervisor views (staff web UI)."""

from django.urls import path

from tawasul.desk import views

app_name = "desk"
urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("login/verify/", views.verify_view, name="verify"),
    path("login/enrol/", views.enrol_view, name="enrol"),
    path("login/enrol/<str:token>/", views.enrol_link_view, name="enrol-link"),
    path("logout/", views.logout_view, name="logout"),
    path("", views.index, name="agent"),
    path("state/", views.state_change, name="state"),
    path("contact/", views.contact_panel, name="contact"),
    path("contact/<int:offer_id>/accept/", views.contact_accept, name="accept"),
    path("contact/<int:offer_id>/decline/", views.contact_decline, name="decline"),
    path("contact/<int:offer_id>/end/", views.contact_end, name="end"),
    path("contact/<int:offer_id>/hold/", views.contact_hold, name="hold"),
    path("contact/<int:offer_id>/resume/", views.contact_resume, name="resume"),
    path("contact/<int:offer_id>/resolve/", views.contact_resolve, name="resolve"),
    path("contact/<int:offer_id>/case/", views.contact_case, name="open_case"),
    path("wrapup/end/", views.wrapup_end, name="wrapup_end"),
    path("suggest/", views.suggest, name="suggest"),
    path("residents/", views.resident_search, name="resident_search"),
    path("residents/<int:resident_id>/", views.resident_page, name="resident"),
    path("cases/", views.queue, name="queue"),
    path("cases/<str:reference>/", views.case_page, name="case"),
    path("cases/<str:reference>/action/", views.case_action, name="case_action"),
    path("supervisor/", views.supervisor, name="supervisor"),
    path("supervisor/live/", views.supervisor_live, name="supervisor_live"),
    path(
        "supervisor/agents/<int:agent_id>/state/", views.supervisor_force_state, name="force_state"
    ),
    path("supervisor/cases/<str:reference>/assign/", views.supervisor_reassign, name="reassign"),
]
