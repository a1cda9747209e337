"""Where the shipped taxonomy lives. Reading it is the caller's job, e.g.
``parse_taxonomy(shipped_taxonomy_file().read_text(encoding="utf-8"))``."""

from __future__ import annotations

from importlib.resources import files
from importlib.resources.abc import Traversable

CATEGORIES_FILE = "categories.json"


def shipped_taxonomy_file() -> Traversable:
    return files(__package__).joinpath("data", CATEGORIES_FILE)
