"""Uploaded files: validation, storage outside the web root, and permission-checked serving."""

import hashlib
import mimetypes
from pathlib import PurePath

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.utils.translation import gettext as _

from .downloads import logged_download
from .errors import DomainError
from .history import set_history
from .models import Attachment

#: File types accepted as evidence, by extension.
EVIDENCE_EXTENSIONS = {".pdf", ".jpg", ".jpeg", ".png", ".xlsx", ".docx", ".csv", ".zip", ".ofd"}


def safe_file_name(name):
    """The last path component of an uploaded name, without control characters (never used as a path)."""
    base = PurePath(str(name).replace("\\", "/")).name
    cleaned = "".join(ch for ch in base if ch.isprintable() and ch not in '<>:"/\\|?*').strip(" .")
    return cleaned[:200] or "upload"


def validate_upload(upload, *, allowed_extensions=EVIDENCE_EXTENSIONS, max_bytes=None):
    """Refuse an empty, oversized or wrongly typed upload with a message people understand."""
    max_bytes = max_bytes or settings.PORTAL_MAX_UPLOAD_BYTES
    name = safe_file_name(getattr(upload, "name", ""))
    ext = PurePath(name).suffix.lower()
    if ext not in allowed_extensions:
        raise DomainError(
            "file_type",
            _("Files of type {ext} are not accepted; allowed: {allowed}.").format(
                ext=ext or _("(none)"), allowed=", ".join(sorted(allowed_extensions))
            ),
            field="file",
        )
    if upload.size == 0:
        raise DomainError("file_empty", _("The file is empty."), field="file")
    if upload.size > max_bytes:
        raise DomainError(
            "file_too_large",
            _("The file is {size:.1f} MB; the limit is {limit:.0f} MB.").format(
                size=upload.size / 1048576, limit=max_bytes / 1048576
            ),
            field="file",
        )
    return name


def attachment_create(*, actor, owner, upload, purpose="", allowed_extensions=EVIDENCE_EXTENSIONS):
    """Store ``upload`` under a random name and attach it to ``owner``."""
    name = validate_upload(upload, allowed_extensions=allowed_extensions)
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    attachment = Attachment(
        content_type=ContentType.objects.get_for_model(owner),
        object_id=str(owner.pk),
        purpose=purpose,
        original_name=name,
        mime_type=mimetypes.guess_type(name)[0] or "application/octet-stream",
        size=upload.size,
        sha256=digest.hexdigest(),
        uploaded_by=actor,
    )
    set_history(attachment, actor=actor)
    attachment.file.save(name, upload, save=False)
    attachment.save()
    return attachment


def attachment_owner_visible(attachment, viewer):
    """True when ``viewer`` may see the record the attachment belongs to (through its scoped queryset)."""
    model = attachment.content_type.model_class()
    if model is None:
        return False
    manager = model._default_manager
    queryset = manager.all()
    if hasattr(queryset, "visible_to"):
        queryset = queryset.visible_to(viewer)
    else:
        return False
    return queryset.filter(pk=attachment.object_id).exists()


def serve_protected_file(request, attachment):
    """Stream an attachment as a download (never inline, run nothing), and log who took it."""
    return logged_download(
        request,
        filename=attachment.original_name,
        content_type=attachment.mime_type,
        kind="attachment",
        file=attachment.file.open("rb"),
        sandbox=True,
    )
