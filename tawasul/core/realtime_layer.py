"""The embedded default's real-time layer: a private ``redis-server`` on a Unix socket.

Every process of ``tawasul run`` (web, task worker, scheduler, voice gateway, channel
listeners, simulator) publishes events; an in-memory channel layer lives inside one process,
so what the gateway or the worker published never reached a browser connected to the web
server. The run therefore starts one small Redis of its own, the way it starts Kannel and
Kamailio, and hands its address to every child as ``REDIS_URL`` — the same switch the scaled
mode sets to a shared Redis. Why Redis and not a database-backed layer: ``docs/realtime.md``.

The socket lives in a 0700 directory of the data directory: only this user's processes reach
it, and nothing listens on a TCP port. Nothing is persisted (events are live or nothing; what
a page missed it re-reads over HTTP when it reconnects).
"""

from __future__ import annotations

import shutil
import subprocess
import time
from pathlib import Path

import redis

DEBIAN_PACKAGE = "redis-server"


class LayerUnavailable(RuntimeError):
    """The private layer could not start; the message says why and what to install."""


def socket_path(data_dir: Path) -> Path:
    return Path(data_dir) / "realtime" / "redis.sock"


def layer_url(data_dir: Path) -> str:
    return f"unix://{socket_path(data_dir)}"


def private_layer_start(
    data_dir: Path, *, output=subprocess.PIPE, timeout: float = 10.0
) -> tuple[subprocess.Popen, str]:
    """Start ``redis-server`` on ``<data_dir>/realtime/redis.sock``; return it and its URL once
    it answers PING. ``output`` is where its log goes (a pipe the caller reads, or a file).
    The caller stops it (``private_layer_stop``) after its children."""
    binary = shutil.which("redis-server")
    if binary is None:
        raise LayerUnavailable(
            f"redis-server is not installed: the live desk and wallboard need it "
            f"(Debian package '{DEBIAN_PACKAGE}'; `make demo` installs it when run as root), "
            f"or set REDIS_URL to a Redis server"
        )
    sock = socket_path(data_dir)
    sock.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    sock.parent.chmod(0o700)
    sock.unlink(missing_ok=True)  # left by a run that was killed
    argv = [
        binary, "--port", "0", "--unixsocket", str(sock), "--unixsocketperm", "700",
        "--dir", str(sock.parent), "--save", "", "--appendonly", "no",
        # Its own log beside the socket: start-up banners and kernel advice are not the
        # center's console news.
        "--daemonize", "no", "--loglevel", "warning", "--logfile", str(sock.parent / "redis.log"),
        # A few thousand queued events at most; a runaway publisher must not eat the box.
        "--maxmemory", "64mb",
    ]  # fmt: skip
    server = subprocess.Popen(argv, stdout=output, stderr=subprocess.STDOUT, text=True)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            said = server.stdout.read() if server.stdout else ""
            raise LayerUnavailable(f"redis-server exited with {server.returncode}: {said}")
        if sock.exists() and _answers(sock):
            return server, layer_url(data_dir)
        time.sleep(0.05)
    private_layer_stop(server)
    raise LayerUnavailable(f"redis-server did not answer on {sock} within {timeout:.0f} s")


def private_layer_stop(server: subprocess.Popen) -> None:
    if server.poll() is None:
        server.terminate()
        try:
            server.wait(timeout=5)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def _answers(sock: Path) -> bool:
    client = redis.Redis(unix_socket_path=str(sock), socket_timeout=1)
    try:
        return bool(client.ping())
    except redis.RedisError:
        return False
    finally:
        client.close()
