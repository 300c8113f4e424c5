"""The ``tawasul`` command: Django's manage.py with Tawasul's settings.

``tawasul seed demo``, ``tawasul run``, ``tawasul migrate`` … are all management commands.
"""

import os
import sys


def main(argv: list[str] | None = None) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tawasul.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["tawasul", *(argv if argv is not None else sys.argv[1:])])
    return 0


if __name__ == "__main__":
    sys.exit(main())
