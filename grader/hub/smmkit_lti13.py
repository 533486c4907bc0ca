"""Sign-in from the college's LMS (Moodle) with LTI 1.3: ``SMMKIT_HUB_AUTH=lti13`` (grader/README.md, section 5,
"Sign-in from Moodle (LTI 1.3)").

The hub is an LTI 1.3 tool of the Moodle course, with JupyterHub's own LTI authenticator (PyPI
``jupyterhub-ltiauthenticator``, ``LTI13Authenticator``; the ``hub`` extra installs it). A student clicks the
activity in Moodle; Moodle signs an OpenID Connect ``id_token`` about them with its key (published at
``<moodle>/mod/lti/certs.php``); the authenticator checks it and signs them in. This module adds what the kit needs
on top, in a hook that checks each verified launch:

- **the login is the nbgrader student id**: by default the Moodle tool's custom parameter ``student_id`` (set it
  to ``$Person.sourcedId``, the "ID number" of the Moodle profile, or ``$User.username``). A launch whose id is
  missing, still the unsubstituted ``$…`` text, or has characters nbgrader cannot use (``+``, ``*``, spaces,
  Cyrillic) is refused with a Russian message instead of creating a wrong account;
- **groups from the launch** (the authenticator manages them: ``Authenticator.manage_groups``): Moodle's
  Instructor role → ``formgrade-<course>`` (the formgrader), Learner → ``nbgrader-<course>``; a launch with
  neither role is refused. Students' sections: the custom parameter ``groupids`` (set it to
  ``$Moodle.Person.userGroupIds``: the ids of the user's Moodle groups in the course) is mapped through the
  roster's ``sections:`` table (Moodle group id → section name) onto hub groups ``section-<name>``;
- **one Moodle course only** if ``SMMKIT_LTI_CONTEXT`` is set (the Moodle course id, shown in the course's URL
  ``course/view.php?id=…``): a launch from another course's activity is refused;
- **the launch's two state cookies are cross-site** (``SameSite=None; Secure``): Moodle's form POSTs the signed
  token back to the hub from Moodle's site, and a browser sends default (``Lax``) cookies with no cross-site POST,
  so the launch would fail with "OAuth state missing from cookies". Only these two short-lived cookies change;
  ``Secure`` means the hub must be on HTTPS (LTI 1.3 requires it anyway).

Settings (environment variables):

==========================  ================================================================================
SMMKIT_LTI_PLATFORM         the Moodle site, e.g. ``https://moodle.college.kz`` (Moodle's "Platform ID"): the
                            issuer; the login and key URLs default to Moodle's ``/mod/lti/auth.php`` and
                            ``/mod/lti/certs.php`` under it
SMMKIT_LTI_CLIENT_ID        the "Client ID" Moodle shows for the tool (several: comma-separated)
SMMKIT_LTI_ISSUER           only if it differs from SMMKIT_LTI_PLATFORM
SMMKIT_LTI_AUTHORIZE_URL    only if it differs from ``<platform>/mod/lti/auth.php``
SMMKIT_LTI_JWKS_URL         only if it differs from ``<platform>/mod/lti/certs.php``
SMMKIT_LTI_USERNAME_KEY     the id_token claim that is the login (``custom_student_id``; ``custom_<k>`` reads
                            the tool's custom parameter ``<k>``; ``email`` or ``sub`` also work)
SMMKIT_LTI_CONTEXT          the Moodle course id whose launches are accepted (default: any)
SMMKIT_LTI_DEPLOYMENT_ID    the "Deployment ID" Moodle shows for the tool: launches of other deployments are
                            refused (default: any; the authenticator itself does not check it)
SMMKIT_HUB_PUBLIC_URL       the hub's address as browsers see it, e.g. ``https://hub.college.kz``: its scheme is
                            the one of the ``redirect_uri`` the hub sends Moodle (``LTI13Authenticator.uri_scheme``).
                            Default ``https``: behind an HTTPS proxy the hub itself is reached over http, and the
                            authenticator's "auto" would read the scheme from ``X-Forwarded-Proto``, which a
                            proxy may not set (or set to ``http``): Moodle then refuses the unregistered
                            ``http://…/oauth_callback``. LTI 1.3 needs HTTPS anyway (the cookies are ``Secure``)
==========================  ================================================================================
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping
from typing import Any

ROLES = "https://purl.imsglobal.org/spec/lti/claim/roles"
CUSTOM = "https://purl.imsglobal.org/spec/lti/claim/custom"
CONTEXT = "https://purl.imsglobal.org/spec/lti/claim/context"
DEPLOYMENT = "https://purl.imsglobal.org/spec/lti/claim/deployment_id"
LOGIN = re.compile(r"^[a-z0-9][a-z0-9._-]*$")  # a hub login that is also a safe nbgrader student id


class LaunchRefused(Exception):
    """A launch the class server does not accept; the message is in Russian, for the person who clicked."""


def settings(env: Mapping[str, str]) -> dict[str, Any]:
    """The authenticator's settings from the environment (see the table above); raise ValueError if incomplete."""
    platform = env.get("SMMKIT_LTI_PLATFORM", "").rstrip("/")
    issuer = env.get("SMMKIT_LTI_ISSUER") or platform
    clients = {c.strip() for c in env.get("SMMKIT_LTI_CLIENT_ID", "").split(",") if c.strip()}
    missing = [name for name, value in (("SMMKIT_LTI_PLATFORM (or SMMKIT_LTI_ISSUER)", issuer),
                                        ("SMMKIT_LTI_CLIENT_ID", clients)) if not value]
    authorize = env.get("SMMKIT_LTI_AUTHORIZE_URL") or (platform and f"{platform}/mod/lti/auth.php")
    jwks = env.get("SMMKIT_LTI_JWKS_URL") or (platform and f"{platform}/mod/lti/certs.php")
    if not authorize:
        missing.append("SMMKIT_LTI_AUTHORIZE_URL")
    if not jwks:
        missing.append("SMMKIT_LTI_JWKS_URL")
    if missing:
        raise ValueError("SMMKIT_HUB_AUTH=lti13 needs " + ", ".join(missing) + " (grader/README.md, section 5, "
                         "'Sign-in from Moodle (LTI 1.3)')")
    public = env.get("SMMKIT_HUB_PUBLIC_URL", "").strip()
    scheme = public.split("://", 1)[0].lower() if "://" in public else "https"
    if scheme not in ("https", "http"):
        raise ValueError(f"SMMKIT_HUB_PUBLIC_URL={public!r}: expected https://… (or http://… on loopback)")
    return {"issuer": issuer, "client_id": clients, "authorize_url": authorize, "jwks_endpoint": jwks,
            "username_key": env.get("SMMKIT_LTI_USERNAME_KEY", "custom_student_id"), "uri_scheme": scheme}


