"""Settings JupyterLab needs for the course, written into the active environment (run by ``make``).

- ``share/jupyter/lab/settings/overrides.d/smmkit.json`` (defaults a user can still change in Settings; an
  administrator's ``overrides.json`` beside it takes precedence):
  the interface is in Russian (JupyterLab's Russian language pack, ``jupyterlab-language-pack-ru-RU``; switch
  back with Settings → Language → English); no news and update checks, which reach out to the internet and
  cover the screen with a toast that a classroom (and the headless browser tests) want neither of.
- ``etc/jupyter/jupyter_server_config.d/smmkit.json``: enables the server extension ``smmkit.selfstudy``
  (nbgrader's Assignment List explains self-study in Russian when there is no exchange).

A JupyterHub environment that installs the kit with pip runs ``python -m smmkit.labsetup`` once as well.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

LOCALE = "ru_RU"
"""The Lab's default interface language (a language pack for it is a dependency of the kit)."""

OVERRIDES: dict[str, dict[str, Any]] = {
    "@jupyterlab/translation-extension:plugin": {"locale": LOCALE},
    "@jupyterlab/apputils-extension:notification": {"fetchNews": "false", "checkForUpdates": False},
}

SERVER_EXTENSIONS = {"smmkit.selfstudy": True}


def _merge_json(path: Path, settings: dict[str, dict[str, Any]]) -> Path:
    """Merge ``settings`` (two levels deep) into the JSON file at ``path``, keeping whatever else it holds."""
    path.parent.mkdir(parents=True, exist_ok=True)
    current = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    for section, values in settings.items():
        current.setdefault(section, {}).update(values)
    path.write_text(json.dumps(current, indent=2) + "\n", encoding="utf-8")
    return path


def overrides_path(prefix: Path | None = None) -> Path:
    """The course's file of JupyterLab default settings (``overrides.d``, namespaced by package) at ``prefix``."""
    return (prefix or Path(sys.prefix)) / "share" / "jupyter" / "lab" / "settings" / "overrides.d" / "smmkit.json"


def server_config_path(prefix: Path | None = None) -> Path:
    """The file that enables the course's server extension in the environment at ``prefix``."""
    return (prefix or Path(sys.prefix)) / "etc" / "jupyter" / "jupyter_server_config.d" / "smmkit.json"


def write_overrides(prefix: Path | None = None) -> Path:
    """Merge the course's settings into ``<prefix>/share/jupyter/lab/settings/overrides.d/smmkit.json``."""
    return _merge_json(overrides_path(prefix), OVERRIDES)


def enable_server_extension(prefix: Path | None = None) -> Path:
    """Enable ``smmkit.selfstudy`` in ``<prefix>/etc/jupyter/jupyter_server_config.d/smmkit.json``."""
    return _merge_json(server_config_path(prefix), {"ServerApp": {"jpserver_extensions": SERVER_EXTENSIONS}})


def main(prefix: Path | None = None) -> list[Path]:
    """Write every setting; return the files written."""
    return [write_overrides(prefix), enable_server_extension(prefix)]


if __name__ == "__main__":
    for written in main():
        print(f"JupyterLab: {written}")
