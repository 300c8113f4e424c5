"""IMAP polling throughput: messages APPENDed to a private Dovecot, then one ``poll_once``.

    .venv/bin/python bench/imap_poll.py                 # 300 messages, SQLite
    .venv/bin/python bench/imap_poll.py -n 1000 --postgres

Creates a fresh data directory (SQLite) or a throwaway database ``tw_imapbench_<pid>``
(PostgreSQL), migrates it, loads the test directory (tests/support.py), starts the private
Dovecot of the tests (tests/omnichannel/dovecot.py), delivers N Arabic e-mails (every tenth a
second copy of an earlier one, as a mail server that delivered twice), and times one pass
that stores them all: wall time, and CPU time of this process (the poller and the database
work; Dovecot's own CPU is not counted). Then times a pass that finds nothing new.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from email.headerregistry import Address
from email.message import EmailMessage
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _message(n: int) -> bytes:
    msg = EmailMessage()
    msg["From"] = Address(display_name="مريم الكواري", username=f"resident{n}", domain="example.qa")
    msg["To"] = "phcc@tawasul.example" if n % 2 else "hello@tawasul.example"
    msg["Subject"] = f"طلب رقم {n} — request {n}"
    msg["Message-ID"] = f"<bench-{n}@example.qa>"
    msg.set_content("السلام عليكم،\nتم تأجيل موعدي ثلاث مرات.\n" * 5)
    return bytes(msg)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("-n", type=int, default=300, help="distinct messages (default 300)")
    parser.add_argument("--postgres", action="store_true")
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="tawasul-imapbench-"))
    os.environ["TAWASUL_DATA_DIR"] = str(tmp)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tawasul.settings")
    os.environ["LOG_LEVEL"] = "WARNING"
    pg_name = f"tw_imapbench_{os.getpid()}"
    if args.postgres:
        import psycopg

        with psycopg.connect("postgresql://root@127.0.0.1:5432/postgres", autocommit=True) as db:
            db.execute(f'CREATE DATABASE "{pg_name}"')
        os.environ["DATABASE_URL"] = f"postgres://root@127.0.0.1:5432/{pg_name}"
    else:
        os.environ.pop("DATABASE_URL", None)

    from tests.omnichannel.dovecot import PASSWORD, USER, Dovecot

    server = Dovecot()
    try:
        os.environ.update(
            TAWASUL_IMAP_HOST="127.0.0.1",
            TAWASUL_IMAP_PORT=str(server.port),
            TAWASUL_IMAP_SSL="0",
            TAWASUL_IMAP_USER=USER,
            TAWASUL_IMAP_PASSWORD=PASSWORD,
        )
        import django

        django.setup()
        from django.core.management import call_command

        from tawasul.interactions.models import Interaction
        from tawasul.omnichannel import imap
        from tests.support import make_directory

        call_command("migrate", verbosity=0)
        make_directory()

        client = server.client()
        copies = 0
        for n in range(args.n):
            client.append("INBOX", None, None, _message(n))
            if n % 10 == 9:  # delivered twice
                client.append("INBOX", None, None, _message(n - 5))
                copies += 1
        client.logout()

        wall, cpu = time.perf_counter(), time.process_time()
        result = imap.poll_once()
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        total = args.n + copies
        assert result.stored == args.n and result.duplicates == copies, result
        assert Interaction.objects.count() == args.n

        empty_wall, empty_cpu = time.perf_counter(), time.process_time()
        again = imap.poll_once()
        empty_wall = time.perf_counter() - empty_wall
        empty_cpu = time.process_time() - empty_cpu
        assert not again, again

        database = "postgresql" if args.postgres else "sqlite"
        print(f"imap_poll on {database}: {total} messages ({copies} second copies) in one pass")
        print(f"  wall {wall:.2f} s = {total / wall:.0f} messages/s")
        print(f"  cpu  {cpu:.2f} s = {1000 * cpu / total:.1f} ms per message (this process)")
        print(f"  pass with nothing new: wall {1000 * empty_wall:.1f} ms, "
              f"cpu {1000 * empty_cpu:.1f} ms")  # fmt: skip
    finally:
        server.stop()
        if args.postgres:
            from django.db import connections

            connections.close_all()
            import psycopg

            with psycopg.connect(
                "postgresql://root@127.0.0.1:5432/postgres", autocommit=True
            ) as db:
                db.execute(f'DROP DATABASE IF EXISTS "{pg_name}" WITH (FORCE)')
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
