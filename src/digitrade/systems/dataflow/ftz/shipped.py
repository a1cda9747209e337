"""The lists shipped with the product. Reading them is the caller's job, e.g.
``[parse_json(f.read_text(encoding="utf-8")) for f in shipped_list_files()]``."""

from __future__ import annotations

from importlib.resources import files
from importlib.resources.abc import Traversable

SHIPPED_LIST_FILES = (
    "cn-sh-ftz-2024.json",
    "cn-sh-lingang-general-data-2024.json",
    "cn-sh-2025.json",
)


def shipped_list_files() -> tuple[Traversable, ...]:
    data = files(__package__).joinpath("data")
    return tuple(data.joinpath(name) for name in SHIPPED_LIST_FILES)