def _role_names(token: Mapping[str, Any]) -> set[str]:
    """LTI roles without their vocabulary (``…/membership#Instructor`` → ``Instructor``)."""
    return {str(r).rsplit("#", 1)[-1].rsplit("/", 1)[-1] for r in token.get(ROLES) or []}


def groups_for(token: Mapping[str, Any], course: str, sections: Mapping[str, str]) -> list[str]:
    """The hub groups of a verified launch: an instructor's, or a student's with the sections of their Moodle groups.

    >>> t = {ROLES: ["http://purl.imsglobal.org/vocab/lis/v2/membership#Learner"], CUSTOM: {"groupids": "7,9"}}
    >>> groups_for(t, "smm101", {"7": "a", "8": "b"})
    ['nbgrader-smm101', 'section-a']
    >>> groups_for({ROLES: ["http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor"]}, "smm101", {})
    ['formgrade-smm101']
    """
    roles = _role_names(token)
    if "Instructor" in roles or "Administrator" in roles:
        return [f"formgrade-{course}"]
    if "Learner" not in roles:
        raise LaunchRefused("Moodle не передал роль «преподаватель» или «студент» в этом курсе: вход на сервер "
                            "курса только для участников курса.")
    groups = [f"nbgrader-{course}"]
    ids = str((token.get(CUSTOM) or {}).get("groupids") or "")
    for gid in re.split(r"[,;\s]+", ids):
        if gid in sections:
            groups.append(f"section-{sections[gid]}")
    return groups


def check_login(name: str, key: str) -> None:
    """Refuse a login that is not a usable nbgrader student id (with the reason, in Russian).

    >>> check_login("s2026-014", "custom_student_id")
    >>> check_login("$Person.sourcedId", "custom_student_id")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    smmkit_lti13.LaunchRefused: Moodle не подставил значение для входа (custom_student_id = «$Person.sourcedId»)...
    >>> check_login("айгерим", "custom_student_id")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    smmkit_lti13.LaunchRefused: Ваш идентификатор из Moodle «айгерим» не подходит как логин курса...
    """
    if name.startswith("$"):
        raise LaunchRefused(f"Moodle не подставил значение для входа ({key} = «{name}»): в профиле нет нужного "
                            "поля (например, «Идентификационный номер»). Обратитесь к преподавателю.")
    if not LOGIN.match(name):
        raise LaunchRefused(f"Ваш идентификатор из Moodle «{name}» не подходит как логин курса: допустимы только "
                            "латинские буквы, цифры, «-», «_» и «.». Обратитесь к преподавателю.")


