"""The optional compiled build (``scripts/build_native.py``, run by ``make``) is what runs when it
is there, complete and never older than its source: a stale build would run old code."""

from __future__ import annotations

from pathlib import Path

import tawasul
import tawasul.routing.engine
import tawasul.routing.model
import tawasul.sim.fast

PACKAGE = Path(tawasul.__file__).parent
# module -> its source; a compiled module's __file__ is not always its own path (it may be
# imported through the shared library), so the files are found from the package instead.
MODULES = {
    tawasul.routing.model: PACKAGE / "routing" / "model.py",
    tawasul.routing.engine: PACKAGE / "routing" / "engine.py",
    tawasul.sim.fast: PACKAGE / "sim" / "fast.py",
}


def _built(src: Path) -> list[Path]:
    return sorted(src.parent.glob(src.stem + ".*.so"))


def test_a_compiled_module_on_disk_is_the_one_imported():
    for module, src in MODULES.items():
        assert bool(_built(src)) == module.__file__.endswith(".so"), module.__name__


def test_the_build_is_all_or_nothing_and_fresh():
    compiled = [src for module, src in MODULES.items() if module.__file__.endswith(".so")]
    assert len(compiled) in (0, len(MODULES)), "partial build: run `make native` or `make pure`"
    for src in compiled:
        for so in _built(src):
            assert so.stat().st_mtime >= src.stat().st_mtime, (
                f"{src} changed after it was compiled: run `make native` (or `make pure`)"
            )
