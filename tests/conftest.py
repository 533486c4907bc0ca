"""Test set-up shared by every test: tools on PATH, course root for notebooks run from scratch folders."""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# nbgrader runs `alembic` by name, so this interpreter's bin must come first on PATH.
os.environ["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")])
# Notebooks autograded in temporary course folders still load the committed datasets.
os.environ.setdefault("SMMKIT_ROOT", str(ROOT))
