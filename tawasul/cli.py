"""The ``tawasul`` command: Django's manage.py with Tawasul's settings.

``tawasul seed demo``, ``tawasul run``, ``tawasul migrate`` … are all management commands.
"""

import os
import sys


def main(argv: list[str] | None = None) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tawasul.settings")
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:
        execute_from_command_line(["tawasul", *(argv if argv is not None else sys.argv[1:])])
    except ImproperlyConfigured as error:
        # A setting the operator must fix (a missing SECRET_KEY in production…): say which,
        # without a traceback that buries the one line that matters.
        print(f"tawasul: {error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
