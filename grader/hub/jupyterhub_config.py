"""JupyterHub for a class of the smmkit course on one server: `make hub` (grader/README.md, "A class on one server").

- Users and groups come from ``roster.yaml`` (or ``SMMKIT_HUB_ROSTER``): instructors in ``formgrade-<course>``,
  students in ``nbgrader-<course>``, the groups of nbgrader's "several classes" setup.
- The formgrader runs as a hub-managed service named after the course (nbgrader requires that name), on the
  course folder; only ``formgrade-<course>`` may open it (RBAC roles as in nbgrader's demo_multiple_classes).
- nbgrader's exchange is one folder for the course (``SMMKIT_EXCHANGE``, by default ``<state>/exchange``),
  created here with mode 1777: everyone may write, nobody may delete another's files; nbgrader then makes the
  course's ``outbound`` (0755) and ``inbound`` (2733, a drop box) when the first assignment is released.
- Every user's server and kernel run from the course's environment (the interpreter that runs the hub), with
  the students' nbgrader config (``student-config/``) on their JUPYTER_CONFIG_PATH.
- Per-user limits from the roster (``limits``): see the spawner notes below for what is enforced.

Settings (environment variables; defaults suit one machine on loopback):

=========================  =====================================================================================
SMMKIT_HUB_IP / _PORT      where the hub answers (127.0.0.1:8000)
SMMKIT_HUB_PUBLIC_URL      the address students open, e.g. https://hub.college.kz behind an HTTPS proxy
                           (JupyterHub.public_url; with LTI 1.3 the scheme of the redirect_uri sent to Moodle)
SMMKIT_HUB_API_PORT        the hub's internal API (8081); SMMKIT_HUB_PROXY_API_PORT the proxy's (8001)
SMMKIT_FORMGRADER_PORT     the formgrader service's loopback port (8002)
SMMKIT_HUB_STATE           the hub's database, cookie secret, users' homes and the exchange (grader/hub/state)
SMMKIT_HUB_ROSTER          the class (grader/hub/roster.yaml)
SMMKIT_COURSE_ROOT         the course folder the formgrader works on (this repository)
SMMKIT_EXCHANGE            nbgrader's exchange (<state>/exchange)
SMMKIT_HUB_AUTH            shared-password (default: one class password, SMMKIT_HUB_PASSWORD or generated into
                           <state>/class-password), pam (the server's system accounts), lti13 (sign-in from
                           Moodle with LTI 1.3: smmkit_lti13.py and its SMMKIT_LTI_* settings) or any
                           authenticator name
SMMKIT_HUB_SPAWNER         simple (default: every server runs as the hub's user, homes under <state>/home) or
                           localprocess (each user as their own system account, home in /home; the real setup)
SMMKIT_GRADER_USER         the system account that owns the course and runs the formgrader (localprocess only)
SMMKIT_HUB_ADMIN_TOKEN     if set: a service "smmkit-admin" with this token may manage users, groups and servers
                           (scripts and tests)
SMMKIT_DB_URL              the class gradebook (PostgreSQL, grader/README.md section 6): passed to the formgrader
                           service only, never to students' servers
=========================  =====================================================================================
"""

import atexit
import contextlib
import os
import re
import secrets
import signal
import sys
import threading
from pathlib import Path

import yaml

c = get_config()  # noqa: F821  (provided by JupyterHub when it loads this file)

HERE = Path(__file__).resolve().parent
ROOT = Path(os.environ.get("SMMKIT_COURSE_ROOT") or HERE.parent.parent).resolve()
STATE = Path(os.environ.get("SMMKIT_HUB_STATE") or HERE / "state").resolve()
ROSTER = yaml.safe_load(Path(os.environ.get("SMMKIT_HUB_ROSTER") or HERE / "roster.yaml").read_text("utf-8")) or {}
COURSE = os.environ.get("SMMKIT_COURSE_ID") or str(ROSTER.get("course") or "smm101")
EXCHANGE = Path(os.environ.get("SMMKIT_EXCHANGE") or STATE / "exchange")
BIN = Path(sys.executable).parent  # the course's environment: the hub is started from it
SPAWNER = os.environ.get("SMMKIT_HUB_SPAWNER", "simple")
AUTH = os.environ.get("SMMKIT_HUB_AUTH", "shared-password")
AS_ROOT = os.geteuid() == 0
INSTRUCTORS = [str(u) for u in ROSTER.get("instructors") or []]
STUDENTS = [str(u) for u in ROSTER.get("students") or []]
# A hub login is the student's nbgrader id: nbgrader splits "<student>+<assignment>+<time>" in the inbound folder
# and refuses to submit for an id with "+" or "*". The same rule for the roster, the admin panel and the REST API
# (Authenticator.username_pattern: POST /hub/api/users answers 400 "Invalid username") and for LTI launches.
LOGIN_PATTERN = r"^[a-z0-9][a-z0-9._-]*$"
for name in INSTRUCTORS + STUDENTS:
    if not re.match(LOGIN_PATTERN, name):
        raise ValueError(f"roster: {name!r}: a hub login for nbgrader is lower-case Latin letters, digits, '.', '_' "
                         "and '-' ('+' and '*' break nbgrader's exchange)")

