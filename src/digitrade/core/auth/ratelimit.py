"""Login throttling: a sliding window of failures per key (client address + account).

Kept in process memory: with several workers each worker counts on its own, so the effective
limit is ``max_failures * workers`` per window (documented in docs/configuration.md).
"""

from __future__ import annotations

import math
import threading
import time
from collections import defaultdict, deque
from collections.abc import Callable

from digitrade.core.errors import RateLimited


class SlidingWindowLimiter:
    def __init__(
        self,
        *,
        max_failures: int,
        window_seconds: float,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.max_failures = max_failures
        self.window_seconds = window_seconds
        self._clock = clock
        self._failures: dict[str, deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()

    def _prune(self, key: str, now: float) -> deque[float]:
        times = self._failures[key]
        while times and now - times[0] >= self.window_seconds:
            times.popleft()
        return times

    def check(self, key: str, *, allowance: int = 1) -> None:
        """Raise ``RateLimited`` if ``key`` has used up ``allowance`` x ``max_failures`` failures
        in the current window."""
        with self._lock:
            now = self._clock()
            times = self._prune(key, now)
            if len(times) >= self.max_failures * allowance:
                retry = math.ceil(self.window_seconds - (now - times[0]))
                raise RateLimited(
                    f"too many failed attempts; try again in {retry} s",
                    retry_after_seconds=max(retry, 1),
                )

    def record_failure(self, key: str) -> None:
        with self._lock:
            self._prune(key, self._clock()).append(self._clock())

    def reset(self, key: str) -> None:
        with self._lock:
            self._failures.pop(key, None)
