"""Uploaded files: what may be uploaded, and how a stored file is handed back.

Every app's uploads pass ``check_upload`` in its service (so pages and the API refuse the
same files), and every stored file is served by ``file_response`` from a view that has
first fetched the owning record with the app's ``*_get_for_user`` (404 outside scope).
Media are never served by URL (``MEDIA_URL`` points nowhere).

The type is read from the file's first bytes, never from its name or the browser's
``Content-Type``: both are chosen by the uploader. An HTML page renamed ``report.pdf`` is
refused, and an accepted file is stored under the extension of what it really is, so a
downloaded copy cannot open as something else either.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import os
import uuid
import zipfile
from dataclasses import dataclass
from pathlib import PurePosixPath

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .crypto import CryptoError, provider


@dataclass(frozen=True)
class FileKind:
    key: str
    label: object  # lazy translation
    extension: str
    content_type: str
    inline: bool = False  # shown in the page (images) rather than downloaded


KINDS = {k.key: k for k in (
    FileKind("jpeg", gettext_lazy("JPEG image"), ".jpg", "image/jpeg", inline=True),
    FileKind("png", gettext_lazy("PNG image"), ".png", "image/png", inline=True),
    FileKind("webp", gettext_lazy("WebP image"), ".webp", "image/webp", inline=True),
    FileKind("pdf", gettext_lazy("PDF"), ".pdf", "application/pdf"),
    FileKind("docx", gettext_lazy("Word document"), ".docx",
             "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    FileKind("xlsx", gettext_lazy("Excel workbook"), ".xlsx",
             "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    FileKind("pptx", gettext_lazy("PowerPoint presentation"), ".pptx",
             "application/vnd.openxmlformats-officedocument.presentationml.presentation"),
    # .doc, .xls, .ppt and WPS files share one container; which one it is cannot be told
    # from the first bytes, so it is kept as the generic "legacy office file".
    FileKind("ole", gettext_lazy("Word/Excel/WPS document (old format)"), ".doc",
             "application/octet-stream"),
    FileKind("ofd", gettext_lazy("OFD document"), ".ofd", "application/ofd"),
)}

IMAGES = ("jpeg", "png", "webp")
# Evidence and study documents: scans and photos, PDF/OFD, office documents.
DOCUMENTS = (*IMAGES, "pdf", "ofd", "docx", "xlsx", "pptx", "ole")

_HEAD = 16
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _zip_kind(file) -> str | None:
    """OOXML or OFD, told apart by the parts the archive lists (its central directory)."""
    try:
        file.seek(0)
        with zipfile.ZipFile(file) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return None
    if "OFD.xml" in names:
        return "ofd"
    if "[Content_Types].xml" in names:
        for prefix, key in (("word/", "docx"), ("xl/", "xlsx"), ("ppt/", "pptx")):
            if any(n.startswith(prefix) for n in names):
                return key
    return None


def sniff(file) -> str | None:
    """The kind of ``file`` (a key of ``KINDS``) read from its content, or None."""
    try:
        file.seek(0)
        head = file.read(_HEAD)
    except (OSError, ValueError):
        return None
    try:
        if head.startswith(b"\xff\xd8\xff"):
            return "jpeg"
        if head.startswith(b"\x89PNG\r\n\x1a\n"):
            return "png"
        if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
            return "webp"
        if head.startswith(b"%PDF-"):
            return "pdf"
        if head.startswith(_OLE):
            return "ole"
        if head.startswith(b"PK\x03\x04"):
            return _zip_kind(file)
        return None
    finally:
        file.seek(0)


def max_upload_bytes() -> int:
    return settings.ZUGONG_UPLOAD_MAX_BYTES


def check_upload(file, *, field: str, kinds=DOCUMENTS, max_bytes: int | None = None) -> str:
    """Refuse ``file`` unless it is at most ``max_bytes`` and one of ``kinds`` by content.

    Raises ``ValidationError({field: [message]})`` (a Chinese message on the page, 422 in
    the API). On success the upload's name gets the extension of its real kind, and the
    kind's key is returned.
    """
    limit = max_upload_bytes() if max_bytes is None else max_bytes
    size = getattr(file, "size", None)
    if size is None or size > limit:
        raise ValidationError({field: [_(
            "The file is %(size)s; the largest allowed is %(limit)s.")
            % {"size": filesizeformat(size or 0), "limit": filesizeformat(limit)}]})
    kind = sniff(file)
    if kind not in kinds:
        allowed = "、".join(str(KINDS[k].label) for k in kinds)
        raise ValidationError({field: [_(
            "This type of file cannot be uploaded here. Allowed: %(allowed)s.")
            % {"allowed": allowed}]})
    stem = PurePosixPath(os.path.basename(getattr(file, "name", "") or "")).stem or "file"
    file.name = stem[:80] + KINDS[kind].extension
    return kind


def file_response(fieldfile, *, download_name: str | None = None) -> FileResponse:
    """Stream a stored file that the caller has already fetched for the user.

    The content type comes from the stored bytes (a file kept before the upload check
    existed, or of an unknown type, goes out as an opaque download). Only images are shown
    inline; nothing is ever sent as HTML, and the sandbox policy keeps even a mislabelled
    file from running script in the site's origin.
    """
    if not fieldfile:
        raise Http404
    try:
        handle = fieldfile.open("rb")
    except (FileNotFoundError, OSError):
        # A record whose file went missing from disk is as absent as a missing record.
        raise Http404 from None
    kind = KINDS.get(sniff(handle) or "")
    name = download_name or os.path.basename(fieldfile.name)
    inline = kind is not None and kind.inline
    response = FileResponse(handle, as_attachment=not inline, filename=name,
                            content_type=kind.content_type if kind else
                            "application/octet-stream")
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


# ---------------------------------------------------------------- uploads held between tries

# An upload form re-shown after an error cannot hand the chosen file back to the browser
# (a file input is never pre-filled). The files are kept here, encrypted like any record
# (an import workbook holds ID numbers), under a signed reference that only the same user
# can redeem and only for HOLD_SECONDS; each new hold clears expired ones.
HOLD_SECONDS = 3600
_HOLD_DIR = "held"
_HOLD_SALT = "zugong.core.files.held"


def hold_uploads(*, user, files: list[tuple[str, bytes]]) -> str:
    """Keep ``files`` (name, content) for ``user``; returns the reference for the form."""
    _clear_expired_holds()
    plain = json.dumps([[name, base64.b64encode(data).decode("ascii")] for name, data in files])
    key = default_storage.save(f"{_HOLD_DIR}/{uuid.uuid4().hex}",
                               ContentFile(provider().encrypt(plain).encode("ascii")))
    return signing.dumps({"u": user.pk, "k": key}, salt=_HOLD_SALT)


def held_uploads(*, user, ref: str) -> list[tuple[str, bytes]] | None:
    """The files kept under ``ref`` for this user, or None (expired, forged, someone else's)."""
    key = _held_key(user, ref)
    if key is None:
        return None
    try:
        with default_storage.open(key, "rb") as handle:
            plain = provider().decrypt(handle.read().decode("ascii"))
    except (FileNotFoundError, OSError, CryptoError, UnicodeDecodeError, signing.BadSignature):
        return None
    return [(name, base64.b64decode(data)) for name, data in json.loads(plain)]


def release_held(*, user, ref: str) -> None:
    """Drop the files kept under ``ref`` (once they served; expired ones go by themselves)."""
    key = _held_key(user, ref)
    if key is not None:
        default_storage.delete(key)


def _held_key(user, ref: str) -> str | None:
    if not ref:
        return None
    try:
        data = signing.loads(ref, salt=_HOLD_SALT, max_age=HOLD_SECONDS)
    except signing.BadSignature:  # also an expired signature
        return None
    key = data.get("k", "") if isinstance(data, dict) else ""
    if data.get("u") != user.pk or not key.startswith(f"{_HOLD_DIR}/") or ".." in key:
        return None
    return key


def _clear_expired_holds() -> None:
    try:
        _dirs, names = default_storage.listdir(_HOLD_DIR)
    except (FileNotFoundError, OSError):
        return
    limit = timezone.now() - dt.timedelta(seconds=HOLD_SECONDS)
    for name in names:
        path = f"{_HOLD_DIR}/{name}"
        try:
            if default_storage.get_modified_time(path) < limit:
                default_storage.delete(path)
        except (FileNotFoundError, OSError):
            continue
