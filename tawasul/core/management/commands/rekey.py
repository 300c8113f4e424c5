"""`tawasul rekey`: a new data key, every encrypted file re-encrypted under it, old keys retired.

Crash-safe in steps: the new key is added (old ones kept) before any file changes; each file
is replaced atomically; the old keys leave the key file only when every file was re-encrypted.
Run it again after a failure: files already under the new key are skipped.
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from tawasul.core import crypto
from tawasul.core.storage import personal_data_roots


class Command(BaseCommand):
    help = "Re-encrypt recordings and attachments under a new data key and retire the old keys."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--keep-old", action="store_true", help="keep the old keys in the key file"
        )
        parser.add_argument(
            "--root",
            action="append",
            default=[],
            help="another directory holding encrypted files (default: the data directory "
            "and MEDIA_ROOT)",
        )

    def handle(self, *args, keep_old: bool, root: list[str], **options) -> None:
        path = crypto.key_file_path()
        old = crypto.keyring(path)
        kid = crypto.new_key_id()
        ring = crypto.KeyRing(current=kid, keys={**old.keys, kid: crypto.AESGCM.generate_key(256)})
        crypto.keyring_save(ring, path)
        roots = [*personal_data_roots(), *(Path(r) for r in root)]
        done, failed = 0, []
        for file in crypto.encrypted_files(roots):
            try:
                done += crypto.reencrypt_file(file, ring=ring)
            except (crypto.DecryptionError, OSError) as exc:
                failed.append(f"{file}: {exc}")
        for line in failed:
            self.stderr.write(f"not re-encrypted: {line}")
        if not keep_old and not failed:
            crypto.keyring_save(crypto.KeyRing(current=kid, keys={kid: ring.keys[kid]}), path)
        self.stdout.write(
            f"key {kid} in {path}: {done} file(s) re-encrypted; "
            + ("old keys kept" if keep_old or failed else "old keys retired")
        )
        if failed:
            raise CommandError(f"{len(failed)} file(s) could not be re-encrypted (listed above)")
