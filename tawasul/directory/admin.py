from django.contrib import admin

from tawasul.directory.models import (
    BusinessCalendar,
    Department,
    Entity,
    Holiday,
    Hotline,
    Language,
    Service,
    WeeklyHours,
)


@admin.register(Language)
class LanguageAdmin(admin.ModelAdmin):
    list_display = ["code", "native_name", "name_en", "name_ar", "rtl", "active"]
    list_editable = ["active"]


class WeeklyHoursInline(admin.TabularInline):
    model = WeeklyHours
    extra = 0


class HolidayInline(admin.TabularInline):
    model = Holiday
    extra = 0


@admin.register(BusinessCalendar)
class BusinessCalendarAdmin(admin.ModelAdmin):
    list_display = ["code", "name_en", "name_ar", "timezone", "is_24x7"]
    inlines = [WeeklyHoursInline, HolidayInline]


class DepartmentInline(admin.TabularInline):
    model = Department
    extra = 0
    fields = ["code", "name_en", "name_ar", "calendar", "active"]


@admin.register(Entity)
class EntityAdmin(admin.ModelAdmin):
    list_display = ["code", "name_en", "name_ar", "country", "calendar", "active"]
    list_filter = ["country", "active"]
    search_fields = ["code", "name_en", "name_ar"]
    inlines = [DepartmentInline]


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["code", "name_en", "name_ar", "entity", "active"]
    list_filter = ["entity"]
    search_fields = ["code", "name_en", "name_ar"]


@admin.register(Service)
class ServiceAdmin(admin.ModelAdmin):
    list_display = [
        "code", "name_en", "name_ar", "entity", "department", "fee", "active", "open311_public",
    ]  # fmt: skip
    list_filter = ["entity", "active", "open311_public"]
    search_fields = ["code", "name_en", "name_ar"]
    autocomplete_fields = ["department"]


@admin.register(Hotline)
class HotlineAdmin(admin.ModelAdmin):
    list_display = ["number", "name_en", "name_ar", "is_24x7", "priority", "calendar", "active"]
    filter_horizontal = ["entities", "languages"]
