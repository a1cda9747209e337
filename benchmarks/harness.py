"""Shared helpers of the benchmark scripts: machine description, tables, results, a live server.

Every script in this folder measures one figure of docs/benchmarks.md. They share:

- ``machine()``: what the numbers were measured on (CPU model, cores, Python, SQLite);
- ``print_table()``: a plain-text table on stdout;
- ``save_results()``: the raw figures as JSON under ``benchmarks/results/`` (git-ignored);
- ``demo_database()``: a fresh SQLite database in a temporary folder, migrated and loaded with
  the demo data through the ``digitrade`` command, with an API key for a demo organisation;
- ``live_server()``: ``digitrade serve`` on a free loopback port, ready once ``/healthz`` answers
  and every worker has started, stopped (with its workers) afterwards.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import platform
import secrets
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

BENCH_DIR = Path(__file__).resolve().parent
REPO_ROOT = BENCH_DIR.parent
RESULTS_DIR = BENCH_DIR / "results"
LOOPBACK = "127.0.0.1"
# The demo organisation the benchmark API key belongs to (the demo administrator is a platform
# administrator without an organisation of its own; API keys always belong to an organisation).
BENCH_ORGANISATION = "sh-commerce-demo"


# --- the machine -------------------------------------------------------------------------------


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine() or "unknown"


def code_version() -> str:
    """The measured code: the commit of the checkout, ``+dirty`` if tracked files were changed."""
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short=12", "HEAD"],
            cwd=REPO_ROOT,
            capture_output=True,
            text=True,
            timeout=10,
            check=True,
        ).stdout.strip()
        changed = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            cwd=REPO_ROOT,
            capture_output=True,
            text=True,
            timeout=10,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return commit + ("+dirty" if changed else "")


def machine() -> dict[str, Any]:
    """What a figure was measured on; printed before every table and saved with the results."""
    try:
        load = " ".join(f"{value:.2f}" for value in os.getloadavg())
    except OSError:
        load = "unknown"
    return {
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "cpu_model": cpu_model(),
        "cores": os.cpu_count() or 0,
        "python": platform.python_version(),
        "python_implementation": platform.python_implementation(),
        "sqlite": sqlite3.sqlite_version,
        "system": f"{platform.system()} {platform.release()}",
        "load_average": load,
        "code": code_version(),
    }


def print_machine(info: Mapping[str, Any] | None = None) -> None:
    info = info or machine()
    print(
        f"machine: {info['cpu_model']}, {info['cores']} cores, "
        f"Python {info['python']}, SQLite {info['sqlite']}, {info['system']}"
    )
    print(
        f"date: {info['date']}, code: {info.get('code', 'unknown')}, "
        f"load average before the run: {info['load_average']}"
    )


# --- output ------------------------------------------------------------------------------------


def print_table(
    title: str, headers: Sequence[str], rows: Sequence[Sequence[Any]], notes: Sequence[str] = ()
) -> None:
    """Print ``rows`` under ``headers``: text columns left-aligned, numbers right-aligned."""
    cells = [[_format_cell(value) for value in row] for row in rows]
    numeric = [bool(rows) and all(_is_number(row[i]) for row in rows) for i in range(len(headers))]
    widths = [
        max([len(header), *(len(row[i]) for row in cells)]) for i, header in enumerate(headers)
    ]

    def line(values: Sequence[str]) -> str:
        return "  ".join(
            value.rjust(widths[i]) if numeric[i] else value.ljust(widths[i])
            for i, value in enumerate(values)
        ).rstrip()

    print()
    print(title)
    print(line(list(headers)))
    print("  ".join("-" * width for width in widths))
    for row in cells:
        print(line(row))
    for note in notes:
        print(f"  {note}")
    print()


def _is_number(value: Any) -> bool:
    if value is None or isinstance(value, int | float):
        return True
    try:
        float(str(value))
    except ValueError:
        return False
    return True


def _format_cell(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        if value >= 100:
            return f"{value:,.0f}"
        if value >= 10:
            return f"{value:.1f}"
        return f"{value:.2f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def save_results(name: str, payload: Mapping[str, Any]) -> Path:
    """Write ``payload`` to ``benchmarks/results/<name>-<UTC timestamp>.json``."""
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    path = RESULTS_DIR / f"{name}-{stamp}.json"
    path.write_text(json.dumps(payload, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"results saved to {path.relative_to(REPO_ROOT)}")
    return path


def percentile(values: Sequence[float], fraction: float) -> float:
    """Nearest-rank percentile of ``values`` (``fraction`` in 0..1); 0.0 for no values."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(1, min(len(ordered), round(fraction * len(ordered) + 0.5)))
    return ordered[rank - 1]


# --- the platform as a user runs it ------------------------------------------------------------


def digitrade_command() -> str:
    """The ``digitrade`` script of the running interpreter's environment."""
    candidate = Path(sys.executable).parent / "digitrade"
    if candidate.exists():
        return str(candidate)
    found = shutil.which("digitrade")
    if found is None:
        raise SystemExit("the digitrade command is not installed: run `make setup` first")
    return found


@dataclass(frozen=True)
class DemoDatabase:
    directory: Path
    url: str
    env: dict[str, str]
    api_key: str
    demo_password: str


