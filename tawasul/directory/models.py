"""The directory: who the center serves (entities, departments, services), on which numbers
(hotlines), in which languages, and when (business calendars with holidays)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from tawasul.directory.hours import HoursSpec, minutes_of


class BilingualName(models.Model):
    """Arabic and English names are required; other hotline languages live in ``names``."""

    name_en = models.CharField(_("name (English)"), max_length=200)
    name_ar = models.CharField(_("name (Arabic)"), max_length=200)
    names = models.JSONField(
        _("names in other languages"), default=dict, blank=True, help_text=_('{"ur": "…"}')
    )

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name_in()

    def name_in(self, language: str | None = None) -> str:
        language = (language or get_language() or "en")[:2]
        if language == "ar":
            return self.name_ar
        if language == "en":
            return self.name_en
        return self.names.get(language) or self.name_en

    @property
    def name(self) -> str:
        return self.name_in()


class Language(models.Model):
    """A language a hotline answers in."""

    code = models.CharField(_("code"), max_length=8, primary_key=True)
    name_en = models.CharField(_("name (English)"), max_length=60)
    name_ar = models.CharField(_("name (Arabic)"), max_length=60)
    native_name = models.CharField(_("native name"), max_length=60)
    rtl = models.BooleanField(_("right to left"), default=False)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("language")
        verbose_name_plural = _("languages")

    def __str__(self) -> str:
        return f"{self.native_name} ({self.code})"


class BusinessCalendar(models.Model):
    """Working hours of a hotline or department, with public holidays and holiday hours."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=120)
    name_ar = models.CharField(_("name (Arabic)"), max_length=120)
    timezone = models.CharField(_("time zone"), max_length=60, default="Asia/Qatar")
    is_24x7 = models.BooleanField(_("open 24/7"), default=False)

    class Meta:
        ordering = ["code"]
        verbose_name = _("business calendar")
        verbose_name_plural = _("business calendars")

    def __str__(self) -> str:
        return self.name_ar if (get_language() or "")[:2] == "ar" else self.name_en

    def hours_spec(self) -> HoursSpec:
        """The calendar as plain data for :mod:`tawasul.directory.hours` (two queries)."""
        weekly: dict[int, list[tuple[int, int]]] = {}
        for row in self.weekly_hours.all():
            weekly.setdefault(row.weekday, []).append((minutes_of(row.opens), row.closes_minute))
        exceptions: dict = {}
        for holiday in self.holidays.all():
            exceptions[holiday.date] = (
                ((minutes_of(holiday.opens), holiday.closes_minute),)
                if holiday.opens is not None and holiday.closes is not None
                else ()
            )
        return HoursSpec(
            timezone=self.timezone,
            weekly={day: tuple(sorted(spans)) for day, spans in weekly.items()},
            exceptions=exceptions,
            always_open=self.is_24x7,
        )


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


def _closes_minute(closes) -> int:
    # 00:00 as a closing time means midnight at the end of the day.
    minute = minutes_of(closes)
    return minute or 1440


class WeeklyHours(models.Model):
    """One opening interval on a weekday; a day may have several (split shifts)."""

    calendar = models.ForeignKey(
        BusinessCalendar, on_delete=models.CASCADE, related_name="weekly_hours"
    )
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices)
    opens = models.TimeField(_("opens"))
    closes = models.TimeField(_("closes"), help_text=_("00:00 means midnight"))

    class Meta:
        ordering = ["calendar", "weekday", "opens"]
        verbose_name = _("weekly hours")
        verbose_name_plural = _("weekly hours")

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.opens:%H:%M}–{self.closes:%H:%M}"

    @property
    def closes_minute(self) -> int:
        return _closes_minute(self.closes)


class Holiday(models.Model):
    """A public holiday: closed, or open on special hours when both times are given."""

    calendar = models.ForeignKey(
        BusinessCalendar, on_delete=models.CASCADE, related_name="holidays"
    )
    date = models.DateField(_("date"))
    name_en = models.CharField(_("name (English)"), max_length=120)
    name_ar = models.CharField(_("name (Arabic)"), max_length=120)
    opens = models.TimeField(_("holiday hours open"), null=True, blank=True)
    closes = models.TimeField(_("holiday hours close"), null=True, blank=True)

    class Meta:
        ordering = ["calendar", "date"]
        verbose_name = _("holiday")
        verbose_name_plural = _("holidays")
        constraints = [
            models.UniqueConstraint(fields=["calendar", "date"], name="holiday_unique_date"),
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.name_en}"

    @property
    def closes_minute(self) -> int:
        return _closes_minute(self.closes)


