"""Production settings from the environment (docs/deploy.md "Settings for production").

Settings are read once, when the process starts, so each case here is a fresh ``tawasul``
process with the environment a production host would have.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

HOST = "contact.example.gov.qa"
KEY = "p3Yq0-7vX2mKc9LrT8sWfZb4nH6jD1aE5uG0iO2yQ7tR3wS9xC"


@pytest.fixture
def production(tmp_path) -> dict[str, str]:
    """The environment docs/deploy.md gives for TLS behind a proxy."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TAWASUL_", "SECRET_KEY"))}
    env.update({
        "TAWASUL_DATA_DIR": str(tmp_path / "data"), "DEBUG": "0", "TAWASUL_SECURE": "1",
        "SECRET_KEY": KEY, "ALLOWED_HOSTS": HOST,
        "TAWASUL_SECURE_PROXY_SSL_HEADER": "X-Forwarded-Proto",
    })  # fmt: skip
    env.pop("DATABASE_URL", None)
    return env


def tawasul(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "tawasul.cli", *args],
        env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip


def test_check_deploy_is_clean_with_the_production_settings(production):
    done = tawasul("check", "--deploy", "--fail-level", "WARNING", env=production)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "System check identified no issues (0 silenced)." in done.stdout


def test_check_deploy_fails_on_the_embedded_default(production):
    """The same check is a real gate: without TAWASUL_SECURE it names what is missing."""
    del production["TAWASUL_SECURE"]
    done = tawasul("check", "--deploy", "--fail-level", "WARNING", env=production)
    assert done.returncode == 1
    for warning in ("security.W004", "security.W008", "security.W012", "security.W016"):
        assert warning in done.stderr


def test_production_refuses_to_start_without_a_secret_key(production):
    del production["SECRET_KEY"]
    done = tawasul("check", env=production)
    assert done.returncode == 2
    assert done.stderr.startswith("tawasul: SECRET_KEY is not set: with TAWASUL_SECURE on")
    assert "Traceback" not in done.stderr
    # No key was made up in the data directory either.
    assert not os.path.exists(os.path.join(production["TAWASUL_DATA_DIR"], "secret_key"))


SHOW = (
    "import json; from django.conf import settings as s; print(json.dumps({"
    "'key': s.SECRET_KEY, 'proxy': s.SECURE_PROXY_SSL_HEADER, 'hsts': s.SECURE_HSTS_SECONDS,"
    "'redirect': s.SECURE_SSL_REDIRECT, 'cookies': [s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE]"
    "}))"
)


def test_secret_key_from_a_file_and_each_switch_on_its_own(production, tmp_path):
    key_file = tmp_path / "key"
    key_file.write_text(KEY[::-1] + "\n")
    del production["SECRET_KEY"]
    production.update({
        "TAWASUL_SECRET_KEY_FILE": str(key_file), "TAWASUL_HSTS_SECONDS": "600",
        "TAWASUL_SSL_REDIRECT": "0", "TAWASUL_SECURE_PROXY_SSL_HEADER": "X-Forwarded-Scheme: on",
    })  # fmt: skip
    done = tawasul("shell", "--no-imports", "-c", SHOW, env=production)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == {
        "key": KEY[::-1], "proxy": ["HTTP_X_FORWARDED_SCHEME", "on"], "hsts": 600,
        "redirect": False, "cookies": [True, True],
    }  # fmt: skip


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("TAWASUL_SECRET_KEY_FILE", "/nonexistent/key", "TAWASUL_SECRET_KEY_FILE=/nonexistent/key"
         " cannot be read: No such file or directory."),
        ("TAWASUL_SECURE_PROXY_SSL_HEADER", "X Forwarded Proto", "TAWASUL_SECURE_PROXY_SSL_HEADER="
         "'X Forwarded Proto': expected a header name such as 'X-Forwarded-Proto'"),
    ],
)  # fmt: skip
def test_a_bad_production_value_is_named(production, variable, value, message):
    production.pop("SECRET_KEY")
    production[variable] = value
    if variable != "TAWASUL_SECRET_KEY_FILE":
        production["SECRET_KEY"] = KEY
    done = tawasul("check", env=production)
    assert done.returncode == 2
    assert done.stderr.startswith(f"tawasul: {message}"), done.stderr


BEHIND_PROXY = f"""
import json
from django.test import Client
c = Client()
plain = c.get("/portal/", HTTP_HOST="{HOST}")
probe = c.get("/healthz", HTTP_HOST="{HOST}")
tls = c.get("/portal/", HTTP_HOST="{HOST}", HTTP_X_FORWARDED_PROTO="https")
print(json.dumps({{
    "plain": [plain.status_code, plain.get("Location")], "probe": probe.status_code,
    "tls": [tls.status_code, tls.get("Strict-Transport-Security")],
    "connect": [d for d in tls["Content-Security-Policy"].split("; ") if d.startswith("connect")],
}}))
"""


def test_behind_a_tls_proxy(production):
    """Plain HTTP is sent to HTTPS (the health probe excepted); what the proxy marks as HTTPS
    is served with HSTS, and the pages' sockets may only be wss:// to this host."""
    done = tawasul("shell", "--no-imports", "-c", BEHIND_PROXY, env=production)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == {
        "plain": [301, f"https://{HOST}/portal/"], "probe": 200,
        "tls": [200, "max-age=31536000; includeSubDomains; preload"],
        "connect": [f"connect-src 'self' wss://{HOST}"],
    }  # fmt: skip
