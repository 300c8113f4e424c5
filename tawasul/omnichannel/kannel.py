"""Kannel: its configuration, its HTTP sendsms parameters, and reading fakesmsc's output.

Tawasul talks HTTP to Kannel's smsbox (sendsms out; MO and delivery reports come back as
HTTP calls to /channels/sms/…), and Kannel's bearerbox talks SMPP to the operator — or, in the
demo and the tests, to ``fakesmsc``, Kannel's own fake operator.

``tawasul kannel`` writes ``kannel.conf`` and ``state.json`` under ``TAWASUL_DATA_DIR/kannel``;
the outbox worker reads the sendsms URL and password from that state file, so the two
processes agree without configuration.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import socket
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from tawasul.omnichannel import conf

BEARERBOX = "/usr/sbin/bearerbox"
SMSBOX = "/usr/sbin/smsbox"
FAKESMSC = "/usr/lib/kannel/test/fakesmsc"

# DLR mask: 1 delivered to the phone, 2 failed at the phone, 16 refused by the operator.
DLR_MASK = 1 + 2 + 16
DLR_DELIVERED, DLR_FAILED, DLR_BUFFERED, DLR_SMSC_ACK, DLR_SMSC_REJECT = 1, 2, 4, 8, 16
# The report types that change an outbox message (the others in a mask would only inform).
DLR_OUTCOMES = (DLR_DELIVERED, DLR_FAILED, DLR_SMSC_REJECT)


# Kannel's default access-log line (gw/smsc/smsc.c) without its %b, the message text.
ACCESS_LOG_FORMAT = (
    "%t %l [SMSC:%i] [SVC:%n] [ACT:%A] [BINF:%B] [FID:%F] [META:%D] [from:%p] [to:%P] "
    "[flags:%m:%c:%M:%C:%d] [msg:%L] [udh:%U]"
)


def kannel_dir() -> Path:
    path = Path(settings.DATA_DIR) / "kannel"
    path.mkdir(parents=True, exist_ok=True)
    return path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _secret_file(name: str) -> str:
    path = kannel_dir() / name
    if not path.exists():
        path.write_text(secrets.token_hex(16))
        path.chmod(0o600)
    return path.read_text().strip()


def callback_secret() -> str:
    """Shared secret on Kannel's MO and DLR calls to Tawasul."""
    return conf.get("TAWASUL_SMS_SECRET") or _secret_file("callback_secret")


def sendsms_password() -> str:
    return conf.get("TAWASUL_KANNEL_PASSWORD") or _secret_file("sendsms_password")


def read_state() -> dict:
    path = kannel_dir() / "state.json"
    return json.loads(path.read_text()) if path.exists() else {}


def sendsms_url() -> str:
    url = conf.get("TAWASUL_KANNEL_SENDSMS_URL")
    if url:
        return url
    state = read_state()
    if not state:
        raise RuntimeError("Kannel is not configured: run `tawasul kannel` first")
    return f"http://127.0.0.1:{state['sendsms_port']}/cgi-bin/sendsms"


def needs_ucs2(text: str) -> bool:
    """Arabic (anything outside printable ASCII) goes as UCS-2 (coding=2)."""
    return any(ord(ch) > 126 or (ord(ch) < 32 and ch not in "\r\n") for ch in text)


def dlr_signature(*, outbox_id: int, to: str, mask: int = DLR_MASK) -> str:
    """What proves a delivery report comes from the dlr-url we gave Kannel for this send.

    Kannel calls a dlr-url as given (a GET, its %-fields filled in) and cannot add a header
    or sign the call, so the URL carries an HMAC of the message id, the address it was sent
    to and the DLR mask, never the shared secret itself: a report for another message,
    another leg of this one (its fallback), or a state we did not ask about is refused. A
    signature seen in a log gives nothing beyond this one leg, and the outbox accepts one
    report per state transition there (``outbox_report``), so replaying it changes nothing.
    """
    payload = f"tawasul-dlr:{outbox_id}:{mask}:{to}".encode()
    return hmac.new(callback_secret().encode(), payload, hashlib.sha256).hexdigest()


