"""Processes of the simulator room for ``tawasul run``: the live demo stream."""

from __future__ import annotations

import sys

from tawasul.sim import conf


def processes(*, host: str, port: int) -> dict[str, list[str]]:
    """``simulator``: a few realistic contacts a minute through the real entry points — SIP
    calls into the voice gateway, e-mail over SMTP, SMS through Kannel, the portal and app
    API over HTTP on this web server (SIM_LIVE=0 turns it off). It starts with the others
    and waits for the gateway to answer before its agents' phones register."""
    if not conf.live_enabled():
        return {}
    web = "127.0.0.1" if host in ("", "0.0.0.0", "::") else host
    return {
        "simulator": [
            sys.executable, "-m", "tawasul.cli", "simulate", "--live",
            "--web-url", f"http://{web}:{port}",
        ]
    }  # fmt: skip
