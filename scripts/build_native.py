"""Compile the simulator's hot modules with mypyc (optional; ``make`` runs it after installing).

    .venv/bin/python scripts/build_native.py           # build the .so files next to the .py files
    .venv/bin/python scripts/build_native.py --clean   # remove them: everything runs interpreted

The modules stay plain, typed Python: the same source runs interpreted when there is no build (or
when it is removed), and Python imports a module's compiled extension in preference to its
``.py``. The routing engine and its vocabulary and the fast simulator's loop are compiled
together into one shared library, ``tawasul/_native__mypyc*.so``, so calls between them are
direct C calls. A build older than its sources is refused by ``tests/routing`` (stale
builds would run old code), and ``make`` rebuilds when a source changes.

If mypy/mypyc is missing or the C compiler fails, this prints why and exits with status 1 after
removing any partial build, so the pure-Python modules are what runs.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MODULES = (
    "tawasul/routing/model.py",
    "tawasul/routing/engine.py",
    "tawasul/sim/fast.py",
)
GROUP = "tawasul._native"  # the shared library lands in tawasul/, importable like the package


def built_files() -> list[Path]:
    """Every compiled artefact this script writes into the source tree."""
    out = list((ROOT / "tawasul").glob("_native__mypyc*.so"))
    for module in MODULES:
        path = ROOT / module
        out.extend(path.parent.glob(path.stem + ".*.so"))
    return out


def clean() -> None:
    for path in built_files():
        path.unlink()
    shutil.rmtree(ROOT / "build" / "native", ignore_errors=True)


def build() -> None:
    from mypyc.build import mypycify
    from setuptools import Distribution

    os.chdir(ROOT)
    # follow-imports=silent: modules these import (the KPI module, the demo directory) are read
    # for their types but neither compiled nor checked here.
    extensions = mypycify(
        [*MODULES, "--follow-imports=silent", "--cache-dir=build/native/mypy-cache"],
        opt_level="3",
        group_name=GROUP,
    )
    # A bare Distribution rather than setup(): setup() would also read the project's
    # pyproject.toml, which is pip's business (and some setuptools versions reject it).
    dist = Distribution({"name": "tawasul-native", "ext_modules": extensions})
    cmd = dist.get_command_obj("build_ext")
    cmd.inplace = True
    cmd.build_temp = "build/native/temp"
    cmd.build_lib = "build/native/lib"
    dist.run_command("build_ext")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clean", action="store_true", help="remove the compiled modules")
    args = parser.parse_args()
    clean()
    if args.clean:
        sys.stdout.write("build_native: removed; the modules run interpreted\n")
        return 0
    t0 = time.perf_counter()
    try:
        build()
    except (Exception, SystemExit) as exc:  # mypyc type errors end in SystemExit
        clean()
        sys.stderr.write(f"build_native: not compiled ({exc!r}); the pure-Python modules run\n")
        return 1
    names = ", ".join(sorted(p.name.split(".")[0] for p in built_files()))
    sys.stdout.write(f"build_native: compiled {names} in {time.perf_counter() - t0:.0f} s\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
