"""The ``tawasul`` command: Django's manage.py with Tawasul's settings.

``tawasul seed demo``, ``tawasul run``, ``tawasul migrate`` … are all management commands.
"""

import os
import sys
from pathlib import Path

# Module-level imports that touch no settings: the umask must be set before the settings
# module creates the data directory.
from tawasul.core.crypto import private_umask, tighten_data_dir


def _private_files() -> None:
    """Files 0600, directories 0700 for this process and every process it starts; what a
    looser earlier run left in the data directory is tightened too."""
    private_umask()
    from django.conf import settings

    database = settings.DATABASES["default"]
    extra = []
    if "sqlite" in database["ENGINE"]:
        name = Path(str(database["NAME"]))
        extra = [name, *name.parent.glob(name.name + "-*")]
    tighten_data_dir(Path(settings.DATA_DIR), extra_files=extra)


def main(argv: list[str] | None = None) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tawasul.settings")
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:
        _private_files()  # reads the settings: a bad one is reported like any other below
        execute_from_command_line(["tawasul", *(argv if argv is not None else sys.argv[1:])])
    except ImproperlyConfigured as error:
        # A setting the operator must fix (a missing SECRET_KEY in production…): say which,
        # without a traceback that buries the one line that matters.
        print(f"tawasul: {error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
