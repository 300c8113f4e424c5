"""Settings of the channels room: ``getattr(settings, NAME, default)`` over environment variables.

Every value can be set in Django settings (tests use the ``settings`` fixture) or through the
environment variable of the same name, so ``settings.py`` stays small.
"""

from __future__ import annotations

import os

from django.conf import settings


def _env(name: str, default: str) -> str:
    return os.environ.get(name, default)


def _pairs(raw: str) -> dict[str, str]:
    """``"a=b,c=d"`` → ``{"a": "b", "c": "d"}`` (how maps are written in the environment)."""
    result = {}
    for item in raw.split(","):
        key, sep, value = item.partition("=")
        if sep and key.strip():
            result[key.strip().lower()] = value.strip()
    return result


def get(name: str):
    """The setting ``name``: Django settings first, then the environment, then the default."""
    if hasattr(settings, name):
        return getattr(settings, name)
    default = DEFAULTS[name]
    raw = os.environ.get(name)
    if raw is None:
        return default() if callable(default) else default
    if isinstance(default, bool):
        return raw.strip().lower() in {"1", "true", "yes", "on"}
    if isinstance(default, int):
        return int(raw)
    if isinstance(default, float):
        return float(raw)
    if isinstance(default, dict):
        return _pairs(raw)
    return raw


DEFAULTS: dict[str, object] = {
    # Public base URL of this Tawasul (Kannel's delivery reports and webhooks call it back).
    "TAWASUL_PUBLIC_URL": lambda: f"http://127.0.0.1:{_env('PORT', '8000')}",
    # --- e-mail in
    "TAWASUL_SMTPD_PORT": 2525,
    # Recipient address or local part → entity code, e.g. "phcc=phcc,care@moci.gov.qa=moci".
    # A local part equal to an entity code (phcc@…) routes there without configuration.
    "TAWASUL_EMAIL_ROUTES": {},
    # Entity for new mail no route matches; blank = the first entity on the center hotline.
    "TAWASUL_TRIAGE_ENTITY": "",
    "TAWASUL_CENTER_HOTLINE": "109",
    "TAWASUL_MAIL_MAX_BYTES": 25 * 1024 * 1024,
    # Fax-to-mail gateways: a message whose sender or recipient matches becomes a fax.
    "TAWASUL_FAX_SENDER_PATTERN": r"^fax(mail)?@|@fax\.",
    "TAWASUL_FAX_RECIPIENT_PATTERN": r"^fax[.+-]?",
    # Optional IMAP polling (tawasul imap_poll).
    "TAWASUL_IMAP_HOST": "",
    "TAWASUL_IMAP_PORT": 993,
    "TAWASUL_IMAP_USER": "",
    "TAWASUL_IMAP_PASSWORD": "",
    "TAWASUL_IMAP_SSL": True,
    "TAWASUL_IMAP_CA_FILE": "",  # PEM of the CA to trust for the server; blank: the system's
    "TAWASUL_IMAP_FOLDER": "INBOX",
    "TAWASUL_IMAP_INTERVAL": 60.0,
    "TAWASUL_IMAP_TIMEOUT": 30.0,  # seconds per network operation
    # After failures in a row the poller waits interval·2^(n−1) seconds, up to this.
    "TAWASUL_IMAP_BACKOFF_MAX_SECONDS": 900.0,
    # A message that fails this many passes in a row is set aside instead of retried forever,
    # and copied to this folder (created when missing; blank: only recorded, not copied).
    "TAWASUL_IMAP_MAX_ATTEMPTS": 3,
    "TAWASUL_IMAP_FAILED_FOLDER": "Tawasul-Failed",
    # --- e-mail out
    # Reply-To is <local>+<reference>@<domain>, so a reply threads even without the subject tag.
    "TAWASUL_REPLY_ADDRESS": "care@tawasul.example",
    "TAWASUL_MAILSINK": True,
    # --- SMS through Kannel
    "TAWASUL_KANNEL_SENDSMS_URL": "",  # blank: read from the generated kannel.conf
    "TAWASUL_KANNEL_USER": "tawasul",
    "TAWASUL_KANNEL_PASSWORD": "",  # blank: generated into the data dir
    "TAWASUL_SMS_SENDER": "109",
    "TAWASUL_SMS_SECRET": "",  # shared secret on Kannel's MO and DLR callbacks; blank: generated
    "TAWASUL_KANNEL": True,  # let `tawasul run` start Kannel when bearerbox is installed
    # Kannel's fakesmsc as the operator (demo); off in production, where the file named by
    # TAWASUL_KANNEL_SMSC_GROUP holds the real "group = smsc" (SMPP) section.
    "TAWASUL_SMS_FAKE_OPERATOR": True,
    "TAWASUL_KANNEL_SMSC_GROUP": "",
    # --- social and messaging
    "TAWASUL_WHATSAPP_VERIFY_TOKEN": "",
    "TAWASUL_WHATSAPP_APP_SECRET": "",
    "TAWASUL_WHATSAPP_API_URL": "https://graph.facebook.com/v21.0",
    "TAWASUL_WHATSAPP_TOKEN": "",
    "TAWASUL_WHATSAPP_PHONE_NUMBER_ID": "",
    # Network → HMAC secret of the generic webhook, e.g. "x=…,instagram=…".
    "TAWASUL_WEBHOOK_SECRETS": {},
    # Network → URL of its send API (Graph Send-API-shaped JSON).
    "TAWASUL_SOCIAL_SEND_URLS": {},
    "TAWASUL_WEBHOOK_REPLAY_WINDOW": 24 * 3600,
    # --- app push (Firebase Cloud Messaging HTTP v1); off while no credentials are set
    # A Google service-account key file (JSON: client_email, private_key, token_uri).
    "TAWASUL_FCM_CREDENTIALS": "",
    "TAWASUL_FCM_PROJECT_ID": "",  # blank: the key file's project_id
    "TAWASUL_FCM_API_URL": "https://fcm.googleapis.com",
    # --- outbox
    "TAWASUL_OUTBOX_MAX_ATTEMPTS": 5,
    "TAWASUL_OUTBOX_BACKOFF_SECONDS": 30.0,
    "TAWASUL_OUTBOX_BACKOFF_MAX_SECONDS": 3600.0,
    # A message left "sending" this long (a worker died mid-send) goes to the dead letters.
    "TAWASUL_OUTBOX_LEASE_SECONDS": 300.0,
}