def claimed(token: Mapping[str, Any], key: str) -> str:
    """The value of ``username_key`` in the token itself (the authenticator falls back to ``sub``, Moodle's
    internal user number, when it is missing: the kit refuses that instead).

    >>> claimed({CUSTOM: {"student_id": "s2026-014"}, "sub": "101"}, "custom_student_id")
    's2026-014'
    >>> claimed({CUSTOM: {"student_id": ""}, "sub": "101"}, "custom_student_id")
    ''
    >>> claimed({CUSTOM: {"email": "x"}, "email": "dana@college.kz"}, "email")
    'dana@college.kz'
    """
    if key.startswith("custom_"):
        return str((token.get(CUSTOM) or {}).get(key.removeprefix("custom_")) or "")
    return str(token.get(key) or "")


def make_hook(course: str, sections: Mapping[str, str], context: str | None, key: str,
              deployment: str | None = None) -> Callable[[Any, Any, dict[str, Any]], dict[str, Any]]:
    """The launch check (called by the authenticator's ``authenticate``): check the launch, set the hub groups
    (the authenticator manages them)."""
    from tornado.web import HTTPError

    def post_auth_hook(authenticator: Any, handler: Any, authentication: dict[str, Any]) -> dict[str, Any]:
        token = authentication.get("auth_state") or {}
        try:
            if deployment and str(token.get(DEPLOYMENT)) != deployment:
                raise LaunchRefused("Вход из этого подключения Moodle не настроен на сервере курса. Обратитесь к "
                                    "преподавателю.")
            if context and str((token.get(CONTEXT) or {}).get("id")) != context:
                raise LaunchRefused("Это задание Moodle не из курса, для которого открыт сервер. Откройте его из "
                                    "своего курса в Moodle.")
            if not claimed(token, key).strip():
                raise LaunchRefused(f"Moodle не передал значение для входа ({key}): в профиле нет нужного поля "
                                    "(например, «Идентификационный номер»). Обратитесь к преподавателю.")
            check_login(authentication["name"], key)
            authentication["groups"] = groups_for(token, course, sections)
            authenticator.log.info("LTI 1.3 launch: %s, groups %s", authentication["name"], authentication["groups"])
        except LaunchRefused as e:
            authenticator.log.warning("LTI 1.3 launch refused for %r: %s", authentication.get("name"), e)
            raise HTTPError(403, str(e)) from None
        return authentication

    return post_auth_hook


def authenticator_class(hook: Callable[[Any, Any, dict[str, Any]], dict[str, Any]] | None = None) -> type:
    """``LTI13Authenticator`` whose login handler sets its state and nonce cookies ``SameSite=None; Secure``.

    ``hook`` (:func:`make_hook`) checks each verified launch inside ``authenticate()``, on the normalised (lower
    case) login: before JupyterHub's own ``username_pattern`` check, which would refuse a bad id with a bare
    "Forbidden" instead of the hook's Russian reason.
    """
    from ltiauthenticator.lti13.auth import LTI13Authenticator
    from ltiauthenticator.lti13.handlers import LTI13LoginInitHandler

    class CrossSiteLoginInitHandler(LTI13LoginInitHandler):
        def _set_oauth_cookie(self, key: str, value: Any) -> None:
            self._set_cookie(key, value, expires_days=1, httponly=True, encrypted=True, secure=True,
                             samesite="None")

    class MoodleLTI13Authenticator(LTI13Authenticator):
        login_handler = CrossSiteLoginInitHandler

        async def authenticate(self, handler: Any, data: Any = None) -> Any:
            authentication = await super().authenticate(handler, data)
            if authentication is None or hook is None:
                return authentication
            authentication = {**authentication, "name": self.normalize_username(authentication["name"])}
            return hook(self, handler, authentication)

    return MoodleLTI13Authenticator


def configure(c: Any, course: str, roster: Mapping[str, Any], env: Mapping[str, str] | None = None) -> None:
    """Make the hub an LTI 1.3 tool of the Moodle course (called by jupyterhub_config.py)."""
    env = os.environ if env is None else env
    s = settings(env)
    sections = {str(k): str(v) for k, v in (roster.get("sections") or {}).items()}
    hook = make_hook(course, sections, env.get("SMMKIT_LTI_CONTEXT") or None, s["username_key"],
                     env.get("SMMKIT_LTI_DEPLOYMENT_ID") or None)
    c.JupyterHub.authenticator_class = authenticator_class(hook)
    for name, value in s.items():
        setattr(c.LTI13Authenticator, name, value)
    # the groups come from each launch; the roster's fixed groups cannot be loaded as well (JupyterHub refuses)
    c.Authenticator.manage_groups = True
    c.JupyterHub.load_groups = {}
    # who may sign in is decided by Moodle (course members only, see the hook), not by a list
    c.Authenticator.allowed_users = set()
    c.Authenticator.allow_all = True
