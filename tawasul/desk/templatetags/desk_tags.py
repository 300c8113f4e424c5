"""Small display helpers for the desk templates."""

from __future__ import annotations

from django import template

from tawasul.desk.choices import BreakReason

register = template.Library()


@register.filter
def reason_label(code: str) -> str:
    """A break reason's label in the current language (free text is shown as typed)."""
    try:
        return str(BreakReason(code).label)
    except ValueError:
        return code


@register.filter
def duration(seconds: int | float | None) -> str:
    """Seconds as h:mm:ss (or m:ss under an hour)."""
    if seconds is None:
        return "–"
    seconds = max(0, int(seconds))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


@register.filter
def percent(value: float | None) -> str:
    return "–" if value is None else f"{value * 100:.0f}%"