# --- Ctrl-C while the hub is starting ------------------------------------------------------------------------
# The hub handles SIGINT/SIGTERM (stopping the servers, the formgrader and the proxy) only once it has started,
# which on a busy server takes a minute or two (the formgrader has 120 s, below). Ctrl-C before that raised
# KeyboardInterrupt out of the start with a long traceback and left the proxy and the formgrader running in their
# own sessions (the next `make hub` then found its ports taken). Until the hub installs its own handlers, a signal
# ends the start quietly; at exit, any process the hub started and did not stop is stopped (TERM, then KILL).


def _stop_quietly(signum: int, frame: object) -> None:
    print(f"smmkit: {signal.Signals(signum).name} while the hub was starting: stopping its processes", file=sys.stderr)
    raise SystemExit(128 + signum)


def _stop_leftovers() -> None:
    try:
        import psutil  # ipykernel's dependency, always in the course's environment
    except ImportError:
        return
    try:
        left = psutil.Process().children(recursive=True)
    except psutil.Error:
        return
    for proc in left:
        with contextlib.suppress(psutil.Error):
            proc.terminate()
    _, alive = psutil.wait_procs(left, timeout=5)
    for proc in alive:
        with contextlib.suppress(psutil.Error):
            proc.kill()


def _in_the_hub() -> bool:
    """Loaded by a starting JupyterHub (not read by a test or a tool), in its main thread."""
    try:
        from jupyterhub.app import JupyterHub
    except ImportError:
        return False
    return JupyterHub.initialized() and threading.current_thread() is threading.main_thread()


if _in_the_hub():
    for _sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(_sig, _stop_quietly)
    atexit.register(_stop_leftovers)

# --- state: the hub's database and secret, users' homes (simple spawner) and the exchange -------------------
STATE.mkdir(parents=True, exist_ok=True)
STATE.chmod(0o711)  # others may pass through to the exchange, not list or read the hub's files
EXCHANGE.mkdir(parents=True, exist_ok=True)
(STATE / "jupyterhub.sqlite").touch(mode=0o600)  # the hub's database (token hashes) for the hub's user only
if EXCHANGE.stat().st_uid == os.geteuid():
    EXCHANGE.chmod(0o1777)  # nbgrader's release keeps the sticky bit (it compares the low 9 bits only)

# --- the hub and its proxy (PyPI's configurable-http-proxy: pure Python, no Node.js) -----------------------
c.JupyterHub.ip = os.environ.get("SMMKIT_HUB_IP", "127.0.0.1")
c.JupyterHub.port = int(os.environ.get("SMMKIT_HUB_PORT", "8000"))
if os.environ.get("SMMKIT_HUB_PUBLIC_URL"):
    c.JupyterHub.public_url = os.environ["SMMKIT_HUB_PUBLIC_URL"]
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = int(os.environ.get("SMMKIT_HUB_API_PORT", "8081"))
c.JupyterHub.db_url = f"sqlite:///{STATE / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(STATE / "jupyterhub_cookie_secret")
c.ConfigurableHTTPProxy.command = [str(BIN / "configurable-http-proxy")]
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{int(os.environ.get('SMMKIT_HUB_PROXY_API_PORT', '8001'))}"
c.ConfigurableHTTPProxy.pid_file = str(STATE / "jupyterhub-proxy.pid")

# --- who may sign in ------------------------------------------------------------------------------------------
c.JupyterHub.authenticator_class = AUTH
c.Authenticator.allowed_users = set(INSTRUCTORS + STUDENTS)
c.Authenticator.allow_existing_users = True  # students added later in the admin panel (or API) may sign in too
c.Authenticator.admin_users = {str(u) for u in ROSTER.get("admins") or []}
c.Authenticator.username_pattern = LOGIN_PATTERN
if AUTH == "shared-password":
    password = os.environ.get("SMMKIT_HUB_PASSWORD")
    if not password:
        stored = STATE / "class-password"
        if not stored.exists():
            stored.touch(mode=0o600)
            stored.write_text(secrets.token_urlsafe(9) + "\n", encoding="utf-8")
        password = stored.read_text(encoding="utf-8").strip()
        print(f"smmkit: the class password (every login) is in {stored}", file=sys.stderr)
    c.SharedPasswordAuthenticator.user_password = password

# --- groups and roles (nbgrader's demo_multiple_classes, JupyterHub >= 2 RBAC) --------------------------------
c.JupyterHub.load_groups = {
    f"formgrade-{COURSE}": {"users": INSTRUCTORS},
    f"nbgrader-{COURSE}": {"users": STUDENTS},
}
if AUTH == "lti13":  # Moodle signs people in and says who teaches, who studies and in which section
    sys.path.insert(0, str(HERE))
    import smmkit_lti13

    smmkit_lti13.configure(c, COURSE, ROSTER)
