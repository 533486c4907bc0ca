"""Settings JupyterLab needs for the course, written into the active environment (run by ``make``).

JupyterLab's news and update checks reach out to the internet and cover the screen with a toast; a
classroom (and the headless browser tests) want neither.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

OVERRIDES = {
    "@jupyterlab/apputils-extension:notification": {"fetchNews": "false", "checkForUpdates": False},
}


def write_overrides(prefix: Path | None = None) -> Path:
    """Merge the course's settings into ``<prefix>/share/jupyter/lab/settings/overrides.json``."""
    path = (prefix or Path(sys.prefix)) / "share" / "jupyter" / "lab" / "settings" / "overrides.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    current = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    for plugin, settings in OVERRIDES.items():
        current.setdefault(plugin, {}).update(settings)
    path.write_text(json.dumps(current, indent=2) + "\n", encoding="utf-8")
    return path


if __name__ == "__main__":
    print(f"JupyterLab settings: {write_overrides()}")
