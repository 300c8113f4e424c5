"""Processes `tawasul run` starts for the channels: SMTP in, the outbox worker, the demo mail
sink, Kannel (with fakesmsc as the operator in the demo) and, if configured, IMAP polling."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from django.conf import settings

from tawasul.omnichannel import conf, kannel


def processes(*, host: str, port: int) -> dict[str, list[str]]:
    tawasul = [sys.executable, "-m", "tawasul.cli"]
    found = {
        "outbox": [*tawasul, "outbox_worker"],
        "smtpd": [*tawasul, "smtpd", "--port", str(conf.get("TAWASUL_SMTPD_PORT"))],
    }
    if conf.get("TAWASUL_MAILSINK") and settings.EMAIL_HOST in ("127.0.0.1", "localhost"):
        found["mailsink"] = [*tawasul, "mailsink", "--port", str(settings.EMAIL_PORT)]
    if conf.get("TAWASUL_KANNEL") and Path(kannel.BEARERBOX).exists():
        public = os.environ.get("TAWASUL_PUBLIC_URL") or f"http://127.0.0.1:{port}"
        argv = [*tawasul, "kannel", "--public-url", public]
        if conf.get("TAWASUL_SMS_FAKE_OPERATOR"):
            argv.append("--fake-operator")
        found["kannel"] = argv
    if conf.get("TAWASUL_IMAP_HOST"):
        found["imap"] = [*tawasul, "imap_poll"]
    return found
