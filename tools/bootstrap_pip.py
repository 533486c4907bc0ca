"""Give a venv made with ``--without-pip`` its pip, from PyPI, with the standard library only.

Debian and Ubuntu ship ``python3`` without ``ensurepip`` unless ``python3-venv`` is installed; ``make``
then creates the venv without pip and runs this script with the venv's interpreter.
"""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
import sys
import tempfile
import urllib.parse
import urllib.request
from html.parser import HTMLParser

INDEX = os.environ.get("PIP_INDEX_URL", "https://pypi.org/simple").rstrip("/")


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        href = dict(attrs).get("href")
        if tag == "a" and href:
            self.links.append(href)


def _version(url: str) -> tuple[int, ...]:
    found = re.search(r"pip-(\d+(?:\.\d+)*)-py3-none-any\.whl", url)
    return tuple(int(p) for p in found.group(1).split(".")) if found else ()


def main() -> int:
    """Download the newest pip wheel, check its sha256, and install it into this interpreter."""
    page = urllib.request.urlopen(f"{INDEX}/pip/", timeout=60).read().decode()
    parser = _Links()
    parser.feed(page)
    wheels = [u for u in parser.links if _version(u)]
    if not wheels:
        print("No pip wheel found at " + INDEX, file=sys.stderr)
        return 1
    url = max(wheels, key=_version)
    url = urllib.parse.urljoin(f"{INDEX}/pip/", url)
    link, _, fragment = url.partition("#")
    data = urllib.request.urlopen(link, timeout=120).read()
    if fragment.startswith("sha256=") and hashlib.sha256(data).hexdigest() != fragment[7:]:
        print("pip wheel checksum mismatch", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory() as tmp:
        wheel = os.path.join(tmp, link.rsplit("/", 1)[-1])
        with open(wheel, "wb") as fh:
            fh.write(data)
        return subprocess.call([sys.executable, f"{wheel}/pip", "install", "--no-index", wheel])


if __name__ == "__main__":
    sys.exit(main())
