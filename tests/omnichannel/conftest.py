"""Fixtures for the channels: real listeners as separate processes on free ports.

``smtpd`` and ``mailsink`` run ``tawasul smtpd`` / ``tawasul mailsink`` against the test
database (tests using them need ``transactional_db``); ``kannel`` runs ``tawasul kannel
--fake-operator`` (bearerbox + smsbox + fakesmsc) calling back the live ``asgi_server``;
``provider`` is a local HTTP server standing in for WhatsApp's Graph API. Every child process
is stopped in teardown, whatever the test did.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

ROUTES = "enquiries@moci.example=moci"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until(check: Callable[[], object], *, timeout: float = 20.0, what: str = "") -> object:
    """Poll ``check`` until it returns something truthy (no timing is asserted)."""
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what or check}")
        time.sleep(0.1)


def _database_url(django_db_blocker) -> str:
    from django.db import connection

    with django_db_blocker.unblock():
        db = connection.settings_dict
    # The project's SQLite engine is tawasul.core.sqlite (not …sqlite3).
    if "sqlite" in db["ENGINE"]:
        return f"sqlite:///{db['NAME']}"
    host = f"{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
    return f"postgres://{db['USER'] or ''}@{host}/{db['NAME']}"


def stop_process(process: subprocess.Popen) -> None:
    """SIGTERM, then SIGKILL if it lingers: no child outlives its test."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)


class Child:
    """A ``tawasul`` subprocess whose output is collected line by line."""

    def __init__(self, argv: list[str], env: dict[str, str]) -> None:
        self.lines: list[str] = []
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tawasul.cli", *argv],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in iter(self.process.stdout.readline, ""):
            self.lines.append(line.rstrip("\n"))

    def wait_port(self, port: int, timeout: float = 30.0) -> None:
        def listening() -> bool:
            if self.process.poll() is not None:
                raise RuntimeError("exited:\n" + "\n".join(self.lines))
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                    return True
            except OSError:
                return False

        wait_until(listening, timeout=timeout, what=f"port {port}")

    def stop(self) -> None:
        if os.environ.get("TAWASUL_TEST_CHILD_LOGS"):
            sys.stderr.write("\n".join(self.lines) + "\n")
        stop_process(self.process)


@pytest.fixture(scope="session")
def child_env(django_db_setup, django_db_blocker) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": _database_url(django_db_blocker),
        "PYTHONUNBUFFERED": "1",
        "TAWASUL_EMAIL_ROUTES": ROUTES,
        "TAWASUL_MAIL_MAX_BYTES": str(2 * 1024 * 1024),
    }


@pytest.fixture(scope="session")
def web(child_env):
    """The real ASGI app on a free port against the test database (as ``asgi_server``, which
    cannot yet build a URL for the project's own SQLite engine); yields its base URL."""
    import urllib.request

    port = free_port()
    child = Child.__new__(Child)
    child.lines = []
    child.process = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "tawasul.asgi:application",
         "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"],
        env={**child_env, "DEBUG": "0"}, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        text=True,
    )  # fmt: skip
    threading.Thread(target=child._read, daemon=True).start()
    base = f"http://127.0.0.1:{port}"

    def healthy() -> bool:
        if child.process.poll() is not None:
            raise RuntimeError("web exited:\n" + "\n".join(child.lines))
        try:
            urllib.request.urlopen(f"{base}/healthz", timeout=1)
            return True
        except OSError:
            return False

    try:
        wait_until(healthy, timeout=30, what="web server")
        yield base
    finally:
        child.stop()


@pytest.fixture(scope="session")
def smtpd(child_env):
    """The real inbound SMTP listener (``tawasul smtpd``); yields its port."""
    port = free_port()
    child = Child(["smtpd", "--port", str(port)], child_env)
    try:
        child.wait_port(port)
        yield port
    finally:
        child.stop()


@pytest.fixture(scope="session")
def mailsink_port(child_env):
    port = free_port()
    child = Child(["mailsink", "--port", str(port)], child_env)
    try:
        child.wait_port(port)
        yield port
    finally:
        child.stop()


