#!/usr/bin/env python3
"""Start and stop a local Label Studio server, for the test suite and for people.

Label Studio (pinned 1.23.2) runs from a virtual environment of its own, because its pins
clash with ours (``make label-studio`` creates ``.venv-ls`` from ``constraints-ls.txt``).
The environment is ``$NEWSCORPUS_LS_VENV`` if set, else ``<repo>/.venv-ls``.

What this does for you, and why (facts of Label Studio 1.23.2):

- it listens on 127.0.0.1 only (``--internal-host``; the default is every interface);
- it never calls home: the version check, analytics and both Sentry DSNs are switched off;
- bare ``HOST``, ``PORT``, ``USERNAME``, ``PASSWORD`` and ``USER_TOKEN`` (and their
  ``LABEL_STUDIO_``/``HEARTEX_`` forms) are removed from the server's environment, since
  Label Studio reads them; the password and legacy token go in through
  ``LABEL_STUDIO_PASSWORD``/``LABEL_STUDIO_USER_TOKEN`` so that ``ps`` does not show them;
- a taken port makes Label Studio move silently to the next one, so a free port is picked
  and the server must answer on it (the log's "Starting development server at" line is
  checked);
- the first start of a data directory migrates a new SQLite database (about 30 s on two
  cores), later starts take about 3 s;
- legacy tokens work only if enabled when the organisation is created, so the first start
  passes ``--enable-legacy-api-token`` and a generated ``--user-token``;
- a personal access token (a JWT refresh token) comes from a form login and
  ``POST /api/token/``; Label Studio shows it once and answers 409 to a second request for
  the same user, so a restarted data directory reports ``personal_access_token: null``.

The server runs in a session of its own; :func:`stop` ends it and its children by PID.

Command line::

    python scripts/ls_server.py start --data-dir /tmp/ls [--port 8080] [--password PW]
    python scripts/ls_server.py stop --pid 12345
    LABEL_STUDIO_API_KEY=<owner's legacy token> python scripts/ls_server.py add-user --url URL --email a@example.com

``start`` prints ``{"url", "pid", "port", "data_dir", "log_file", "username", "password",
"legacy_token", "personal_access_token"}`` as JSON on stdout.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import json
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field, fields
from pathlib import Path

__all__ = [
    "LabelStudioServer",
    "ServerError",
    "DEFAULT_USERNAME",
    "find_venv",
    "free_port",
    "start",
    "stop",
    "login",
    "create_personal_access_token",
    "get_legacy_token",
    "invite_link",
    "Annotator",
    "sign_up",
]

REPO = Path(__file__).resolve().parent.parent
DEFAULT_USERNAME = "admin@example.com"
DATABASE_NAME = "label_studio.sqlite3"
LOG_NAME = "label-studio.log"
#: Variables Label Studio reads under a bare name or with a LABEL_STUDIO_/HEARTEX_ prefix.
_READ_BY_LS = ("HOST", "PORT", "USERNAME", "PASSWORD", "USER_TOKEN")
_STARTED = re.compile(r"Starting development server at http://([^:/]+):(\d+)/")


class ServerError(RuntimeError):
    """The server cannot be found, started, reached or stopped; the message says why."""


@dataclass
class LabelStudioServer:
    """A running server: where it answers, its process and the credentials of its admin.

    ``legacy_token`` is the ``Authorization: Token …`` key (enabled at the first start of
    the data directory); ``personal_access_token`` is a JWT refresh token, or None when the
    user already had one (Label Studio shows it once).
    """

    url: str
    pid: int
    port: int
    data_dir: Path
    log_file: Path
    username: str
    password: str
    legacy_token: str | None
    personal_access_token: str | None
    _process: subprocess.Popen | None = field(default=None, repr=False, compare=False)

    def stop(self, *, timeout: float = 15.0) -> None:
        """Stop the server and its children (see :func:`stop`)."""
        stop(self.pid, timeout=timeout, process=self._process)

    def as_json(self) -> dict:
        """The public fields as a JSON-ready dict (paths as strings)."""
        data = {f.name: getattr(self, f.name) for f in fields(self) if not f.name.startswith("_")}
        data["data_dir"] = str(self.data_dir)
        data["log_file"] = str(self.log_file)
        return data


def find_venv() -> Path:
    """The Label Studio virtual environment: ``$NEWSCORPUS_LS_VENV`` or ``<repo>/.venv-ls``.

    Raises :class:`ServerError` when it holds no ``bin/label-studio``.
    """
    venv = Path(os.environ.get("NEWSCORPUS_LS_VENV") or REPO / ".venv-ls")
    if not (venv / "bin" / "label-studio").exists():
        raise ServerError(
            f"no Label Studio in {venv} (expected {venv}/bin/label-studio); "
            "run 'make label-studio' or set NEWSCORPUS_LS_VENV to a virtualenv with label-studio==1.23.2"
        )
    return venv


def free_port() -> int:
    """A TCP port on 127.0.0.1 that is free right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _port_taken(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return True
    return False


def _server_env(data_dir: Path, password: str, user_token: str | None) -> dict[str, str]:
    env = dict(os.environ)
    for name in _READ_BY_LS:
        for prefix in ("", "LABEL_STUDIO_", "HEARTEX_"):
            env.pop(prefix + name, None)
    env.update(
        LABEL_STUDIO_BASE_DATA_DIR=str(data_dir),
        LABEL_STUDIO_LATEST_VERSION_CHECK="false",
        LABEL_STUDIO_COLLECT_ANALYTICS="false",
        LABEL_STUDIO_SENTRY_DSN="",
        LABEL_STUDIO_FRONTEND_SENTRY_DSN="",
        LABEL_STUDIO_PASSWORD=password,
        PYTHONUNBUFFERED="1",
    )
    if user_token:
        env["LABEL_STUDIO_USER_TOKEN"] = user_token
    return env


def _log_tail(log_file: Path, lines: int = 15) -> str:
    try:
        return "\n".join(log_file.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])
    except FileNotFoundError:
        return "(no log)"


