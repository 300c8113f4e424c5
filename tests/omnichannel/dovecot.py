"""A private Dovecot IMAP server for tests: its own config in a temporary directory.

It listens on 127.0.0.1 on free ports, plain IMAP and IMAPS (a self-signed certificate made
for the run, ``ca_file``), one user from a passwd-file, maildir under the temporary
directory; no system configuration, service or port is touched. As root, mail is owned by
``nobody`` (Dovecot refuses mail as uid 0) and the login process runs as Debian's
``dovenull``; as any other user everything runs as that user.
"""

from __future__ import annotations

import contextlib
import imaplib
import ipaddress
import os
import pwd
import re
import shutil
import socket
import subprocess
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

from tests.omnichannel.conftest import free_port, stop_process

DOVECOT = shutil.which("dovecot") or "/usr/sbin/dovecot"
USER = "tawasul"
PASSWORD = "كلمة-سر s3cret"  # non-ASCII: only SASL PLAIN (UTF-8) can carry it


def _self_signed(root: Path) -> None:
    """cert.pem / key.pem for 127.0.0.1 and localhost; the test trusts cert.pem as its CA."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
            ),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    (root / "cert.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    (root / "key.pem").write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )


def _config(root: Path, port: int, tls_port: int) -> str:
    me = pwd.getpwuid(os.getuid())
    if os.getuid() == 0:
        mail_user = pwd.getpwnam("nobody")
        internal, login = "dovecot", "dovenull"
    else:
        mail_user, internal, login = me, me.pw_name, me.pw_name
    for sub in ("mail", "home"):
        (root / sub).mkdir()
        os.chown(root / sub, mail_user.pw_uid, mail_user.pw_gid)
    return f"""
protocols = imap
listen = 127.0.0.1
base_dir = {root}/run
state_dir = {root}/state
log_path = /dev/stderr
ssl = yes
ssl_cert = <{root}/cert.pem
ssl_key = <{root}/key.pem
disable_plaintext_auth = no
auth_mechanisms = plain login
auth_failure_delay = 0
default_internal_user = {internal}
default_login_user = {login}
first_valid_uid = 1
mail_location = maildir:{root}/mail/%u
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {root}/users
}}
userdb {{
  driver = static
  args = uid={mail_user.pw_uid} gid={mail_user.pw_gid} home={root}/home/%u
}}
service imap-login {{
  chroot =
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    address = 127.0.0.1
    port = {tls_port}
    ssl = yes
  }}
}}
service anvil {{
  chroot =
}}
"""


class Dovecot:
    """One running server; ``client()`` logs in as the test user."""

    def __init__(self, port: int | None = None) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="tawasul-dovecot-"))
        # The login and mail processes run as other users; they must reach their files.
        self.root.chmod(0o711)
        self.port = port or free_port()
        self.tls_port = free_port()  # IMAPS with a self-signed certificate (cert.pem)
        self.ca_file = self.root / "cert.pem"
        _self_signed(self.root)
        (self.root / "dovecot.conf").write_text(_config(self.root, self.port, self.tls_port))
        (self.root / "users").write_text(f"{USER}:{{PLAIN}}{PASSWORD}\n")
        self.log = open(self.root / "dovecot.log", "w+b")  # noqa: SIM115 (closed in stop)
        self.process = subprocess.Popen(
            [DOVECOT, "-F", "-c", str(self.root / "dovecot.conf")],
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        self._wait_listening()

    def _wait_listening(self) -> None:
        deadline = time.monotonic() + 20
        while True:
            if self.process.poll() is not None:
                raise RuntimeError(f"dovecot exited:\n{self.log_text()}")
            with (
                contextlib.suppress(OSError),
                socket.create_connection(("127.0.0.1", self.port), timeout=0.5),
            ):
                return
            if time.monotonic() > deadline:
                raise RuntimeError(f"dovecot did not listen:\n{self.log_text()}")
            time.sleep(0.1)

    def log_text(self) -> str:
        self.log.flush()
        return (self.root / "dovecot.log").read_text(errors="replace")

    def stop(self) -> None:
        stop_process(self.process)
        self.log.close()
        shutil.rmtree(self.root, ignore_errors=True)

    # --- what a test does with the mailbox ----------------------------------------------

    def client(self, folder: str = "INBOX") -> imaplib.IMAP4:
        client = imaplib.IMAP4("127.0.0.1", self.port, timeout=10)
        # SASL PLAIN carries the password as UTF-8; imaplib's LOGIN is ASCII only.
        client.authenticate("PLAIN", lambda _challenge: f"\0{USER}\0{PASSWORD}".encode())
        client.select(folder)
        return client

    def deliver(self, raw: bytes, folder: str = "INBOX", flags: str | None = None) -> int:
        """APPEND a message as the mail server's delivery would (``flags`` like "(\\Seen)":
        as somebody's mail client left it); returns its UID."""
        client = self.client(folder)
        try:
            typ, data = client.append(folder, flags, None, raw)
            assert typ == "OK", data
            return int(re.search(rb"APPENDUID \d+ (\d+)", data[0]).group(1))
        finally:
            client.logout()

    def flags(self, folder: str = "INBOX") -> dict[int, set[str]]:
        """UID → flags of every message in the folder."""
        client = self.client(folder)
        try:
            _typ, data = client.uid("fetch", "1:*", "(UID FLAGS)")
            found = {}
            for line in data:
                uid = re.search(rb"UID (\d+)", line or b"")
                flags = re.search(rb"FLAGS \(([^)]*)\)", line or b"")
                if uid and flags:
                    found[int(uid.group(1))] = set(flags.group(1).decode().split())
            return found
        finally:
            client.logout()

    def unmark(self, uid: int, flag: str = "\\Seen") -> None:
        client = self.client()
        try:
            client.uid("store", str(uid), "-FLAGS", f"({flag})")
        finally:
            client.logout()

    def recreate(self, folder: str) -> None:
        """Delete and create ``folder`` again: the server gives it a new UIDVALIDITY and
        numbers its messages from 1 again, as after a restore from backup."""
        client = self.client()
        try:
            client.delete(folder)
            typ, data = client.create(folder)
            assert typ == "OK", data
        finally:
            client.logout()

    def empty(self) -> None:
        """Delete every message and every folder but INBOX, so each test starts afresh."""
        client = self.client()
        try:
            _typ, folders = client.list()
            for line in folders or []:
                # (\\HasNoChildren) "." Tawasul-Failed   or   ... "." "Name with space"
                name = re.sub(r'^\(.*?\) (?:"[^"]*"|NIL) ', "", line.decode()).strip('"')
                if name.upper() != "INBOX":
                    client.delete(f'"{name}"')
            _typ, data = client.search(None, "ALL")
            if data[0]:
                client.store(data[0].replace(b" ", b",").decode(), "+FLAGS.SILENT", "(\\Deleted)")
                client.expunge()
        finally:
            client.logout()