def dlr_signature_ok(*, outbox_id: int, to: str, mask: int, signature: str) -> bool:
    expected = dlr_signature(outbox_id=outbox_id, to=to, mask=mask)
    return hmac.compare_digest(expected.encode(), signature.encode())


def sendsms_params(*, to: str, text: str, outbox_id: int) -> dict[str, str]:
    public = conf.get("TAWASUL_PUBLIC_URL").rstrip("/")
    signature = dlr_signature(outbox_id=outbox_id, to=to)
    # %d (DLR type) and %F (operator's message id) are filled in by Kannel.
    dlr_url = (
        f"{public}/channels/sms/dlr?outbox={outbox_id}&mask={DLR_MASK}&sig={signature}"
        "&status=%d&fid=%F"
    )
    return {
        "username": conf.get("TAWASUL_KANNEL_USER"),
        "password": sendsms_password(),
        "from": conf.get("TAWASUL_SMS_SENDER"),
        "to": to,
        "text": text,
        "charset": "UTF-8",
        "coding": "2" if needs_ucs2(text) else "0",
        "dlr-mask": str(DLR_MASK),
        "dlr-url": dlr_url,
    }


@dataclass(frozen=True)
class KannelPorts:
    admin: int
    smsbox: int
    smsc: int
    sendsms: int

    @classmethod
    def free(cls) -> KannelPorts:
        return cls(free_port(), free_port(), free_port(), free_port())


def mo_url(public_url: str) -> str:
    """smsbox get-url for every MO message (Kannel substitutes and escapes the % fields)."""
    return (
        f"{public_url.rstrip('/')}/channels/sms/mo?secret={callback_secret()}"
        "&from=%p&to=%P&text=%a&id=%I&ts=%T&coding=%c"
    )


def smsc_group(ports: KannelPorts) -> str:
    """The operator link: the file in TAWASUL_KANNEL_SMSC_GROUP (SMPP), else fakesmsc."""
    custom = conf.get("TAWASUL_KANNEL_SMSC_GROUP")
    if custom:
        return Path(custom).read_text()
    return (
        "# The operator: Kannel's fake SMSC (fakesmsc connects here).\n"
        f"group = smsc\nsmsc = fake\nsmsc-id = operator\nport = {ports.smsc}\n"
        "connect-allow-ip = 127.0.0.1\n"
    )


def mo_spool() -> Path:
    """Demo only: `tawasul sms_mo` drops messages here for the fake operator to send."""
    path = kannel_dir() / "mo"
    path.mkdir(exist_ok=True)
    return path


def fakesmsc_message(*, sender: str, receiver: str, text: str) -> str:
    """One fakesmsc message argument; UCS-2 so Arabic survives."""
    data = urllib.parse.quote_from_bytes(text.encode("utf-16-be"), safe="")
    return f"{sender} {receiver} ucs2 {data}"


