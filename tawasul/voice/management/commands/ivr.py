"""``tawasul ivr export [NUMBER ...]`` / ``tawasul ivr import FILE``: IVR flows as YAML."""

from __future__ import annotations

import sys

from django.core.management.base import BaseCommand, CommandError

from tawasul.errors import DomainError
from tawasul.voice import services


class Command(BaseCommand):
    help = "Export the hotlines' IVR flows to YAML, or import (validated, versioned) from YAML."

    def add_arguments(self, parser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        export = sub.add_parser("export")
        export.add_argument("numbers", nargs="*", help="hotline numbers (default: all)")
        export.add_argument("-o", "--output", help="file (default: standard output)")
        imp = sub.add_parser("import")
        imp.add_argument("file", help="YAML file, or - for standard input")

    def handle(self, *args, **options) -> None:
        if options["action"] == "export":
            text = services.ivr_export(numbers=options["numbers"] or None)
            if options.get("output"):
                with open(options["output"], "w", encoding="utf-8") as fh:
                    fh.write(text)
            else:
                self.stdout.write(text)
            return
        path = options["file"]
        if path == "-":
            text = sys.stdin.read()
        else:
            with open(path, encoding="utf-8") as fh:
                text = fh.read()
        try:
            flows = services.ivr_import(text=text)
        except DomainError as exc:
            raise CommandError(f"{exc.field}: {exc}") from None
        for flow in flows:
            self.stdout.write(f"{flow.hotline.number}: version {flow.version}")
