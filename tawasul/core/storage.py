"""File storage for personal data: encrypted at rest through :mod:`tawasul.core.crypto`.

``EncryptedStorage`` is a ``FileSystemStorage`` whose files are written encrypted (0600, in
0700 directories) and opened decrypted, so a ``FileField`` using it (case attachments) needs
no change in the code that saves or reads it: ``field.save(name, upload)`` and
``field.open()`` work as before, and the bytes on disk are never the plaintext.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.core.files.storage import FileSystemStorage
from django.utils.deconstruct import deconstructible

from tawasul.core import crypto


@deconstructible
class EncryptedStorage(FileSystemStorage):
    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("file_permissions_mode", crypto.PRIVATE_FILE)
        kwargs.setdefault("directory_permissions_mode", crypto.PRIVATE_DIR)
        super().__init__(**kwargs)

    def _save(self, name: str, content: File) -> str:
        full = Path(self.path(name))
        crypto.private_dirs(full.parent)
        if full.exists():
            # Never overwrite: the same contract as FileSystemStorage (get_available_name).
            name = self.get_available_name(name)
            full = Path(self.path(name))
        if hasattr(content, "seek"):
            content.seek(0)
        crypto.encrypt_to(content, full)
        return str(name).replace("\\", "/")

    def _open(self, name: str, mode: str = "rb") -> File:
        if "w" in mode or "+" in mode or "a" in mode:
            raise ValueError("encrypted files are written with save(), not opened for writing")
        return File(crypto.open_decrypted(Path(self.path(name))), name=name)

    def size(self, name: str) -> int:
        return crypto.plaintext_size(Path(self.path(name)))


def attachment_storage() -> EncryptedStorage:
    """The storage of case attachments (a callable, so migrations do not freeze MEDIA_ROOT)."""
    return EncryptedStorage()


def personal_data_roots() -> list[Path]:
    """Where encrypted personal data lives: what `tawasul rekey` walks."""
    roots = [Path(settings.DATA_DIR), Path(settings.MEDIA_ROOT)]
    voice = getattr(settings, "TAWASUL_VOICE_DIR", None)
    if voice:
        roots.append(Path(voice))
    return roots
