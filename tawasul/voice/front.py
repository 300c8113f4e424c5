"""The SIP front: Kamailio (Debian package) as registrar for agents' phones and dispatcher
across the media workers. Who it trusts for what: docs/voice.md "Who the SIP front trusts".

- REGISTER: digest authentication (``qop=auth``, nonce counting: a replayed Authorization is
  refused) against the ``subscriber`` table of a small SQLite file that the gateway keeps in
  step with ``VoiceEndpoint`` (user name + HA1; no clear passwords); bindings in memory.
  Failed registrations are counted per source address: too many and the address is blocked.
- INVITE from a caller: only from a trusted peer (``TAWASUL_VOICE_TRUSTED_PEERS``), else 403.
  The worker is told whether the peer vouches for the caller's number
  (``X-Tawasul-Caller-Verified``, removed from what the peer sent first). Sent to a media
  worker, round robin; a worker that is full answers 486 and Kamailio tries the next one.
- INVITE from a media worker (``ds_is_from_list``): the agent's leg, relayed to the phone the
  agent registered; nobody else may call an agent's phone through the gateway.
- Any request from a source that is neither a worker nor a trusted peer passes a flood limit
  (pike) first; a flooding or blocked source gets no answer at all.

What the front refuses is written to its log as one line per event, after a marker that is
random for each start (nothing a caller sends can forge one), with every value taken from the
message hex-encoded; the gateway reads those lines (:meth:`Front.read_security_events`),
counts them and audits failed registrations and blocked sources.
"""

from __future__ import annotations

import contextlib
import ipaddress
import logging
import os
import re
import secrets
import signal
import socket
import sqlite3
import subprocess
import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from tawasul.voice import conf
from tawasul.voice.wire import CALLER_HEADER, VERIFIED_HEADER

log = logging.getLogger("tawasul.voice")

MODULES = "/usr/lib/x86_64-linux-gnu/kamailio/modules/"

# Every header by our prefix is removed from a caller's INVITE before the front adds its own
# (VERIFIED_HEADER, CALLER_HEADER). Header names are case-insensitive.
_OUR_HEADERS_RE = "^[Xx]-[Tt][Aa][Ww][Aa][Ss][Uu][Ll]-"


@dataclass(frozen=True)
class TrustedPeer:
    """A source whose INVITEs the front takes: an address or a network, and whether it
    asserts the caller's identity (a carrier trunk that sets P-Asserted-Identity)."""

    network: ipaddress.IPv4Network | ipaddress.IPv6Network
    asserts_identity: bool = False

    @property
    def tag(self) -> str:
        return "asserted" if self.asserts_identity else "unverified"


def parse_trusted_peers(value: str | Iterable[str]) -> list[TrustedPeer]:
    """``"127.0.0.1=asserted, 192.0.2.0/24"`` (or a list of such entries) as peers."""
    entries = value.split(",") if isinstance(value, str) else list(value)
    peers = []
    for raw in entries:
        entry = str(raw).strip()
        if not entry:
            continue
        address, _sep, kind = entry.partition("=")
        kind = kind.strip().lower()
        if kind not in ("", "asserted", "unverified"):
            raise ImproperlyConfigured(
                f"TAWASUL_VOICE_TRUSTED_PEERS: {entry!r}: after '=' write 'asserted' or "
                "'unverified'"
            )
        try:
            network = ipaddress.ip_network(address.strip(), strict=False)
        except ValueError:
            raise ImproperlyConfigured(
                f"TAWASUL_VOICE_TRUSTED_PEERS: {address.strip()!r} is not an IP address or "
                "network (e.g. 192.0.2.10 or 192.0.2.0/24)"
            ) from None
        peers.append(TrustedPeer(network=network, asserts_identity=kind == "asserted"))
    return peers


