"""Which connected calls the agents have put on hold, read for the whole gateway at once.

The desk's Hold / Resume write a ``CallHold`` (services.call_hold_start / call_hold_end); the
bridged call's thread must follow it. Asking the database from every bridged call every second
would cost one query per call per second and, on PostgreSQL, keep one pooled connection per
bridged call; this thread asks once a second for all of them, and only while calls are bridged.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

from django.db import close_old_connections, connection

log = logging.getLogger("tawasul.voice")


class HoldWatch(threading.Thread):
    def __init__(self, poll_seconds: float = 1.0) -> None:
        super().__init__(daemon=True, name="voice-holds")
        self.poll_seconds = poll_seconds
        self.held: frozenset[Any] = frozenset()
        self.watching = 0  # bridged calls; nothing is read while there are none
        self.lock = threading.Lock()
        self.stopping = threading.Event()

    def is_held(self, interaction_id: Any) -> bool:
        return interaction_id in self.held

    def watch(self, *, on: bool) -> None:
        """A call is bridged (``on``) or no longer bridged."""
        with self.lock:
            self.watching += 1 if on else -1
            if not self.watching:
                self.held = frozenset()

    def stop(self) -> None:
        self.stopping.set()

    def run(self) -> None:
        from tawasul.voice.models import CallHold

        while not self.stopping.wait(self.poll_seconds):
            if not self.watching:
                continue
            try:
                close_old_connections()
                open_holds = CallHold.objects.filter(ended_at__isnull=True)
                self.held = frozenset(open_holds.values_list("interaction_id", flat=True))
            except Exception:
                log.exception("reading the calls on hold failed; calls stay as they are")
            finally:
                connection.close()
