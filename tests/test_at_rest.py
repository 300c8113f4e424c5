"""Personal data at rest, process-wide: every `tawasul` process works under umask 0077 and
tightens what a looser earlier run left in the data directory (the database, the SIP front's
subscriber file); the data key file is made 0600 beside the data directory, not inside it."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

PROBE = textwrap.dedent(
    """
    import os
    from pathlib import Path
    from django.conf import settings
    from django.db import connection
    from tawasul.core import crypto
    from tawasul.voice.front import Front

    connection.ensure_connection()
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE probe (x)")
    data = Path(settings.DATA_DIR)
    (data / "made" / "below").mkdir(parents=True)
    (data / "made" / "below" / "file").write_text("x")
    Front(sip_port=5999, workers=[], data_dir=data / "voice2" / "front")
    crypto.keyring()
    print("umask", oct(os.umask(0o077)))
    """
)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_every_tawasul_process_keeps_its_files_private(tmp_path):
    data = tmp_path / "data"
    front = data / "voice" / "front"
    front.mkdir(parents=True)
    # What an earlier version left: world-readable database, subscriber file and directories.
    for loose in (data / "tawasul.sqlite3", front / "subscribers.sqlite"):
        loose.write_bytes(b"")
        loose.chmod(0o644)
    for directory in (data, data / "voice", front):
        directory.chmod(0o755)
    env = {
        k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "TAWASUL_DATA_KEY_FILE")
    }
    env["TAWASUL_DATA_DIR"] = str(data)
    result = subprocess.run(
        [sys.executable, "-m", "tawasul.cli", "shell", "-c", PROBE],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "umask 0o77" in result.stdout
    for directory in (data, data / "voice", data / "made", data / "made" / "below", front):
        assert mode(directory) == 0o700, directory
    for file in (
        data / "tawasul.sqlite3",
        front / "subscribers.sqlite",
        data / "made" / "below" / "file",
        data / "voice2" / "front" / "subscribers.sqlite",
        data / "secret_key",
    ):
        assert mode(file) == 0o600, file
    key = tmp_path / "data.datakey"  # beside the data directory: a copy of it alone is unreadable
    assert key.exists() and mode(key) == 0o600
    assert not list(data.rglob("*.datakey"))