roles = [
    {"name": f"formgrade-{COURSE}", "groups": [f"formgrade-{COURSE}"],
     "scopes": [f"access:services!service={COURSE}", "list:services", f"read:services!service={COURSE}"]},
    {"name": f"nbgrader-{COURSE}", "groups": [f"nbgrader-{COURSE}"],
     "scopes": ["list:services", f"read:services!service={COURSE}"]},
    # nbgrader's course list asks the hub which services a user may see with the server's own token
    {"name": "server", "scopes": ["inherit"]},
    # the formgrader may look users up and put a student it adds into nbgrader-<course>
    {"name": f"grader-{COURSE}", "services": [COURSE],
     "scopes": ["list:users", "read:users", f"groups!group=nbgrader-{COURSE}", "list:groups"]},
]
PATH = os.pathsep.join([str(BIN), os.environ.get("PATH", "/usr/local/bin:/usr/bin:/bin")])
course_env = {"SMMKIT_COURSE_ID": COURSE, "SMMKIT_EXCHANGE": str(EXCHANGE), "PATH": PATH,
              "SMMKIT_ROOT": str(HERE.parent.parent)}  # the kit: lessons and datasets students load
formgrader = {
    "name": COURSE,
    "url": f"http://127.0.0.1:{int(os.environ.get('SMMKIT_FORMGRADER_PORT', '8002'))}",
    "command": [str(BIN / "jupyterhub-singleuser"), f"--ServerApp.root_dir={ROOT}",
                *(["--allow-root"] if AS_ROOT and not os.environ.get("SMMKIT_GRADER_USER") else [])],
    "cwd": str(ROOT),  # nbgrader reads the course's nbgrader_config.py from here
    "environment": {**course_env, "JUPYTERHUB_DEFAULT_URL": "/formgrader"},
    "oauth_no_confirm": True,
    # JupyterHub gives a managed service 30 s to answer, then quits altogether: on a busy server the formgrader
    # (a Jupyter server with nbgrader's extensions) took longer than that (observed at load 15 on 2 cores)
    "timeout": 120,
}
if os.environ.get("SMMKIT_DB_URL"):  # the class gradebook and its password: the formgrader's, not the students'
    formgrader["environment"]["SMMKIT_DB_URL"] = os.environ["SMMKIT_DB_URL"]
if os.environ.get("SMMKIT_GRADER_USER"):
    formgrader["user"] = os.environ["SMMKIT_GRADER_USER"]
services = [formgrader]
if os.environ.get("SMMKIT_HUB_ADMIN_TOKEN"):
    services.append({"name": "smmkit-admin", "api_token": os.environ["SMMKIT_HUB_ADMIN_TOKEN"]})
    roles.append({"name": "smmkit-admin", "services": ["smmkit-admin"],
                  "scopes": ["admin:users", "admin:groups", "admin:servers", "tokens", "access:servers",
                             "list:services", "read:services"]})
c.JupyterHub.services = services
c.JupyterHub.load_roles = roles

# --- users' servers: the course's environment, the students' nbgrader config, limits --------------------------
c.JupyterHub.spawner_class = SPAWNER
c.Spawner.cmd = [str(BIN / "jupyterhub-singleuser")]
c.Spawner.default_url = "/lab"
c.Spawner.environment = dict(course_env)
c.Spawner.start_timeout = 120  # a loaded class server: 30 students signing in at the start of a lesson
c.Spawner.http_timeout = 90
if SPAWNER == "simple":
    c.SimpleLocalProcessSpawner.home_dir_template = str(STATE / "home" / "{username}")
    if AS_ROOT:
        c.Spawner.args = ["--allow-root"]

STUDENT_CONFIG = str(HERE / "student-config")


def students_only_config(spawner) -> None:
    """Students' servers read student-config/ (student id = hub login); instructors grade in the formgrader."""
    if spawner.user.name in INSTRUCTORS or any(g.name == f"formgrade-{COURSE}" for g in spawner.user.groups):
        return
    spawner.environment = {**spawner.environment, "JUPYTER_CONFIG_PATH": STUDENT_CONFIG}


c.Spawner.pre_spawn_hook = students_only_config

# Limits per user. LocalProcessSpawner (simple and localprocess) does NOT enforce them: it only passes them on
# as MEM_LIMIT and CPU_LIMIT (jupyter-resource-usage shows them in the Lab). Enforced by systemdspawner
# (cgroups, one server) and KubeSpawner (Zero to JupyterHub); see grader/README.md.
limits = ROSTER.get("limits") or {}
c.Spawner.mem_limit = str(limits.get("mem", "2G"))
c.Spawner.cpu_limit = float(limits.get("cpu", 1.0))
c.JupyterHub.concurrent_spawn_limit = int(limits.get("concurrent_spawns", 50))
