"""Sign-in from Moodle with LTI 1.3 on a real JupyterHub (grader/hub/jupyterhub_config.py with
``SMMKIT_HUB_AUTH=lti13``), the platform simulated on loopback.

The hub starts once, as `make hub` starts it, with JupyterHub's LTI 1.3 authenticator (PyPI's
jupyterhub-ltiauthenticator) and the kit's hook (grader/hub/smmkit_lti13.py). A small platform on 127.0.0.1 plays
Moodle's part with the URLs Moodle uses: it publishes its public key at ``/mod/lti/certs.php`` (an RSA key made
by the test) and answers the authorisation request at ``/mod/lti/auth.php`` with the auto-submitted form of a
signed ``id_token`` (the user of ``login_hint``, the tool's custom parameters ``student_id`` and ``groupids``, the
course, the roles). The test is the browser: it POSTs the login initiation to the hub, follows the hub's
redirect to the platform, POSTs the platform's form back to the hub's callback with the cookies the hub set, and
follows the hub to its home page. Then a student is in the hub under their student id, in ``nbgrader-<course>``
and their section's group; a teacher in ``formgrade-<course>``; launches the hub must not accept (another
course, an id Moodle did not fill in, a key Moodle did not publish, a replayed token) are refused and create no
user.
"""

from __future__ import annotations

import base64
import json
import os
import re
import secrets
import subprocess
import sys
import threading
import time
from html import unescape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
import requests
import yaml
from test_hub_e2e import _free_ports, _stop, _wait

pytestmark = pytest.mark.hub

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
COURSE = "smm101"
CLIENT = "kx7QpL2mZ0aB9cD"  # Moodle's "Client ID" of the tool
DEPLOYMENT = "3"
MOODLE_COURSE = "42"
SECTIONS = {"7": "a", "8": "b", "9": "c"}  # Moodle group id → section (the roster's `sections:`)
LTI = "https://purl.imsglobal.org/spec/lti/claim/"
LIS = "http://purl.imsglobal.org/vocab/lis/v2/membership#"
# Moodle's users, by the login_hint Moodle sends (its user id)
PEOPLE = {
    "101": {"student_id": "S2026-014", "groupids": "8", "roles": [LIS + "Learner"], "name": "Дана Ахметова"},
    "102": {"student_id": "s2026-015", "groupids": "7,12", "roles": [LIS + "Learner"], "name": "Ерлан Сеитов"},
    "201": {"student_id": "t-kassymova", "groupids": "", "roles": [LIS + "Instructor"], "name": "Алия Касымова"},
    "103": {"student_id": "$Person.sourcedId", "groupids": "9", "roles": [LIS + "Learner"], "name": "Без номера"},
    "104": {"student_id": "", "groupids": "9", "roles": [LIS + "Learner"], "name": "Пустой номер"},
}


