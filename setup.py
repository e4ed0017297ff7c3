# SPDX-License-Identifier: MIT
# The extension pyproject.toml cannot describe: the same C as CMake's alif_cpython target (the
# portable core, the Ensemble drivers on the register models, the simulator, the binding).
# Globbed, as CMake does, so that a new source file is built here too.
from pathlib import Path

from setuptools import Extension, setup

LAYERS = ["core", "ensemble", "sim", "cpython"]

setup(
    # Only the extension: the folders beside it are C layers, not Python packages.
    packages=[],
    ext_modules=[
        Extension(
            "alif",
            sources=sorted(str(c) for layer in LAYERS for c in Path(layer).glob("*.c")),
            depends=sorted(str(h) for layer in LAYERS for h in Path(layer).glob("*.h")),
            include_dirs=LAYERS,
            define_macros=[("ALIF_REG_MODEL", None), ("_POSIX_C_SOURCE", "200809L")],
            extra_compile_args=["-std=c11", "-fvisibility=hidden"],
        )
    ],
    # Out of the way of CMake's build directories and of the source tree.
    options={"build": {"build_base": "build/pip"}, "egg_info": {"egg_base": "build/pip"}},
)
