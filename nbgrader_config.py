"""nbgrader looks for ``nbgrader_config.py`` in the folder it is started from (and in Jupyter's config folders).

`make lab` starts JupyterLab here, at the repository root, so this file lets nbgrader's Lab extensions
(Validate, Assignment List, Formgrader) and nbgrader commands run from the root find the course's
configuration. The configuration itself lives in ``grader/nbgrader_config.py``: edit it there.
"""

from pathlib import Path

load_subconfig(str(Path(__file__).resolve().parent / "grader" / "nbgrader_config.py"))  # noqa: F821
