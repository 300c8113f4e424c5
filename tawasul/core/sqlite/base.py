"""SQLite backend that queues this process's writers on a lock instead of SQLite's busy loop.

With ``BEGIN IMMEDIATE`` every transaction takes SQLite's single write lock. Threads that find
it taken wait in SQLite's busy handler, which sleeps and retries with growing pauses: under
load a few unlucky writers wait seconds while others get straight in. Taking a process-wide
lock first makes the writers of one process line up fairly; SQLite's busy timeout still
arbitrates between processes (web server, task worker). If the lock cannot be had within the
busy timeout, the transaction proceeds and SQLite decides, as before.
"""

import threading

from django.db.backends.sqlite3 import base

_WRITE_LOCK = threading.Lock()
_LOCK_TIMEOUT_SECONDS = 20


class DatabaseWrapper(base.DatabaseWrapper):
    _holds_write_lock = False

    def _start_transaction_under_autocommit(self):
        self._holds_write_lock = _WRITE_LOCK.acquire(timeout=_LOCK_TIMEOUT_SECONDS)
        try:
            super()._start_transaction_under_autocommit()
        except BaseException:
            self._release_write_lock()
            raise

    def _release_write_lock(self) -> None:
        if self._holds_write_lock:
            self._holds_write_lock = False
            _WRITE_LOCK.release()

    def _commit(self):
        try:
            return super()._commit()
        finally:
            self._release_write_lock()

    def _rollback(self):
        try:
            return super()._rollback()
        finally:
            self._release_write_lock()

    def _close(self):
        try:
            return super()._close()
        finally:
            self._release_write_lock()
