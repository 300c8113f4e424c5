"""How the live simulator's residents reach the center: the real channel entry points.

Each ``Link`` is one way in: the voice gateway's SIP front (see ``tawasul.sim.sip``), the
inbound SMTP listener (e-mail), Kannel's fake operator (SMS, mobile-originated), the portal's
web form and the mobile-app API over HTTP. A link probes its entry point before use and again
every ``RETRY_SECONDS`` while it is down, and says in the log when it goes up or down (once
per change), so a demo without a gateway or Kannel keeps running on the services path.

A sender returns a ``Sent``: how to find the Interaction the channel will store, which the
simulator then queues for its agents like any other contact.
"""

from __future__ import annotations

import json
import logging
import smtplib
import socket
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime

import httpx

log = logging.getLogger("tawasul.sim.live")

RETRY_SECONDS = 60.0
HTTP_TIMEOUT = 10.0


class Link:
    """One entry point: ``usable()`` is True while its last probe succeeded."""

    def __init__(self, name: str, what: str, probe: Callable[[], bool]) -> None:
        self.name = name
        self.what = what  # said in the log: "the voice gateway on 127.0.0.1:5070"
        self._probe = probe
        self.up: bool | None = None
        self.next_probe = 0.0

    def usable(self) -> bool:
        now = time.monotonic()
        if self.up is not True and now >= self.next_probe:
            self._set(up=self._check())
            self.next_probe = now + RETRY_SECONDS
        return bool(self.up)

    def down(self, reason: str) -> None:
        """A send failed: use the services path until the next probe succeeds."""
        if self.up:
            log.warning("live simulator: %s failed (%s)", self.what, reason)
        self._set(up=False)
        self.next_probe = time.monotonic() + RETRY_SECONDS

    def _check(self) -> bool:
        try:
            return bool(self._probe())
        except Exception as exc:  # a probe must never stop the simulator
            log.debug("probe of %s: %s", self.what, exc)
            return False

    def _set(self, *, up: bool) -> None:
        if up == self.up:
            return
        if up:
            log.info("live simulator: %s answers; %s go through it", self.what, self.name)
        else:
            log.warning(
                "live simulator: %s is not reachable; %s go through the services instead "
                "(retried every %d s)",
                self.what,
                self.name,
                RETRY_SECONDS,
            )
        self.up = up


def tcp_open(host: str, port: int, timeout: float = 1.0) -> bool:
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


@dataclass(frozen=True)
class Sent:
    """A contact handed to a channel; ``external_id`` or (``channel``, ``address``, ``after``)
    finds the Interaction the channel stored."""

    channel: str
    external_id: str = ""
    address: str = ""
    after: datetime | None = None


# --------------------------------------------------------------------------------------------
# E-mail: SMTP into the inbound listener


def smtp_probe(host: str, port: int) -> bool:
    with smtplib.SMTP(host, port, timeout=3) as smtp:
        return smtp.noop()[0] == 250


def email_send(
    *, host: str, port: int, sender: str, to: str, subject: str, body: str, language: str
) -> Sent:
    """One resident's e-mail, delivered with SMTP like any mail server would."""
    message = EmailMessage()
    message_id = f"<simlive.{uuid.uuid4().hex}@residents.example.qa>"
    message["From"] = sender
    message["To"] = to
    message["Subject"] = subject
    message["Message-ID"] = message_id
    message["Date"] = format_datetime(datetime.now().astimezone())
    message["Content-Language"] = language
    message.set_content(body)
    with smtplib.SMTP(host, port, timeout=10) as smtp:
        smtp.send_message(message)
    return Sent(channel="email", external_id=message_id)


# --------------------------------------------------------------------------------------------
# SMS: the fake operator's spool (Kannel's fakesmsc sends it in as MO)


def kannel_probe() -> bool:
    from tawasul.omnichannel import kannel

    state = kannel.read_state()
    return bool(state) and tcp_open("127.0.0.1", int(state["admin_port"]))


def sms_send(*, sender: str, receiver: str, text: str, now: datetime) -> Sent:
    """Hand the message to the fake operator (what ``tawasul sms_mo`` does); Kannel delivers it
    to Tawasul's MO URL with its own message id, so it is found by the sender's number."""
    from tawasul.omnichannel import kannel

    spool = kannel.mo_spool()
    item = spool / f"{uuid.uuid4().hex}.json"
    partial = item.with_suffix(".tmp")  # the operator reads *.json: never a half-written file
    partial.write_text(json.dumps({"sender": sender, "receiver": receiver, "text": text}))
    partial.rename(item)
    return Sent(channel="sms", address=sender, after=now)


# --------------------------------------------------------------------------------------------
# Web form and mobile app: HTTP to the portal


def http_probe(base_url: str) -> bool:
    return httpx.get(f"{base_url}/healthz", timeout=3).status_code == 200


class PortalClient:
    """A resident's browser (the portal's form, with its CSRF cookie) and an installed app
    (a registered installation's bearer token), both over HTTP."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url.rstrip("/")
        self.app_token: str | None = None

    def web_submit(self, *, fields: dict[str, str]) -> Sent:
        submission = uuid.uuid4().hex
        with httpx.Client(base_url=self.base_url, timeout=HTTP_TIMEOUT) as browser:
            form = browser.get("/portal/new/")
            form.raise_for_status()
            token = browser.cookies.get("csrftoken", "")
            reply = browser.post(
                "/portal/new/",
                data={**fields, "submission_id": submission, "csrfmiddlewaretoken": token},
                headers={"Referer": f"{self.base_url}/portal/new/"},
            )
        if reply.status_code != 302:
            raise PortalRefused(f"web form answered {reply.status_code}")
        return Sent(channel="web", external_id=f"web:{submission}")

    def app_submit(self, *, payload: dict) -> Sent:
        with httpx.Client(base_url=self.base_url, timeout=HTTP_TIMEOUT) as app:
            if self.app_token is None:
                reply = app.post(
                    "/api/app/installations",
                    json={"platform": "android", "app_version": "sim", "language": "ar"},
                )
                if reply.status_code != 201:
                    raise PortalRefused(f"app registration answered {reply.status_code}")
                self.app_token = reply.json()["token"]
                self.installation = reply.json()["installation_id"]
            request_id = uuid.uuid4().hex
            reply = app.post(
                "/api/app/cases",
                json={**payload, "client_request_id": request_id},
                headers={"Authorization": f"Bearer {self.app_token}"},
            )
        if reply.status_code == 401:
            self.app_token = None
        if reply.status_code not in (200, 201):
            raise PortalRefused(f"app API answered {reply.status_code}: {reply.text[:200]}")
        return Sent(channel="app", external_id=f"app:{self.installation}:{request_id}")


class PortalRefused(Exception):
    """The portal refused a submission (rate limit, validation): the contact takes the
    services path instead."""
