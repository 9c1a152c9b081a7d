"""The dashboard pages: target vs actual in three periods (with heat map, trends, levels and money) and
the drill-down behind every number."""

import copy
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from core.errors import DomainError, PermissionDenied
from core.money import to_wan
from core.roles import Role, role_of
from core.selectors import unit_list

from ..models import Indicator, ReportingPeriod
from ..permissions import can_request_snapshot
from ..selectors import indicators as counting
from ..selectors.dashboards import dashboard
from ..selectors.indicators import shown
from ..selectors.scope import parse_as_of, period_by_code, report_scope
from ..selectors.snapshots import finished_marker


def _url_or_none(name):
    try:
        return reverse(name)
    except NoReverseMatch:
        return None


def _unit_from(request, units):
    """The unit asked for (``?unit=<code>``), unit staff's own by default; an unknown code is refused."""
    code = (request.GET.get("unit") or "").strip()
    if not code and role_of(request.user) == Role.UNIT_STAFF:
        return request.user.unit
    if not code:
        return None
    unit = next((u for u in units if u.code == code), None)
    if unit is None:
        raise DomainError("unknown_unit", _("Unknown unit: {code}.").format(code=code), field="unit")
    return unit


def _records_url(number, period, unit, as_of):
    query = {"period": period, "as_of": as_of.isoformat() if hasattr(as_of, "isoformat") else as_of}
    if unit is not None:
        query["unit"] = unit.code
    return reverse("reports:indicator_records", args=[number]) + "?" + urlencode(query)


@login_required
def indicator_dashboard(request):
    """District (or one unit's) dashboard; unit staff see their unit's version only."""
    units = list(unit_list())
    error = key = page = None
    try:
        unit = _unit_from(request, units)
        period = period_by_code(request.GET["period"]) if request.GET.get("period") else None
        scope = report_scope(request.user, unit)  # the refusal comes before anything is read or cached
        key = _page_key(scope, period, request.GET.get("as_of"))
        page = cache.get(key) if key else None
        if page is None:
            data = dashboard(viewer=request.user, unit=unit, as_of=request.GET.get("as_of"), period=period)
    except PermissionDenied as exc:
        raise DjangoPermissionDenied(exc.message) from exc
    except DomainError as exc:
        error, key = exc.message, None
        data = dashboard(viewer=request.user, unit=report_scope(request.user, None))
    if page is None:
        page = _page(request, data)
        if key is not None and page["body_html"] is not None:
            cache.set(key, _light_page(page), PAGE_CACHE_SECONDS)
    request_url = _url_or_none("reports:snapshot_request")
    role = role_of(request.user)
    context = {
        **page,
        "units": [] if role == Role.UNIT_STAFF else units,
        "can_request": request_url is not None and can_request_snapshot(request.user),
        "request_url": request_url,
        "error": error,
    }
    return render(request, "reports/indicators.html", context)


def _page(request, data):
    """What the dashboard shows of ``data`` (:func:`reports.selectors.dashboards.dashboard`): the figures with
    their drill-down links, the charts' data and the figures' HTML (:func:`_body_html`)."""
    for row in data["table"]:
        for cell in row["cells"]:
            cell["url"] = _records_url(row["indicator"].number, cell["period"], data["unit"], cell["as_of"])
    page = {
        **data,
        "chart": {
            "heat": data["heat"],
            "trend": data["trend"],
            "levels": data["levels"],
            "money": {
                "sources": [m["source"].name for m in data["money"]],
                # In 万元, as officials read money (the table beside the chart too).
                "committed": [float(to_wan(m["committed"])) for m in data["money"]],
                "paid": [float(to_wan(m["paid"])) for m in data["money"]],
            },
        },
    }
    page["body_html"] = _body_html(request, data, page)
    return page


def _page_key(scope, period, as_of):
    """The cache key of a whole dashboard (its figures and what the page says of them), or ``None``
    for a page computed now at an asked-for date. It holds the scope, the period, the language and
    :func:`reports.selectors.snapshots.finished_marker` of the scope, so a snapshot the page reads finishing gives
    a new key (another unit's does not); a page with any part computed now is not stored (see
    :func:`_body_html`)."""
    if as_of not in (None, ""):
        return None
    return ":".join(
        [
            "reports:dashboard-page:v2",
            get_language() or "",
            scope.code if scope else "district",
            period.code if period else "-",
            finished_marker(scope),
        ]
    )


def _light_page(page):
    """A dashboard page as cached: the snapshots without the rows, annex and figures read into them
    (the figures are in the page already), the columns without their rows."""

    def light(snapshot):
        if snapshot is None:
            return None
        clone = copy.copy(snapshot)
        for name in ("light_rows", "units", "annex_as_numbers", "extras", "indicators"):
            clone.__dict__.pop(name, None)
        # Its own state, without the requesting user read with it (no account row in the cache).
        clone._state = copy.copy(snapshot._state)
        clone._state.fields_cache = {k: v for k, v in snapshot._state.fields_cache.items() if k != "requested_by"}
        return clone

    return {
        **page,
        "columns": [
            {**{k: v for k, v in c.items() if k not in ("rows", "units")}, "snapshot": light(c["snapshot"])}
            for c in page["columns"]
        ],
        "extras_snapshot": light(page["extras_snapshot"]),
    }


