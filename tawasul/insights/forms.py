"""Filters of the report and bulletin pages; errors name the field."""

from __future__ import annotations

from datetime import date, timedelta

from django import forms
from django.utils.translation import gettext_lazy as _

from tawasul.insights.choices import ExportFormat
from tawasul.interactions.models import Channel

GRANULARITIES = [("", _("Whole period")), ("15min", _("15 minutes")), ("hour", _("Hour")),
                 ("day", _("Day")), ("month", _("Month"))]  # fmt: skip
BY = [("", _("No slice")), ("entity", _("Entity")), ("hotline", _("Hotline")),
      ("service", _("Service")), ("channel", _("Channel")), ("language", _("Language")),
      ("queue", _("Queue")), ("agent", _("Agent")), ("site", _("Site"))]  # fmt: skip
# Longest period per granularity, so one request cannot ask for millions of rows.
# The years a bulletin may cover.
MIN_BULLETIN_YEAR, MAX_BULLETIN_YEAR = 2000, 2100
MAX_DAYS = {"15min": 31, "hour": 92, "": 3700, "day": 3700, "month": 3700}


def _default_start() -> date:
    today = date.today()
    return (today.replace(day=1) - timedelta(days=1)).replace(day=1)


class ReportForm(forms.Form):
    start = forms.DateField(label=_("From"), required=False)
    end = forms.DateField(label=_("To (inclusive)"), required=False)
    granularity = forms.ChoiceField(label=_("Period"), choices=GRANULARITIES, required=False)
    by = forms.ChoiceField(label=_("Slice by"), choices=BY, required=False)
    hotline = forms.CharField(label=_("Hotline"), max_length=20, required=False)
    entity = forms.SlugField(label=_("Entity"), max_length=40, required=False)
    channel = forms.ChoiceField(
        label=_("Channel"), choices=[("", _("All")), *list(Channel.choices)], required=False
    )
    language = forms.SlugField(label=_("Language"), max_length=8, required=False)
    site = forms.SlugField(label=_("Site"), max_length=40, required=False)
    format = forms.ChoiceField(
        label=_("Format"), choices=ExportFormat.choices, required=False, initial="html"
    )

    def clean(self):
        data = super().clean()
        start = data.get("start") or _default_start()
        end = data.get("end") or (start + timedelta(days=32)).replace(day=1) - timedelta(days=1)
        data["start"], data["end"] = start, end
        if "start" in self.errors or "end" in self.errors:
            return data
        if end < start:
            self.add_error("end", _("The end is before the start."))
        elif (end - start).days + 1 > MAX_DAYS[data.get("granularity") or ""]:
            self.add_error(
                "end",
                _("At most %(days)s days at this period size.")
                % {"days": MAX_DAYS[data.get("granularity") or ""]},
            )
        return data


class BulletinForm(forms.Form):
    month = forms.RegexField(label=_("Month"), regex=r"^\d{4}-(0[1-9]|1[0-2])$", max_length=7)
    entity = forms.SlugField(label=_("Entity"), max_length=40, required=False)
    lang = forms.ChoiceField(label=_("Language"), choices=[("ar", "العربية"), ("en", "English")])
    format = forms.ChoiceField(
        label=_("Format"),
        choices=[c for c in ExportFormat.choices if c[0] != "html"],
        initial="pdf",
    )

    def clean_month(self) -> date:
        year, month = (int(part) for part in self.cleaned_data["month"].split("-"))
        # Year 0000 is no date at all and a bulletin of 9999-12 would end in year 10000: both
        # used to escape as a 500. No center has data outside these years.
        if not MIN_BULLETIN_YEAR <= year <= MAX_BULLETIN_YEAR:
            raise forms.ValidationError(
                _("Choose a month between %(first)s and %(last)s.")
                % {"first": f"{MIN_BULLETIN_YEAR}-01", "last": f"{MAX_BULLETIN_YEAR}-12"}
            )
        return date(year, month, 1)
