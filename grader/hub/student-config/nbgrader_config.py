"""nbgrader configuration of the students' servers on the hub (JUPYTER_CONFIG_PATH of students only).

jupyterhub_config.py puts this folder on the students' JUPYTER_CONFIG_PATH. The Assignment List then knows the
course and the shared exchange, and submissions carry the hub login as the student id: nbgrader would otherwise
take the operating-system user, which is the hub's own user under SimpleLocalProcessSpawner (and "root" when the
hub runs as root), so every submission would land under one name.
"""

import os

c = get_config()  # noqa: F821  (provided by nbgrader when it loads this file)

c.CourseDirectory.course_id = os.environ["SMMKIT_COURSE_ID"]
c.Exchange.root = os.environ["SMMKIT_EXCHANGE"]
c.CourseDirectory.student_id = os.environ["JUPYTERHUB_USER"]
