"""Run every ``bench_*.py`` of this folder in turn (``make bench``); exit 1 if any failed."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent


def main() -> int:
    scripts = sorted(BENCH_DIR.glob("bench_*.py"))
    failed: list[str] = []
    for script in scripts:
        print(f"=== {script.name}", flush=True)
        started = time.monotonic()
        completed = subprocess.run([sys.executable, str(script)], cwd=BENCH_DIR.parent, check=False)
        took = time.monotonic() - started
        if completed.returncode != 0:
            failed.append(script.name)
            print(f"=== {script.name} FAILED (exit {completed.returncode}, {took:.0f} s)\n")
        else:
            print(f"=== {script.name} done in {took:.0f} s\n", flush=True)
    if failed:
        print(f"failed: {', '.join(failed)}", file=sys.stderr)
        return 1
    print(f"all {len(scripts)} benchmarks ran; results in benchmarks/results/")
    return 0


if __name__ == "__main__":
    sys.exit(main())
