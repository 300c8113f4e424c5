"""Personal data at rest: one encryption helper for recordings, attachments and whatever comes next.

Files are encrypted in fixed-size chunks with AES-256-GCM, so a reader can seek: serving an
HTTP range of a recording decrypts only the chunks the range touches. The format (see
docs/security-at-rest.md) is a 64-byte header, then the chunks:

    header  magic "TWAR" · version 1 · algorithm 1 (AES-256-GCM) · chunk size (uint32)
            · key id (16 bytes, ASCII, NUL-padded) · file id (16 random bytes) · zeros
    chunk i ciphertext of ``chunk size`` plaintext bytes (the last one shorter) + 16-byte tag

Each file has its own key, HKDF-SHA256(master key, salt = file id, info = key id), so nonces
never repeat across files; a chunk's nonce is its index (uint64) and a last-chunk flag, and
the header is the associated data of every chunk. A chunk moved, a file cut short, a header
changed (another key id, chunk size, file id) all fail authentication rather than decrypt to
something else.

Master keys live in a JSON key file outside the data directory (``TAWASUL_DATA_KEY_FILE``),
made 0600 on first use; ``tawasul rekey`` adds a key, re-encrypts every file under it and
retires the old ones.
"""

from __future__ import annotations

import base64
import contextlib
import io
import json
import os
import secrets
import struct
import tempfile
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

MAGIC = b"TWAR"
VERSION = 1
ALG_AES256GCM = 1
HEADER = struct.Struct(">4sBBI16s16s22x")  # 64 bytes
HEADER_SIZE = HEADER.size
TAG_SIZE = 16
CHUNK_SIZE = 64 * 1024
ENCRYPTED_SUFFIX = ".enc"

PRIVATE_FILE = 0o600
PRIVATE_DIR = 0o700


class DecryptionError(Exception):
    """The file is not ours, was changed, or its key is not in the key file."""


class NotEncrypted(DecryptionError):
    """The file has no Tawasul header (plaintext, or another format)."""


# --- private files and directories ----------------------------------------------------------


def private_dirs(path: Path) -> Path:
    """``path`` and every missing parent made 0700 (``os.makedirs`` applies its mode to the
    last level only)."""
    path = Path(path)
    missing = []
    probe = path
    while not probe.exists():
        missing.append(probe)
        probe = probe.parent
    for directory in reversed(missing):
        with contextlib.suppress(FileExistsError):
            directory.mkdir(mode=PRIVATE_DIR)
        directory.chmod(PRIVATE_DIR)
    return path