def _b64(n: int) -> str:
    return base64.urlsafe_b64encode(n.to_bytes((n.bit_length() + 7) // 8, "big")).rstrip(b"=").decode()


class Platform:
    """Moodle's side of an LTI 1.3 launch on 127.0.0.1: the key set and the authorisation endpoint."""

    def __init__(self) -> None:
        from cryptography.hazmat.primitives.asymmetric import rsa

        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.kid = secrets.token_hex(8)
        self.context = MOODLE_COURSE
        self.forged: rsa.RSAPrivateKey | None = None  # sign the next token with a key not in the key set
        self.last_token = ""
        numbers = self.key.public_key().public_numbers()
        self.jwks = {"keys": [{"kty": "RSA", "alg": "RS256", "use": "sig", "kid": self.kid,
                               "e": _b64(numbers.e), "n": _b64(numbers.n)}]}
        platform = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:
                url = urlparse(self.path)
                if url.path == "/mod/lti/certs.php":
                    body, kind = json.dumps(platform.jwks).encode(), "application/json"
                elif url.path == "/mod/lti/auth.php":
                    body, kind = platform.authorize({k: v[0] for k, v in parse_qs(url.query).items()}), "text/html"
                else:
                    self.send_error(404)
                    return
                self.send_response(200)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def authorize(self, q: dict[str, str]) -> bytes:
        """As Moodle's auth.php: check the tool's request, sign the id_token, return the auto-submitted form."""
        import jwt

        expected = {"response_type": "id_token", "scope": "openid", "response_mode": "form_post", "prompt": "none",
                    "client_id": CLIENT}
        assert {k: q.get(k) for k in expected} == expected, q
        person = PEOPLE[q["login_hint"]]
        now = int(time.time())
        claims = {
            "iss": self.url, "aud": CLIENT, "sub": q["login_hint"], "iat": now, "exp": now + 60,
            "nonce": q["nonce"], "name": person["name"],
            LTI + "message_type": "LtiResourceLinkRequest", LTI + "version": "1.3.0",
            LTI + "deployment_id": DEPLOYMENT, LTI + "target_link_uri": q["redirect_uri"],
            LTI + "resource_link": {"id": "17", "title": "Сервер курса"}, LTI + "roles": person["roles"],
            LTI + "context": {"id": self.context, "label": "SMM-101", "title": "Менеджмент социальных сетей"},
            LTI + "custom": {"student_id": person["student_id"], "groupids": person["groupids"]},
        }
        key, self.forged = self.forged or self.key, None
        self.last_token = jwt.encode(claims, key, algorithm="RS256", headers={"kid": self.kid})
        fields = "".join(f'<input type="hidden" name="{k}" value="{v}"/>'
                         for k, v in (("id_token", self.last_token), ("state", q["state"])))
        return (f'<form action="{q["redirect_uri"]}" method="post">{fields}</form>'
                "<script>document.forms[0].submit()</script>").encode()


class Browser(requests.Session):
    """A browser on the hub's loopback address: it sends ``Secure`` cookies to http://127.0.0.1, as browsers treat
    loopback as a secure context (the real hub is behind HTTPS). Python's cookie jar would not, so the flag is
    dropped once a cookie is stored (the test checks the flags on the hub's ``Set-Cookie`` headers instead)."""

    def send(self, request: requests.PreparedRequest, **kwargs: object) -> requests.Response:
        response = super().send(request, **kwargs)
        for cookie in self.cookies:
            cookie.secure = False
        return response


def launch(hub: dict, hint: str, browser: Browser | None = None) -> dict:
    """One launch from Moodle as a browser makes it; the responses of each step."""
    b = browser or Browser()
    init = b.post(f"{hub['url']}/hub/lti13/oauth_login", allow_redirects=False, timeout=30,
                  data={"iss": hub["platform"].url, "login_hint": hint, "client_id": CLIENT,
                        "target_link_uri": f"{hub['url']}/hub/home", "lti_deployment_id": DEPLOYMENT,
                        "lti_message_hint": json.dumps({"cmid": 17})})
    assert init.status_code == 302, init.text[:500]
    form = b.get(init.headers["Location"], timeout=30)
    assert form.status_code == 200, form.text[:500]
    action = unescape(re.search(r'<form action="([^"]+)"', form.text).group(1))
    fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"/>', form.text))
    back = b.post(action, data=fields, allow_redirects=False, timeout=30)
    out = {"init": init, "form": fields, "callback": back, "browser": b}
    if back.status_code == 302:
        out["page"] = b.get(f"{hub['url']}{back.headers['Location']}", allow_redirects=False, timeout=30)
    return out


@pytest.fixture(scope="module")
def hub(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("lti")
    platform = Platform()
    roster = tmp / "roster.yaml"
    roster.write_text(yaml.safe_dump({"course": COURSE, "instructors": [], "students": [], "sections": SECTIONS}),
                      encoding="utf-8")
    port, api_port, proxy_port, fg_port = _free_ports(4)
    token = secrets.token_hex(16)
    # the public address: plain http on loopback here (the scheme of the redirect_uri; https by default)
    env = dict(os.environ, SMMKIT_HUB_PUBLIC_URL=f"http://127.0.0.1:{port}/",
               SMMKIT_HUB_STATE=str(tmp / "state"), SMMKIT_HUB_ROSTER=str(roster),
               SMMKIT_HUB_PORT=str(port), SMMKIT_HUB_API_PORT=str(api_port), SMMKIT_HUB_PROXY_API_PORT=str(proxy_port),
               SMMKIT_FORMGRADER_PORT=str(fg_port), SMMKIT_HUB_ADMIN_TOKEN=token, SMMKIT_HUB_AUTH="lti13",
               SMMKIT_LTI_PLATFORM=platform.url, SMMKIT_LTI_CLIENT_ID=CLIENT, SMMKIT_LTI_CONTEXT=MOODLE_COURSE,
               SMMKIT_LTI_DEPLOYMENT_ID=DEPLOYMENT, PATH=f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}")
    for key in ("SMMKIT_EXCHANGE", "SMMKIT_COURSE_ID", "JUPYTER_CONFIG_PATH", "JUPYTERHUB_API_TOKEN", "SMMKIT_DB_URL",
                "SMMKIT_COURSE_ROOT", "SMMKIT_LTI_ISSUER", "SMMKIT_LTI_AUTHORIZE_URL", "SMMKIT_LTI_JWKS_URL",
                "SMMKIT_LTI_USERNAME_KEY"):
        env.pop(key, None)
    log = tmp / "hub.log"
    with log.open("w", encoding="utf-8") as out:
        proc = subprocess.Popen([str(BIN / "jupyterhub"), "-f", str(ROOT / "grader" / "hub" / "jupyterhub_config.py")],
                                cwd=tmp, env=env, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    admin = requests.Session()
    admin.headers["Authorization"] = f"token {token}"
    try:
        _wait(lambda: requests.get(f"{url}/hub/api/", timeout=5).ok, "the hub did not start", log, seconds=240)
        yield {"url": url, "platform": platform, "admin": admin, "log": log}
    finally:
        _stop(proc)
        platform.server.shutdown()


def error(page: requests.Response) -> str:
    """The text of the hub's error page (its status line and message)."""
    text = page.content.decode("utf-8")  # the charset is in the page's <meta>, not in its Content-Type
    found = re.search(r'<div class="error">(.*?)</div>', text, re.S)
    return unescape(re.sub(r"<[^>]+>|\s+", " ", found.group(1))).strip() if found else text[:300]


def user(hub: dict, name: str) -> dict | None:
    r = hub["admin"].get(f"{hub['url']}/hub/api/users/{name}", timeout=30)
    return r.json() if r.status_code == 200 else None


def test_a_student_lands_in_the_hub_under_their_student_id_and_section(hub) -> None:
    done = launch(hub, "101")
    assert done["callback"].status_code == 302, done["callback"].text[:500]
    assert done["callback"].headers["Location"] == "/hub/home"
    page = done["page"]
    assert page.status_code == 200 and "s2026-014" in page.text, page.text[:500]
    info = user(hub, "s2026-014")  # Moodle's ID number, as JupyterHub normalises logins (lower case)
    assert info is not None and sorted(info["groups"]) == [f"nbgrader-{COURSE}", "section-b"]
    assert not info["admin"]


def test_sections_come_from_the_moodle_groups_the_roster_maps(hub) -> None:
    done = launch(hub, "102")
    assert done["callback"].status_code == 302, done["callback"].text[:500]
    assert sorted(user(hub, "s2026-015")["groups"]) == [f"nbgrader-{COURSE}", "section-a"]  # group 12 is not mapped
    members = hub["admin"].get(f"{hub['url']}/hub/api/groups/section-a", timeout=30).json()["users"]
    assert members == ["s2026-015"]


def test_a_teacher_lands_in_the_formgrader_group(hub) -> None:
    done = launch(hub, "201")
    assert done["callback"].status_code == 302, done["callback"].text[:500]
    assert user(hub, "t-kassymova")["groups"] == [f"formgrade-{COURSE}"]


def test_the_state_cookies_survive_moodles_cross_site_post(hub) -> None:
    done = launch(hub, "102")
    cookies = done["init"].raw.headers.getlist("Set-Cookie")
    states = [c for c in cookies if c.startswith("lti13authenticator-")]
    assert len(states) == 2, cookies
    for cookie in states:
        attributes = {a.strip().lower() for a in cookie.split(";")[1:]}
        assert {"samesite=none", "secure", "httponly"} <= attributes, cookie


def test_a_replayed_token_is_refused(hub) -> None:
    done = launch(hub, "102")
    assert done["callback"].status_code == 302
    again = done["browser"].post(f"{hub['url']}/hub/lti13/oauth_callback", data=done["form"], allow_redirects=False,
                                 timeout=30)
    assert again.status_code == 400, again.text[:300]


def test_a_token_signed_by_another_key_is_refused(hub) -> None:
    from cryptography.hazmat.primitives.asymmetric import rsa

    hub["platform"].forged = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    done = launch(hub, "201")
    assert done["callback"].status_code == 400, error(done["callback"])
    assert "Signature verification failed" in error(done["callback"])


def test_a_launch_from_another_moodle_course_is_refused(hub) -> None:
    hub["platform"].context = "43"
    try:
        done = launch(hub, "102")
    finally:
        hub["platform"].context = MOODLE_COURSE
    assert done["callback"].status_code == 403
    assert "не из курса, для которого открыт сервер" in error(done["callback"]), error(done["callback"])


def test_an_id_moodle_did_not_fill_in_creates_no_user(hub) -> None:
    done = launch(hub, "103")
    assert done["callback"].status_code == 403
    assert "Moodle не подставил значение для входа" in error(done["callback"]), error(done["callback"])
    empty = launch(hub, "104")  # the authenticator alone would sign them in as "104", Moodle's user number
    assert empty["callback"].status_code == 403
    assert "Moodle не передал значение для входа" in error(empty["callback"]), error(empty["callback"])
    names = [u["name"] for u in hub["admin"].get(f"{hub['url']}/hub/api/users", timeout=30).json()]
    assert not any(n.startswith("$") or "sourcedid" in n or n == "104" for n in names), names


def test_no_way_in_but_moodle(hub) -> None:
    """The hub's own login page asks for no password; the login initiation without Moodle's arguments fails."""
    page = requests.get(f"{hub['url']}/hub/login", timeout=30)
    assert page.status_code == 200
    assert 'type="password"' not in page.text and "lti13/oauth_login" in page.text
    assert requests.get(f"{hub['url']}/hub/lti13/oauth_login", timeout=30, allow_redirects=False).status_code == 400


def test_the_hooks_doctests() -> None:
    import doctest

    sys.path.insert(0, str(ROOT / "grader" / "hub"))
    import smmkit_lti13

    result = doctest.testmod(smmkit_lti13)
    assert result.attempted >= 6 and result.failed == 0


def test_incomplete_settings_are_named() -> None:
    sys.path.insert(0, str(ROOT / "grader" / "hub"))
    import smmkit_lti13

    with pytest.raises(ValueError, match="SMMKIT_LTI_CLIENT_ID"):
        smmkit_lti13.settings({"SMMKIT_LTI_PLATFORM": "https://moodle.college.kz/"})
    s = smmkit_lti13.settings({"SMMKIT_LTI_PLATFORM": "https://moodle.college.kz/", "SMMKIT_LTI_CLIENT_ID": "a, b"})
    assert s == {"issuer": "https://moodle.college.kz", "client_id": {"a", "b"},
                 "authorize_url": "https://moodle.college.kz/mod/lti/auth.php",
                 "jwks_endpoint": "https://moodle.college.kz/mod/lti/certs.php", "username_key": "custom_student_id",
                 "uri_scheme": "https"}


def test_the_redirect_uri_follows_the_public_address_not_the_proxys_header(hub) -> None:
    """Behind an HTTPS proxy the hub is reached over http; the redirect_uri Moodle must recognise takes its scheme
    from SMMKIT_HUB_PUBLIC_URL (here http on loopback), whatever X-Forwarded-Proto says."""
    for forwarded in ("https", "http"):
        init = Browser().post(f"{hub['url']}/hub/lti13/oauth_login", allow_redirects=False, timeout=30,
                              headers={"X-Forwarded-Proto": forwarded},
                              data={"iss": hub["platform"].url, "login_hint": "101", "client_id": CLIENT,
                                    "target_link_uri": f"{hub['url']}/hub/home", "lti_deployment_id": DEPLOYMENT})
        assert init.status_code == 302, init.text[:300]
        redirect = parse_qs(urlparse(init.headers["Location"]).query)["redirect_uri"][0]
        assert redirect == f"{hub['url']}/hub/lti13/oauth_callback"


def test_an_https_hub_sends_an_https_redirect_uri_behind_a_proxy_that_says_http() -> None:
    from tornado.httputil import HTTPHeaders, HTTPServerRequest
    from traitlets.config import Config

    sys.path.insert(0, str(ROOT / "grader" / "hub"))
    import smmkit_lti13

    env = {"SMMKIT_LTI_PLATFORM": "https://moodle.college.kz", "SMMKIT_LTI_CLIENT_ID": CLIENT}
    for public, scheme in (("https://hub.college.kz/", "https"), ("", "https"), ("http://127.0.0.1:8000/", "http")):
        c = Config()
        smmkit_lti13.configure(c, COURSE, {}, {**env, "SMMKIT_HUB_PUBLIC_URL": public} if public else env)
        assert c.LTI13Authenticator.uri_scheme == scheme
        authenticator = c.JupyterHub.authenticator_class(config=c)
        # nginx without `proxy_set_header X-Forwarded-Proto $scheme`, or a second proxy on plain http
        request = HTTPServerRequest(method="POST", uri="/hub/lti13/oauth_login",
                                    headers=HTTPHeaders({"X-Forwarded-Proto": "http"}))
        assert authenticator.get_uri_scheme(request) == scheme
    with pytest.raises(ValueError, match="SMMKIT_HUB_PUBLIC_URL"):
        smmkit_lti13.settings({**env, "SMMKIT_HUB_PUBLIC_URL": "ftp://hub"})
