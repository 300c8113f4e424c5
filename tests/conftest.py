"""Shared fixtures: a small directory and named people for permission tests.

The people: ``agent`` (center agent), ``phcc_staff`` (PHCC back office), ``phcc_colleague``
(same entity, may see the same cases), ``outsider`` (Commerce back office, must see nothing
of PHCC), ``planner`` (aggregates only), ``supervisor`` and ``admin``. Django imports stay
inside the fixtures so the pure-Python suites (routing, hours) run without Django.
"""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _fast_password_hashing(request):
    # The production hasher is slow on purpose; tests create many accounts.
    uses_django = request.node.get_closest_marker("django_db") is not None
    if uses_django or {"settings", "db", "transactional_db"} & set(request.fixturenames):
        settings = request.getfixturevalue("settings")
        settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def directory(db):
    from tests.support import make_directory

    return make_directory()


@pytest.fixture
def people(directory):
    from tests.support import make_people

    return make_people(directory)


@pytest.fixture
def api_as(people):
    from tests.support import Api

    cache: dict = {}

    def make(name: str | None):
        if name is None:
            return Api(None)
        if name not in cache:
            cache[name] = Api(people[name])
        return cache[name]

    return make
