"""The SIP front: Kamailio (Debian package) as registrar for agents' phones and dispatcher
across the media workers.

- REGISTER: digest authentication against the ``subscriber`` table of a small SQLite file that
  the gateway keeps in step with ``VoiceEndpoint`` (user name + HA1; no clear passwords);
  bindings in memory.
- INVITE from a caller: sent to a media worker, round robin; a worker that is full answers 486
  and Kamailio tries the next one (failover), so capacity grows with workers.
- INVITE from a media worker (``ds_is_from_list``): the agent's leg, relayed to the phone the
  agent registered; nobody else may call an agent's phone through the gateway.
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import socket
import sqlite3
import subprocess
import time
from pathlib import Path

from tawasul.voice import conf

log = logging.getLogger("tawasul.voice")

MODULES = "/usr/lib/x86_64-linux-gnu/kamailio/modules/"

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
modparam("usrloc", "db_mode", 0)
modparam("auth_db", "db_url", "sqlite:///{db}")
modparam("auth_db", "calculate_ha1", 0)
modparam("auth_db", "password_column", "ha1")
modparam("auth_db", "load_credentials", "")
modparam("auth_db", "use_domain", 0)
modparam("dispatcher", "list_file", "{dispatcher}")
modparam("dispatcher", "flags", 2)
modparam("tm", "fr_inv_timer", 60000)

request_route {{
    if (!mf_process_maxfwd_header("10")) {{ sl_send_reply("483", "Too Many Hops"); exit; }}
    if (has_totag()) {{
        if (loose_route()) {{ t_relay(); exit; }}
        if (is_method("ACK")) {{ if (t_check_trans()) {{ t_relay(); }} exit; }}
        sl_send_reply("404", "Not here"); exit;
    }}
    if (is_method("CANCEL")) {{ if (t_check_trans()) {{ t_relay(); }} exit; }}
    if (is_method("OPTIONS")) {{ sl_send_reply("200", "OK"); exit; }}
    t_check_trans();
    if (is_method("REGISTER")) {{
        if (!www_authorize("{realm}", "subscriber")) {{ www_challenge("{realm}", "0"); exit; }}
        if ($au != $tU) {{ sl_send_reply("403", "Forbidden auth ID"); exit; }}
        consume_credentials();
        if (!save("location")) {{ sl_reply_error(); }}
        exit;
    }}
    if (!is_method("INVITE")) {{ sl_send_reply("405", "Method Not Allowed"); exit; }}
    record_route();
    if (ds_is_from_list("1")) {{
        if (!lookup("location")) {{ sl_send_reply("404", "Agent phone not registered"); exit; }}
        t_relay(); exit;
    }}
    if (!ds_select_dst("1", "4")) {{ sl_send_reply("503", "No media worker"); exit; }}
    t_on_failure("NEXT_WORKER");
    t_relay(); exit;
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

    def __init__(self, *, sip_port: int, workers: list[int], data_dir: Path) -> None:
        self.sip_port = sip_port
        self.workers = workers
        self.dir = Path(data_dir)
        self.dir.mkdir(parents=True, exist_ok=True)
        self.db = self.dir / "subscribers.sqlite"
        self.proc: subprocess.Popen | None = None
        self._synced: list | None = None
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
        cfg = self.dir / "kamailio.cfg"
        cfg.write_text(
            CONFIG.format(
                port=self.sip_port,
                modules=MODULES,
                db=self.db,
                dispatcher=dispatcher,
                realm=conf.REALM,
            ),
            encoding="utf-8",
        )
        run_dir = self.dir / "run"
        run_dir.mkdir(exist_ok=True)
        self.log = open(self.dir / "kamailio.log", "ab")  # noqa: SIM115 - lives with the process
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
