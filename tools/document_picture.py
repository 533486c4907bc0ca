"""The README's picture of a generated college document: the first page of a Word file as LibreOffice prints it.

    python tools/document_picture.py [--document rupr-01] [--language ru] [--out docs/images/rupr-01-ru.png]

Generates the documents (``smmkit curriculum documents``) into a temporary folder, prints the chosen ``.docx`` to
PDF with LibreOffice and renders its first page with poppler. Needs Debian's ``libreoffice-writer-nogui`` and
``poppler-utils`` (``apt-get install --no-install-recommends libreoffice-writer-nogui poppler-utils``); not part
of ``make test``.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--document", default="rupr-01")
    parser.add_argument("--language", default="ru", choices=["ru", "kk"])
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument("--dpi", type=int, default=80)
    args = parser.parse_args(argv)
    out = args.out or ROOT / "docs" / "images" / f"{args.document}-{args.language}.png"
    for tool in ("soffice", "pdftoppm"):
        if shutil.which(tool) is None:
            print(f"{tool} is missing: apt-get install --no-install-recommends libreoffice-writer-nogui "
                  "poppler-utils", file=sys.stderr)
            return 2
    with tempfile.TemporaryDirectory(prefix="smmkit-picture-") as tmp:
        folder = Path(tmp)
        smmkit = str(Path(sys.executable).parent / "smmkit")
        subprocess.run([smmkit, "curriculum", "documents", "--out", str(folder / "docs")], check=True, cwd=ROOT)
        docx = folder / "docs" / args.language / f"{args.document}-{args.language}.docx"
        subprocess.run(["soffice", f"-env:UserInstallation=file://{folder}/profile", "--headless",
                        "--convert-to", "pdf", "--outdir", str(folder), str(docx)], check=True,
                       capture_output=True, timeout=600)
        subprocess.run(["pdftoppm", "-png", "-r", str(args.dpi), "-f", "1", "-l", "1", "-singlefile",
                        str(folder / f"{docx.stem}.pdf"), str(folder / "page")], check=True)
        out.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(folder / "page.png", out)
    print(out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
