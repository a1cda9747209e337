"""HTTP throughput and latency of the platform foundation, as a user runs it.

Figure: requests per second and latency percentiles of

- ``GET /healthz`` (liveness: no database, no authentication), and
- ``GET /api/core/organisations`` with ``Authorization: Bearer <API key>`` (API-key
  authentication, one read transaction on SQLite, JSON serialisation, one access-log line),

served by ``digitrade serve`` (uvicorn) with 1 worker process and with 2, over loopback only.

Load comes from ``wrk`` (Debian package ``wrk``): ``-t2 -c32`` for 10 s per run after a 2 s
warm-up. Without wrk the script says so and falls back to a bounded Python load generator
(httpx, one thread per connection); its figures are lower and not comparable with wrk's.

    .venv/bin/python benchmarks/bench_http.py [--duration 10] [--workers 1,2] [--python-load]
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import tempfile
import threading
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import httpx

from harness import (
    DemoDatabase,
    LiveServer,
    demo_database,
    live_server,
    machine,
    percentile,
    print_machine,
    print_table,
    save_results,
)

ENDPOINTS: dict[str, bool] = {
    # path -> sends the API key
    "/healthz": False,
    "/api/core/organisations": True,
}

# wrk's own summary, printed as one JSON line when the run is done (latencies in microseconds).
WRK_REPORT_SCRIPT = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRK_JSON {"duration_us":%.0f,"requests":%.0f,"bytes":%.0f,'
    .. '"errors":{"connect":%.0f,"read":%.0f,"write":%.0f,"status":%.0f,"timeout":%.0f},'
    .. '"latency_us":{"mean":%.1f,"max":%.0f,"p50":%.0f,"p90":%.0f,"p99":%.0f,"p999":%.0f}}\\n',
    summary.duration, summary.requests, summary.bytes,
    e.connect, e.read, e.write, e.status, e.timeout,
    latency.mean, latency.max, latency:percentile(50), latency:percentile(90),
    latency:percentile(99), latency:percentile(99.9)))
end
"""


@dataclass
class LoadResult:
    tool: str
    requests: int
    duration_s: float
    requests_per_s: float
    p50_ms: float
    p90_ms: float
    p99_ms: float
    max_ms: float
    errors: int  # non-2xx/3xx answers, connection errors and timeouts
    server_cpu_ms_per_request: float = 0.0  # the server processes' CPU time / requests served


def run_wrk(
    url: str, headers: dict[str, str], *, duration: float, threads: int, connections: int
) -> LoadResult:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(WRK_REPORT_SCRIPT)
    try:
        command = [
            "wrk",
            f"-t{threads}",
            f"-c{connections}",
            f"-d{max(1, round(duration))}s",
            "--timeout",
            "10s",
            "-s",
            script.name,
        ]
        for name, value in headers.items():
            command += ["-H", f"{name}: {value}"]
        completed = subprocess.run(
            [*command, url],
            capture_output=True,
            text=True,
            timeout=duration + 60,
            check=False,
        )
    finally:
        Path(script.name).unlink(missing_ok=True)
    report = next(
        (line for line in completed.stdout.splitlines() if line.startswith("WRK_JSON ")), None
    )
    if completed.returncode != 0 or report is None:
        raise RuntimeError(f"wrk failed ({completed.returncode}): {completed.stderr.strip()}")
    data = json.loads(report.removeprefix("WRK_JSON "))
    seconds = data["duration_us"] / 1e6
    latency = data["latency_us"]
    return LoadResult(
        tool="wrk",
        requests=int(data["requests"]),
        duration_s=round(seconds, 3),
        requests_per_s=data["requests"] / seconds,
        p50_ms=latency["p50"] / 1000,
        p90_ms=latency["p90"] / 1000,
        p99_ms=latency["p99"] / 1000,
        max_ms=latency["max"] / 1000,
        errors=int(sum(data["errors"].values())),
    )


def run_python_load(
    url: str, headers: dict[str, str], *, duration: float, connections: int
) -> LoadResult:
    """Bounded fallback: ``connections`` threads, each with a keep-alive httpx client."""
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    deadline = time.monotonic() + duration

    def worker() -> None:
        nonlocal errors
        own: list[float] = []
        own_errors = 0
        with httpx.Client(headers=headers, timeout=10.0) as client:
            while time.monotonic() < deadline:
                started = time.perf_counter()
                try:
                    response = client.get(url)
                    if response.status_code >= 400:
                        own_errors += 1
                except httpx.HTTPError:
                    own_errors += 1
                own.append(time.perf_counter() - started)
        with lock:
            latencies.extend(own)
            errors += own_errors

    started = time.monotonic()
    threads = [threading.Thread(target=worker, daemon=True) for _ in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=duration + 30)
    elapsed = time.monotonic() - started
    return LoadResult(
        tool="python-httpx",
        requests=len(latencies),
        duration_s=round(elapsed, 3),
        requests_per_s=len(latencies) / elapsed,
        p50_ms=percentile(latencies, 0.50) * 1000,
        p90_ms=percentile(latencies, 0.90) * 1000,
        p99_ms=percentile(latencies, 0.99) * 1000,
        max_ms=max(latencies, default=0.0) * 1000,
        errors=errors,
    )


