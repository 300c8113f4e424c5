"""What `tawasul run` starts for voice: the gateway on a configured SIP port (5060 if free,
else 5070; set TAWASUL_VOICE_SIP_PORT to choose)."""

from __future__ import annotations

import os
import sys


def processes(*, host: str, port: int) -> dict[str, list[str]]:
    sip_port = os.environ.get("TAWASUL_VOICE_SIP_PORT", "5070")
    return {"voice": [sys.executable, "-m", "tawasul.cli", "voice", "--sip-port", sip_port]}