#: How long a dashboard page is kept in the cache. It is keyed on the snapshots it reads
#: (:func:`_page_key`), so a new snapshot shows at once; the timeout only bounds how long a renamed
#: indicator or fund source keeps its old name.
PAGE_CACHE_SECONDS = 300


def _body_html(request, data, context):
    """The dashboard's figures (``reports/_dashboard_body.html``) rendered here, to be cached with the
    page, when every column, the levels, the money and the heat map come from finished snapshots (which
    never change); ``None`` for a page with any part computed now (an as-of date asked for, a period
    without a snapshot, a snapshot without its annex or frozen figures), which renders them in the page
    and is not cached."""
    if data["explicit"] or data["extras_snapshot"] is None or any(c["snapshot"] is None for c in data["columns"]):
        return None
    chosen = next(c for c in data["columns"] if c["period"].pk == data["period"].pk)
    if data["unit"] is None and not chosen["units"]:  # a snapshot without annex: the heat map is computed now
        return None
    html = render_to_string("reports/_dashboard_body.html", context, request=request)
    return mark_safe(html)  # noqa: S308 - rendered by the template engine above (auto-escaped)


RECORDS_PER_PAGE = 100
#: Near misses shown on the page (all are counted; the evidence pack lists every record counted).
MISSES_SHOWN = 200


def _page_number(value):
    """The page asked for as a number, at least 1 (1 when not a number, as ``Paginator.get_page``)."""
    try:
        return max(int(value), 1)
    except (TypeError, ValueError):
        return 1


@login_required
def indicator_records(request, number):
    """The records behind one number (counted, and for ratios the denominator with "meets") and the
    near misses with the reason each was not counted."""
    indicator = Indicator.objects.filter(number=number).first()
    if indicator is None:
        raise Http404(_("No such indicator."))
    units = list(unit_list())
    try:
        unit = report_scope(request.user, _unit_from(request, units))
    except PermissionDenied as exc:
        raise DjangoPermissionDenied(exc.message) from exc
    except DomainError as exc:
        return render(request, "reports/records.html", {"indicator": indicator, "error": exc.message}, status=400)
    try:
        period = period_by_code(request.GET.get("period") or "total")
        as_of = parse_as_of(request.GET.get("as_of"))
    except DomainError as exc:
        return render(request, "reports/records.html", {"indicator": indicator, "error": exc.message}, status=400)
    window = {"start": period.start, "end": period.end or as_of, "as_of": as_of, "unit": unit}
    applies = indicator.by_unit or unit is None
    counted, misses, page_obj = [], [], None
    counted_total = meets = misses_total = 0
    if applies:
        # A page of the records at a time (tens of thousands district-wide at national size) and the first
        # near misses; the totals are counted in the database.
        requested = request.GET.get("page")
        found = counting.drill_down(
            number, **window, page=_page_number(requested), per_page=RECORDS_PER_PAGE, misses_shown=MISSES_SHOWN
        )
        page_obj = Paginator(range(found["counted_total"]), RECORDS_PER_PAGE).get_page(requested)
        if page_obj.number != _page_number(requested):  # out of range: the last page, as Paginator.get_page
            found = counting.drill_down(
                number, **window, page=page_obj.number, per_page=RECORDS_PER_PAGE, misses_shown=MISSES_SHOWN
            )
        counted = page_obj.object_list = found["counted"]
        counted_total, meets = found["counted_total"], found["meets"] or 0
        misses, misses_total = found["misses"], found["misses_total"]
    kind = (
        "enterprise"
        if number in counting.ENTERPRISE_COUNTS or number in counting.ENTERPRISE_RATIOS
        else "recognition"
        if number in counting.RECOGNITION_COUNTS
        else "product"
        if number == "6"
        else "provider"
    )
    # The evidence-pack request page, prefilled from the query.
    evidence_url = _url_or_none("reports:document_evidence_pack")
    query = {"period": period.code, "number": number, "as_of": as_of.isoformat()}
    if unit is not None:
        query["unit"] = unit.code
    if kind == "enterprise":
        # What the rule looked at for each enterprise: the date counted, or for a ratio the level / date.
        attribute = {"5": "cloud_verified_on", "8": "first_level4_post", "R1": "latest_level"}.get(number, "first_pass")
        attribute = {"R2": "latest_post_level", "R3": "cloud_verified_on"}.get(number, attribute)
        for enterprise in counted:
            enterprise.looked_at = getattr(enterprise, attribute, None)
    context = {
        "indicator": indicator,
        "period": period,
        "periods": ReportingPeriod.objects.order_by("order"),
        "unit": unit,
        "units": [] if role_of(request.user) == Role.UNIT_STAFF else units,
        "as_of": as_of,
        "applies": applies,
        "kind": kind,
        "is_ratio": number in counting.ENTERPRISE_RATIOS,
        "counted": counted,
        "counted_total": counted_total,
        "page_obj": page_obj,
        "misses": misses,
        "misses_total": misses_total,
        "misses_shown": MISSES_SHOWN,
        "meets": meets,
        "share": shown(counting.ratio(meets, counted_total), True) if number in counting.ENTERPRISE_RATIOS else None,
        "evidence_url": f"{evidence_url}?{urlencode(query)}" if evidence_url else None,
        "dashboard_url": reverse("reports:indicators")
        + "?"
        + urlencode({k: v for k, v in query.items() if k != "number"}),
    }
    return render(request, "reports/records.html", context)
