"""The voice gateway fixtures (Kamailio front, pjsua2 workers, controller threads), shared
with the voice room so the live simulator is tested against the real gateway."""

from tests.voice.conftest import gateway, line, voice_dir  # noqa: F401