def _write_private(path: Path, write) -> None:
    """Write through a 0600 temporary file in the same directory, then rename over ``path``:
    a reader never sees half a file, and the data is never readable by others."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        os.fchmod(fd, PRIVATE_FILE)
        with os.fdopen(fd, "wb") as out:
            write(out)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


# --- keys ------------------------------------------------------------------------------------


def key_file_path() -> Path:
    """``TAWASUL_DATA_KEY_FILE``, by default ``<data dir>.datakey`` beside (not inside) the data
    directory, so a copy of the data directory alone cannot be read."""
    configured = getattr(settings, "TAWASUL_DATA_KEY_FILE", None) or os.environ.get(
        "TAWASUL_DATA_KEY_FILE"
    )
    if configured:
        return Path(configured)
    data_dir = Path(settings.DATA_DIR)
    return data_dir.parent / f"{data_dir.name}.datakey"


@dataclass
class KeyRing:
    """The master keys by id; ``current`` encrypts, any of them decrypts."""

    current: str
    keys: dict[str, bytes] = field(default_factory=dict)

    def key(self, key_id: str) -> bytes:
        try:
            return self.keys[key_id]
        except KeyError:
            raise DecryptionError(f"key {key_id!r} is not in the key file") from None

    def to_json(self) -> str:
        return json.dumps(
            {
                "version": 1,
                "current": self.current,
                "keys": {kid: base64.b64encode(k).decode() for kid, k in self.keys.items()},
            },
            indent=1,
        )

    @classmethod
    def from_json(cls, text: str, *, source: str) -> KeyRing:
        try:
            data = json.loads(text)
            keys = {str(k): base64.b64decode(v, validate=True) for k, v in data["keys"].items()}
            ring = cls(current=str(data["current"]), keys=keys)
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise DecryptionError(f"{source}: not a Tawasul key file ({exc})") from None
        if ring.current not in keys or any(len(k) != 32 for k in keys.values()):
            raise DecryptionError(f"{source}: the current key is missing or a key is not 32 bytes")
        if any(not kid.isascii() or not 0 < len(kid) <= 16 for kid in keys):
            raise DecryptionError(f"{source}: a key id is not 1-16 ASCII characters")
        return ring


def new_key_id() -> str:
    return secrets.token_hex(4)


_cache: dict[str, tuple[float, KeyRing]] = {}
_cache_lock = threading.Lock()


def keyring(path: Path | None = None) -> KeyRing:
    """The key file's keys; a key file that does not exist yet is made (0600, one new key)."""
    path = Path(path or key_file_path())
    if not path.exists():
        _create_key_file(path)
    with _cache_lock:
        mtime = path.stat().st_mtime
        cached = _cache.get(str(path))
        if cached and cached[0] == mtime:
            return cached[1]
        ring = KeyRing.from_json(path.read_text(), source=str(path))
        _cache[str(path)] = (mtime, ring)
        return ring


def _create_key_file(path: Path) -> None:
    private_dirs(path.parent)
    kid = new_key_id()
    ring = KeyRing(current=kid, keys={kid: AESGCM.generate_key(bit_length=256)})
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        os.fchmod(fd, PRIVATE_FILE)
        with os.fdopen(fd, "w") as out:
            out.write(ring.to_json())
            out.flush()
            os.fsync(out.fileno())
        # link() fails if another process made the file first: theirs is kept, never two.
        with contextlib.suppress(FileExistsError):
            os.link(tmp, path)
    finally:
        os.unlink(tmp)


def keyring_save(ring: KeyRing, path: Path | None = None) -> None:
    path = Path(path or key_file_path())
    _write_private(path, lambda out: out.write(ring.to_json().encode()))
    with _cache_lock:
        _cache.pop(str(path), None)


# --- the format ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Header:
    key_id: str
    file_id: bytes
    chunk_size: int = CHUNK_SIZE

    def pack(self) -> bytes:
        return HEADER.pack(
            MAGIC,
            VERSION,
            ALG_AES256GCM,
            self.chunk_size,
            self.key_id.encode("ascii").ljust(16, b"\0"),
            self.file_id,
        )

    @classmethod
    def unpack(cls, raw: bytes) -> Header:
        if len(raw) < HEADER_SIZE or raw[:4] != MAGIC:
            raise NotEncrypted("no Tawasul encryption header")
        _magic, version, alg, chunk, kid, file_id = HEADER.unpack(raw[:HEADER_SIZE])
        if version != VERSION or alg != ALG_AES256GCM or not 0 < chunk <= 16 * 1024 * 1024:
            raise DecryptionError(f"unknown format: version {version}, algorithm {alg}")
        return cls(key_id=kid.rstrip(b"\0").decode("ascii", "replace"), file_id=file_id,
                   chunk_size=chunk)  # fmt: skip


def _file_cipher(master: bytes, header: Header) -> AESGCM:
    subkey = HKDF(
        algorithm=hashes.SHA256(),
        length=32,
        salt=header.file_id,
        info=b"tawasul at-rest v1 " + header.key_id.encode("ascii"),
    ).derive(master)
    return AESGCM(subkey)


def _nonce(index: int, *, last: bool) -> bytes:
    return struct.pack(">QB3x", index, 1 if last else 0)