class Entity(BilingualName):
    """A government body served by the center."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    description_ar = models.TextField(_("description (Arabic)"), blank=True)
    country = models.CharField(_("country"), max_length=2, default="QA")
    calendar = models.ForeignKey(
        BusinessCalendar, on_delete=models.PROTECT, related_name="entities", null=True, blank=True
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("entity")
        verbose_name_plural = _("entities")


class Department(BilingualName):
    """The competent unit inside an entity that handles routed cases."""

    entity = models.ForeignKey(Entity, on_delete=models.CASCADE, related_name="departments")
    code = models.SlugField(_("code"), max_length=40)
    calendar = models.ForeignKey(
        BusinessCalendar,
        on_delete=models.PROTECT,
        related_name="departments",
        null=True,
        blank=True,
        help_text=_("Empty: the entity's calendar."),
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["entity__code", "code"]
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        constraints = [
            models.UniqueConstraint(fields=["entity", "code"], name="department_unique_code"),
        ]

    @property
    def effective_calendar(self) -> BusinessCalendar | None:
        return self.calendar or self.entity.calendar


class Service(BilingualName):
    """One public service an entity offers, with its procedure, documents and fee."""

    entity = models.ForeignKey(Entity, on_delete=models.CASCADE, related_name="services")
    department = models.ForeignKey(
        Department, on_delete=models.SET_NULL, null=True, blank=True, related_name="services"
    )
    code = models.SlugField(_("code"), max_length=60, unique=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    description_ar = models.TextField(_("description (Arabic)"), blank=True)
    procedure_en = models.TextField(_("procedure (English)"), blank=True)
    procedure_ar = models.TextField(_("procedure (Arabic)"), blank=True)
    documents_en = models.TextField(_("required documents (English)"), blank=True)
    documents_ar = models.TextField(_("required documents (Arabic)"), blank=True)
    fee = models.DecimalField(_("fee"), max_digits=10, decimal_places=3, null=True, blank=True)
    active = models.BooleanField(_("active"), default=True)
    # Open311's GET requests is public and keyless: what it may show is decided per service,
    # and the safe answer (nothing) is the default, so a new health or personal service is
    # never published by accident.
    open311_public = models.BooleanField(
        _("listed publicly in Open311"),
        default=False,
        help_text=_(
            "Reports of this service appear in the keyless Open311 request list, with a "
            "coarsened location. Only for issues in public space (potholes, street lights, "
            "waste), never for health or personal matters."
        ),
    )
    open311_publish_text = models.BooleanField(
        _("publish texts in Open311"),
        default=False,
        help_text=_(
            "Also publish the report's description and the messages sent to the resident, with "
            "phone numbers, e-mail addresses, identity numbers and the resident's name removed."
        ),
    )

    class Meta:
        ordering = ["entity__code", "code"]
        verbose_name = _("service")
        verbose_name_plural = _("services")


class Hotline(BilingualName):
    """A dialled number bound to entities, languages, hours and (later) an IVR flow."""

    number = models.CharField(_("number"), max_length=20, unique=True)
    entities = models.ManyToManyField(Entity, related_name="hotlines", verbose_name=_("entities"))
    languages = models.ManyToManyField(
        Language, related_name="hotlines", verbose_name=_("languages")
    )
    calendar = models.ForeignKey(
        BusinessCalendar, on_delete=models.PROTECT, related_name="hotlines", null=True, blank=True
    )
    is_24x7 = models.BooleanField(_("open 24/7"), default=False)
    priority = models.SmallIntegerField(
        _("routing priority"), default=0, help_text=_("Higher is served first.")
    )
    greeting_en = models.TextField(_("greeting (English)"), blank=True)
    greeting_ar = models.TextField(_("greeting (Arabic)"), blank=True)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["number"]
        verbose_name = _("hotline")
        verbose_name_plural = _("hotlines")

    def __str__(self) -> str:
        return f"{self.number} {self.name_in()}"