def check_endpoints(server: LiveServer, database: DemoDatabase) -> None:
    """Refuse to measure error pages: each endpoint must answer 200 with the expected body."""
    auth = {"Authorization": f"Bearer {database.api_key}"}
    health = httpx.get(f"{server.base_url}/healthz", timeout=5.0)
    if health.status_code != 200 or health.json() != {"status": "ok"}:
        raise RuntimeError(f"/healthz answered {health.status_code}: {health.text[:200]}")
    orgs = httpx.get(f"{server.base_url}/api/core/organisations", headers=auth, timeout=5.0)
    if orgs.status_code != 200 or orgs.json().get("total", 0) < 1:
        raise RuntimeError(
            f"/api/core/organisations answered {orgs.status_code}: {orgs.text[:200]}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=10.0, help="seconds per measured run")
    parser.add_argument("--warmup", type=float, default=2.0, help="seconds of warm-up per run")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--connections", type=int, default=32, help="concurrent connections")
    parser.add_argument("--workers", default="1,2", help="uvicorn worker counts, e.g. 1,2")
    parser.add_argument(
        "--python-load", action="store_true", help="use the Python load generator even with wrk"
    )
    args = parser.parse_args()
    worker_counts = [int(value) for value in args.workers.split(",") if value.strip()]

    info = machine()
    print_machine(info)
    use_wrk = not args.python_load and shutil.which("wrk") is not None
    if not use_wrk and not args.python_load:
        print(
            "wrk is not installed (Debian: `apt-get install -y wrk`); falling back to the Python "
            "load generator (httpx, threads). Its figures are lower than wrk's: compare them only "
            "with each other."
        )
    tool = "wrk" if use_wrk else "python-httpx"
    print(
        f"load: {tool}, {args.threads if use_wrk else args.connections} threads, "
        f"{args.connections} connections, {args.duration:.0f} s per run after "
        f"{args.warmup:.0f} s warm-up, loopback only"
    )

    def load(url: str, headers: dict[str, str], duration: float) -> LoadResult:
        if use_wrk:
            return run_wrk(
                url,
                headers,
                duration=duration,
                threads=args.threads,
                connections=args.connections,
            )
        return run_python_load(url, headers, duration=duration, connections=args.connections)

    runs: list[tuple[int, str, LoadResult]] = []
    with demo_database() as database:
        for workers in worker_counts:
            with live_server(database, workers=workers) as server:
                check_endpoints(server, database)
                for path, authenticated in ENDPOINTS.items():
                    headers = (
                        {"Authorization": f"Bearer {database.api_key}"} if authenticated else {}
                    )
                    url = server.base_url + path
                    if args.warmup > 0:
                        load(url, headers, args.warmup)
                    cpu_before = server.cpu_seconds()
                    result = load(url, headers, args.duration)
                    cpu_used = server.cpu_seconds() - cpu_before
                    result.server_cpu_ms_per_request = cpu_used * 1000 / max(result.requests, 1)
                    runs.append((workers, path, result))
                    print(
                        f"  {workers} worker(s) {path}: {result.requests_per_s:,.0f} req/s, "
                        f"p50 {result.p50_ms:.1f} ms, p99 {result.p99_ms:.1f} ms, "
                        f"server CPU {result.server_cpu_ms_per_request:.2f} ms/request"
                    )

    rates = {(workers, path): result.requests_per_s for workers, path, result in runs}
    baseline = min(worker_counts)
    rows = [
        [
            workers,
            path,
            result.requests_per_s,
            result.p50_ms,
            result.p90_ms,
            result.p99_ms,
            result.max_ms,
            result.errors,
            result.server_cpu_ms_per_request,
            round(result.requests_per_s / rates[(baseline, path)], 2),
            round(result.requests_per_s / rates[(workers, "/healthz")], 3),
        ]
        for workers, path, result in runs
    ]
    print_table(
        f"HTTP, digitrade serve on {info['cores']} cores ({tool}, -c{args.connections}, "
        f"{args.duration:.0f} s per run)",
        [
            "workers",
            "endpoint",
            "req/s",
            "p50 ms",
            "p90 ms",
            "p99 ms",
            "max ms",
            "errors",
            "CPU ms/req",
            f"x vs {baseline}w",
            "x vs healthz",
        ],
        rows,
        notes=[
            "CPU ms/req: CPU time of the server and its workers during the run / requests served",
            f"x vs {baseline}w: req/s against the same endpoint with {baseline} worker(s); "
            "x vs healthz: against /healthz on the same server",
            "the load generator shares the cores with the server; compare rows of one run only",
        ],
    )
    save_results(
        "http",
        {
            "figure": "http",
            "machine": info,
            "settings": {
                "tool": tool,
                "threads": args.threads if use_wrk else args.connections,
                "connections": args.connections,
                "duration_s": args.duration,
                "warmup_s": args.warmup,
            },
            "runs": [
                {"workers": workers, "endpoint": path, **asdict(result)}
                for workers, path, result in runs
            ],
        },
    )


if __name__ == "__main__":
    main()
