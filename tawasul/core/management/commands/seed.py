import importlib

from django.core.management.base import BaseCommand

from tawasul.core import seed


class Command(BaseCommand):
    help = "Load demo data: `tawasul seed demo` (directory, staff, residents, cases)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("dataset", choices=["demo", "directory"])

    def handle(self, *args, dataset: str, **options) -> None:
        seed.seed_directory()
        self.stdout.write("directory loaded")
        if dataset == "demo":
            staff = seed.seed_staff()
            cases = seed.seed_cases()
            self.stdout.write(f"{len(staff)} staff accounts, {cases} new demo cases")
            # Rooms add their own demo content in tawasul/<room>/demo.py: seed_demo() -> str.
            for room in seed.DEMO_ROOMS:
                try:
                    module = importlib.import_module(f"tawasul.{room}.demo")
                except ModuleNotFoundError:
                    continue
                self.stdout.write(f"{room}: {module.seed_demo()}")
