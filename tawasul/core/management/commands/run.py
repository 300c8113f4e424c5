"""Run the whole center on one machine: ASGI web server, task worker and scheduler.

Each part is its own process (as in the scaled set-up); this command starts them, prefixes
their output, and stops all of them when one exits or on Ctrl-C. Without ``REDIS_URL`` it
first starts a private real-time layer (``tawasul.core.realtime_layer``) and gives its address
to every child, so an event published by any of them reaches every browser.
"""

from __future__ import annotations

import importlib
import os
import signal
import subprocess
import sys
import threading
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from tawasul.core.realtime_layer import (
    LayerUnavailable,
    private_layer_start,
    private_layer_stop,
)

ROOMS = ("omnichannel", "voice", "desk", "insights", "sim")


def _pump(name: str, stream) -> None:
    for line in iter(stream.readline, ""):
        sys.stdout.write(f"[{name}] {line}")
        sys.stdout.flush()


class Command(BaseCommand):
    help = "Start the web server, the background worker and the scheduler together."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        parser.add_argument("--workers", type=int, default=int(os.environ.get("WEB_WORKERS", "1")))

    def processes(self, *, host: str, port: int, workers: int) -> dict[str, list[str]]:
        python = sys.executable
        core = {
            "web": [
                python, "-m", "uvicorn", "tawasul.asgi:application",
                "--host", host, "--port", str(port), "--workers", str(workers),
                "--log-level", "warning", "--no-access-log",
                *self._proxy_arguments(),
            ],
            "worker": [python, "-m", "tawasul.cli", "db_worker", "--no-startup-delay"],
            "scheduler": [python, "-m", "tawasul.cli", "scheduler"],
        }  # fmt: skip
        # Rooms that need their own processes (voice gateway, SMTP listener, Kannel,
        # simulator) say so in tawasul/<room>/processes.py: processes(host=, port=) -> dict.
        for room in ROOMS:
            try:
                module = importlib.import_module(f"tawasul.{room}.processes")
            except ModuleNotFoundError:
                continue
            core.update(module.processes(host=host, port=port))
        return core

    @staticmethod
    def _proxy_arguments() -> list[str]:
        # uvicorn believes X-Forwarded-For/-Proto from 127.0.0.1 unless told otherwise, which
        # would let anyone on the machine pick a client address. Only the configured proxies
        # are believed (tawasul.core.net.client_ip reads the client address the same way).
        proxies = settings.TAWASUL_TRUSTED_PROXIES
        if not proxies:
            return ["--no-proxy-headers"]
        return ["--proxy-headers", "--forwarded-allow-ips", ",".join(proxies)]

    def handle(self, *args, host: str, port: int, workers: int, **options) -> None:
        # Children build their own URLs back to the web (Kannel's delivery reports, the
        # outbox) from PORT: it must be the port this run serves, not a default.
        env = {**os.environ, "PYTHONUNBUFFERED": "1", "PORT": str(port)}
        layer = None
        if not env.get("REDIS_URL"):
            try:
                layer, env["REDIS_URL"] = private_layer_start(settings.DATA_DIR)
            except LayerUnavailable as error:
                raise CommandError(str(error)) from None
            threading.Thread(target=_pump, args=("realtime", layer.stdout), daemon=True).start()
            self.stdout.write(f"real-time layer: private Redis on {env['REDIS_URL']}")
        children: dict[str, subprocess.Popen] = {}
        for name, argv in self.processes(host=host, port=port, workers=workers).items():
            child = subprocess.Popen(
                argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
            )
            children[name] = child
            threading.Thread(target=_pump, args=(name, child.stdout), daemon=True).start()

        stopping = threading.Event()
        signal.signal(signal.SIGTERM, lambda *_: stopping.set())
        try:
            while not stopping.is_set():
                exited = [name for name, child in children.items() if child.poll() is not None]
                if exited:
                    self.stderr.write(f"{', '.join(exited)} stopped; stopping the rest")
                    break
                time.sleep(0.5)
        except KeyboardInterrupt:
            pass
        finally:
            for child in children.values():
                if child.poll() is None:
                    child.terminate()
            for child in children.values():
                try:
                    child.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    child.kill()
            if layer is not None:  # last: the children publish until they stop
                private_layer_stop(layer)
