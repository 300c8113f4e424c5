"""Staff sign-in under attack: parallel guesses, back-off instead of a lock-out, the client
address behind proxies, who may enrol an authenticator, and the demo devices' keys.

Named people: ``agent`` (agent.fatima) is the account under attack, ``admin`` (admin.huda)
issues enrolment links, ``agent2`` (agent.ravi) is a colleague behind the same address.
"""

from __future__ import annotations

import re
import sys
import threading
from datetime import timedelta
from io import StringIO

import httpx
import pytest
from django.core.management import call_command
from django.test import Client, RequestFactory
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from tawasul.accounts import services
from tawasul.accounts.models import (
    AuditEntry,
    EnrolmentInvite,
    LoginAttempt,
    LoginThrottle,
)
from tawasul.core.net import client_ip
from tawasul.desk.demo import FORMER_SHARED_KEY, seed_demo
from tawasul.portal.views import client_ip as portal_client_ip
from tests.conftest import serve_web
from tests.support import verified_client

PARALLEL = 10


def _code(device: TOTPDevice) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return str(totp.token()).zfill(device.digits)


def _wrong_code(device: TOTPDevice) -> str:
    return "000000" if _code(device) != "000000" else "111111"


def _server_password(user, raw: str) -> None:
    # The test process hashes with MD5 for speed; the server only knows the real hashers.
    from django.contrib.auth.hashers import PBKDF2PasswordHasher

    user.password = PBKDF2PasswordHasher().encode(raw, "testsalt", iterations=1000)
    user.save(update_fields=["password"])


# --- (a) counting that holds under concurrency ---------------------------------------------


