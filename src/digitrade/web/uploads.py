"""Reading an uploaded file in an API endpoint: the raw body or multipart field ``file``.

Endpoints that take one document (an invoice, a customs message) accept both, so ``curl
--data-binary`` and browser forms work alike; ``FILE_BODY`` documents that in OpenAPI.
"""

from __future__ import annotations

from typing import Any

from fastapi import Request

from digitrade.core.errors import validation_error

# The slack a multipart envelope may add to the declared length before it is refused unread.
MULTIPART_SLACK = 64_000

FILE_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            "application/xml": {"schema": {"type": "string"}},
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["file"],
                    "properties": {"file": {"type": "string", "format": "binary"}},
                }
            },
        },
    }
}


def _too_large(limit: int) -> Exception:
    return validation_error("file", f"larger than {limit:,} bytes")


async def read_upload(request: Request, *, limit: int, what: str) -> bytes:
    """The uploaded bytes (multipart field ``file`` or the whole body), refused over ``limit``
    bytes or when empty. ``what`` names the document in messages ("the invoice")."""
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit + MULTIPART_SLACK:
        raise _too_large(limit)
    if request.headers.get("content-type", "").startswith("multipart/form-data"):
        form = await request.form()
        upload = form.get("file")
        if upload is None or isinstance(upload, str):
            raise validation_error("file", f"attach {what} as form field 'file'")
        data = await upload.read(limit + 1)
        # Endpoints whose parsing depends on the file's type read its name from here.
        request.state.upload_filename = upload.filename
    else:
        data = await request.body()
    if len(data) > limit:
        raise _too_large(limit)
    if not data:
        raise validation_error("file", f"empty: send {what}")
    return data


async def read_form_upload(
    request: Request, *, text_field: str, limit: int
) -> tuple[dict[str, str], bytes | None]:
    """A page form's text fields and its document: the uploaded ``file``, else the text pasted
    into ``text_field``; None when neither was given. Refused over ``limit`` bytes."""
    form = await request.form()
    fields = {k: v for k, v in form.items() if isinstance(v, str)}
    upload = form.get("file")
    data: bytes | None = None
    if upload is not None and not isinstance(upload, str) and upload.filename:
        data = await upload.read(limit + 1)
    elif fields.get(text_field, "").strip():
        data = fields[text_field].strip().encode("utf-8")
    if data is not None and len(data) > limit:
        raise validation_error("file", f"the file is larger than {limit // (1024 * 1024)} MB")
    return fields, data
