"""Fixtures shared with other rooms so the live simulator is tested against the real parts:
the voice gateway (Kamailio front, pjsua2 workers, controller threads) and the channels' web
server and Kannel (bearerbox, smsbox, fakesmsc as the operator)."""

from tests.omnichannel.conftest import child_env, kannel, kannel_session, web  # noqa: F401
from tests.voice.conftest import gateway, line, voice_dir  # noqa: F401
