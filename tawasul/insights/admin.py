from django.contrib import admin

from tawasul.insights.models import BulletinSubscription


@admin.register(BulletinSubscription)
class BulletinSubscriptionAdmin(admin.ModelAdmin):
    list_display = ("email", "language", "entity", "frequency", "active", "last_period_start")
    list_filter = ("language", "frequency", "active")
    search_fields = ("email",)