def cli_environment(directory: Path, url: str) -> dict[str, str]:
    """The environment for ``digitrade`` commands on the database at ``url``."""
    # No DIGITRADE_* setting of the caller's shell leaks in; the working directory is the
    # temporary folder, so no .env file of the checkout is read either.
    env = {key: value for key, value in os.environ.items() if not key.startswith("DIGITRADE_")}
    env.update(
        {
            "DIGITRADE_DATABASE_URL": url,
            "DIGITRADE_SECRET_KEY": secrets.token_urlsafe(48),
            "DIGITRADE_KEY_ENCRYPTION_KEY": secrets.token_urlsafe(48),
        }
    )
    return env


def run_cli(args: Sequence[str], *, env: Mapping[str, str], cwd: Path) -> Any:
    """Run ``digitrade <args> --format json`` and return the parsed output."""
    completed = subprocess.run(
        [digitrade_command(), *args, "--format", "json"],
        env=dict(env),
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    if completed.returncode != 0:
        raise RuntimeError(
            f"`digitrade {' '.join(args)}` failed ({completed.returncode}): "
            f"{completed.stderr.strip()}"
        )
    return json.loads(completed.stdout)


@contextmanager
def demo_database() -> Iterator[DemoDatabase]:
    """A fresh SQLite database with the demo data and an API key, removed afterwards."""
    with tempfile.TemporaryDirectory(prefix="digitrade-bench-") as folder:
        directory = Path(folder)
        url = f"sqlite:///{directory / 'bench.sqlite3'}"
        env = cli_environment(directory, url)
        run_cli(["db", "upgrade"], env=env, cwd=directory)
        demo = run_cli(["demo", "load"], env=env, cwd=directory)
        if not demo.get("loaded"):
            raise RuntimeError(f"demo data did not load: {demo}")
        issued = run_cli(
            ["keys", "create", "--org", BENCH_ORGANISATION, "--name", "benchmark"],
            env=env,
            cwd=directory,
        )
        yield DemoDatabase(
            directory=directory,
            url=url,
            env=env,
            api_key=issued["token"],
            demo_password=demo["password"],
        )


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((LOOPBACK, 0))
        return int(probe.getsockname()[1])


@dataclass(frozen=True)
class LiveServer:
    base_url: str
    workers: int
    pid: int
    log_path: Path

    def cpu_seconds(self) -> float:
        """CPU time (user + system) used so far by the server and its workers.

        Less sensitive to other load on the machine than requests/s: the difference over a run
        divided by the requests served is the server's CPU cost per request.
        """
        return process_group_cpu_seconds(self.pid)


def process_group_cpu_seconds(group: int) -> float:
    """Sum of user + system CPU seconds of the live processes in process group ``group``."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue  # the process ended meanwhile
        # After "pid (comm)": state ppid pgrp session tty_nr tpgid flags minflt cminflt majflt
        # cmajflt utime stime ...
        if int(fields[2]) == group:
            total += int(fields[11]) + int(fields[12])
    return total / ticks


def log_tail(path: Path, lines: int = 15) -> str:
    """The last lines of a server's log, for the error when it fails to start."""
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


def spawn_server(
    *, env: Mapping[str, str], cwd: Path, port: int, workers: int, log_path: Path
) -> subprocess.Popen[bytes]:
    """Start ``digitrade serve`` on a loopback port in a process group of its own (so the
    workers stop with it), its output going to ``log_path``."""
    with log_path.open("wb") as log:
        return subprocess.Popen(
            [
                digitrade_command(),
                "serve",
                "--host",
                LOOPBACK,
                "--port",
                str(port),
                "--workers",
                str(workers),
            ],
            env=dict(env),
            cwd=cwd,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


@contextmanager
def live_server(
    database: DemoDatabase, *, workers: int = 1, ready_timeout: float = 60.0
) -> Iterator[LiveServer]:
    """``digitrade serve`` (uvicorn) on a free loopback port, stopped when the block ends.

    The server logs (JSON lines, one access line per request) go to a file in the database's
    folder, as they would go to a log collector in production, not to a pipe nobody reads.
    """
    port = free_port()
    log_path = database.directory / f"serve-{workers}w-{port}.log"
    process = spawn_server(
        env=database.env, cwd=database.directory, port=port, workers=workers, log_path=log_path
    )
    server = LiveServer(f"http://{LOOPBACK}:{port}", workers, process.pid, log_path)
    try:
        _wait_until_ready(process, server, ready_timeout)
        yield server
    finally:
        stop_server(process)


def _wait_until_ready(process: subprocess.Popen[bytes], server: LiveServer, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(
                f"digitrade serve exited with {process.returncode}:\n{log_tail(server.log_path)}"
            )
        started = server.log_path.read_text(errors="replace").count("Application startup complete")
        if started >= server.workers:
            try:
                if httpx.get(f"{server.base_url}/healthz", timeout=1.0).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
        time.sleep(0.2)
    raise RuntimeError(
        f"digitrade serve was not ready within {timeout:.0f} s:\n{log_tail(server.log_path)}"
    )


def stop_server(process: subprocess.Popen[bytes]) -> None:
    """SIGTERM, then SIGKILL to the server's whole process group (started in a new session)."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=5)
    # A worker left behind by its supervisor still belongs to the server's process group.
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
