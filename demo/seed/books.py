"""The demo's period close for ``seed_demo``: the preparation months (through 2024-12-31) closed by the finance
officer, and one approved exception (asked by the district official, approved by the finance officer), so that
the closures page and the snapshots show a close from the start. Run last: every other demo record is dated
before it is closed. Nothing when a closure exists already."""

import datetime

from books import services
from books.models import Closure
from enterprises.models import Enterprise
from funding.models import Recognition

THROUGH = datetime.date(2024, 12, 31)


def seed_books(*, district, finance):
    if Closure.objects.exists():
        return None
    closure = services.close_books(actor=finance, through=THROUGH, reason="筹备期结束（end of the preparation months）")
    record = (
        Recognition.objects.filter(recognised_on__lte=THROUGH).order_by("recognised_on", "pk").first()
        or Enterprise.objects.order_by("pk").first()
    )
    if record is not None:
        exception = services.request_exception(
            actor=district, record=record, reason="筹备期认定的级别录入有误，需更正（demo）"
        )
        services.approve_exception(actor=finance, exception=exception)
    return closure
