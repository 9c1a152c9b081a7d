"""The ledger's words, defined once: the same figure carries the same name on the ledger page, its PDF
statement and the money confirmations (预算 / 已承诺 / 已申请 / 已拨付 / 可用余额), and every share names
its denominator ("占中央资金 10,000.00 万元的 80.0%").

- ``FIGURES``: the name of each figure of a budget line, by the key ``balances.lines_with_figures``
  annotates it with (``amount`` is the budget);
- ``share_text``: a share with its denominator;
- ``central_rules``: the 80/20 rule of the central grant, each purpose group against the grant itself
  and against what has been budgeted, committed and paid, each share labelled.
"""

from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from core.money import format_percent, format_wan

from .choices import CENTRAL_CAPPED_PURPOSES, CENTRAL_FLOOR_PURPOSES

ZERO = Decimal("0")
FLOOR_SHARE = Decimal("0.80")
CAP_SHARE = Decimal("0.20")

#: A budget line's figures, by their key; in this order on every page and document.
FIGURES = {
    "amount": pgettext_lazy("ledger figure", "Budget"),
    "committed": pgettext_lazy("ledger figure", "Committed"),
    "claimed": pgettext_lazy("ledger figure", "Claimed"),
    "paid": pgettext_lazy("ledger figure", "Disbursed"),
    "available": pgettext_lazy("ledger figure", "Available balance"),
}

#: What each figure counts (the note under the ledger's tables).
FIGURE_NOTE = pgettext_lazy(
    "ledger figure",
    "Committed: active commitments; claimed: payments requested, approved or paid; disbursed: payments "
    "net of reversals; available balance: budget less committed.",
)

#: The denominators of the central grant's shares, by figure.
_WHOLE = {
    "grant": pgettext_lazy("ledger share", "the central grant"),
    "amount": pgettext_lazy("ledger share", "the central grant's budgeted lines"),
    "committed": pgettext_lazy("ledger share", "central commitments"),
    "paid": pgettext_lazy("ledger share", "central disbursements"),
}


def share_text(part, whole, whole_label):
    """``part`` as a share of ``whole``, naming the denominator: "占中央资金 10,000.00 万元的 80.0%"
    ("—" of a whole of zero)."""
    if not whole:
        return _("— of {whole_label} {whole} (nothing yet)").format(whole_label=whole_label, whole=format_wan(ZERO))
    return _("{share} of {whole_label} {whole}").format(
        share=format_percent(part / whole), whole_label=whole_label, whole=format_wan(whole)
    )


def central_rules(grant, lines):
    """The 80/20 rule of a central grant of ``grant`` 元 over its ``lines`` (budget lines annotated with
    their figures): one row per figure (budget, committed, disbursed), each with the SME-transformation
    floor and the capped purposes, both as shares of the grant and of that figure's own total.

    The floor (at least 80%) is reported, not enforced; the cap (at most 20% of the grant) is enforced
    by the services in budgets, commitments and payments."""
    rows = []
    for key in ("amount", "committed", "paid"):
        total = sum((getattr(ln, key) for ln in lines), ZERO)
        floor = sum((getattr(ln, key) for ln in lines if ln.purpose in CENTRAL_FLOOR_PURPOSES), ZERO)
        capped = sum((getattr(ln, key) for ln in lines if ln.purpose in CENTRAL_CAPPED_PURPOSES), ZERO)
        rows.append(
            {
                "key": key,
                "label": FIGURES[key],
                "total": total,
                "floor": floor,
                "capped": capped,
                "floor_of_grant": share_text(floor, grant, _WHOLE["grant"]),
                "floor_of_total": share_text(floor, total, _WHOLE[key]),
                "capped_of_grant": share_text(capped, grant, _WHOLE["grant"]),
                "capped_of_total": share_text(capped, total, _WHOLE[key]),
                "floor_share": (floor / (grant if key == "amount" else total)) if total else None,
                "capped_share": capped / grant if grant else None,
                # The floor is judged on what is allocated so far (the budget: on the grant).
                "floor_ok": (floor / (grant if key == "amount" else total)) >= FLOOR_SHARE if total else None,
                "cap_ok": capped <= grant * CAP_SHARE,
            }
        )
    return rows