def test_parallel_wrong_passwords_reach_the_password_check_only_five_times(
    transactional_db, people, tmp_path
):
    """Ten wrong passwords for one account sent at the same instant to a real server with two
    worker processes: five are checked (400), the other five get the back-off answer (429)."""
    _server_password(people["agent"], "pw-agent.fatima")
    argv = [sys.executable, "-m", "uvicorn", "tawasul.asgi:application", "--host", "127.0.0.1",
            "--port", "{port}", "--workers", "2", "--log-level", "warning"]  # fmt: skip
    server, base = serve_web(argv, tmp_path / "web.log")
    clients = [httpx.Client(base_url=base, timeout=120) for _ in range(PARALLEL)]
    try:
        tokens = []
        for http in clients:
            page = http.get("/desk/login/")
            tokens.append(re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)[1])
        start = threading.Barrier(PARALLEL)
        answers: list[httpx.Response] = []

        def guess(http: httpx.Client, token: str) -> None:
            start.wait()
            answers.append(
                http.post(
                    "/desk/login/",
                    data={
                        "username": "agent.fatima",
                        "password": "wrong",
                        "csrfmiddlewaretoken": token,
                    },
                    headers={"Referer": f"{base}/desk/login/"},
                )
            )

        threads = [
            threading.Thread(target=guess, args=pair) for pair in zip(clients, tokens, strict=True)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        for http in clients:
            http.close()
        server.terminate()
        server.wait(timeout=10)
    log = (tmp_path / "web.log").read_text()
    assert sorted(answer.status_code for answer in answers) == [400] * 5 + [429] * 5, log
    for answer in answers:
        if answer.status_code == 429:
            assert "Too many failed sign-in attempts. Try again in" in answer.text
    assert LoginAttempt.objects.filter(username="agent.fatima", stage="password").count() == 5
    assert LoginThrottle.objects.get(key="password:agent.fatima").failures == 5


# --- (b) exponential back-off per account, not a lock-out ----------------------------------


def test_back_off_doubles_per_failure_is_capped_and_is_forgotten(db):
    now = timezone.now()
    for n in range(4):
        assert services.login_attempt_claim(username="Sara", ip_address="10.0.0.1", now=now) is None
        assert services.login_locked_until(username="sara", ip_address=None, now=now) is None, n
    # The fifth try is still checked; after it the account waits 30 s.
    assert services.login_attempt_claim(username="sara", ip_address="10.0.0.1", now=now) is None
    assert services.login_locked_until(username="sara", ip_address=None, now=now) == now + (
        timedelta(seconds=30)
    )
    # Refused tries do not count: waiting it out always works.
    for _ in range(3):
        assert services.login_attempt_claim(
            username="sara", ip_address="10.0.0.9", now=now + timedelta(seconds=29)
        ) == now + timedelta(seconds=30)
    # Each further failure doubles the wait: 60, 120, ... up to 15 minutes.
    at = now + timedelta(seconds=30)
    waits = []
    for _ in range(7):
        assert services.login_attempt_claim(username="sara", ip_address=None, now=at) is None
        until = services.login_locked_until(username="sara", ip_address=None, now=at)
        waits.append(int((until - at).total_seconds()))
        at = until
    assert waits == [60, 120, 240, 480, 900, 900, 900]
    # Another account and another address are untouched (the address saw 6 of 20).
    assert services.login_attempt_claim(username="omar", ip_address="10.0.0.1", now=now) is None
    assert LoginThrottle.objects.get(key="ip:10.0.0.1").failures == 6
    # An hour without a failure and the count starts again.
    later = at + timedelta(minutes=61)
    assert services.login_attempt_claim(username="sara", ip_address=None, now=later) is None
    assert LoginThrottle.objects.get(key="password:sara").failures == 1


def test_the_address_backs_off_after_twenty_failures_under_any_names(db):
    now = timezone.now()
    for n in range(20):
        assert (
            services.login_attempt_claim(username=f"user{n}", ip_address="10.0.0.3", now=now)
            is None
        )
    assert services.login_attempt_claim(
        username="newcomer", ip_address="10.0.0.3", now=now
    ) == now + timedelta(seconds=30)
    assert services.login_attempt_claim(username="newcomer", ip_address="10.0.0.4", now=now) is None


def test_right_password_is_refused_during_the_back_off_and_works_after_it(people):
    client = Client()
    for _ in range(5):
        wrong = client.post("/desk/login/", {"username": "agent.fatima", "password": "wrong"})
        assert wrong.status_code == 400
    right = {"username": "agent.fatima", "password": "pw-agent.fatima"}
    refused = client.post("/desk/login/", right)
    assert refused.status_code == 429 and refused["Retry-After"] == "30"
    until = timezone.localtime(LoginThrottle.objects.get(key="password:agent.fatima").blocked_until)
    assert (
        f"Too many failed sign-in attempts. Try again in 30 seconds (at {until:%H:%M:%S})."
        in refused.content.decode()
    )
    arabic = client.post("/desk/login/", right, HTTP_ACCEPT_LANGUAGE="ar")
    assert arabic.status_code == 429
    assert "محاولات دخول فاشلة كثيرة. أعد المحاولة بعد" in arabic.content.decode()
    assert "_auth_user_id" not in client.session and "desk_pending" not in client.session
    assert LoginAttempt.objects.filter(username="agent.fatima").count() == 5
    # Thirty seconds later (the back-off's end moved into the past) the right password works.
    LoginThrottle.objects.filter(key="password:agent.fatima").update(
        blocked_until=timezone.now() - timedelta(seconds=1)
    )
    assert client.post("/desk/login/", right)["Location"] == "/desk/login/enrol/"
    assert LoginThrottle.objects.get(key="password:agent.fatima").failures == 0


def test_wrong_codes_back_off_and_a_right_password_does_not_reset_them(people):
    device = TOTPDevice.objects.create(user=people["agent"], name="phone", confirmed=True)
    client = Client()
    for _ in range(5):
        assert (
            client.post(
                "/desk/login/", {"username": "agent.fatima", "password": "pw-agent.fatima"}
            )["Location"]
            == "/desk/login/verify/"
        )
        device.refresh_from_db()
        device.throttle_reset()  # django-otp's own short throttle, not the one under test
        assert client.post("/desk/login/verify/", {"code": _wrong_code(device)}).status_code == 400
    assert (
        client.post("/desk/login/", {"username": "agent.fatima", "password": "pw-agent.fatima"})[
            "Location"
        ]
        == "/desk/login/verify/"
    )
    device.refresh_from_db()
    device.throttle_reset()
    refused = client.post("/desk/login/verify/", {"code": _code(device)})
    assert refused.status_code == 429
    assert "Try again in 30 seconds" in refused.content.decode()
    assert "_auth_user_id" not in client.session


# --- (c) client address -------------------------------------------------------------------


def _request(remote: str, forwarded: str | None = None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


def test_forwarded_for_is_read_only_from_a_trusted_proxy(settings):
    settings.TAWASUL_TRUSTED_PROXIES = []
    assert client_ip(_request("198.51.100.5", "203.0.113.7")) == "198.51.100.5"
    settings.TAWASUL_TRUSTED_PROXIES = ["10.0.0.0/8", "192.0.2.1"]
    assert client_ip(_request("198.51.100.5", "203.0.113.7")) == "198.51.100.5"
    assert client_ip(_request("10.1.2.3", "203.0.113.7")) == "203.0.113.7"
    # Two of our proxies in a row; the left part is the client's own writing.
    assert client_ip(_request("10.1.2.3", "1.2.3.4, 203.0.113.7, 192.0.2.1")) == "203.0.113.7"
    assert client_ip(_request("10.1.2.3", "2001:db8::7")) == "2001:db8::7"
    # Garbage in the chain: the last address a trusted proxy vouched for.
    assert client_ip(_request("10.1.2.3", "203.0.113.7, not-an-ip, 192.0.2.1")) == "192.0.2.1"
    assert client_ip(_request("10.1.2.3")) == "10.1.2.3"
    assert portal_client_ip(_request("10.1.2.3", "203.0.113.7")) == "203.0.113.7"
    assert client_ip(None) is None


def test_sign_in_log_and_audit_log_store_the_address_found_that_way(settings, people):
    settings.TAWASUL_TRUSTED_PROXIES = ["10.0.0.0/8"]
    through_proxy = Client(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.7")
    through_proxy.post("/desk/login/", {"username": "agent.fatima", "password": "wrong"})
    direct = Client(REMOTE_ADDR="198.51.100.5", HTTP_X_FORWARDED_FOR="203.0.113.99")
    direct.post("/desk/login/", {"username": "agent.fatima", "password": "wrong"})
    assert sorted(LoginAttempt.objects.values_list("ip_address", flat=True)) == [
        "198.51.100.5",
        "203.0.113.7",
    ]
    services.audit_record(
        actor=people["admin"],
        action="read",
        object_type="resident",
        object_id=1,
        request=_request("10.0.0.2", "203.0.113.7"),
    )
    assert AuditEntry.objects.get().ip_address == "203.0.113.7"


# --- (d) enrolment only through an administrator -------------------------------------------


def test_a_password_alone_cannot_enrol_an_authenticator(people):
    client = Client()
    login = client.post("/desk/login/", {"username": "agent.fatima", "password": "pw-agent.fatima"})
    assert login["Location"] == "/desk/login/enrol/"
    refused = client.get("/desk/login/enrol/")
    assert refused.status_code == 403
    assert "a password alone cannot add one" in refused.content.decode()
    assert "otpauth://" not in refused.content.decode()
    assert client.post("/desk/login/enrol/", {"code": "123456"}).status_code == 403
    assert not TOTPDevice.objects.filter(user=people["agent"]).exists()
    assert client.get("/desk/").status_code == 302
    arabic = client.get("/desk/login/enrol/", HTTP_ACCEPT_LANGUAGE="ar").content.decode()
    assert "اطلب من المسؤول رابط تسجيل" in arabic


def _admin_issues_link(people) -> tuple[str, Client]:
    admin = verified_client(people["admin"])
    response = admin.post(
        "/admin/accounts/user/",
        {"action": "issue_enrolment", "_selected_action": [people["agent"].pk]},
        follow=True,
    )
    page = response.content.decode()
    link = re.search(r"http://testserver(/desk/login/enrol/[^/\s<]+/)", page)
    assert link, page
    assert "valid until" in page
    return link[1], admin


def test_admin_issued_enrolment_link_works_once(people):
    path, _admin = _admin_issues_link(people)
    invite = EnrolmentInvite.objects.get()
    assert invite.user == people["agent"] and invite.created_by == people["admin"]
    assert invite.used_at is None
    assert timedelta(hours=71) < invite.expires_at - timezone.now() <= timedelta(hours=72)
    assert AuditEntry.objects.filter(
        actor=people["admin"], action="create", object_type="totp_enrolment"
    ).values_list("object_id", flat=True)[0] == str(people["agent"].pk)

    client = Client()
    assert client.get(path)["Location"] == "/desk/login/"
    client.post("/desk/login/", {"username": "agent.fatima", "password": "pw-agent.fatima"})
    enrol = client.get("/desk/login/enrol/")
    assert enrol.status_code == 200 and "otpauth://totp/" in enrol.content.decode()
    device = TOTPDevice.objects.get(user=people["agent"], confirmed=False)
    assert client.post("/desk/login/enrol/", {"code": _code(device)})["Location"] == "/desk/"
    device.refresh_from_db()
    invite.refresh_from_db()
    assert device.confirmed and invite.used_at is not None
    assert (
        AuditEntry.objects.filter(
            actor=people["agent"], action="update", object_type="totp_enrolment"
        ).count()
        == 1
    )

    # Used: the same link enrols nothing more, for anyone, even after the device is removed.
    device.delete()
    again = Client()
    assert again.get(path).status_code == 410
    again.post("/desk/login/", {"username": "agent.fatima", "password": "pw-agent.fatima"})
    assert again.get("/desk/login/enrol/").status_code == 403
    assert not TOTPDevice.objects.filter(user=people["agent"]).exists()


def test_enrolment_link_expires_and_a_new_one_replaces_the_old(people):
    old, raw_old = services.enrolment_issue(user=people["agent"], actor=people["admin"])
    EnrolmentInvite.objects.filter(pk=old.pk).update(expires_at=timezone.now())
    expired = Client().get(f"/desk/login/enrol/{raw_old}/")
    assert expired.status_code == 410
    assert "has expired" in expired.content.decode()
    # Opened in time, but expired before the code was confirmed: refused too.
    first, raw_first = services.enrolment_issue(user=people["agent"], actor=people["admin"])
    client = Client()
    assert client.get(f"/desk/login/enrol/{raw_first}/").status_code == 302
    client.post("/desk/login/", {"username": "agent.fatima", "password": "pw-agent.fatima"})
    assert client.get("/desk/login/enrol/").status_code == 200
    EnrolmentInvite.objects.filter(pk=first.pk).update(expires_at=timezone.now())
    device = TOTPDevice.objects.get(user=people["agent"])
    assert client.post("/desk/login/enrol/", {"code": _code(device)}).status_code == 403
    device.refresh_from_db()
    assert not device.confirmed
    # A newer link replaces an unused older one.
    _second, raw_second = services.enrolment_issue(user=people["agent"], actor=people["admin"])
    _third, raw_third = services.enrolment_issue(user=people["agent"], actor=people["admin"])
    assert Client().get(f"/desk/login/enrol/{raw_second}/").status_code == 410
    assert Client().get(f"/desk/login/enrol/{raw_third}/").status_code == 302
    with pytest.raises(services.Forbidden):
        services.enrolment_issue(user=people["agent2"], actor=people["supervisor"])


def test_console_issues_the_first_administrators_enrolment_link(people):
    """A new installation: nobody can sign in to the admin yet, so the operator prints a link."""
    out = StringIO()
    call_command("enrolment_link", "admin.huda", "--base-url", "https://desk.example/", stdout=out)
    link = re.match(
        r"https://desk\.example(/desk/login/enrol/\S+/)  \(valid until ", out.getvalue()
    )
    assert link, out.getvalue()
    assert EnrolmentInvite.objects.get().created_by is None
    entry = AuditEntry.objects.get(object_type="totp_enrolment")
    assert entry.actor is None and entry.actor_label == "system"
    client = Client()
    assert client.get(link[1])["Location"] == "/desk/login/"
    client.post("/desk/login/", {"username": "admin.huda", "password": "pw-admin.huda"})
    assert client.get("/desk/login/enrol/").status_code == 200


# --- (e) demo devices ---------------------------------------------------------------------


def test_demo_devices_have_distinct_keys_and_totp_prints_each_code(people):
    seed_demo()
    devices = list(TOTPDevice.objects.filter(name="demo", confirmed=True))
    assert len(devices) == len(people)
    keys = {device.key for device in devices}
    assert len(keys) == len(devices)
    device = TOTPDevice.objects.get(user=people["agent"], name="demo")
    out = StringIO()
    call_command("totp", "agent.fatima", stdout=out)
    assert out.getvalue().split()[0] == _code(device)
    # A device left with the key all demo devices once shared gets its own on the next seed.
    TOTPDevice.objects.filter(pk=device.pk).update(key=FORMER_SHARED_KEY)
    assert "1 re-keyed" in seed_demo()
    device.refresh_from_db()
    assert device.key not in keys | {FORMER_SHARED_KEY}
    assert TOTPDevice.objects.filter(name="demo").count() == len(people)


# --- the move of LoginAttempt from desk to accounts ----------------------------------------


def test_sign_in_log_rows_survive_the_move_from_desk_to_accounts(transactional_db):
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    before = [("accounts", "0002_site_user_site"), ("desk", "0001_initial")]
    executor.migrate(before)
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO desk_loginattempt (username, ip_address, at, succeeded, stage)"
            " VALUES ('agent.fatima', '203.0.113.7', %s, %s, 'password')",
            [timezone.now(), False],
        )
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    assert list(LoginAttempt.objects.values_list("username", "ip_address", "succeeded")) == [
        ("agent.fatima", "203.0.113.7", False)
    ]
    assert "desk_loginattempt" not in connection.introspection.table_names()