def write_config(*, ports: KannelPorts, public_url: str, directory: Path | None = None) -> Path:
    """Write kannel.conf (bearerbox + smsbox + one fake SMSC) and state.json; return the conf."""
    directory = directory or kannel_dir()
    store = directory / "store"
    store.mkdir(parents=True, exist_ok=True)
    text = f"""# Generated by `tawasul kannel`; edit the settings, not this file.
group = core
admin-port = {ports.admin}
admin-password = {secrets.token_hex(8)}
admin-interface = 127.0.0.1
smsbox-port = {ports.smsbox}
smsbox-interface = 127.0.0.1
log-file = "{directory}/bearerbox.log"
log-level = 1
access-log = "{directory}/access.log"
# Kannel's default line ends in [msg:length:text]: every SMS in clear, one-time codes too.
# The same line without the text.
access-log-clean = true
access-log-format = "{ACCESS_LOG_FORMAT}"
store-type = spool
store-location = "{store}"
dlr-storage = internal

{smsc_group(ports)}

group = smsbox
bearerbox-host = 127.0.0.1
bearerbox-port = {ports.smsbox}
sendsms-port = {ports.sendsms}
sendsms-interface = 127.0.0.1
log-file = "{directory}/smsbox.log"
log-level = 1
mo-recode = true
# Tawasul answers 200 only after the message is committed; anything else is retried.
http-request-retry = 5
http-queue-delay = 2

group = sendsms-user
username = {conf.get("TAWASUL_KANNEL_USER")}
password = {sendsms_password()}
concatenation = true
max-messages = 10
user-allow-ip = 127.0.0.1

group = sms-service
keyword = default
catch-all = true
get-url = "{mo_url(public_url)}"
max-messages = 0
omit-empty = true
"""
    path = directory / "kannel.conf"
    path.write_text(text)
    path.chmod(0o600)
    (directory / "state.json").write_text(
        json.dumps(
            {
                "admin_port": ports.admin,
                "smsbox_port": ports.smsbox,
                "smsc_port": ports.smsc,
                "sendsms_port": ports.sendsms,
                "public_url": public_url,
            }
        )
    )
    return path


# --- fakesmsc's output --------------------------------------------------------------------


@dataclass(frozen=True)
class FakeSms:
    """One SMS part as fakesmsc printed it (``Got message N: <from to type … data>``)."""

    sender: str
    receiver: str
    udh: bytes
    data: bytes
    kind: str

    @property
    def concat(self) -> tuple[int, int, int] | None:
        """(reference, total, index) from a concatenation UDH (IE 0x00), if any."""
        udh = self.udh
        if len(udh) >= 6 and udh[1] == 0x00 and udh[2] == 3:
            return udh[3], udh[4], udh[5]
        return None


def parse_fakesmsc_line(line: str) -> FakeSms | None:
    if "Got message" not in line or "<" not in line:
        return None
    body = line[line.index("<") + 1 : line.rindex(">")]
    fields = body.split(" ")
    if len(fields) < 4:
        return None
    sender, receiver, kind = fields[0], fields[1], fields[2]
    udh = b""
    rest = fields[3:]
    if kind == "udh":
        udh = urllib.parse.unquote_to_bytes(rest[0])
        kind, rest = (rest[1], rest[2:]) if len(rest) > 2 else ("data", rest[1:])
    raw = " ".join(rest)
    # fakesmsc URL-encodes with "+" for a space byte.
    data = (
        raw.encode() if kind == "text" else urllib.parse.unquote_to_bytes(raw.replace("+", "%20"))
    )
    return FakeSms(sender, receiver, udh, data, kind)


def decode_parts(parts: list[FakeSms]) -> str:
    """Reassemble and decode the parts of one message (UCS-2 unless sent as text)."""
    ordered = sorted(parts, key=lambda p: p.concat[2] if p.concat else 0)
    data = b"".join(p.data for p in ordered)
    if ordered and ordered[0].kind == "text":
        return data.decode("utf-8", errors="replace")
    if ordered and ordered[0].kind in ("ucs2", "ucs-2", "data") and len(data) % 2 == 0:
        try:
            return data.decode("utf-16-be")
        except UnicodeDecodeError:
            pass
    return data.decode("latin-1")


def assemble(parts: list[FakeSms]) -> list[tuple[str, str]]:
    """(receiver, text) of each complete message in fakesmsc's output, in arrival order."""
    messages: list[tuple[str, str]] = []
    pending: dict[tuple[str, int], list[FakeSms]] = {}
    for part in parts:
        if part.concat is None:
            messages.append((part.receiver, decode_parts([part])))
            continue
        ref, total, _index = part.concat
        group = pending.setdefault((part.receiver, ref), [])
        group.append(part)
        if len(group) == total:
            messages.append((part.receiver, decode_parts(group)))
            del pending[(part.receiver, ref)]
    return messages