def _chunks(source: BinaryIO, size: int) -> Iterator[tuple[bytes, bool]]:
    """(chunk, is_last) with one chunk of look-ahead; an empty source gives one empty chunk."""
    current = source.read(size)
    while True:
        following = source.read(size) if len(current) == size else b""
        yield current, not following
        if not following:
            return
        current = following


def encrypt_stream(source: BinaryIO, out: BinaryIO, *, ring: KeyRing | None = None) -> None:
    """Encrypt everything ``source`` reads into ``out`` under the current key."""
    ring = ring or keyring()
    header = Header(key_id=ring.current, file_id=secrets.token_bytes(16))
    packed = header.pack()
    cipher = _file_cipher(ring.key(ring.current), header)
    out.write(packed)
    for index, (chunk, last) in enumerate(_chunks(source, header.chunk_size)):
        out.write(cipher.encrypt(_nonce(index, last=last), chunk, packed))


def encrypt_to(source: BinaryIO, target: Path, *, ring: KeyRing | None = None) -> Path:
    """Write ``source``, encrypted, to ``target`` (0600, atomically; its directory 0700)."""
    target = Path(target)
    private_dirs(target.parent)
    _write_private(target, lambda out: encrypt_stream(source, out, ring=ring))
    return target


def encrypt_file(plain: Path, target: Path | None = None, *, ring: KeyRing | None = None) -> Path:
    """Encrypt ``plain`` to ``target`` (default: the same name + ``.enc``), then remove the
    plaintext. Returns the encrypted file's path."""
    plain = Path(plain)
    target = Path(target) if target else plain.with_name(plain.name + ENCRYPTED_SUFFIX)
    with plain.open("rb") as source:
        encrypt_to(source, target, ring=ring)
    if target != plain:
        plain.unlink()
    return target


def is_encrypted(path: Path) -> bool:
    try:
        with open(path, "rb") as raw:
            return raw.read(4) == MAGIC
    except OSError:
        return False