@dataclass(frozen=True)
class FrontPolicy:
    """Who the front trusts and how hard it pushes back (defaults: tawasul/voice/conf.py)."""

    peers: tuple[TrustedPeer, ...] = ()
    flood_requests: int = 40
    flood_window: int = 2
    auth_failures: int = 10
    auth_failure_window: int = 60
    block_seconds: int = 300

    @classmethod
    def from_settings(cls) -> FrontPolicy:
        return cls(
            peers=tuple(parse_trusted_peers(conf.TRUSTED_PEERS)),
            flood_requests=conf.FLOOD_REQUESTS,
            flood_window=conf.FLOOD_WINDOW,
            auth_failures=conf.AUTH_FAILURES,
            auth_failure_window=conf.AUTH_FAILURE_WINDOW,
            block_seconds=conf.BLOCK_SECONDS,
        )

    def address_list(self) -> str:
        """The permissions module's address file: group 1, network, prefix, any port, tag."""
        return "".join(
            f"1 {peer.network.network_address} {peer.network.prefixlen} 0 {peer.tag}\n"
            for peer in self.peers
        )


@dataclass(frozen=True)
class SecurityEvent:
    """One thing the front refused, as read from its log."""

    kind: str  # invite_refused | register_failed | source_blocked
    source: str
    port: int = 0
    reason: str = ""
    user: str = ""
    user_agent: str = ""
    method: str = ""


EVENT_KINDS = ("invite_refused", "register_failed", "source_blocked")
_FIELD_RE = re.compile(r"(\w+)=(\S*)")


def _unhex(value: str) -> str:
    try:
        return bytes.fromhex(value).decode("utf-8", "replace")
    except ValueError:
        return ""


def parse_security_line(line: str, marker: str) -> SecurityEvent | None:
    """The event on one log line, or None if the line is not one of the front's events."""
    _before, found, rest = line.partition(f"{marker} ")
    if not found:
        return None
    fields = dict(_FIELD_RE.findall(rest))
    kind = fields.get("ev", "")
    if kind not in EVENT_KINDS:
        return None
    try:
        source = str(ipaddress.ip_address(fields.get("src", "").strip("[]")))
    except ValueError:
        return None
    port = fields.get("port", "0")
    return SecurityEvent(
        kind=kind,
        source=source,
        port=int(port) if port.isdigit() else 0,
        reason=re.sub(r"[^a-z_]", "", fields.get("reason", ""))[:40],
        user=_unhex(fields.get("user", ""))[:64],
        user_agent=_unhex(fields.get("ua", ""))[:300],
        method=re.sub(r"[^A-Z]", "", fields.get("method", ""))[:20],
    )


