"""Read a CEB message into a ``CebMessage``.

Only the shape is read here: which message it is, its documents, head and list records, the
``BaseTransfer`` block and whether it is signed. Elements the standard does not have are kept as
structure issues for ``validation`` to report; field rules are checked there too.
"""

from __future__ import annotations

from lxml import etree

from digitrade.core.errors import DomainError
from digitrade.core.text import Text
from digitrade.systems.ecommerce.ceb.codes import CEB_NAMESPACE, XMLDSIG_NAMESPACE
from digitrade.systems.ecommerce.ceb.model import CebMessage, Document, Issue, Record, Severity
from digitrade.systems.ecommerce.ceb.spec import SPECS, MessageSpec, spec_for_root
from digitrade.systems.ecommerce.ceb.xmlsafe import DEFAULT_MAX_BYTES, parse_xml
from digitrade.systems.ecommerce.texts import render

_OPTIONAL_BLOCKS = frozenset({"BaseSubscribe", "ExtendMessage"})


class UnsupportedMessage(DomainError):
    """Well-formed XML, but not a CEB message this platform handles."""

    code = "ecommerce.unsupported-message"
    status = 422
    title = "Not a supported CEB message"


def read_message(data: bytes, *, max_bytes: int = DEFAULT_MAX_BYTES) -> CebMessage:
    return message_from_element(parse_xml(data, max_bytes=max_bytes))


_SPLIT: dict[str, tuple[str, str]] = {}


def _split(tag: object) -> tuple[str, str]:
    """(namespace, local name) of an element tag; comments and instructions give ("", "").

    Tags repeat across messages, so each is split once per process (the table is bounded)."""
    if not isinstance(tag, str):
        return "", ""
    found = _SPLIT.get(tag)
    if found is None:
        qname = etree.QName(tag)
        found = (qname.namespace or "", qname.localname)
        if len(_SPLIT) < 4096:
            _SPLIT[tag] = found
    return found


def message_from_element(root: etree._Element) -> CebMessage:
    namespace, local = _split(root.tag)
    spec = spec_for_root(local)
    if spec is None:
        known = ", ".join(sorted(SPECS))
        raise UnsupportedMessage(f"{local} is not a CEB message handled here ({known})")
    if namespace != CEB_NAMESPACE:
        raise UnsupportedMessage(
            f"{local} is not in the CEB namespace {CEB_NAMESPACE} (found {namespace or 'none'})"
        )
    issues: list[Issue] = []
    documents: list[Document] = []
    base_transfer: Record | None = None
    signed = False
    for child in root:
        child_namespace, name = _split(child.tag)
        if not name:
            continue
        if child_namespace == XMLDSIG_NAMESPACE and name == "Signature":
            signed = True
        elif child_namespace != CEB_NAMESPACE:
            issues.append(_unexpected(name, render("ceb.namespace", name=name)))
        elif name == spec.body:
            documents.append(_document(child, spec, f"{name}[{len(documents) + 1}]", issues))
        elif name == "BaseTransfer" and base_transfer is None:
            base_transfer = _record(child, "BaseTransfer", issues)
        elif name not in _OPTIONAL_BLOCKS:
            issues.append(_unexpected(name, render("ceb.not_part", name=name, part=spec.root)))
    if not documents:
        raise UnsupportedMessage(f"{spec.root} holds no {spec.body}")
    return CebMessage(
        message_type=spec.code,
        guid=(root.get("guid") or "").strip(),
        version=(root.get("version") or "").strip(),
        documents=tuple(documents),
        base_transfer=base_transfer,
        signed=signed,
        structure_issues=tuple(issues),
    )


def _unexpected(path: str, message: Text) -> Issue:
    return Issue.of(path, message, Severity.ERROR)


def _document(
    element: etree._Element, spec: MessageSpec, path: str, issues: list[Issue]
) -> Document:
    if spec.head is None:
        return Document(_record(element, path, issues))
    head: Record | None = None
    lines: list[Record] = []
    for child in element:
        namespace, name = _split(child.tag)
        if not name:
            continue
        if namespace == CEB_NAMESPACE and name == spec.head and head is None:
            head = _record(child, f"{path}.{name}", issues)
        elif namespace == CEB_NAMESPACE and name == spec.list_name:
            lines.append(_record(child, f"{path}.{name}[{len(lines) + 1}]", issues))
        else:
            issues.append(
                _unexpected(f"{path}.{name}", render("ceb.not_part", name=name, part=spec.body))
            )
    if head is None:
        issues.append(_unexpected(f"{path}.{spec.head}", render("ceb.missing", name=spec.head)))
        head = Record(spec.head, ())
    return Document(head, tuple(lines))


_CEB_TAG = f"{{{CEB_NAMESPACE}}}"
# Full tag -> local name, for tags in the CEB namespace only (bounded like ``_SPLIT``): one dict
# lookup both checks a field's namespace and names it.
_CEB_LOCAL: dict[object, str] = {}


def _ceb_local(tag: object) -> str | None:
    """The local name of a tag in the CEB namespace; None for any other tag or node."""
    name = _CEB_LOCAL.get(tag)
    if name is None and isinstance(tag, str) and tag.startswith(_CEB_TAG):
        name = tag[len(_CEB_TAG) :]
        if len(_CEB_LOCAL) < 4096:
            _CEB_LOCAL[tag] = name
    return name


def _record(element: etree._Element, path: str, issues: list[Issue]) -> Record:
    fields: list[tuple[str, str]] = []
    append = fields.append
    known = _CEB_LOCAL.get
    for child in element:
        tag = child.tag
        name = known(tag) or _ceb_local(tag)
        if name is None or len(child):
            break
        text = child.text
        append((name, text.strip() if text else ""))
    else:  # only CEB fields holding text: the common case, read in one pass
        return Record(_split(element.tag)[1], tuple(fields))
    found: list[tuple[str, str]] = []
    for child in element:
        tag, text, size = child.tag, child.text, len(child)
        namespace, name = _split(tag)
        if not name:
            continue
        if namespace != CEB_NAMESPACE:
            issues.append(_unexpected(f"{path}.{name}", render("ceb.namespace", name=name)))
            continue
        if size:
            issues.append(_unexpected(f"{path}.{name}", render("ceb.text_only", name=name)))
            continue
        found.append((name, text.strip() if text else ""))
    _, name = _split(element.tag)
    return Record(name, tuple(found))
