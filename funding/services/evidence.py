"""Evidence files of projects, disbursements and recognitions (stored by :mod:`core.files`).

A project's acceptance request is backed by its contract, invoices, payment slips, spend list and
before/after self-evaluation (docs/domain.md §8). What is missing marks the project incomplete on its page
(:func:`project_evidence_checklist`); it never refuses a transition (docs/api.md).
"""

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.errors import DomainError
from core.files import attachment_create
from core.models import Attachment
from core.permissions import require
from core.roles import Role

from .. import permissions

#: Evidence a project's acceptance request should carry, in the order the page lists it.
PROJECT_EVIDENCE = {
    "contract": gettext_lazy("Contract"),
    "invoice": gettext_lazy("Invoices"),
    "payment_slip": gettext_lazy("Payment slips"),
    "spend_list": gettext_lazy("Spend list"),
    "self_evaluation": gettext_lazy("Before/after self-evaluation"),
}
INVOICE = "invoice"
RECOGNITION_EVIDENCE = "recognition"


def attachments_of(record):
    """The files attached to ``record``, newest first."""
    return Attachment.objects.filter(
        content_type=ContentType.objects.get_for_model(type(record)), object_id=str(record.pk)
    ).select_related("uploaded_by")


def project_evidence_checklist(project, attachments=None):
    """``[{"purpose", "label", "files", "present"}]`` for each evidence item of :data:`PROJECT_EVIDENCE`."""
    attachments = list(attachments_of(project) if attachments is None else attachments)
    return [
        {
            "purpose": purpose,
            "label": label,
            "files": [a for a in attachments if a.purpose == purpose],
            "present": any(a.purpose == purpose for a in attachments),
        }
        for purpose, label in PROJECT_EVIDENCE.items()
    ]


@transaction.atomic
def project_evidence_attach(*, actor, project, upload, purpose):
    """Attach a piece of evidence to a project: its provider or the district, any time before it closes."""
    require(permissions.can_report(actor, project))
    if purpose not in PROJECT_EVIDENCE:
        raise DomainError("invalid_purpose", _("Choose what the file is."), field="purpose")
    return attachment_create(actor=actor, owner=project, upload=upload, purpose=purpose)


@transaction.atomic
def disbursement_invoice_attach(*, actor, disbursement, upload):
    """Attach an invoice (or receipt) to a payment: the district or finance."""
    require(
        permissions.may_act_as(
            actor,
            Role.DISTRICT_OFFICIAL,
            Role.FINANCE_OFFICER,
            reason=_("Only the district or finance attaches invoices to payments."),
        )
    )
    return attachment_create(actor=actor, owner=disbursement, upload=upload, purpose=INVOICE)


@transaction.atomic
def recognition_evidence_attach(*, actor, recognition, upload):
    """Attach the recognition's evidence (the notice, the certificate): the district."""
    require(permissions.can_decide(actor))
    return attachment_create(actor=actor, owner=recognition, upload=upload, purpose=RECOGNITION_EVIDENCE)