@pytest.fixture
def mailsink(mailsink_port, settings):
    """Outbound e-mail goes to the real sink process; yields its port."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = mailsink_port
    return mailsink_port


class Kannel:
    def __init__(self, child: Child) -> None:
        self.child = child

    def sent(self) -> list[tuple[str, str]]:
        """(receiver, text) of every SMS the fake operator received, parts reassembled."""
        from tawasul.omnichannel import kannel

        parts = [kannel.parse_fakesmsc_line(line) for line in self.child.lines]
        return kannel.assemble([p for p in parts if p is not None])

    def parts_to(self, receiver: str) -> int:
        from tawasul.omnichannel import kannel

        parts = [kannel.parse_fakesmsc_line(line) for line in self.child.lines]
        return sum(1 for p in parts if p is not None and p.receiver == receiver)

    def send_mo(self, *, sender: str, receiver: str, text: str) -> None:
        from tawasul.omnichannel import kannel

        path = kannel.mo_spool() / f"{time.monotonic_ns()}.json"
        path.write_text(json.dumps({"sender": sender, "receiver": receiver, "text": text}))


@pytest.fixture(scope="session")
def kannel_session(web, child_env):
    """Real bearerbox + smsbox + fakesmsc (``tawasul kannel --fake-operator``)."""
    child = Child(["kannel", "--public-url", web, "--fake-operator"], child_env)
    try:
        wait_until(
            lambda: (
                child.process.poll() is not None
                or any(line.startswith("kannel ready") for line in child.lines)
            ),
            timeout=30,
            what="kannel",
        )
        if child.process.poll() is not None:
            raise RuntimeError("kannel exited:\n" + "\n".join(child.lines))
        yield Kannel(child)
    finally:
        child.stop()


@pytest.fixture
def kannel(kannel_session, web, settings):
    settings.TAWASUL_PUBLIC_URL = web
    return kannel_session


class JsonServer:
    """A local HTTP server that answers POSTs with JSON: ``answer(path, headers, body)``
    returns (status, reply). Stands in for a provider's API at its wire format."""

    def __init__(self, answer: Callable[[str, object, bytes], tuple[int, dict]]) -> None:
        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                status, reply = answer(self.path, self.headers, body)
                data = json.dumps(reply).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


class Provider(JsonServer):
    """A stand-in for a messaging provider's HTTP API: records requests, answers as told."""

    def __init__(self) -> None:
        self.requests: list[dict] = []
        self.replies: list[tuple[int, dict]] = []  # consumed in order; then 200
        # Runs before each answer, on the server's thread: what happens while the sender
        # still waits for the provider (a delivery report that overtakes the answer).
        self.before_answer: Callable[[], None] | None = None
        super().__init__(self._answer)

    def _answer(self, path: str, headers, body: bytes) -> tuple[int, dict]:
        self.requests.append({"path": path, "headers": dict(headers), "json": json.loads(body)})
        if self.before_answer is not None:
            self.before_answer()
        if self.replies:
            return self.replies.pop(0)
        return 200, {"messages": [{"id": f"wamid.{len(self.requests)}"}]}


@pytest.fixture
def provider(settings):
    """The WhatsApp Graph API (and a generic network's send URL) on a local port."""
    fake = Provider()
    settings.TAWASUL_WHATSAPP_API_URL = fake.url + "/v21.0"
    settings.TAWASUL_WHATSAPP_PHONE_NUMBER_ID = "1090001"
    settings.TAWASUL_WHATSAPP_TOKEN = "test-token"
    settings.TAWASUL_SOCIAL_SEND_URLS = {"x": fake.url + "/x/send"}
    yield fake
    fake.close()


@pytest.fixture
def resident_factory(db):
    from tawasul.residents.services import normalize_contacts, resident_find_or_create

    def make(*, preferred: str = "email", fallback: list[str] | None = None, **contacts):
        resident, _ = resident_find_or_create(
            contacts=normalize_contacts(**contacts),
            full_name="مريم الكواري",
            preferred_channel=preferred,
        )
        resident.fallback_channels = fallback or []
        resident.save()
        return resident

    return make
