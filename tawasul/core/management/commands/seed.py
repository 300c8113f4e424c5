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