class DecryptedReader(io.RawIOBase):
    """A seekable read-only view of the plaintext of an encrypted file.

    ``seek``/``read`` decrypt (and authenticate) only the chunks they touch, so a range of a
    long recording costs a chunk or two.
    """

    def __init__(self, path: Path, *, ring: KeyRing | None = None) -> None:
        super().__init__()
        self.name = str(path)
        self._raw = open(path, "rb")  # noqa: SIM115 (closed by close())
        try:
            self._packed = self._raw.read(HEADER_SIZE)
            self.header = Header.unpack(self._packed)
            ring = ring or keyring()
            self._cipher = _file_cipher(ring.key(self.header.key_id), self.header)
            body = os.fstat(self._raw.fileno()).st_size - HEADER_SIZE
            step = self.header.chunk_size + TAG_SIZE
            self._count = max(1, -(-body // step))
            self.size = body - self._count * TAG_SIZE
            if self.size < 0 or body < TAG_SIZE:
                raise DecryptionError("the file is cut short")
        except BaseException:
            self._raw.close()
            raise
        self._pos = 0
        self._cached: tuple[int, bytes] | None = None
        try:
            # The last chunk, authenticated at once: a file cut short at a chunk boundary has
            # a last chunk without the last-chunk flag, so the size above is only trusted now.
            self._chunk(self._count - 1)
        except BaseException:
            self._raw.close()
            raise

    def _chunk(self, index: int) -> bytes:
        if self._cached and self._cached[0] == index:
            return self._cached[1]
        step = self.header.chunk_size + TAG_SIZE
        self._raw.seek(HEADER_SIZE + index * step)
        data = self._raw.read(step)
        try:
            plain = self._cipher.decrypt(
                _nonce(index, last=index == self._count - 1), data, self._packed
            )
        except InvalidTag:
            raise DecryptionError(f"{self.name}: chunk {index} fails authentication") from None
        self._cached = (index, plain)
        return plain

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._pos

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self._pos, io.SEEK_END: self.size}[whence]
        if base + offset < 0:
            raise ValueError("negative seek position")
        self._pos = base + offset
        return self._pos

    def readinto(self, buffer) -> int:
        if self._pos >= self.size:
            return 0
        index, within = divmod(self._pos, self.header.chunk_size)
        plain = self._chunk(index)
        piece = plain[within : within + len(buffer)]
        buffer[: len(piece)] = piece
        self._pos += len(piece)
        return len(piece)

    def close(self) -> None:
        if not self.closed:
            self._raw.close()
        super().close()


def open_decrypted(path: Path, *, ring: KeyRing | None = None) -> io.BufferedReader:
    """The plaintext of ``path`` as a buffered, seekable binary file (use it in ``with``)."""
    reader = DecryptedReader(Path(path), ring=ring)
    buffered = io.BufferedReader(reader, buffer_size=CHUNK_SIZE)
    buffered.size = reader.size  # type: ignore[attr-defined]
    return buffered


def decrypt_to(path: Path, target: Path, *, ring: KeyRing | None = None) -> Path:
    """Write the plaintext of ``path`` to ``target`` (0600): for tools that need a real file."""
    with open_decrypted(path, ring=ring) as plain:
        _write_private(Path(target), lambda out: _copy(plain, out))
    return Path(target)


def _copy(source: BinaryIO, out: BinaryIO) -> None:
    while chunk := source.read(CHUNK_SIZE):
        out.write(chunk)


def plaintext_size(path: Path, *, ring: KeyRing | None = None) -> int:
    with open_decrypted(path, ring=ring) as plain:
        return plain.size  # type: ignore[attr-defined]


# --- rotation --------------------------------------------------------------------------------


def reencrypt_file(path: Path, *, ring: KeyRing) -> bool:
    """Encrypt ``path`` again under ``ring.current``; False if it already is."""
    path = Path(path)
    with open(path, "rb") as raw:
        header = Header.unpack(raw.read(HEADER_SIZE))
    if header.key_id == ring.current:
        return False
    with open_decrypted(path, ring=ring) as plain:
        _write_private(path, lambda out: encrypt_stream(plain, out, ring=ring))
    return True


def encrypted_files(roots: Iterable[Path]) -> Iterator[Path]:
    """Every Tawasul-encrypted file under ``roots`` (symlinks not followed)."""
    seen: set[Path] = set()
    for root in roots:
        root = Path(root)
        if not root.exists():
            continue
        for dirpath, _dirs, files in os.walk(root):
            for name in files:
                candidate = Path(dirpath) / name
                if candidate not in seen and not candidate.is_symlink():
                    seen.add(candidate)
                    if is_encrypted(candidate):
                        yield candidate


# --- the process and the data directory ------------------------------------------------------

PRIVATE_UMASK = 0o077


def private_umask() -> None:
    """Every file a Tawasul process (and its children: Kannel, Kamailio, sox, the media
    workers) creates is its owner's alone: 0600 files, 0700 directories."""
    os.umask(PRIVATE_UMASK)


def tighten_data_dir(data_dir: Path, *, extra_files: Iterable[Path] = ()) -> None:
    """Make what an earlier, looser version left behind private: the data directory and its
    top-level entries (nothing below is reachable once they are 0700), the SQLite database
    and the SIP front's subscriber file wherever they are."""
    data_dir = Path(data_dir)
    if not data_dir.is_dir():
        return
    targets = [data_dir, *data_dir.iterdir(), *extra_files]
    front = data_dir / "voice" / "front"
    targets += [front, *front.glob("subscribers.sqlite*")]
    for target in targets:
        try:
            if target.is_symlink() or not target.exists():
                continue
            target.chmod(PRIVATE_DIR if target.is_dir() else PRIVATE_FILE)
        except OSError:
            pass  # not ours (a shared socket directory): left as it is
