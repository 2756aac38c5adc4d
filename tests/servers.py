"""Real servers for the test suite: a throwaway PostgreSQL, Debian's Chromium, an app on uvicorn.

    postgres_server   session fixture: a PostgreSQL server of its own, on 127.0.0.1 and a free port
    postgres_url      per-test fixture: a fresh empty database, as a SQLAlchemy URL
    chromium          session fixture: a headless Playwright browser running /usr/bin/chromium
    watched_page(b)   context manager: a fresh page that records console errors, uncaught
                      exceptions (CSP refusals among them), dialogs and every URL it requests
    serve_app(app)    context manager: an ASGI app on uvicorn in a thread, yields its base URL

The server binaries come from Debian's packages; nothing is downloaded. A missing package fails
the test that needs it with a one-line install hint, it is never skipped.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import socket
import subprocess
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg
import pytest
from psycopg import sql

PG_ROOT = Path("/usr/lib/postgresql")
PG_MISSING = "PostgreSQL server binaries not found under {root}/*/bin: install Debian's postgresql package (apt-get install postgresql)"
PG_SUPERUSER = "postgres"
# Durability is worth nothing in a throwaway server; without it the suite runs faster.
PG_SETTINGS = ("fsync=off", "full_page_writes=off", "synchronous_commit=off")
PG_SCRATCH_BYTES = 1 << 30  # a data folder in memory must have room for many test databases

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_MISSING = "{path} not found: install Debian's chromium package (apt-get install chromium)"
CHROMIUM_ARGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)

ASGIApp = Callable[[Any, Any, Any], Awaitable[None]]


@dataclass(frozen=True)
class PostgresServer:
    """A running server: where to reach it, and the folder that holds its data, socket and log."""

    host: str
    port: int
    folder: Path
    user: str = PG_SUPERUSER

    def url(self, database: str = "postgres") -> str:
        """The SQLAlchemy URL of one database on this server."""
        return f"postgresql+psycopg://{self.user}@{self.host}:{self.port}/{database}"

    def conninfo(self, database: str = "postgres") -> str:
        """The libpq connection string psycopg takes."""
        return f"host={self.host} port={self.port} user={self.user} dbname={database}"

    @contextmanager
    def database(self) -> Iterator[str]:
        """Create a fresh, empty database; yield its URL; drop it, closing any open connection."""
        name = f"nk_{secrets.token_hex(6)}"
        self._admin(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        try:
            yield self.url(name)
        finally:
            self._admin(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )

    def _admin(self, statement: sql.Composed) -> None:
        with psycopg.connect(self.conninfo(), autocommit=True) as conn:
            conn.execute(statement)


def postgres_bindir(root: Path = PG_ROOT) -> Path | None:
    """The newest `<root>/<version>/bin` that holds initdb and pg_ctl, or None."""
    found = [
        path.parent for path in root.glob("*/bin/initdb") if (path.parent / "pg_ctl").is_file()
    ]
    return max(found, key=lambda bindir: _version_key(bindir.parent.name), default=None)


def _version_key(name: str) -> tuple[int, ...]:
    return tuple(int(part) for part in re.findall(r"\d+", name))


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on at the moment of asking."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextmanager
def running_postgres(root: Path = PG_ROOT) -> Iterator[PostgresServer]:
    """Start a PostgreSQL server of its own in a temporary folder; stop it and remove the folder."""
    bindir = postgres_bindir(root)
    if bindir is None:
        pytest.fail(PG_MISSING.format(root=root), pytrace=False)
    # initdb refuses to run as root: then the server runs as the postgres user, who owns the
    # folder. The folder sits where that user can reach it (root's TMPDIR may not be).
    as_root = os.geteuid() == 0
    folder = Path(tempfile.mkdtemp(prefix="nkwatch-pg-", dir=_scratch_root()))
    prefix = ["runuser", "-u", PG_SUPERUSER, "--"] if as_root else []
    if as_root:
        shutil.chown(folder, PG_SUPERUSER, PG_SUPERUSER)

    def run(tool: str, *args: str) -> subprocess.CompletedProcess[str]:
        command = [*prefix, str(bindir / tool), *args]
        return subprocess.run(
            command, cwd=folder, capture_output=True, text=True, stdin=subprocess.DEVNULL
        )

    data = folder / "data"
    try:
        _check(
            run(
                "initdb",
                "-D",
                str(data),
                "-U",
                PG_SUPERUSER,
                "--auth=trust",
                "-E",
                "UTF8",
                "--locale=C",
                "--no-sync",
            )
        )
        server = _start(run, folder, data)
        try:
            yield server
        finally:
            _check(run("pg_ctl", "stop", "-D", str(data), "-m", "immediate", "-w"))
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _scratch_root() -> str:
    """/dev/shm when it has room (CREATE DATABASE takes ~20 ms there, ~230 ms on disk), else /tmp."""
    shm = Path("/dev/shm")
    if shm.is_dir() and os.access(shm, os.W_OK) and shutil.disk_usage(shm).free >= PG_SCRATCH_BYTES:
        return str(shm)
    return "/tmp"


def _start(
    run: Callable[..., subprocess.CompletedProcess[str]], folder: Path, data: Path, tries: int = 3
) -> PostgresServer:
    """pg_ctl start on a free port; another process may take the port first, so try again."""
    log = folder / "server.log"
    for _ in range(tries):
        port = free_port()
        options = " ".join(
            [f"-h 127.0.0.1 -p {port} -k {folder}", *(f"-c {s}" for s in PG_SETTINGS)]
        )
        if (
            run("pg_ctl", "start", "-D", str(data), "-l", str(log), "-w", "-o", options).returncode
            == 0
        ):
            return PostgresServer(host="127.0.0.1", port=port, folder=folder)
    tail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
    pytest.fail(f"PostgreSQL did not start on a free port; its log ends:\n{tail}", pytrace=False)


def _check(done: subprocess.CompletedProcess[str]) -> None:
    if done.returncode != 0:
        command = " ".join(str(part) for part in done.args)
        pytest.fail(f"{command} failed:\n{done.stdout}{done.stderr}", pytrace=False)


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    with running_postgres() as server:
        yield server


@pytest.fixture
def postgres_url(postgres_server: PostgresServer) -> Iterator[str]:
    with postgres_server.database() as url:
        yield url


def launch_chromium(playwright: Any, executable: Path = CHROMIUM) -> Any:
    """A headless Playwright browser on Debian's Chromium; never a browser build of Playwright's."""
    if not executable.is_file():
        pytest.fail(CHROMIUM_MISSING.format(path=executable), pytrace=False)
    return playwright.chromium.launch(
        executable_path=str(executable), headless=True, args=list(CHROMIUM_ARGS)
    )


@pytest.fixture(scope="session")
def chromium() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        try:
            yield browser
        finally:
            browser.close()


@dataclass
class Watched:
    """A Playwright page and what it has done so far."""

    page: Any
    problems: list[str]
    dialogs: list[str]
    requests: list[str]


@contextmanager
def watched_page(browser: Any, width: int = 1280, height: int = 900) -> Iterator[Watched]:
    context = browser.new_context(viewport={"width": width, "height": height})
    context.set_default_timeout(10_000)
    page = context.new_page()
    seen = Watched(page, [], [], [])

    def on_dialog(dialog: Any) -> None:
        seen.dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("console", lambda m: seen.problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: seen.problems.append(str(e)))
    page.on("request", lambda r: seen.requests.append(r.url))
    page.on("dialog", on_dialog)
    try:
        yield seen
    finally:
        context.close()


@contextmanager
def serve_app(app: ASGIApp, timeout: float = 10.0) -> Iterator[str]:
    """Run an ASGI app with uvicorn in a background thread; yield its base URL once it answers."""
    import uvicorn

    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, name=f"uvicorn-{port}", daemon=True)
    thread.start()
    base_url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_answers(base_url, thread, timeout)
        yield base_url
    finally:
        server.should_exit = True
        thread.join(timeout)


def _wait_until_answers(base_url: str, thread: threading.Thread, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not thread.is_alive():
            pytest.fail(f"the app server at {base_url} stopped before it answered", pytrace=False)
        try:
            with urllib.request.urlopen(base_url + "/", timeout=1):
                return
        except urllib.error.HTTPError:
            return  # any HTTP status is an answer
        except OSError:
            time.sleep(0.02)
    pytest.fail(f"the app server at {base_url} did not answer within {timeout:g} s", pytrace=False)
