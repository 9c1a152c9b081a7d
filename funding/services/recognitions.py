"""Recognitions the indicators count (7 and 10–13): workshops, smart factories, demo and typical
scenarios, chain models and the public platform. Entered by the district with their date and level."""

from django.db import transaction
from django.utils.translation import gettext as _

from books import services as books
from core.errors import DomainError
from core.history import set_history
from core.permissions import require
from core.services import iso_date, not_in_future

from .. import permissions
from ..choices import RecognitionKind, RecognitionLevel
from ..models import Recognition

FIELDS = ("kind", "level", "recognised_on", "title", "enterprise", "issuer", "platform_name", "gongfu_lianzhu", "note")


def _checked(recognition, members):
    if recognition.kind not in RecognitionKind.values:
        raise DomainError("invalid_kind", _("Choose a kind of recognition."), field="kind")
    if recognition.level not in RecognitionLevel.values:
        raise DomainError("invalid_level", _("Choose district, municipal or national."), field="level")
    recognition.recognised_on = iso_date(recognition.recognised_on, "recognised_on")
    if recognition.recognised_on is None:
        raise DomainError("date_required", _("Enter the date of the recognition."), field="recognised_on")
    not_in_future(recognition.recognised_on, "recognised_on")
    if not (recognition.title or "").strip():
        raise DomainError("title_required", _("Enter the title of the recognition."), field="title")
    if members and recognition.kind != RecognitionKind.CHAIN_MODEL:
        raise DomainError("members_only_for_chains", _("Only a chain model has member enterprises."), field="members")
    if recognition.enterprise_id and recognition.enterprise_id in {m.pk for m in members}:
        raise DomainError("leader_is_member", _("The chain leader is not one of its own members."), field="members")
    if recognition.gongfu_lianzhu and recognition.kind != RecognitionKind.CHAIN_MODEL:
        raise DomainError("gongfu_only_for_chains", _("Only a chain model can be a 工赋链主."), field="gongfu_lianzhu")


@transaction.atomic
def recognition_create(*, actor, kind, level, recognised_on, title, enterprise=None, members=(), **facts):
    require(permissions.can_decide(actor))
    unknown = set(facts) - set(FIELDS)
    if unknown:
        raise DomainError("unknown_field", _("Unknown field: {field}").format(field=", ".join(sorted(unknown))))
    recognition = Recognition(
        kind=kind,
        level=level,
        recognised_on=recognised_on,
        title=(title or "").strip(),
        enterprise=enterprise,
        created_by=actor,
        **facts,
    )
    members = list(members)
    _checked(recognition, members)
    books.guard(recognition.recognised_on, record=enterprise, actor=actor)
    set_history(recognition, actor=actor)
    recognition.save()
    if members:
        recognition.members.set(members)
    return recognition


@transaction.atomic
def recognition_update(*, actor, recognition, members=None, **facts):
    require(permissions.can_decide(actor))
    recognition = Recognition.objects.select_for_update().get(pk=recognition.pk)
    unknown = set(facts) - set(FIELDS)
    if unknown:
        raise DomainError("unknown_field", _("Unknown field: {field}").format(field=", ".join(sorted(unknown))))
    books.guard(recognition.recognised_on, facts.get("recognised_on"), record=recognition, actor=actor)
    for field, value in facts.items():
        setattr(recognition, field, value)
    members = list(recognition.members.all()) if members is None else list(members)
    _checked(recognition, members)
    set_history(recognition, actor=actor)
    recognition.save()
    recognition.members.set(members)
    return recognition


@transaction.atomic
def recognition_delete(*, actor, recognition, reason):
    """Remove a recognition entered by mistake (its history keeps it, with the reason)."""
    require(permissions.can_decide(actor))
    if not (reason or "").strip():
        raise DomainError("reason_required", _("Say why the recognition is removed."), field="reason")
    books.guard(recognition.recognised_on, record=recognition, actor=actor)
    set_history(recognition, actor=actor, reason=reason)
    recognition.delete()
