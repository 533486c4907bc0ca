"""A class on a real JupyterHub (grader/hub/jupyterhub_config.py) with its proxy, on loopback, end to end.

One hub for the module, started as `make hub` starts it (its configuration, PyPI's configurable-http-proxy, the
formgrader as a hub service) on free 127.0.0.1 ports, with a scratch course whose gradebook is a database on a real
PostgreSQL server (the session's, tests/postgres_server.py), migrated there with ``smmkit grade migrate``. Through the
hub's REST API with a service token: an instructor and three students, and their groups. Then every step goes
over HTTP as the Lab and the formgrader page make it: the instructor releases a01 through the formgrader API;
each student's server fetches it (``POST /user/<name>/assignments/fetch``), the answers go into the fetched
notebook through the contents API (correct, partial, blank) and the student submits; the instructor collects
through the formgrader, grades with ``smmkit grade autograde``, writes feedback with ``smmkit grade feedback``
and releases it through the formgrader; each student fetches the feedback into their own folder.

Isolation as far as the hub enforces it: a student's token opens no other student's server and not the
formgrader (403), and their own server's contents API does not leave their home. Under the test spawner every
server runs as the same system user, so the file system itself separates nobody (grader/README.md).
"""

from __future__ import annotations

import concurrent.futures as cf
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import psutil
import pytest
import requests
import yaml

from smmkit import assignments

sys.path.insert(0, str(Path(__file__).resolve().parent))
from test_grading_autograde import FULL, TESTS, correct_answers
from test_grading_invariant import _typed

pytestmark = pytest.mark.hub

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
A = "a01-posting-schedule"
COURSE = "smm101"
TEACHER = "teacher"
ROSTERED = "erlan"  # a student of the roster file (the others are added through the REST API)
MISSING = "q3-by-slot"  # the partial submission leaves this answer as released
STUDENTS = {"alia": "correct", "bolat": "partial", "dana": "blank"}
EXPECTED = {"alia": dict(FULL), "bolat": {**FULL, f"{MISSING}-tests": 0}, "dana": dict.fromkeys(TESTS, 0)}


def _free_ports(n: int) -> list[int]:
    socks = [socket.socket() for _ in range(n)]
    try:
        for s in socks:
            s.bind(("127.0.0.1", 0))
        return [s.getsockname()[1] for s in socks]
    finally:
        for s in socks:
            s.close()


class Hub:
    """The running hub: its URL, the service token, and per-user tokens."""

    def __init__(self, url: str, token: str, course: Path, state: Path, log: Path) -> None:
        self.url, self.course, self.state, self.log = url, course, state, log
        self.admin = requests.Session()
        self.admin.headers["Authorization"] = f"token {token}"
        self.tokens: dict[str, str] = {}
        self.db_url = ""

    def api(self, method: str, path: str, **kw) -> requests.Response:
        r = self.admin.request(method, f"{self.url}/hub/api{path}", timeout=30, **kw)
        assert r.status_code < 400, f"{method} {path}: {r.status_code} {r.text}"
        return r

    def as_user(self, user: str, method: str, path: str, **kw) -> requests.Response:
        headers = {"Authorization": f"token {self.tokens[user]}"}
        return requests.request(method, f"{self.url}{path}", headers=headers, timeout=120,
                                allow_redirects=False, **kw)

    def lab(self, user: str, method: str, path: str, **kw) -> dict:
        """A call of nbgrader's Assignment List on the student's own server: its reply must say success."""
        r = self.as_user(user, method, f"/user/{user}/{path}", **kw)
        assert r.status_code == 200, f"{user} {path}: {r.status_code} {r.text[:500]}"
        reply = r.json()
        assert reply["success"], f"{user} {path}: {reply['value']}"
        return reply

    def formgrader(self, method: str, path: str) -> dict | list:
        r = self.as_user(TEACHER, method, f"/services/{COURSE}/formgrader/api/{path}")
        assert r.status_code == 200, f"formgrader {path}: {r.status_code} {r.text[:500]}"
        return r.json()

    def start_server(self, user: str) -> None:
        self.api("POST", f"/users/{user}/server")
        deadline = time.monotonic() + 150  # generous: `make test` runs the other files beside this one
        while time.monotonic() < deadline:
            server = self.api("GET", f"/users/{user}").json()["servers"].get("")
            if server and server.get("ready"):
                return
            time.sleep(0.5)
        raise TimeoutError(f"{user}'s server did not start:\n{self.log.read_text()[-3000:]}")


