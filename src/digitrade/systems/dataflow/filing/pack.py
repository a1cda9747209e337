"""Build the filing pack a decision calls for: each draft as HTML, DOCX and PDF."""

from __future__ import annotations

from collections.abc import Callable

from digitrade.systems.dataflow.filing.content import pipia_report, sa_self_assessment, scc_annex
from digitrade.systems.dataflow.filing.document import Document
from digitrade.systems.dataflow.filing.model import (
    CheckedInput,
    FilingInput,
    FilingInputError,
    FilingIssue,
    FilingPathway,
    check,
)
from digitrade.systems.dataflow.filing.render_docx import render_docx
from digitrade.systems.dataflow.filing.render_html import render_html
from digitrade.systems.dataflow.filing.render_pdf import render_pdf

_STANDARD_CONTRACT = frozenset(
    {FilingPathway.STANDARD_CONTRACT, FilingPathway.STANDARD_CONTRACT_OR_CERTIFICATION}
)


def documents_for(answers: CheckedInput) -> tuple[Callable[[CheckedInput], Document], ...]:
    """Which drafts the decision calls for.

    - the PIPIA report whenever personal information leaves China, whatever the pathway,
      exemptions included (PIPL Art 55(4); Provisions Art 10 keeps it);
    - the standard contract annex when the pathway is the standard contract (SCC Measures
      Arts 6-7), including "standard contract or certification";
    - the self-assessment outline for a security assessment (SA Measures Art 5).
    """
    drafts: list[Callable[[CheckedInput], Document]] = []
    if answers.personal_information:
        drafts.append(pipia_report)
    if answers.pathway in _STANDARD_CONTRACT:
        drafts.append(scc_annex)
    if answers.pathway is FilingPathway.SECURITY_ASSESSMENT:
        drafts.append(sa_self_assessment)
    return tuple(drafts)


def build_pack(answers: FilingInput) -> dict[str, bytes]:
    """File names (``pipia-report.docx``, ``pipia-report.html``, ``pipia-report.pdf``, ...)
    mapped to their bytes.

    Raises ``FilingInputError`` for bad input, for a prohibited export, and when nothing is to
    be filed (no personal information and no pathway that needs a document).
    """
    checked = check(answers)
    drafts = documents_for(checked)
    if not drafts:
        raise FilingInputError(
            [FilingIssue("pathway", "nothing to draft: no personal information and no filing")]
        )
    pack: dict[str, bytes] = {}
    for draft in drafts:
        document = draft(checked)
        pack[f"{document.file_stem}.html"] = render_html(document)
        pack[f"{document.file_stem}.docx"] = render_docx(document)
        pack[f"{document.file_stem}.pdf"] = render_pdf(document)
    return pack
