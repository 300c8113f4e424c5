"""Processes of the simulator room for ``tawasul run``: the live demo stream."""

from __future__ import annotations

import sys

from tawasul.sim import conf


def processes(*, host: str, port: int) -> dict[str, list[str]]:
    """``simulator``: a few realistic contacts a minute through the real services (SIM_LIVE=0
    turns it off)."""
    if not conf.live_enabled():
        return {}
    return {"simulator": [sys.executable, "-m", "tawasul.cli", "simulate", "--live"]}
