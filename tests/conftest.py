"""Shared fixtures: a small directory and named people for permission tests.

The people: ``agent`` (center agent), ``phcc_staff`` (PHCC back office), ``phcc_colleague``
(same entity, may see the same cases), ``outsider`` (Commerce back office, must see nothing
of PHCC), ``planner`` (aggregates only), ``supervisor`` and ``admin``. Django imports stay
inside the fixtures so the pure-Python suites (routing, hours) run without Django.
"""

from __future__ import annotations

import pytest


def pytest_collection_modifyitems(session, config, items) -> None:
    """Run browser tests last: the session-wide ``browser`` fixture keeps Playwright's event
    loop on the main thread, which would break asyncio tests collected after it."""
    items.sort(key=lambda item: "browser" in getattr(item, "fixturenames", ()))


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


def serve_web(argv: list[str], log_path, env: dict | None = None, port: int | None = None):
    """Start an ASGI server process against the test database; ``{port}`` in ``argv`` becomes
    ``port`` or a free port. Returns ``(process, base_url)`` once ``/healthz`` answers."""
    import os
    import socket
    import subprocess
    import time
    import urllib.request

    from django.db import connection

    db = connection.settings_dict
    if connection.vendor == "sqlite":  # the engine is tawasul.core.sqlite
        url = f"sqlite:///{db['NAME']}"
    else:
        host = f"{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
        url = f"postgres://{db['USER'] or ''}@{host}/{db['NAME']}"
    if port is None:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
    full_env = {**os.environ, "DATABASE_URL": url, "DEBUG": "0", "PYTHONUNBUFFERED": "1"}
    full_env.update(env or {})
    with open(log_path, "w") as out:
        server = subprocess.Popen(
            [part.replace("{port}", str(port)) for part in argv],
            env=full_env, stdout=out, stderr=subprocess.STDOUT,
        )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(f"{base}/healthz", timeout=1)
            return server, base
        except OSError:
            if server.poll() is not None:
                raise RuntimeError(f"server exited: {log_path.read_text()}") from None
            time.sleep(0.1)
    server.terminate()
    raise RuntimeError(f"server did not start: {log_path.read_text()}")


@pytest.fixture(scope="session")
def realtime_url(tmp_path_factory):
    """The real-time layer `tawasul run` gives its processes: a private redis-server on a Unix
    socket (``tawasul.core.realtime_layer``). Yields its ``REDIS_URL``."""
    from tawasul.core.realtime_layer import private_layer_start, private_layer_stop

    # Short path: a Unix socket's path may not exceed 107 bytes.
    data_dir = tmp_path_factory.mktemp("rt")
    with open(data_dir / "redis.log", "w") as log:
        server, url = private_layer_start(data_dir, output=log)
    try:
        yield url
    finally:
        private_layer_stop(server)


@pytest.fixture
def shared_layer(settings, realtime_url):
    """This test process publishes on the same layer as the servers it starts, as every
    process of `tawasul run` does (the voice gateway's controller runs in the test process)."""
    from channels.layers import get_channel_layer

    settings.CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {"hosts": [realtime_url]},
        }
    }
    return get_channel_layer()


@pytest.fixture(scope="session")
def asgi_server(django_db_setup, django_db_blocker, tmp_path_factory, realtime_url):
    """The real ASGI app (HTTP + WebSockets) served by uvicorn against the test database, on
    the private Redis layer as in `tawasul run`.

    Browser tests need WebSockets, which Django's live_server cannot serve. Tests that use it
    must also use ``transactional_db`` so what they create is committed and visible here.
    Yields the base URL.
    """
    import sys

    argv = [sys.executable, "-m", "uvicorn", "tawasul.asgi:application",
            "--host", "127.0.0.1", "--port", "{port}", "--log-level", "warning"]  # fmt: skip
    log = tmp_path_factory.mktemp("asgi") / "server.log"
    with django_db_blocker.unblock():
        server, base = serve_web(argv, log, env={"REDIS_URL": realtime_url})
    try:
        yield base
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright (never a downloaded browser)."""
    import os

    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop on this thread; Django would then refuse the
    # test database flush between tests. The app under test runs in its own process.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"],
        )  # fmt: skip
        yield chromium
        chromium.close()
