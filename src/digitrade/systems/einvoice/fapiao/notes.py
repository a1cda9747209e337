"""What the mapping between a fapiao and EN 16931 keeps, changes or drops, and the conventions
both directions share (item attribute names, labelled lines of the invoice note)."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Literal

MappingSeverity = Literal["lost", "approximated", "info"]


@dataclass(frozen=True)
class MappingNote:
    """One piece of information the mapping could not carry over unchanged."""

    field: str
    """The source field: a fapiao path (``lines[0].unit``) or an EN 16931 term (``BT-13``)."""
    severity: MappingSeverity
    """lost: not in the result; approximated: carried with a changed form or value; info: a
    decision worth knowing, nothing lost."""
    message_en: str
    message_zh: str

    def as_dict(self) -> dict[str, str]:
        return asdict(self)


# BG-32 item attribute names for the fapiao line fields EN 16931 has no term for.
ATTRIBUTE_SHORT_NAME = "简称 (tax classification short name)"
ATTRIBUTE_SPECIFICATION = "规格型号 (specification/model)"
ATTRIBUTE_UNIT = "单位 (unit as written)"

# Labelled lines of the one invoice note (BT-22): Peppol BIS allows a single note.
LABEL_KIND = "票种 (fapiao kind): "
LABEL_DRAWER = "开票人 (drawer): "
LABEL_CONFIRMATION = "红字发票信息确认单编号 (red-letter confirmation form): "
LABEL_REMARKS = "备注 (remarks): "
_FIELD_LABELS = (LABEL_KIND, LABEL_DRAWER, LABEL_CONFIRMATION)


@dataclass(frozen=True)
class NoteFields:
    kind: str | None = None
    drawer: str | None = None
    confirmation_number: str | None = None
    remarks: str | None = None


def compose_note(fields: NoteFields) -> str | None:
    """The invoice note text: labelled lines, then the remarks (which may span lines)."""
    lines = [
        label + value
        for label, value in zip(
            _FIELD_LABELS, (fields.kind, fields.drawer, fields.confirmation_number), strict=True
        )
        if value
    ]
    if fields.remarks:
        lines.append(LABEL_REMARKS + fields.remarks)
    return "\n".join(lines) or None


def parse_note(text: str) -> NoteFields:
    """Read back ``compose_note``; a note without labels is all remarks."""
    values: dict[str, str] = {}
    unlabelled: list[str] = []
    lines = text.split("\n")
    for index, line in enumerate(lines):
        label = next((label for label in _FIELD_LABELS if line.startswith(label)), None)
        if label is not None:
            values[label] = line[len(label) :]
        elif line.startswith(LABEL_REMARKS):
            unlabelled.append("\n".join([line[len(LABEL_REMARKS) :], *lines[index + 1 :]]))
            break
        else:
            unlabelled.append(line)
    remarks = "\n".join(unlabelled).strip()
    return NoteFields(
        kind=values.get(LABEL_KIND),
        drawer=values.get(LABEL_DRAWER),
        confirmation_number=values.get(LABEL_CONFIRMATION),
        remarks=remarks or None,
    )
