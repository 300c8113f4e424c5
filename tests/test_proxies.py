"""Per-IP lock-outs and rate limits key on the client's address: behind a reverse proxy that is
the proxy's X-Forwarded-For, but only when the proxy is one the operator trusts
(``TRUSTED_PROXIES``); anybody else's X-Forwarded-For is ignored, or it would let a client pick
a fresh address for every guess."""

from __future__ import annotations

import re

import httpx
import pytest

from tawasul.core.management.commands.run import Command
from tawasul.desk.models import LoginAttempt
from tests.conftest import serve_web


def _web_argv() -> list[str]:
    """The web process exactly as `tawasul run` starts it, on a port chosen by serve_web."""
    argv = Command().processes(host="127.0.0.1", port=0, workers=1)["web"]
    return ["{port}" if part == "0" else part for part in argv]


def _failed_sign_in(base: str, forwarded_for: str, log) -> None:
    with httpx.Client(base_url=base, timeout=60) as http:
        page = http.get("/desk/login/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
        response = http.post(
            "/desk/login/",
            data={"username": "agent.fatima", "password": "wrong", "csrfmiddlewaretoken": token},
            headers={"X-Forwarded-For": forwarded_for, "Referer": f"{base}/desk/login/"},
        )
    assert response.status_code == 400, log.read_text()


@pytest.mark.parametrize(
    ("trusted", "recorded"),
    [("127.0.0.1", "203.0.113.7"), ("10.9.9.9", "127.0.0.1")],
    ids=["proxy-trusted", "proxy-not-trusted"],
)
def test_client_address_behind_a_proxy(
    transactional_db, people, tmp_path, monkeypatch, trusted, recorded
):
    monkeypatch.setenv("TRUSTED_PROXIES", trusted)  # as the operator sets it for `tawasul run`
    server, base = serve_web(_web_argv(), tmp_path / "web.log")
    try:
        _failed_sign_in(base, "203.0.113.7", tmp_path / "web.log")
    finally:
        server.terminate()
        server.wait(timeout=10)
    assert list(LoginAttempt.objects.values_list("ip_address", flat=True)) == [recorded]
