"""Render a draft as a standalone HTML page. Autoescaping is on: user text is never markup."""

from __future__ import annotations

from jinja2 import Environment, StrictUndefined

from digitrade.systems.dataflow.filing.document import (
    Block,
    Bullets,
    Document,
    Facts,
    Paragraph,
    Questions,
)

_TEMPLATE = """<!DOCTYPE html>
<html lang="{{ doc.language.value }}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ doc.title }}</title>
<style>
body { font-family: system-ui, "Noto Sans SC", "PingFang SC", "Microsoft YaHei", sans-serif;
       max-width: 52rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.5; }
.draft-notice { border: 2px solid #b45309; background: #fffbeb; padding: .75rem 1rem; }
.basis { color: #555; font-size: .9em; }
table { border-collapse: collapse; width: 100%; }
th, td { border: 1px solid #999; padding: .35rem .5rem; text-align: left; vertical-align: top; }
th { width: 40%; background: #f3f4f6; }
.answer { color: #777; font-style: italic; }
</style>
</head>
<body>
<p class="draft-notice" role="note"><strong>{{ doc.notice }}</strong></p>
<h1>{{ doc.title }}</h1>
{% for section in doc.sections %}
<section>
<h2>{{ section.heading }}</h2>
{% if section.basis %}<p class="basis">{{ section.basis }}</p>{% endif %}
{% for kind, block in section.blocks %}
{% if kind == "paragraph" %}<p>{{ block.text }}</p>
{% elif kind == "facts" %}<table>
{% for label, value in block.rows %}<tr><th scope="row">{{ label }}</th><td>{{ value }}</td></tr>
{% endfor %}</table>
{% elif kind == "bullets" %}<ul>
{% for item in block.items %}<li>{{ item }}</li>
{% endfor %}</ul>
{% elif kind == "questions" and block.items | length == 1 %}
<p><strong>{{ block.items[0] }}</strong></p>
<p class="answer">{{ doc.answer_placeholder }}</p>
{% elif kind == "questions" %}<ol>
{% for item in block.items %}<li>{{ item }}<p class="answer">{{ doc.answer_placeholder }}</p></li>
{% endfor %}</ol>
{% endif %}
{% endfor %}
</section>
{% endfor %}
</body>
</html>
"""

_ENVIRONMENT = Environment(
    autoescape=True,
    undefined=StrictUndefined,
    keep_trailing_newline=True,
    trim_blocks=True,
    lstrip_blocks=True,
)
_COMPILED = _ENVIRONMENT.from_string(_TEMPLATE)


def render_html(document: Document) -> bytes:
    sections = [
        {
            "heading": section.heading,
            "basis": section.basis,
            "blocks": [(_kind(block), block) for block in section.blocks],
        }
        for section in document.sections
    ]
    page = _COMPILED.render(
        doc={
            "language": document.language,
            "title": document.title,
            "notice": document.notice,
            "answer_placeholder": document.answer_placeholder,
            "sections": sections,
        }
    )
    return page.encode("utf-8")


def _kind(block: Block) -> str:
    if isinstance(block, Paragraph):
        return "paragraph"
    if isinstance(block, Facts):
        return "facts"
    if isinstance(block, Bullets):
        return "bullets"
    if isinstance(block, Questions):
        return "questions"
    raise TypeError(f"no HTML for {type(block).__name__}")
