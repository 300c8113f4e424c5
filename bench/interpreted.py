"""Import before ``tawasul``: with ``--child-interpreted`` on the command line, the modules that
``scripts/build_native.py`` compiles are loaded from their ``.py`` files instead, so one benchmark
run can time the compiled and the interpreted build side by side (``bench/sim_month.py``)."""

from __future__ import annotations

import importlib.machinery
import importlib.util
import sys
from pathlib import Path

NATIVE = ("tawasul.routing.model", "tawasul.routing.engine", "tawasul.sim.fast")
FLAG = "--child-interpreted"


class SourceOnly:
    """Meta-path finder: the compiled modules come from their sources."""

    @staticmethod
    def find_spec(name, path=None, target=None):
        if name not in NATIVE:
            return None
        spec = importlib.machinery.PathFinder.find_spec(name, path)
        source = Path(spec.origin).parent / (name.rsplit(".", 1)[1] + ".py")
        return importlib.util.spec_from_file_location(name, source)


def compiled() -> bool:
    """Whether the modules in use (of those that are imported) are the compiled ones."""
    used = [sys.modules[name] for name in NATIVE if name in sys.modules]
    return bool(used) and all(module.__file__.endswith(".so") for module in used)


if FLAG in sys.argv:
    sys.meta_path.insert(0, SourceOnly)
