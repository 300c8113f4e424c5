"""The traffic model: the seeds' entity mix, the daily and weekly shape, determinism."""

from __future__ import annotations

import itertools
import math
from collections import Counter

import pytest

from tawasul.sim.traffic import (
    MARCH_BY_ENTITY,
    MARCH_OTHERS,
    MARCH_TOTAL,
    HandleTime,
    TrafficModel,
    entity_mix_109,
)

DAYS = 14


@pytest.fixture(scope="module")
def sample():
    """Two weeks of "109" traffic (about 160,000 contacts), one fixed seed."""
    return TrafficModel.center_109().arrivals(DAYS, seed=7)


def test_the_march_mix_adds_up_to_the_seeds_total():
    mix = entity_mix_109()
    assert len(mix) == 34
    assert sum(mix.values()) == pytest.approx(MARCH_TOTAL)
    for code, calls in MARCH_BY_ENTITY.items():
        assert mix[code] == calls
    others = [v for k, v in mix.items() if k not in MARCH_BY_ENTITY]
    assert sum(others) == pytest.approx(MARCH_OTHERS)
    assert max(others) > 3 * min(others)  # a long tail, not an even spread


def test_volume_matches_350000_a_month(sample):
    expected = 350_000 / 30 * DAYS
    assert abs(len(sample) - expected) < 0.04 * expected  # the weekday mix shifts it a little


def test_entity_shares_follow_the_march_numbers(sample):
    counts = Counter(a.entity for a in sample)
    n = len(sample)
    for code, calls in MARCH_BY_ENTITY.items():
        share = calls / MARCH_TOTAL
        # Binomial standard error is ~0.0013 here; 1 point is > 7 of them.
        assert abs(counts[code] / n - share) < 0.01, code
    others = sum(v for k, v in counts.items() if k not in MARCH_BY_ENTITY)
    assert abs(others / n - MARCH_OTHERS / MARCH_TOTAL) < 0.01


def test_languages_and_channels(sample):
    langs = Counter(a.language for a in sample)
    ranked = [code for code, _ in langs.most_common()]
    assert ranked[:2] == ["ar", "en"]
    assert set(langs) == {"ar", "en", "ur", "hi", "ml", "bn", "ne", "tl", "fr"}
    assert langs["ar"] / len(sample) > 0.5
    # Each contact speaks a language its hotline offers (customs' 184 is Arabic/English only).
    assert {a.language for a in sample if a.hotline == "184"} <= {"ar", "en"}
    assert {a.hotline for a in sample if a.entity == "phcc"} == {"107"}
    channels = Counter(a.channel for a in sample)
    assert channels.most_common(1)[0][0] == "call"
    assert channels["call"] / len(sample) > 0.8
    assert set(channels) == {"call", "web", "app", "email", "sms", "social"}


def test_hourly_profile_has_morning_and_evening_peaks(sample):
    by_hour = Counter(int(a.t // 3600) % 24 for a in sample)
    night = sum(by_hour[h] for h in (2, 3, 4)) / 3
    morning = sum(by_hour[h] for h in (9, 10, 11)) / 3
    afternoon = sum(by_hour[h] for h in (14, 15)) / 2
    evening = sum(by_hour[h] for h in (18, 19, 20)) / 3
    assert morning > 8 * night
    assert evening > 8 * night
    assert morning > afternoon < evening  # two peaks with a dip between them
    # Thinning reproduces the rate curve: each hour within 5 % of its expectation.
    model = TrafficModel.center_109()
    expected = model.expected_per_hour(DAYS)
    for h in (3, 10, 19):
        exp = sum(expected[d * 24 + h] for d in range(DAYS))
        assert abs(by_hour[h] - exp) < 0.05 * exp + 4 * math.sqrt(exp)


def test_friday_is_the_quiet_day(sample):
    model = TrafficModel.center_109()
    by_weekday = Counter((model.start.weekday() + int(a.t // 86400)) % 7 for a in sample)
    assert min(by_weekday, key=by_weekday.get) == 4  # Friday
    assert by_weekday[6] > 1.6 * by_weekday[4]  # Sunday, the first working day


def test_handle_times_and_patience(sample):
    calls = [a for a in sample if a.channel == "call"]
    mean_handle = sum(a.handle for a in calls) / len(calls)
    assert mean_handle == pytest.approx(205.0, rel=0.03)  # lognormal with that mean
    assert all(a.patience == math.inf for a in sample if a.channel == "email")
    patience = [a.patience for a in calls]
    assert sum(patience) / len(patience) == pytest.approx(200 * math.gamma(1 + 1 / 0.8), rel=0.03)
    accept = sum(a.accepts_callback for a in calls) / len(calls)
    assert accept == pytest.approx(0.5, abs=0.02)
    redials = sum(a.redial_after < math.inf for a in calls) / len(calls)
    assert redials == pytest.approx(0.3, abs=0.02)


def test_same_seed_same_contacts_other_seed_others():
    model = TrafficModel.center_109(scale=0.1)
    first = model.arrivals(2, seed=11)
    assert first == model.arrivals(2, seed=11)
    assert first != model.arrivals(2, seed=12)
    assert all(b.t >= a.t for a, b in itertools.pairwise(first))


def test_flat_model_is_a_homogeneous_poisson_process():
    model = TrafficModel.flat(per_hour=200, handle=HandleTime(180, sigma=None))
    arrivals = model.arrivals(5, seed=3)
    assert len(arrivals) == pytest.approx(200 * 24 * 5, rel=0.03)
    gaps = [b.t - a.t for a, b in itertools.pairwise(arrivals)]
    mean = sum(gaps) / len(gaps)
    assert mean == pytest.approx(18.0, rel=0.03)
    # Exponential gaps: the standard deviation equals the mean.
    sd = math.sqrt(sum((g - mean) ** 2 for g in gaps) / len(gaps))
    assert sd == pytest.approx(mean, rel=0.05)
    assert sum(a.handle for a in arrivals) / len(arrivals) == pytest.approx(180, rel=0.03)