CONFIG = """#!KAMAILIO
debug=1
log_stderror=yes
fork=yes
children=1
auto_aliases=no
listen=udp:127.0.0.1:{port}
alias="127.0.0.1:{port}"
mpath="{modules}"
loadmodule "kex.so"
loadmodule "corex.so"
loadmodule "tm.so"
loadmodule "sl.so"
loadmodule "rr.so"
loadmodule "pv.so"
loadmodule "maxfwd.so"
loadmodule "textops.so"
loadmodule "siputils.so"
loadmodule "xlog.so"
loadmodule "usrloc.so"
loadmodule "registrar.so"
loadmodule "db_sqlite.so"
loadmodule "auth.so"
loadmodule "auth_db.so"
loadmodule "dispatcher.so"
loadmodule "permissions.so"
loadmodule "pike.so"
loadmodule "htable.so"
modparam("usrloc", "db_mode", 0)
# qop=auth with nonce counting: each nc may be used once, so a captured Authorization cannot
# be sent again; a phone without qop support falls back to one use per nonce.
modparam("auth", "qop", "auth")
modparam("auth", "nonce_count", 1)
modparam("auth", "one_time_nonce", 1)
modparam("auth_db", "db_url", "sqlite:///{db}")
modparam("auth_db", "calculate_ha1", 0)
modparam("auth_db", "password_column", "ha1")
modparam("auth_db", "load_credentials", "")
modparam("auth_db", "use_domain", 0)
modparam("dispatcher", "list_file", "{dispatcher}")
modparam("dispatcher", "flags", 2)
modparam("permissions", "address_file", "{addresses}")
modparam("permissions", "peer_tag_avp", "$avp(peer)")
modparam("permissions", "load_backends", 1)
modparam("pike", "sampling_time_unit", {flood_window})
modparam("pike", "reqs_density_per_unit", {flood_requests})
modparam("htable", "htable", "fails=>size=8;initval=0;autoexpire={fail_window};updateexpire=0;")
modparam("htable", "htable", "blocked=>size=8;autoexpire={block_seconds};updateexpire=0;")
modparam("tm", "fr_inv_timer", 60000)

request_route {{
    if (!mf_process_maxfwd_header("10")) {{ sl_send_reply("483", "Too Many Hops"); exit; }}
    # Who sent it: a media worker, a trusted peer (its tag says whether it asserts callers'
    # identity) or anyone else (agents' phones, and strangers).
    $var(peer) = "";
    if (ds_is_from_list("1")) {{
        $var(peer) = "worker";
    }} else if (allow_source_address("1")) {{
        $var(peer) = $avp(peer);
    }} else {{
        route(UNTRUSTED_SOURCE);
    }}
    if (has_totag()) {{
        if (loose_route()) {{ t_relay(); exit; }}
        if (is_method("ACK")) {{ if (t_check_trans()) {{ t_relay(); }} exit; }}
        sl_send_reply("404", "Not here"); exit;
    }}
    if (is_method("CANCEL")) {{ if (t_check_trans()) {{ t_relay(); }} exit; }}
    if (is_method("OPTIONS")) {{ sl_send_reply("200", "OK"); exit; }}
    t_check_trans();
    if (is_method("REGISTER")) {{ route(REGISTRAR); exit; }}
    if (!is_method("INVITE")) {{ sl_send_reply("405", "Method Not Allowed"); exit; }}
    if ($var(peer) == "worker") {{
        record_route();
        if (!lookup("location")) {{ sl_send_reply("404", "Agent phone not registered"); exit; }}
        t_relay(); exit;
    }}
    if ($var(peer) == "") {{
        $var(ev) = "invite_refused"; $var(reason) = "untrusted_source";
        $var(user) = $(fU{{s.encode.hexa}});
        route(SECURITY_EVENT);
        sl_send_reply("403", "Forbidden: not a trusted SIP peer"); exit;
    }}
    # What the worker is told about the caller's number; a caller's own copy never passes.
    remove_hf_re("{our_headers}");
    if ($var(peer) == "asserted") {{
        append_hf("{verified_header}: yes\\r\\n");
        if (is_present_hf("P-Asserted-Identity")) {{ append_hf("{caller_header}: <$ai>\\r\\n"); }}
    }} else {{
        remove_hf("P-Asserted-Identity");
        append_hf("{verified_header}: no\\r\\n");
    }}
    record_route();
    if (!ds_select_dst("1", "4")) {{ sl_send_reply("503", "No media worker"); exit; }}
    t_on_failure("NEXT_WORKER");
    t_relay(); exit;
}}

# A source that is neither a worker nor a trusted peer: no answer while it is blocked (too
# many failed registrations, or a flood), and blocked as soon as pike sees it flood.
route[UNTRUSTED_SOURCE] {{
    if ($sht(blocked=>$si) != $null) {{ exit; }}
    pike_check_req();
    $var(pike) = $rc;
    if ($var(pike) == -2) {{
        $sht(blocked=>$si) = 1;
        $var(ev) = "source_blocked"; $var(reason) = "flood"; $var(user) = "";
        route(SECURITY_EVENT);
        exit;
    }}
    if ($var(pike) < 0) {{ exit; }}
}}

route[REGISTRAR] {{
    # Stateful, so that nonce counting sees a retransmission as one request.
    if (!t_newtran()) {{ sl_reply_error(); exit; }}
    www_authorize("{realm}", "subscriber");
    $var(auth) = $rc;
    # -4: a stale nonce, or a nonce count already used (a replay): challenged again, not
    # counted: Kamailio reports both alike, and a phone's cached nonce expires every 5 minutes.
    if ($var(auth) == -4) {{ www_challenge("{realm}", "17"); exit; }}
    if ($var(auth) == -5 || $var(auth) == -1) {{ www_challenge("{realm}", "1"); exit; }}
    if ($var(auth) < 0) {{
        $var(reason) = "wrong_password";
        if ($var(auth) == -3) {{ $var(reason) = "unknown_user"; }}
        if ($var(auth) == -6) {{ $var(reason) = "replayed"; }}
        route(AUTH_FAILED);
        www_challenge("{realm}", "1");
        exit;
    }}
    if ($au != $tU) {{
        $var(reason) = "other_user";
        route(AUTH_FAILED);
        t_reply("403", "Forbidden auth ID"); exit;
    }}
    consume_credentials();
    if (!save("location")) {{ sl_reply_error(); }}
}}

route[AUTH_FAILED] {{
    $var(ev) = "register_failed"; $var(user) = $(au{{s.encode.hexa}});
    route(SECURITY_EVENT);
    # A trusted peer is never blocked (it carries the calls, and a border controller may
    # carry many phones); its failures are audited all the same.
    if ($var(peer) != "") {{ return; }}
    $var(failures) = $shtinc(fails=>$si);
    if ($var(failures) >= {auth_failures}) {{
        $sht(blocked=>$si) = 1;
        $sht(fails=>$si) = $null;
        $var(ev) = "source_blocked"; $var(reason) = "auth_failures"; $var(user) = "";
        route(SECURITY_EVENT);
    }}
}}

# One line in the log per event ($var(ev), $var(reason), $var(user) set before): the gateway
# reads these. What a caller chose (user names, User-Agent) is hex, so it cannot fake a field.
route[SECURITY_EVENT] {{
    $var(fields) = "ev=" + $var(ev) + " reason=" + $var(reason) + " method=" + $rm;
    $var(fields) = $var(fields) + " src=" + $si + " port=" + $sp;
    $var(fields) = $var(fields) + " user=" + $var(user) + " ua=" + $(ua{{s.encode.hexa}});
    xlog("L_WARN", "{marker} $var(fields)\\n");
}}

failure_route[NEXT_WORKER] {{
    if (t_is_canceled()) {{ exit; }}
    if (t_check_status("486|500|503|408") && ds_next_dst()) {{
        t_on_failure("NEXT_WORKER");
        t_relay();
        exit;
    }}
}}
"""


