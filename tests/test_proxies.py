"""Per-IP back-offs and rate limits key on the client's address: behind a reverse proxy that is
the proxy's X-Forwarded-For, but only when the proxy is one the operator trusts
(``TAWASUL_TRUSTED_PROXIES``, none by default); anybody else's X-Forwarded-For is ignored, or
it would let a client pick a fresh address for every guess.

These run the web process exactly as ``tawasul run`` starts it (uvicorn's own proxy handling
included), against the test database."""

from __future__ import annotations

import re

import httpx
import pytest

from tawasul.accounts.models import LoginAttempt
from tawasul.core.management.commands.run import Command
from tests.conftest import serve_web


def _serve(settings, tmp_path, trusted: str):
    """The web process as `tawasul run` starts it with TAWASUL_TRUSTED_PROXIES=trusted."""
    settings.TAWASUL_TRUSTED_PROXIES = [entry for entry in trusted.split(",") if entry]
    argv = Command().processes(host="127.0.0.1", port=0, workers=1)["web"]
    argv = ["{port}" if part == "0" else part for part in argv]
    return serve_web(argv, tmp_path / "web.log", env={"TAWASUL_TRUSTED_PROXIES": trusted})


def _sign_in_form(http: httpx.Client) -> str:
    page = http.get("/desk/login/")
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)


def _failed_sign_in(http: httpx.Client, token: str, forwarded_for: str, username: str):
    return http.post(
        "/desk/login/",
        data={"username": username, "password": "wrong", "csrfmiddlewaretoken": token},
        headers={"X-Forwarded-For": forwarded_for, "Referer": f"{http.base_url}desk/login/"},
    )


@pytest.mark.parametrize(
    ("trusted", "forwarded_for", "recorded"),
    [
        ("127.0.0.1", "203.0.113.7", "203.0.113.7"),
        ("10.0.0.0/8,127.0.0.0/8", "203.0.113.7", "203.0.113.7"),
        # The client wrote the left part itself; the rightmost address our proxy did not add
        # is the one that connected to it.
        ("127.0.0.1", "198.51.100.66, 203.0.113.7", "203.0.113.7"),
        ("10.9.9.9", "203.0.113.7", "127.0.0.1"),
        ("", "203.0.113.7", "127.0.0.1"),
    ],
    ids=["proxy-trusted", "proxy-cidr", "forged-left-part", "proxy-not-trusted", "no-proxies"],
)
def test_client_address_behind_a_proxy(
    transactional_db, people, settings, tmp_path, trusted, forwarded_for, recorded
):
    server, base = _serve(settings, tmp_path, trusted)
    try:
        with httpx.Client(base_url=base, timeout=60) as http:
            token = _sign_in_form(http)
            response = _failed_sign_in(http, token, forwarded_for, "agent.fatima")
        assert response.status_code == 400, (tmp_path / "web.log").read_text()
    finally:
        server.terminate()
        server.wait(timeout=10)
    assert list(LoginAttempt.objects.values_list("ip_address", flat=True)) == [recorded]


def test_a_fresh_forwarded_address_per_guess_does_not_escape_the_per_address_back_off(
    transactional_db, people, settings, tmp_path
):
    """No proxy configured (the default): 20 wrong passwords from one machine, each under
    another name and another forged X-Forwarded-For, back off the address for the 21st, and
    the sign-in log holds the real address, not the forged ones."""
    server, base = _serve(settings, tmp_path, "")
    try:
        with httpx.Client(base_url=base, timeout=60) as http:
            token = _sign_in_form(http)
            statuses = [
                _failed_sign_in(http, token, f"203.0.113.{n}", f"guess{n}").status_code
                for n in range(21)
            ]
    finally:
        server.terminate()
        server.wait(timeout=10)
    assert statuses == [400] * 20 + [429], (tmp_path / "web.log").read_text()
    assert set(LoginAttempt.objects.values_list("ip_address", flat=True)) == {"127.0.0.1"}
    assert LoginAttempt.objects.count() == 20
