"""The 六张工作清单 of the work plan (四（二）) in one place: for each list, what it holds, how many rows the
viewer sees and where to download it. Two lists are kept here (任务清单, 政策清单); the four others are
the records of the apps that own them, read through their selectors and exported by their own views.
"""

from dataclasses import dataclass, field

from django.urls import reverse
from django.utils.translation import gettext as _

from core.roles import Role, role_of
from enterprises.choices import Status
from enterprises.selectors import enterprise_list
from funding import permissions as funding_permissions
from funding import selectors as funding_selectors
from providers.selectors import provider_list, recognised_products

from . import selectors


@dataclass
class WorkList:
    code: str
    name: str
    plan_name: str  # the list's name in the work plan (四（二）), a proper noun kept as the plan writes it
    holds: str
    count: int
    count_label: str
    list_url: str
    export_url: str  # empty when the viewer may not download it
    extra: list = field(default_factory=list)  # [(label, number)]


def _url(name, query=""):
    return reverse(name) + (f"?{query}" if query else "")


def work_lists(*, viewer):
    """The six lists in the plan's order, counted in the viewer's scope."""
    tasks = selectors.task_counts(queryset=selectors.task_list(viewer=viewer))
    policies = selectors.policy_counts(queryset=selectors.policy_list(viewer=viewer))
    role = role_of(viewer)
    sees_subsidies = funding_permissions.can_see_subsidy_totals(viewer)[0]
    may_export_financing = role in funding_permissions.LEDGER_READ_ROLES or role == Role.UNIT_STAFF
    financing_extra = []
    if sees_subsidies:
        financing_extra.append(
            (_("Interest subsidies granted"), funding_selectors.interest_subsidy_list(viewer=viewer).count())
        )
    return [
        WorkList(
            code="tasks",
            name=_("Task list"),
            plan_name="任务清单",
            holds=_(
                "The work plan's phases and key tasks: target, responsible departments and unit, deadline, progress."
            ),
            count=tasks["total"],
            count_label=_("tasks"),
            list_url=_url("worklists:task_list"),
            export_url=_url("worklists:task_export"),
            extra=[(_("Done"), tasks["done"]), (_("Overdue"), tasks["overdue"])],
        ),
        WorkList(
            code="enterprises",
            name=_("Pilot enterprise list"),
            plan_name="试点企业清单",
            holds=_("The enterprises in the pilot list: unit, sector, scale, tier, cloud adoption, digital level."),
            count=enterprise_list(viewer=viewer).filter(status=Status.ACTIVE).count(),
            count_label=_("enterprises in the pilot list"),
            list_url=_url("enterprises:list", "status=active"),
            export_url=_url("enterprises:export", "status=active&format=xlsx"),
        ),
        WorkList(
            code="providers",
            name=_("Service provider list"),
            plan_name="服务商清单",
            holds=_("The service providers of the resource pool: comprehensive or specialised, key providers."),
            count=provider_list(viewer=viewer).count(),
            count_label=_("providers"),
            list_url=_url("providers:list"),
            export_url=_url("providers:export", "format=xlsx"),
        ),
        WorkList(
            code="products",
            name=_("Excellent product list"),
            plan_name="优秀产品清单",
            holds=_("The recognised small, fast, light and precise products and solutions."),
            count=recognised_products(viewer=viewer).count(),
            count_label=_("recognised products"),
            list_url=_url("providers:product_list", "recognised=yes"),
            export_url=_url("providers:product_export", "format=xlsx"),
        ),
        WorkList(
            code="policies",
            name=_("Policy list"),
            plan_name="政策清单",
            holds=_("The policy documents: number, title, issuer, date, support, application window."),
            count=policies["total"],
            count_label=_("documents"),
            list_url=_url("worklists:policy_list"),
            export_url=_url("worklists:policy_export"),
            extra=[(_("In force"), policies["in_force"]), (_("Window open now"), policies["window_open"])],
        ),
        WorkList(
            code="financing",
            name=_("Financing list"),
            plan_name="金融清单",
            holds=_("The banks' loan products for transformation and the interest and fee subsidies granted."),
            count=funding_selectors.financial_product_list(viewer=viewer).count(),
            count_label=_("financial products"),
            list_url=_url("funding:financing"),
            export_url=_url("funding:financing_export") if may_export_financing else "",
            extra=financing_extra,
        ),
    ]