# One UDP receiver process (``children=1``): with two, a worker's 180 Ringing and the 200 OK
# right behind it were read by different processes and now and then relayed in the wrong
# order; a strict caller (sipp) then aborts the call on the late 180. The front does little
# work per message (about 2 % of a core at 300 calls), so one process is enough.
class Front:
    """One Kamailio instance on ``sip_port`` in front of the workers' SIP ports."""

    def __init__(
        self,
        *,
        sip_port: int,
        workers: list[int],
        data_dir: Path,
        policy: FrontPolicy | None = None,
    ) -> None:
        self.sip_port = sip_port
        self.workers = workers
        self.dir = Path(data_dir)
        self.dir.mkdir(parents=True, exist_ok=True)
        self.db = self.dir / "subscribers.sqlite"
        self.policy = policy if policy is not None else FrontPolicy.from_settings()
        self.proc: subprocess.Popen | None = None
        self._synced: list | None = None
        # What the front refused since it started, by event kind (read from its log).
        self.counts: Counter[str] = Counter()
        self._marker = ""
        self._log_path = self.dir / "kamailio.log"
        self._log_offset = 0
        self._create_db()

    def _create_db(self) -> None:
        with sqlite3.connect(self.db) as db:
            db.executescript(
                """
                CREATE TABLE IF NOT EXISTS version (
                    table_name VARCHAR(32) NOT NULL PRIMARY KEY,
                    table_version INTEGER DEFAULT 0 NOT NULL);
                INSERT OR REPLACE INTO version VALUES ('subscriber', 7);
                CREATE TABLE IF NOT EXISTS subscriber (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    username VARCHAR(64) DEFAULT '' NOT NULL,
                    domain VARCHAR(64) DEFAULT '' NOT NULL,
                    password VARCHAR(64) DEFAULT '' NOT NULL,
                    ha1 VARCHAR(128) DEFAULT '' NOT NULL,
                    ha1b VARCHAR(128) DEFAULT '' NOT NULL,
                    CONSTRAINT account_idx UNIQUE (username, domain));
                """
            )

    def sync_subscribers(self) -> None:
        """Copy agents' SIP user names and HA1s to Kamailio's table (only when changed)."""
        from tawasul.voice.models import VoiceEndpoint

        rows = sorted(
            VoiceEndpoint.objects.filter(active=True, user__is_active=True).values_list(
                "sip_username", "ha1"
            )
        )
        if rows == self._synced:
            return
        with sqlite3.connect(self.db) as db:
            db.execute("DELETE FROM subscriber")
            db.executemany("INSERT INTO subscriber (username, domain, ha1) VALUES (?, '', ?)", rows)
        self._synced = rows

    def start(self) -> None:
        dispatcher = self.dir / "dispatcher.list"
        dispatcher.write_text(
            "".join(f"1 sip:127.0.0.1:{port}\n" for port in self.workers), encoding="utf-8"
        )
        addresses = self.dir / "address.list"
        addresses.write_text(self.policy.address_list(), encoding="utf-8")
        # New for every start: a line in the log is one of the front's events only if it
        # carries this, and nothing a caller sends can contain it.
        self._marker = f"tawasul-sip-event-{secrets.token_hex(16)}"
        cfg = self.dir / "kamailio.cfg"
        cfg.write_text(
            CONFIG.format(
                port=self.sip_port,
                modules=MODULES,
                db=self.db,
                dispatcher=dispatcher,
                addresses=addresses,
                realm=conf.REALM,
                marker=self._marker,
                our_headers=_OUR_HEADERS_RE,
                verified_header=VERIFIED_HEADER,
                caller_header=CALLER_HEADER,
                flood_requests=int(self.policy.flood_requests),
                flood_window=int(self.policy.flood_window),
                auth_failures=int(self.policy.auth_failures),
                fail_window=int(self.policy.auth_failure_window),
                block_seconds=int(self.policy.block_seconds),
            ),
            encoding="utf-8",
        )
        run_dir = self.dir / "run"
        run_dir.mkdir(exist_ok=True)
        self.log = open(self._log_path, "ab")  # noqa: SIM115 - lives with the process
        # Events of an earlier run were the earlier gateway's to read.
        self._log_offset = self.log.tell()
        self.proc = subprocess.Popen(
            [
                conf.KAMAILIO,
                "-f",
                str(cfg),
                "-DD",
                "-E",
                "-m",
                "64",
                "-M",
                "8",
                "-Y",
                str(run_dir),
                "-w",
                str(run_dir),
            ],
            stdout=self.log,
            stderr=subprocess.STDOUT,
            # Its own process group: stopping it must also stop every child it forked.
            start_new_session=True,
        )

    def read_security_events(self) -> list[SecurityEvent]:
        """The events the front logged since the last call (complete lines only), counted
        in :attr:`counts`."""
        if not self._marker:
            return []
        try:
            with open(self._log_path, "rb") as handle:
                handle.seek(self._log_offset)
                data = handle.read()
        except OSError:
            return []
        end = data.rfind(b"\n") + 1
        self._log_offset += end
        events = []
        for raw in data[:end].splitlines():
            event = parse_security_line(raw.decode("utf-8", "replace"), self._marker)
            if event is not None:
                events.append(event)
                self.counts[event.kind] += 1
        return events

    def wait_ready(self, timeout: float = 15) -> None:
        """Until Kamailio answers an OPTIONS on its port."""
        deadline = time.monotonic() + timeout
        probe = (
            f"OPTIONS sip:127.0.0.1:{self.sip_port} SIP/2.0\r\n"
            "Via: SIP/2.0/UDP 127.0.0.1:9;branch=z9hG4bKprobe{n}\r\n"
            "From: <sip:probe@127.0.0.1>;tag=p\r\nTo: <sip:127.0.0.1>\r\n"
            "Call-ID: probe{n}@tawasul\r\nCSeq: 1 OPTIONS\r\nMax-Forwards: 5\r\n"
            "Content-Length: 0\r\n\r\n"
        )
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
            sock.settimeout(0.3)
            n = 0
            while time.monotonic() < deadline:
                if self.proc is not None and self.proc.poll() is not None:
                    raise RuntimeError(f"kamailio exited; see {self.dir / 'kamailio.log'}")
                n += 1
                message = probe.format(n=n).replace("127.0.0.1:9;", f"127.0.0.1:{port};")
                sock.sendto(message.encode(), ("127.0.0.1", self.sip_port))
                try:
                    data = sock.recv(4096)
                    if data.startswith(b"SIP/2.0 200"):
                        return
                except TimeoutError:
                    continue
        raise RuntimeError("kamailio did not answer")

    def stop(self) -> None:
        if self.proc is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, signal.SIGTERM)
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=5)
        # Children that outlive the main process are in the same group.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, signal.SIGKILL)
