"""What the UBL and CII bindings share: typed reading of XML values and ordered writing.

Reading keeps values as the document states them: text verbatim, amounts as ``Decimal`` from the
text, codes stripped of surrounding blanks. A blank element counts as absent. Every error names
the business term and the XPath it was looked for at.

Writing builds each aggregate from its children in XSD sequence order; an element without text
and without children is left out, so optional terms never produce empty elements.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any, TypeVar

from lxml import etree
from pydantic import BaseModel, ValidationError

from digitrade.systems.einvoice.en16931 import model

T = TypeVar("T")
M = TypeVar("M", bound=BaseModel)

_ISO_DATE = re.compile(r"^(\d{4}-\d{2}-\d{2})(?:Z|[+-]\d{2}:\d{2})?$")
_TERM = re.compile(r"\b(BT-\d+(?:-\d+)?|BG-\d+)\b")


class BindingError(ValueError):
    """A document lacks what EN 16931 needs, or an invoice cannot be written in a syntax."""


def first_present(values: Iterable[T | None]) -> T | None:
    return next((value for value in values if value is not None), None)


def none_if_empty(value: M) -> M | None:
    """None for a group whose terms are all absent (an empty element reads as no group)."""
    return value if value.model_dump(exclude_none=True) else None


def missing(term: str, xpath: str) -> BindingError:
    return BindingError(f"{term} is missing: expected at {xpath}")


@dataclass(frozen=True)
class Node:
    """An element with its XPath (for messages) and the namespace prefixes its paths use."""

    element: Any
    path: str
    namespaces: Mapping[str, str]

    def all(self, path: str) -> list[Node]:
        found = self.element.findall(path, self.namespaces)
        if len(found) == 1:
            return [Node(found[0], f"{self.path}/{path}", self.namespaces)]
        return [
            Node(element, f"{self.path}/{path}[{index}]", self.namespaces)
            for index, element in enumerate(found, start=1)
        ]

    def first(self, path: str) -> Node | None:
        element = self.element.find(path, self.namespaces)
        return None if element is None else Node(element, f"{self.path}/{path}", self.namespaces)

    def text(self, path: str = ".") -> str | None:
        """The text verbatim (surrounding blanks included); None when absent or blank."""
        element = self.element if path == "." else self.element.find(path, self.namespaces)
        if element is None:
            return None
        value = "".join(element.itertext())
        return value if value.strip() else None

    def code(self, path: str = ".") -> str | None:
        """A code, identifier scheme, number or date: the text without surrounding blanks."""
        value = self.text(path)
        return None if value is None else value.strip()

    def attribute(self, path: str, name: str) -> str | None:
        element = self.element if path == "." else self.element.find(path, self.namespaces)
        if element is None:
            return None
        value = element.get(name)
        return value.strip() if value is not None and value.strip() else None

    def where(self, path: str = ".") -> str:
        return self.path if path == "." else f"{self.path}/{path}"

    def required_text(self, path: str, term: str) -> str:
        value = self.text(path)
        if value is None:
            raise missing(term, self.where(path))
        return value

    def required_code(self, path: str, term: str) -> str:
        value = self.code(path)
        if value is None:
            raise missing(term, self.where(path))
        return value

    def decimal(self, path: str, term: str) -> Decimal | None:
        value = self.code(path)
        return None if value is None else parse_decimal(value, term, self.where(path))

    def required_decimal(self, path: str, term: str) -> Decimal:
        return parse_decimal(self.required_code(path, term), term, self.where(path))

    def identifier(self, path: str, scheme_attribute: str = "schemeID") -> model.Identifier | None:
        value = self.text(path)
        if value is None:
            return None
        return model.Identifier(value=value, scheme=self.attribute(path, scheme_attribute))


def parse_decimal(value: str, term: str, xpath: str) -> Decimal:
    try:
        number = Decimal(value)
    except InvalidOperation:
        number = Decimal("NaN")
    if not number.is_finite():
        raise BindingError(f"{term} at {xpath}: {value!r} is not a decimal number")
    return number


def parse_iso_date(value: str, term: str, xpath: str) -> dt.date:
    """An xsd:date; a time zone suffix is accepted and dropped (EN 16931 dates have none)."""
    match = _ISO_DATE.match(value)
    try:
        if match is None:
            raise ValueError(value)
        return dt.date.fromisoformat(match.group(1))
    except ValueError:
        raise BindingError(f"{term} at {xpath}: {value!r} is not a date (YYYY-MM-DD)") from None


def parse_compact_date(value: str, term: str, xpath: str) -> dt.date:
    """A date in UNTDID 2379 format 102 (CCYYMMDD)."""
    try:
        if not re.fullmatch(r"\d{8}", value):
            raise ValueError(value)
        return dt.date(int(value[:4]), int(value[4:6]), int(value[6:]))
    except ValueError:
        raise BindingError(f"{term} at {xpath}: {value!r} is not a date (format 102)") from None


def decimal_text(value: Decimal | None) -> str | None:
    """Plain notation, never an exponent (xsd:decimal has none); trailing zeros are kept."""
    return None if value is None else format(value, "f")


def compact_date(value: dt.date | None) -> str | None:
    return None if value is None else f"{value.year:04d}{value.month:02d}{value.day:02d}"


def iso_date(value: dt.date | None) -> str | None:
    return None if value is None else value.isoformat()


@contextmanager
def located(xpath: str) -> Iterator[None]:
    """Turn a model validation error into a BindingError that names the term and the XPath."""
    try:
        yield
    except ValidationError as error:
        raise BindingError(_describe(error, xpath)) from error


def _describe(error: ValidationError, xpath: str) -> str:
    details = []
    for problem in error.errors():
        where = ".".join(str(part) for part in problem["loc"])
        term = _term_of(error.title, problem["loc"])
        details.append(f"{term or where}: {problem['msg']}")
    return f"{xpath}: " + "; ".join(details)


def _term_of(class_name: str, location: tuple[int | str, ...]) -> str | None:
    """The BT/BG a model field stands for, read from its description."""
    cls = getattr(model, class_name, None)
    if not (isinstance(cls, type) and issubclass(cls, BaseModel)) or not location:
        return None
    field = cls.model_fields.get(str(location[0]))
    description = field.description if field is not None else None
    found = _TERM.search(description or "") or _TERM.search(cls.__doc__ or "")
    return f"{found.group(1)} ({'.'.join(str(part) for part in location)})" if found else None


def build(
    tag: str,
    nsmap: Mapping[str | None, str],
    children: tuple[Any, ...] = (),
    text: str | None = None,
    attributes: Mapping[str, str | None] | None = None,
) -> Any:
    """An element with its text, attributes and non-empty children; None when it would be empty."""
    kept = [child for child in children if child is not None]
    if (text is None or not text.strip()) and not kept:
        return None
    element = etree.Element(tag, nsmap=dict(nsmap))
    if text is not None and text.strip():
        element.text = text
    for name, value in (attributes or {}).items():
        if value is not None and value.strip():
            element.set(name, value)
    element.extend(kept)
    return element


def serialise(root: Any, nsmap: Mapping[str | None, str]) -> bytes:
    """UTF-8 with an XML declaration, namespaces declared once on the root, indented."""
    etree.cleanup_namespaces(root, top_nsmap=dict(nsmap))
    body: bytes = etree.tostring(root, encoding="UTF-8", pretty_print=True)
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + body


# Terms both syntaxes carry the same way: an attachment (BT-125) and a classification (BT-158).


def read_attachment(node: Node) -> model.Attachment:
    mime_code = node.attribute(".", "mimeCode")
    filename = node.attribute(".", "filename")
    if mime_code is None:
        raise missing("BT-125-1", f"{node.path}/@mimeCode")
    if filename is None:
        raise missing("BT-125-2", f"{node.path}/@filename")
    with located(node.path):
        return model.Attachment(
            content_base64=node.required_text(".", "BT-125"),
            mime_code=mime_code,
            filename=filename,
        )


def read_classification(node: Node) -> model.Classification:
    list_id = node.attribute(".", "listID")
    if list_id is None:
        raise missing("BT-158-1", f"{node.path}/@listID")
    with located(node.path):
        return model.Classification(
            code=node.required_text(".", "BT-158"),
            list_id=list_id,
            list_version=node.attribute(".", "listVersionID"),
        )