def _wait(check, what: str, log: Path, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if check():
                return
        except requests.RequestException:
            pass
        time.sleep(0.3)
    raise TimeoutError(f"{what}:\n{log.read_text(encoding='utf-8', errors='replace')[-3000:]}")


def _stop(proc: subprocess.Popen) -> None:
    """Stop the hub as Ctrl-C would (it stops the servers, the service and the proxy); then nothing is left.

    The Jupyter servers (users' and the formgrader) are killed first: stopping them through the hub (or with
    SIGTERM) costs 6-10 s per hub, as each server shuts its 11 extensions down slowly, and the test keeps nothing
    that lives in them."""
    try:
        family = psutil.Process(proc.pid).children(recursive=True)
    except psutil.NoSuchProcess:
        family = []
    servers = []
    for child in family:
        try:
            if any(Path(arg).name == "jupyterhub-singleuser" for arg in child.cmdline()[:2]):
                servers.append(child)
        except psutil.Error:
            pass
    for server in servers:
        server.kill()  # the hub reaps them; it notices at once when it stops
    proc.send_signal(signal.SIGINT)
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
    _, alive = psutil.wait_procs(family, timeout=5)
    for child in alive:  # a server the hub could not stop in time
        child.kill()
    psutil.wait_procs(alive, timeout=5)


@pytest.fixture(scope="module")
def hub(tmp_path_factory, postgres):
    """The hub for a scratch course whose gradebook is a real PostgreSQL database (the scratch course's SQLite
    gradebook migrated into it, as grader/README.md section 6 says); instructor, students and groups made
    through the REST API."""
    tmp = tmp_path_factory.mktemp("hub")
    course = assignments.scratch_course(ROOT, A, tmp / "course")
    db_url = postgres.createdb(f"hub_{secrets.token_hex(4)}")
    moved = subprocess.run([str(BIN / "smmkit"), "--root", str(course), "grade", "migrate", "--to", db_url],
                           capture_output=True, text=True, timeout=900,
                           env={k: v for k, v in os.environ.items() if k != "SMMKIT_DB_URL"})
    assert moved.returncode == 0, moved.stdout + moved.stderr
    (course / "grader" / "gradebook.db").unlink()  # from now on only PostgreSQL holds the grades
    shutil.copy(ROOT / "nbgrader_config.py", course / "nbgrader_config.py")  # the formgrader starts here
    roster = tmp / "roster.yaml"
    roster.write_text(yaml.safe_dump({"course": COURSE, "instructors": [], "students": [ROSTERED]}), encoding="utf-8")
    port, api_port, proxy_port, fg_port = _free_ports(4)
    token = secrets.token_hex(16)
    state = tmp / "state"
    env = dict(os.environ, SMMKIT_HUB_STATE=str(state), SMMKIT_HUB_ROSTER=str(roster), SMMKIT_COURSE_ROOT=str(course),
               SMMKIT_HUB_PORT=str(port), SMMKIT_HUB_API_PORT=str(api_port), SMMKIT_HUB_PROXY_API_PORT=str(proxy_port),
               SMMKIT_FORMGRADER_PORT=str(fg_port), SMMKIT_HUB_ADMIN_TOKEN=token,
               SMMKIT_HUB_PASSWORD=secrets.token_urlsafe(12), PATH=f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}")
    for key in ("SMMKIT_EXCHANGE", "SMMKIT_COURSE_ID", "JUPYTER_CONFIG_PATH", "JUPYTERHUB_API_TOKEN"):
        env.pop(key, None)
    env["SMMKIT_DB_URL"] = db_url
    log = tmp / "hub.log"
    with log.open("w", encoding="utf-8") as out:
        proc = subprocess.Popen([str(BIN / "jupyterhub"), "-f", str(ROOT / "grader" / "hub" / "jupyterhub_config.py")],
                                cwd=tmp, env=env, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        _wait(lambda: requests.get(f"{url}/hub/api/", timeout=5).ok, "the hub did not start", log, seconds=240)
        h = Hub(url, token, course, state, log)
        h.db_url = db_url
        h.api("POST", "/users", json={"usernames": [TEACHER, *STUDENTS]})
        h.api("POST", f"/groups/formgrade-{COURSE}/users", json={"users": [TEACHER]})
        h.api("POST", f"/groups/nbgrader-{COURSE}/users", json={"users": list(STUDENTS)})
        for user in [TEACHER, *STUDENTS]:
            h.tokens[user] = h.api("POST", f"/users/{user}/tokens", json={"expires_in": 900}).json()["token"]
        yield h
    finally:
        _stop(proc)


@pytest.fixture(scope="module")
def graded(hub):
    """Release, fetch, answer, submit, collect, autograde, feedback: the whole round, timed."""
    start = time.monotonic()
    phases: dict[str, float] = {}

    def mark(phase: str) -> None:
        phases[phase] = round(time.monotonic() - start, 1)

    with cf.ThreadPoolExecutor(len(STUDENTS) + 1) as pool:
        servers = [pool.submit(hub.start_server, user) for user in STUDENTS]
        _wait(lambda: hub.as_user(TEACHER, "GET", f"/services/{COURSE}/formgrader/api/status").status_code == 200,
              "the formgrader service did not answer", hub.log, seconds=150)
        released = hub.formgrader("POST", f"assignment/{A}/release")
        assert released["success"], released
        mark("released")
        for server in servers:
            server.result()
        mark("servers")
        list(pool.map(_work_and_submit, [hub] * len(STUDENTS), list(STUDENTS)))
        mark("submitted")
    collected = hub.formgrader("POST", f"assignment/{A}/collect")
    assert collected["success"], collected
    mark("collected")
    env = dict(os.environ, SMMKIT_EXCHANGE=str(hub.state / "exchange"), SMMKIT_COURSE_ID=COURSE,
               SMMKIT_DB_URL=hub.db_url)
    smmkit = [str(BIN / "smmkit"), "--root", str(hub.course), "grade"]
    done = subprocess.run([*smmkit, "autograde", A, "--workers", "3"], env=env, capture_output=True, text=True,
                          timeout=900)
    assert done.returncode == 0, done.stdout + done.stderr
    mark("autograded")
    done = subprocess.run([*smmkit, "feedback", A], env=env, capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stdout + done.stderr
    returned = hub.formgrader("POST", f"assignment/{A}/release_feedback")
    assert returned["success"], returned
    mark("feedback")
    feedback = {}
    for user in STUDENTS:
        reply = hub.lab(user, "POST", "assignments/fetch_feedback", json={"course_id": COURSE, "assignment_id": A})
        feedback[user] = reply["value"]
    mark("fetched feedback")
    print("hub round:", phases)
    return {"seconds": time.monotonic() - start, "feedback": feedback, "phases": phases}


def _work_and_submit(hub: Hub, user: str) -> None:
    """As the Lab: fetch a01, save the student's answers into the fetched notebook, submit."""
    body = {"course_id": COURSE, "assignment_id": A}
    fetched = hub.lab(user, "POST", "assignments/fetch", json=body)
    item = next(a for a in fetched["value"] if a["assignment_id"] == A)
    assert item["status"] == "fetched", item
    path = f"{A}/{A}.ipynb"
    r = hub.as_user(user, "GET", f"/user/{user}/api/contents/{path}")
    assert r.status_code == 200, r.text
    release = r.json()["content"]
    good = correct_answers()
    answers = {"correct": good, "partial": {k: v for k, v in good.items() if k != MISSING}, "blank": {}}
    nb = _typed(release, answers[STUDENTS[user]])
    r = hub.as_user(user, "PUT", f"/user/{user}/api/contents/{path}",
                    json={"type": "notebook", "format": "json", "content": nb})
    assert r.status_code == 200, r.text
    submitted = hub.lab(user, "POST", "assignments/submit", json=body)
    assert any(a["assignment_id"] == A and a["status"] == "submitted" for a in submitted["value"]), submitted


def test_submissions_arrive_under_the_students_hub_logins(hub, graded) -> None:
    inbound = hub.state / "exchange" / COURSE / "inbound"
    assert sorted(p.name.split("+")[0] for p in inbound.iterdir()) == sorted(STUDENTS)
    assert sorted(p.name for p in (hub.course / "submitted").iterdir()) == sorted(STUDENTS)


def test_scores_are_what_the_answers_earn(hub, graded) -> None:
    from nbgrader.api import Gradebook

    assert not (hub.course / "grader" / "gradebook.db").exists()  # every grade went to PostgreSQL
    with Gradebook(hub.db_url) as gb:
        for user, expected in EXPECTED.items():
            nb = gb.find_submission_notebook(A, A, user)
            got = {g.name: float(g.score) for g in nb.grades if g.name in TESTS}
            assert got == {k: float(v) for k, v in expected.items()}, user
    assert sum(EXPECTED["bolat"].values()) not in (0, sum(FULL.values()))


@pytest.mark.parametrize("user", list(STUDENTS))
def test_each_student_fetches_their_feedback(hub, graded, user) -> None:
    item = next(a for a in graded["feedback"][user] if a["assignment_id"] == A and a["status"] == "submitted")
    (submission,) = item["submissions"]
    assert submission["student_id"] == user and submission["has_local_feedback"], submission
    listing = hub.as_user(user, "GET", f"/user/{user}/api/contents/{A}/feedback").json()["content"]
    assert [entry["path"] for entry in listing] == [submission["local_feedback_path"]], listing
    html = hub.as_user(user, "GET", f"/user/{user}/api/contents/{quote(listing[0]['path'])}/{A}.html")
    assert html.status_code == 200, html.text[:300]
    text = html.json()["content"]
    total = sum(EXPECTED[user].values())
    assert f"{A} (Score: {total:.1f} / " in text, text[:500]
    assert "BEGIN HIDDEN TESTS" not in text


@pytest.mark.parametrize("user", list(STUDENTS))
def test_a_student_reaches_no_one_elses_work(hub, graded, user) -> None:
    other = next(u for u in STUDENTS if u != user)
    # another student's server, through the hub's proxy: the student's token has no access to it
    for path in (f"/user/{other}/api/contents/{A}/{A}.ipynb", f"/user/{other}/api/contents",
                 f"/user/{other}/assignments?course_id={COURSE}"):
        assert hub.as_user(user, "GET", path).status_code == 403, path
    # the formgrader (submissions, the instructor's source and gradebook) is for formgrade-<course> only
    for path in (f"/services/{COURSE}/formgrader/api/submissions/{A}", f"/services/{COURSE}/formgrader/api/status"):
        assert hub.as_user(user, "GET", path).status_code == 403, path
    # their own server's contents API stays in their home: no way up to the course or to another home
    home = hub.state / "home" / user
    targets = [os.path.relpath(hub.course / "solutions" / A / f"{A}.ipynb", home),
               os.path.relpath(hub.course / "submitted" / other / A / f"{A}.ipynb", home),
               os.path.relpath(hub.state / "home" / other / A / f"{A}.ipynb", home)]
    for target in targets:
        assert target.startswith(".."), target
        for path in (quote(target, safe=""), quote(target, safe="/").replace("..", "%2E%2E")):
            r = hub.as_user(user, "GET", f"/user/{user}/api/contents/{path}")
            assert r.status_code in (400, 403, 404), (target, r.status_code, r.text[:200])


def test_groups_hold_the_roster_and_the_added_users(hub) -> None:
    students = hub.api("GET", f"/groups/nbgrader-{COURSE}").json()["users"]
    assert sorted(students) == sorted([ROSTERED, *STUDENTS])
    assert hub.api("GET", f"/groups/formgrade-{COURSE}").json()["users"] == [TEACHER]


def test_sections_without_moodle_through_the_rest_api(hub) -> None:
    """grader/README.md «Sections without Moodle»: a section is a hub group made with the admin token."""
    assert hub.api("POST", "/groups/section-a").status_code == 201
    first, second = list(STUDENTS)[:2]
    hub.api("POST", "/groups/section-a/users", json={"users": [first, second]})
    hub.api("DELETE", "/groups/section-a/users", json={"users": [second]})
    assert hub.api("GET", "/groups/section-a").json()["users"] == [first]


def test_the_rest_api_refuses_a_login_nbgrader_cannot_use(hub) -> None:
    """nbgrader's exchange splits "<student>+<assignment>+<time>": the hub makes no account with "+" (or "*")."""
    for how in ({"json": {"usernames": ["student+04", "student05"]}, "path": "/users"},
                {"json": None, "path": "/users/student+06"}):
        r = hub.admin.post(f"{hub.url}/hub/api{how['path']}", json=how["json"], timeout=30)
        assert r.status_code == 400, r.text
    users = {u["name"] for u in hub.api("GET", "/users").json()}
    assert not {"student+04", "student05", "student+06"} & users


@pytest.mark.parametrize("user", list(STUDENTS))
def test_students_work_in_the_courses_environment(hub, graded, user) -> None:
    """The server runs from the course's venv (kernels too: jupyter_client runs "python" kernels with the
    server's interpreter), with the students' nbgrader config and the limits passed on."""
    specs = hub.as_user(user, "GET", f"/user/{user}/api/kernelspecs").json()
    assert specs["kernelspecs"][specs["default"]]["spec"]["argv"][0] == "python"
    pid = hub.api("GET", f"/users/{user}").json()["servers"][""]["state"]["pid"]
    server = psutil.Process(pid)
    python, program = server.cmdline()[:2]
    assert Path(python).parent == BIN and program == str(BIN / "jupyterhub-singleuser"), server.cmdline()
    env = server.environ()
    assert env["JUPYTER_CONFIG_PATH"] == str(ROOT / "grader" / "hub" / "student-config")
    assert env["SMMKIT_EXCHANGE"] == str(hub.state / "exchange") and env["SMMKIT_COURSE_ID"] == COURSE
    assert env["HOME"] == str(hub.state / "home" / user)
    assert env["MEM_LIMIT"] == str(2 * 1024**3) and float(env["CPU_LIMIT"]) == 1.0
    assert "SMMKIT_DB_URL" not in env  # the gradebook's address and password are the formgrader's only


def test_the_instructor_sees_the_class_in_the_formgrader(hub, graded) -> None:
    subs = hub.formgrader("GET", f"submissions/{A}")
    assert sorted(s["student"] for s in subs) == sorted(STUDENTS)
    assert {s["student"]: s["score"] for s in subs} == {u: float(sum(e.values())) for u, e in EXPECTED.items()}
