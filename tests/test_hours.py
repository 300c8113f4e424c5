"""Business-hours arithmetic: weekends, holidays, holiday hours, pauses (no database)."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from tawasul.directory.hours import HoursSpec, parse_hhmm

DOHA = ZoneInfo("Asia/Qatar")
MUSCAT = ZoneInfo("Asia/Muscat")
GOV = {day: ((7 * 60, 14 * 60),) for day in (6, 0, 1, 2, 3)}  # Sun–Thu 07:00–14:00
QATAR = HoursSpec(timezone="Asia/Qatar", weekly=GOV, exceptions={date(2026, 12, 18): ()})
OMAN_MOH = HoursSpec(
    timezone="Asia/Muscat",
    weekly={day: ((450, 1290),) for day in range(7)},  # 07:30–21:30 every day
    exceptions={date(2026, 11, 20): ((570, 990),)},  # National Day: 09:30–16:30
)


def doha(*args) -> datetime:
    return datetime(*args, tzinfo=DOHA)


def test_within_one_working_day():
    assert QATAR.add_business_time(doha(2026, 11, 23, 9), timedelta(hours=3)) == doha(
        2026, 11, 23, 12
    )


def test_rolls_over_the_evening_into_the_next_morning():
    # Monday 12:00 + 4 h: 2 h on Monday, 2 h from Tuesday 07:00.
    assert QATAR.add_business_time(doha(2026, 11, 23, 12), timedelta(hours=4)) == doha(
        2026, 11, 24, 9
    )


def test_skips_the_friday_saturday_weekend():
    # Thursday 13:00 + 2 h: 1 h on Thursday, then Sunday 07:00 + 1 h.
    assert QATAR.add_business_time(doha(2026, 11, 26, 13), timedelta(hours=2)) == doha(
        2026, 11, 29, 8
    )


def test_a_start_outside_hours_waits_for_opening():
    assert QATAR.add_business_time(doha(2026, 11, 27, 22), timedelta(hours=1)) == doha(
        2026, 11, 29, 8
    )


def test_skips_a_public_holiday():
    # Thursday 17 Dec 13:00 + 2 h: National Day (Fri 18) and Saturday are closed → Sunday 20.
    assert QATAR.add_business_time(doha(2026, 12, 17, 13), timedelta(hours=2)) == doha(
        2026, 12, 20, 8
    )
    # A holiday on a weekday closes it: Tuesday 15 Dec as an extra holiday.
    spec = HoursSpec(timezone="Asia/Qatar", weekly=GOV, exceptions={date(2026, 12, 15): ()})
    assert spec.add_business_time(doha(2026, 12, 14, 13), timedelta(hours=2)) == doha(
        2026, 12, 16, 8
    )


def test_holiday_special_hours():
    # Oman MoH on National Day opens 09:30–16:30 instead of 07:30–21:30.
    start = datetime(2026, 11, 20, 8, 0, tzinfo=MUSCAT)
    assert OMAN_MOH.add_business_time(start, timedelta(hours=8)) == datetime(
        2026, 11, 21, 8, 30, tzinfo=MUSCAT
    )
    assert not OMAN_MOH.is_open(datetime(2026, 11, 20, 8, 0, tzinfo=MUSCAT))
    assert OMAN_MOH.is_open(datetime(2026, 11, 20, 10, 0, tzinfo=MUSCAT))
    assert not OMAN_MOH.is_open(datetime(2026, 11, 20, 17, 0, tzinfo=MUSCAT))
    assert OMAN_MOH.is_open(datetime(2026, 11, 21, 21, 0, tzinfo=MUSCAT))


def test_business_time_between_counts_only_open_hours():
    # Thursday 12:00 → Sunday 09:00 = 2 h Thursday + 2 h Sunday.
    assert QATAR.business_time_between(doha(2026, 11, 26, 12), doha(2026, 11, 29, 9)) == (
        timedelta(hours=4)
    )
    assert QATAR.business_time_between(doha(2026, 11, 29, 9), doha(2026, 11, 26, 12)) == (
        timedelta(0)
    )


def test_results_are_utc_and_inputs_may_be_any_zone():
    start_utc = doha(2026, 11, 23, 9).astimezone(UTC)
    result = QATAR.add_business_time(start_utc, timedelta(minutes=30))
    assert result.tzinfo == UTC
    assert result == doha(2026, 11, 23, 9, 30)


def test_always_open_is_plain_clock_time():
    spec = HoursSpec(always_open=True)
    start = doha(2026, 12, 18, 23)
    assert spec.add_business_time(start, timedelta(hours=5)) == start + timedelta(hours=5)


def test_split_shifts_and_midnight_close():
    spec = HoursSpec(timezone="Asia/Qatar", weekly={0: ((480, 720), (960, 1440))})
    # Monday 11:00 + 3 h: 1 h until 12:00, then 16:00 + 2 h.
    assert spec.add_business_time(doha(2026, 11, 23, 11), timedelta(hours=3)) == doha(
        2026, 11, 23, 18
    )
    assert spec.add_business_time(doha(2026, 11, 23, 23), timedelta(hours=1)) == doha(
        2026, 11, 24, 0
    )
    # Monday 23:30 + 1 h: 30 min until midnight, then next Monday 08:00 + 30 min.
    assert spec.add_business_time(doha(2026, 11, 23, 23, 30), timedelta(hours=1)) == doha(
        2026, 11, 30, 8, 30
    )


def test_a_calendar_with_no_hours_is_an_error_not_a_hang():
    with pytest.raises(ValueError, match="no open hours"):
        HoursSpec(timezone="Asia/Qatar").add_business_time(doha(2026, 1, 1), timedelta(hours=1))


def test_naive_datetimes_are_refused():
    with pytest.raises(ValueError, match="naive"):
        QATAR.add_business_time(datetime(2026, 11, 23, 9), timedelta(hours=1))


@pytest.mark.parametrize("text", ["25:00", "12:60", "-1:00", "noon"])
def test_bad_times_of_day(text):
    with pytest.raises(ValueError):
        parse_hhmm(text)


def test_good_times_of_day():
    assert parse_hhmm("07:30") == 450
    assert parse_hhmm("24:00") == 1440
