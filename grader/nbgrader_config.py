"""nbgrader configuration of the smmkit course (run nbgrader commands from this folder: `cd grader`).

The course root is the repository: master notebooks in `solutions/`, student versions in `assignments/`,
nbgrader's working folders (`submitted/`, `autograded/`, `feedback/`) beside them and out of git.
"""

import os
from pathlib import Path

c = get_config()  # noqa: F821  (provided by nbgrader when it loads this file)

ROOT = Path(__file__).resolve().parent.parent

c.CourseDirectory.course_id = os.environ.get("SMMKIT_COURSE_ID", "smm101")
c.CourseDirectory.root = str(ROOT)
c.CourseDirectory.source_directory = "solutions"
c.CourseDirectory.release_directory = "assignments"
# The gradebook: SQLite in grader/ for one instructor (the default). For a class graded by several people, a
# PostgreSQL database (README.md in this folder, "PostgreSQL for a class"): replace this line with
#   c.CourseDirectory.db_url = "postgresql+psycopg2://smm_grader:PASSWORD@127.0.0.1:5432/smm101_gradebook"
# or set SMMKIT_DB_URL to that address (keeps the password out of git).
c.CourseDirectory.db_url = os.environ.get("SMMKIT_DB_URL", f"sqlite:///{ROOT / 'grader' / 'gradebook.db'}")
# nbgrader's exchange: by default the folder `make hub` creates and shares with every student server
# (grader/hub/state/exchange), so that `nbgrader release_assignment` and `collect` run from grader/ use the hub's
# exchange. A hub started with another SMMKIT_EXCHANGE (e.g. /srv/nbgrader/exchange on a college server) needs the
# same value in the instructor's shell.
c.Exchange.root = os.environ.get("SMMKIT_EXCHANGE", str(ROOT / "grader" / "hub" / "state" / "exchange"))

# Student versions: solutions become a stub that says what to do, in Russian.
c.ClearSolutions.code_stub = {
    "python": "# ВАШ КОД ЗДЕСЬ\nraise NotImplementedError()",
}
c.ClearSolutions.text_stub = "ВАШ ОТВЕТ ЗДЕСЬ"

# Per-cell time limit while grading (seconds).
c.Execute.timeout = 30

# Files never copied from solutions/ into student versions, nor from a submission into autograded/: editor
# leftovers and what a notebook writes when it runs (assignments load their data from datasets/, so no CSV
# belongs in an assignment folder; a05's answers write their images and clips into a05_files/ and the media
# they start from into a05_media/, and grading runs the notebook, so those are made anew, never carried over).
c.CourseDirectory.ignore = [".ipynb_checkpoints", "*.pyc", "__pycache__", "feedback", "*.csv",
                            "a[0-9][0-9]_files", "a[0-9][0-9]_media"]
