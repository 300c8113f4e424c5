from django.urls import path

from tawasul.omnichannel import views

app_name = "omnichannel"
urlpatterns = [
    path("sms/mo", views.sms_mo, name="sms-mo"),
    path("sms/dlr", views.sms_dlr, name="sms-dlr"),
    path("whatsapp/webhook", views.whatsapp_webhook, name="whatsapp-webhook"),
    path("webhook/<slug:network>", views.generic_webhook, name="webhook"),
    path("mailbox/", views.mailbox, name="mailbox"),
    path("outbox/", views.outbox, name="outbox"),
    path("outbox/<int:pk>/retry", views.outbox_retry_view, name="outbox-retry"),
]
