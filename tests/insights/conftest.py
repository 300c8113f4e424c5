"""Fixtures of the insights tests: contacts made through the interactions service."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest


def make_contact(*, offered_at: datetime, wait: float | None, outcome: str, talk: float = 0,
                 hold: int = 0, wrap: float = 0, **fields):  # fmt: skip
    """Record a contact with the interactions service, timings derived from the durations."""
    from tawasul.interactions.services import interaction_record

    timings: dict = {"offered_at": offered_at}
    if outcome == "abandoned" or outcome == "callback":
        if wait is not None:
            timings["ended_at"] = offered_at + timedelta(seconds=wait)
    elif (outcome != "pending" or wait is not None) and wait is not None:
        answered = offered_at + timedelta(seconds=wait)
        timings["answered_at"] = answered
        if outcome != "pending":
            timings["ended_at"] = answered + timedelta(seconds=talk)
            timings["wrapup_ended_at"] = timings["ended_at"] + timedelta(seconds=wrap)
    interaction, _ = interaction_record(
        channel=fields.pop("channel", "call"), outcome=outcome, hold_seconds=hold,
        **timings, **fields,
    )  # fmt: skip
    return interaction


@pytest.fixture
def contact(db):
    return make_contact


@pytest.fixture
def march_day():
    return datetime(2026, 3, 10, 5, 0, tzinfo=UTC)


def verified_client(user):
    """A Django test client signed in as ``user`` with a confirmed second factor (as after the
    desk's two-step sign-in)."""
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.create(user=user, name="test", confirmed=True)
    client = Client()
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


@pytest.fixture
def staff_client(people):
    cache: dict = {}

    def make(name: str):
        if name not in cache:
            cache[name] = verified_client(people[name])
        return cache[name]

    return make


def asgi_server(django_db_setup, django_db_blocker, tmp_path_factory):
    """tests/conftest.py's server, with SQLite recognised under the project's own backend
    (``tawasul.core.sqlite``, whose name does not end in "sqlite3"). Remove once the shared
    fixture tests ``"sqlite" in ENGINE`` (change proposed to the lead)."""
    import os
    import socket
    import subprocess
    import sys
    import time
    import urllib.request

    from django.db import connection

    with django_db_blocker.unblock():
        db = connection.settings_dict
    if "sqlite" in db["ENGINE"]:
        url = f"sqlite:///{db['NAME']}"
    else:
        host = f"{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
        url = f"postgres://{db['USER'] or ''}@{host}/{db['NAME']}"
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    log = tmp_path_factory.mktemp("asgi") / "server.log"
    env = {**os.environ, "DATABASE_URL": url, "DEBUG": "0", "PYTHONUNBUFFERED": "1"}
    with open(log, "w") as out:
        server = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "tawasul.asgi:application",
             "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"],
            env=env, stdout=out, stderr=subprocess.STDOUT,
        )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{base}/healthz", timeout=1)
                break
            except OSError:
                if server.poll() is not None:
                    raise RuntimeError(f"server exited: {log.read_text()}") from None
                time.sleep(0.1)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=10)
