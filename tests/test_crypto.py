"""The at-rest encryption helper (tawasul/core/crypto.py): format, seeking, tampering, keys,
and `tawasul rekey`."""

from __future__ import annotations

import io
import json
import os
import stat

import pytest
from django.core.management import call_command

from tawasul.core import crypto


@pytest.fixture
def key_file(tmp_path, settings):
    path = tmp_path / "keys" / "data.key"
    settings.TAWASUL_DATA_KEY_FILE = str(path)
    return path


def mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_the_key_file_is_made_private_on_first_use(key_file):
    ring = crypto.keyring()
    assert mode(key_file) == 0o600 and mode(key_file.parent) == 0o700
    saved = json.loads(key_file.read_text())
    assert saved["current"] == ring.current and list(saved["keys"]) == [ring.current]
    assert crypto.keyring() == ring, "the same key on the next use, not a new one"


@pytest.mark.parametrize("size", [0, 1, crypto.CHUNK_SIZE - 1, crypto.CHUNK_SIZE,
                                  3 * crypto.CHUNK_SIZE, 3 * crypto.CHUNK_SIZE + 17])  # fmt: skip
def test_a_file_round_trips_and_seeks(key_file, tmp_path, size):
    data = os.urandom(size)
    plain = tmp_path / "voice.wav"
    plain.write_bytes(data)
    enc = crypto.encrypt_file(plain)
    assert enc.name == "voice.wav.enc" and not plain.exists()
    assert mode(enc) == 0o600
    raw = enc.read_bytes()
    assert raw[:4] == b"TWAR"
    chunks = max(1, -(-size // crypto.CHUNK_SIZE))
    assert len(raw) == crypto.HEADER_SIZE + size + crypto.TAG_SIZE * chunks
    if size >= 64:
        assert data[:64] not in raw
    with crypto.open_decrypted(enc) as reader:
        assert reader.size == size
        assert reader.read() == data
        for offset in {0, size // 2, max(size - 5, 0), crypto.CHUNK_SIZE + 3}:
            reader.seek(offset)
            assert reader.read(100) == data[offset : offset + 100]
        if size >= 3:
            reader.seek(-3, io.SEEK_END)
            assert reader.read() == data[-3:]


def test_tampering_truncation_and_plaintext_are_refused(key_file, tmp_path):
    data = os.urandom(2 * crypto.CHUNK_SIZE)
    enc = crypto.encrypt_to(io.BytesIO(data), tmp_path / "a.enc")
    raw = bytearray(enc.read_bytes())

    flipped = tmp_path / "flipped.enc"
    flipped.write_bytes(raw[:100] + bytes([raw[100] ^ 1]) + raw[101:])
    with pytest.raises(crypto.DecryptionError, match="chunk 0"):
        crypto.open_decrypted(flipped).read()

    # Cut at a chunk boundary: what is left is well-formed but its last chunk is not the last.
    cut = tmp_path / "cut.enc"
    cut.write_bytes(raw[: crypto.HEADER_SIZE + crypto.CHUNK_SIZE + crypto.TAG_SIZE])
    with pytest.raises(crypto.DecryptionError, match="authentication"):
        crypto.open_decrypted(cut)

    other_key = tmp_path / "header.enc"  # another key id in the header
    other_key.write_bytes(raw[:10] + b"zzzzzzzz" + raw[18:])
    with pytest.raises(crypto.DecryptionError, match="not in the key file"):
        crypto.open_decrypted(other_key)

    plain = tmp_path / "plain.wav"
    plain.write_bytes(b"RIFF" + bytes(100))
    with pytest.raises(crypto.NotEncrypted):
        crypto.open_decrypted(plain)


def test_rekey_re_encrypts_every_file_and_retires_the_old_key(key_file, tmp_path, settings):
    settings.DATA_DIR = tmp_path / "data"
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.TAWASUL_VOICE_DIR = str(tmp_path / "voice")
    old = crypto.keyring().current
    first = crypto.encrypt_to(io.BytesIO(b"caller audio"), tmp_path / "voice" / "1.wav.enc")
    media = crypto.encrypt_to(io.BytesIO(b"%PDF-1.4 id card"), tmp_path / "media" / "cases" / "2")
    out = io.StringIO()
    call_command("rekey", stdout=out)
    ring = crypto.keyring()
    assert ring.current != old and list(ring.keys) == [ring.current]
    assert "2 file(s) re-encrypted; old keys retired" in out.getvalue()
    for path, text in ((first, b"caller audio"), (media, b"%PDF-1.4 id card")):
        assert path.read_bytes()[10:18].rstrip(b"\0").decode() == ring.current
        assert crypto.open_decrypted(path).read() == text
        assert mode(path) == 0o600