def _get(url: str, timeout: float = 2.0) -> int:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as resp:
            return resp.status
    except urllib.error.HTTPError as exc:
        return exc.code


def start(
    *,
    data_dir: str | Path,
    port: int | None = None,
    username: str = DEFAULT_USERNAME,
    password: str | None = None,
    timeout: float = 420.0,
) -> LabelStudioServer:
    """Start Label Studio on ``127.0.0.1:<port>`` with its data in ``data_dir`` and wait
    until it answers there.

    ``port`` None picks a free one; a given port that is taken is an error (Label Studio
    would silently move to the next). On the first start of ``data_dir`` the admin user
    ``username`` is created with ``password`` (generated when None) and a generated legacy
    token, with legacy tokens enabled for the organisation; later starts need the same
    ``password``. Returns the server with a legacy token and, when Label Studio gives one,
    a personal access token. Raises :class:`ServerError` (with the log's last lines) when
    the server exits, answers elsewhere or is not up within ``timeout`` seconds.
    """
    venv = find_venv()
    data_dir = Path(data_dir).resolve()
    data_dir.mkdir(parents=True, exist_ok=True)
    first_start = not (data_dir / DATABASE_NAME).exists()
    if password is None:
        if not first_start:
            raise ServerError(f"{data_dir} already holds a Label Studio database: give the admin's password")
        password = secrets.token_urlsafe(16)
    if port is None:
        port = free_port()
    elif _port_taken(port):
        raise ServerError(f"port {port} on 127.0.0.1 is taken (Label Studio would silently use another one)")
    user_token = secrets.token_hex(20) if first_start else None
    args = [
        str(venv / "bin" / "label-studio"), "start",
        "--no-browser",
        "--data-dir", str(data_dir),
        "--internal-host", "127.0.0.1",
        "--port", str(port),
        "--username", username,
        "--log-level", "WARNING",
    ]  # fmt: skip
    if first_start:
        args.append("--enable-legacy-api-token")
    log_file = data_dir / LOG_NAME
    log_start = log_file.stat().st_size if log_file.exists() else 0
    with open(log_file, "ab") as log:
        process = subprocess.Popen(
            args,
            cwd=data_dir,
            env=_server_env(data_dir, password, user_token),
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(process, url=url, port=port, log_file=log_file, log_start=log_start, timeout=timeout)
        opener, csrf = login(url, username=username, password=password)
        legacy = get_legacy_token(url, opener=opener)
        pat = create_personal_access_token(url, opener=opener, csrf=csrf)
    except BaseException:
        stop(process.pid, process=process)
        raise
    return LabelStudioServer(
        url=url,
        pid=process.pid,
        port=port,
        data_dir=data_dir,
        log_file=log_file,
        username=username,
        password=password,
        legacy_token=legacy,
        personal_access_token=pat,
        _process=process,
    )


def _wait_until_up(
    process: subprocess.Popen, *, url: str, port: int, log_file: Path, log_start: int, timeout: float
) -> None:
    deadline = time.monotonic() + timeout
    announced = False
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise ServerError(f"Label Studio exited with status {process.returncode}:\n{_log_tail(log_file)}")
        if not announced:
            with open(log_file, "rb") as fh:
                fh.seek(log_start)
                match = _STARTED.search(fh.read().decode("utf-8", "replace"))
            if match:
                if int(match.group(2)) != port or match.group(1) != "127.0.0.1":
                    raise ServerError(f"Label Studio started on {match.group(1)}:{match.group(2)}, not 127.0.0.1:{port}")
                announced = True
        if announced:
            try:
                if _get(f"{url}/health") == 200:
                    return
            except (OSError, urllib.error.URLError):
                pass
        time.sleep(0.5)
    raise ServerError(f"Label Studio did not answer on {url} within {timeout:.0f} s:\n{_log_tail(log_file)}")


def login(url: str, *, username: str, password: str) -> tuple[urllib.request.OpenerDirector, str]:
    """Log in through the web form (with its CSRF token) and return a cookie-keeping
    opener and the CSRF token to send as ``X-CSRFToken`` on POSTs."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    with opener.open(f"{url}/user/login/", timeout=30) as resp:
        page = resp.read().decode("utf-8", "replace")
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    if not match:
        raise ServerError(f"{url}/user/login/ has no CSRF token: is this Label Studio?")
    form = urllib.parse.urlencode(
        {"csrfmiddlewaretoken": match.group(1), "email": username, "password": password}
    ).encode()
    request = urllib.request.Request(f"{url}/user/login/", data=form, headers={"Referer": f"{url}/user/login/"})
    with opener.open(request, timeout=30) as resp:
        landed = resp.geturl()
    if "/user/login" in landed:
        raise ServerError(f"login as {username} on {url} failed: wrong password?")
    csrf = next((c.value for c in jar if c.name == "csrftoken"), "")
    return opener, csrf


def get_legacy_token(url: str, *, opener: urllib.request.OpenerDirector) -> str:
    """The logged-in user's legacy API token (``Authorization: Token <key>``)."""
    with opener.open(f"{url}/api/current-user/token", timeout=30) as resp:
        return json.load(resp)["token"]


def create_personal_access_token(url: str, *, opener: urllib.request.OpenerDirector, csrf: str) -> str | None:
    """Create the logged-in user's personal access token (a JWT refresh token) with
    ``POST /api/token/``; None when the user already has one (Label Studio answers 409)."""
    request = urllib.request.Request(
        f"{url}/api/token/", data=b"", method="POST", headers={"X-CSRFToken": csrf, "Referer": f"{url}/"}
    )
    try:
        with opener.open(request, timeout=30) as resp:
            return json.load(resp)["token"]
    except urllib.error.HTTPError as exc:
        if exc.code == 409:
            return None
        raise ServerError(f"POST {url}/api/token/ answered {exc.code}") from None


def invite_link(url: str, *, api_key: str) -> str:
    """The organisation's invite (sign-up) link, ``<url>/user/signup/?token=…``, as the
    *Organization* page shows it (``GET /api/invite`` with a legacy token ``api_key`` of a
    member who may invite: the owner). Anyone with the link can create an account."""
    request = urllib.request.Request(f"{url}/api/invite", headers={"Authorization": f"Token {api_key}"})
    try:
        with urllib.request.urlopen(request, timeout=30) as resp:
            return url + json.load(resp)["invite_url"]
    except urllib.error.HTTPError as exc:
        raise ServerError(f"GET {url}/api/invite answered {exc.code}") from None


@dataclass(frozen=True)
class Annotator:
    """An account made by :func:`sign_up`: its Label Studio user id (the records name it
    ``ls-<id>``), e-mail, password and legacy API token."""

    id: int
    email: str
    password: str
    legacy_token: str = field(repr=False)


def sign_up(url: str, *, invite: str, email: str, password: str | None = None) -> Annotator:
    """Create an account through the invite link ``invite`` (:func:`invite_link`) as a
    person does: the sign-up form with its CSRF token, then the new session's legacy token
    and user id. The password is generated when not given (Django's rules: 8+ characters,
    not all digits, not common)."""
    password = password or secrets.token_urlsafe(12)
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    with opener.open(invite, timeout=30) as resp:
        page = resp.read().decode("utf-8", "replace")
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    if not match:
        raise ServerError(f"{invite} has no sign-up form: is the link right?")
    form = urllib.parse.urlencode({"csrfmiddlewaretoken": match.group(1), "email": email, "password": password}).encode()
    request = urllib.request.Request(invite, data=form, headers={"Referer": invite})
    try:
        with opener.open(request, timeout=30) as resp:
            landed = resp.geturl()
    except urllib.error.HTTPError as exc:
        raise ServerError(f"sign-up of {email} on {url} answered {exc.code}: is the invite link current?") from None
    if "/user/signup" in landed:
        raise ServerError(f"sign-up of {email} on {url} was refused: the address is taken or the password too weak")
    token = get_legacy_token(url, opener=opener)
    request = urllib.request.Request(f"{url}/api/current-user/whoami", headers={"Authorization": f"Token {token}"})
    with urllib.request.urlopen(request, timeout=30) as resp:
        user_id = json.load(resp)["id"]
    return Annotator(id=user_id, email=email, password=password, legacy_token=token)


def _is_label_studio(pid: int) -> bool:
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except (FileNotFoundError, ProcessLookupError):
        return False
    return any(part.endswith(b"label-studio") for part in cmdline)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    stat = Path(f"/proc/{pid}/stat")
    try:
        return stat.read_text().split(") ", 1)[1][0] != "Z"
    except (FileNotFoundError, IndexError):
        return False


def stop(pid: int, *, timeout: float = 15.0, process: subprocess.Popen | None = None) -> bool:
    """Stop the Label Studio server ``pid`` and its children: SIGTERM to its process group
    (it runs in a session of its own), SIGKILL after ``timeout`` seconds.

    Returns False when no such process runs. Raises :class:`ServerError` when ``pid`` is
    not a Label Studio server (nothing is signalled then).
    """
    if process is None and not _alive(pid):
        return False
    if process is None and not _is_label_studio(pid):
        raise ServerError(f"process {pid} is not a Label Studio server; not stopping it")
    try:
        pgid = os.getpgid(pid)
    except ProcessLookupError:
        pgid = None
    target = pgid if pgid == pid else None  # only a group the server leads

    def send(sig: int) -> None:
        try:
            if target is not None:
                os.killpg(target, sig)
            else:
                os.kill(pid, sig)
        except ProcessLookupError:
            pass

    send(signal.SIGTERM)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            break
        if process is None and not _alive(pid):
            break
        time.sleep(0.2)
    else:
        send(signal.SIGKILL)
    if process is not None:
        process.wait(timeout=timeout)
    if target is not None:  # children left in the group
        try:
            os.killpg(target, signal.SIGKILL)
        except ProcessLookupError:
            pass
    return True


def main(argv: list[str] | None = None) -> int:
    """``start`` / ``stop`` from the command line; see the module docstring."""
    parser = argparse.ArgumentParser(prog="ls_server.py", description="Start or stop a local Label Studio server.")
    sub = parser.add_subparsers(dest="command", required=True)
    p_start = sub.add_parser("start", help="start a server and print its URL, PID and tokens as JSON")
    p_start.add_argument("--data-dir", required=True, type=Path, help="its database and media (a new folder migrates ~30 s)")
    p_start.add_argument("--port", type=int, help="default: a free port")
    p_start.add_argument("--username", default=DEFAULT_USERNAME, help=f"admin e-mail (default {DEFAULT_USERNAME})")
    p_start.add_argument("--password", help="admin password (generated on a first start; required later)")
    p_start.add_argument("--timeout", type=float, default=420.0, help="seconds to wait for it (default 420)")
    p_stop = sub.add_parser("stop", help="stop a server and its children by PID")
    p_stop.add_argument("--pid", required=True, type=int)
    p_user = sub.add_parser("add-user", help="create an annotator's account through the invite link and print its id, "
                            "password and legacy token as JSON (the owner's legacy token in $LABEL_STUDIO_API_KEY)")
    p_user.add_argument("--url", required=True)
    p_user.add_argument("--email", required=True)
    p_user.add_argument("--password", help="default: generated")
    args = parser.parse_args(argv)
    try:
        if args.command == "start":
            server = start(
                data_dir=args.data_dir, port=args.port, username=args.username, password=args.password, timeout=args.timeout
            )
            print(json.dumps(server.as_json(), indent=2))
        elif args.command == "add-user":
            key = os.environ.get("LABEL_STUDIO_API_KEY", "").strip()
            if not key:
                raise ServerError("LABEL_STUDIO_API_KEY is not set (the owner's legacy token)")
            url = args.url.rstrip("/")
            user = sign_up(url, invite=invite_link(url, api_key=key), email=args.email, password=args.password)
            print(json.dumps({"id": user.id, "annotator": f"ls-{user.id}", "email": user.email, "password": user.password,
                              "legacy_token": user.legacy_token}, indent=2))
        else:
            if not stop(args.pid):
                print(f"no process {args.pid}", file=sys.stderr)
                return 1
    except ServerError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
