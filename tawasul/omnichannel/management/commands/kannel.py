"""``tawasul kannel``: write kannel.conf on free ports and run bearerbox + smsbox.

With ``--fake-operator`` (the demo) Kannel's ``fakesmsc`` plays the mobile operator: every SMS
Tawasul sends is printed here decoded ("SMS to +974…: …"), and ``tawasul sms_mo`` makes a
resident's phone send one in.
"""

from __future__ import annotations

import json
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from tawasul.omnichannel import conf, kannel


def wait_for_port(port: int, *, timeout: float = 15.0, process=None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise CommandError(f"{process.args[0]} exited with {process.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise CommandError(f"nothing listens on port {port} after {timeout} s")


class Command(BaseCommand):
    help = "Configure and run Kannel (bearerbox + smsbox), optionally with fakesmsc."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--public-url", default=None, help="Tawasul's base URL for MO/DLR")
        parser.add_argument("--fake-operator", action="store_true", help="run fakesmsc too")

    def handle(self, *args, public_url: str | None, fake_operator: bool, **options) -> None:
        if not Path(kannel.BEARERBOX).exists():
            raise CommandError("Kannel is not installed (Debian package kannel)")
        public_url = public_url or conf.get("TAWASUL_PUBLIC_URL")
        ports = kannel.KannelPorts.free()
        path = kannel.write_config(ports=ports, public_url=public_url)
        self.children: list[subprocess.Popen] = []
        self.stop = threading.Event()
        signal.signal(signal.SIGTERM, lambda *_: self.stop.set())
        try:
            bearerbox = self._spawn([kannel.BEARERBOX, "-v", "2", str(path)])
            wait_for_port(ports.smsbox, process=bearerbox)
            smsbox = self._spawn([kannel.SMSBOX, "-v", "2", str(path)])
            wait_for_port(ports.sendsms, process=smsbox)
            self.stdout.write(
                f"kannel ready: sendsms http://127.0.0.1:{ports.sendsms}/cgi-bin/sendsms,"
                f" MO and DLR to {public_url}/channels/sms/"
            )
            self.stdout.flush()
            self.operator = None
            if fake_operator:
                self._operator(ports, None)
            self._loop(ports, fake_operator)
        except KeyboardInterrupt:
            pass
        finally:
            self._stop_all()

    def _spawn(self, argv: list[str], **kwargs) -> subprocess.Popen:
        child = subprocess.Popen(argv, **kwargs)
        self.children.append(child)
        return child

    def _operator(self, ports: kannel.KannelPorts, message: str | None) -> None:
        """(Re)start fakesmsc: it sends ``message`` (if any) and then prints what it gets."""
        if self.operator is not None:
            self.operator.terminate()
            self.operator.wait(timeout=10)
            self.children.remove(self.operator)
        # Console level 0: the "Got message" lines are how SMS become visible here.
        argv = [kannel.FAKESMSC, "-H", "127.0.0.1", "-r", str(ports.smsc), "-i", "0.1"]
        argv += ["-m", "1", message] if message else ["-m", "0", "0 0 text idle"]
        self.operator = self._spawn(
            argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        )
        threading.Thread(target=self._pump, args=(self.operator,), daemon=True).start()

    def _pump(self, child: subprocess.Popen) -> None:
        parts: list[kannel.FakeSms] = []
        for line in iter(child.stdout.readline, ""):
            part = kannel.parse_fakesmsc_line(line)
            if part is None:
                if "sent message" in line:
                    self.stdout.write("fakesmsc: MO message sent to Kannel")
                continue
            self.stdout.write(f"fakesmsc: {line.strip()}")
            parts.append(part)
            for receiver, text in kannel.assemble(parts):
                self.stdout.write(f"SMS to {receiver}: {text}")
                parts.clear()
            self.stdout.flush()

    def _loop(self, ports: kannel.KannelPorts, fake_operator: bool) -> None:
        spool = kannel.mo_spool()
        while not self.stop.is_set():
            for child in self.children:
                if child.poll() is not None and child is not getattr(self, "operator", None):
                    raise CommandError(f"{child.args[0]} exited with {child.returncode}")
            if fake_operator:
                for item in sorted(spool.glob("*.json")):
                    data = json.loads(item.read_text())
                    item.unlink()
                    self._operator(ports, kannel.fakesmsc_message(**data))
            self.stop.wait(0.5)

    def _stop_all(self) -> None:
        for child in reversed(self.children):
            if child.poll() is None:
                child.terminate()
        for child in reversed(self.children):
            try:
                child.wait(timeout=10)
            except subprocess.TimeoutExpired:
                child.kill()
        sys.stdout.flush()
