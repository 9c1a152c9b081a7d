"""The rules written once in core/: money, saving with history, permission plumbing, programme dates."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.utils import translation

from core.credit_code import check_character
from core.errors import DomainError, PermissionDenied
from core.history import fit_reason, save_with_history
from core.money import (
    MAX_AMOUNT,
    Sign,
    format_percent,
    format_wan,
    format_yuan,
    parse_amount,
    read_amount,
    to_wan,
)
from core.permissions import HISTORY_READERS, can_see_history, require
from core.roles import Role
from enterprises.models import Enterprise

D = Decimal


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1200000", D("1200000.00")),
        (" 1,200,000.50 ", D("1200000.50")),
        ("0.5", D("0.50")),
        (12, D("12.00")),
        (D("3.1"), D("3.10")),
        (300000.01, D("300000.01")),
        (0.1 + 0.2, D("0.30")),  # a spreadsheet's binary noise, not a third decimal
        ("0", D("0.00")),
    ],
)
def test_amounts_in_ascii_digits_with_two_decimals_are_read(value, expected):
    assert parse_amount(value) == expected


@pytest.mark.parametrize(
    "value",
    ["１２００", "¥1200", "1200元", "1e5", "NaN", "Infinity", "1,20,0", "12,00", "", None, True, "1.2.3", "٣"],
)
def test_anything_but_plain_digits_is_refused(value):
    """Full-width digits, currency signs and units, exponents, bad grouping, other scripts' digits."""
    with pytest.raises(DomainError) as refused:
        parse_amount(value, field="amount")
    assert refused.value.code == "invalid_amount" and refused.value.field == "amount"


def test_minus_zero_reads_as_zero():
    assert str(parse_amount("-0")) == "0.00"


def test_a_third_decimal_is_refused_not_rounded():
    number, message = read_amount("1200.125")
    assert number is None and "two decimals" in message
    with pytest.raises(DomainError):
        parse_amount(0.125)


def test_sign_rules_are_named_per_use():
    assert parse_amount("0", sign=Sign.NON_NEGATIVE) == 0
    with pytest.raises(DomainError, match="above zero"):
        parse_amount("0", sign=Sign.POSITIVE)
    with pytest.raises(DomainError, match="0 or more"):
        parse_amount("-5", sign=Sign.NON_NEGATIVE)
    with pytest.raises(DomainError, match="above zero"):
        parse_amount("-5", sign=Sign.POSITIVE)


def test_the_largest_amount_a_column_holds():
    assert parse_amount(str(MAX_AMOUNT)) == MAX_AMOUNT
    with pytest.raises(DomainError, match="too large"):
        parse_amount("100000000000000")


def test_empty_is_none_only_where_allowed():
    assert parse_amount("  ", allow_none=True) is None
    assert parse_amount(None, allow_none=True) is None


def test_money_is_always_shown_with_its_unit():
    assert format_yuan(D("12345.6")) == "12,345.60 元"
    assert format_wan(D("123456")) == "12.35 万元"
    assert format_wan(D("123450")) == "12.35 万元"  # half up
    assert format_wan(D("123456"), unit=False) == "12.35"
    assert to_wan(D("80000000")) == D("8000.00")
    assert format_yuan(None) == "" and format_wan("") == ""


def test_percent_has_one_decimal_everywhere():
    assert format_percent(D("0.9")) == "90.0%"
    assert format_percent(D("0.12345")) == "12.3%"
    assert format_percent(None) == "—"


@pytest.mark.django_db
def test_a_reason_longer_than_the_history_column_is_fitted(units, users):
    first17 = "91310117MA1J00001"
    enterprise = Enterprise.objects.create(
        name="松江测试机械有限公司", credit_code=first17 + check_character(first17), unit=units["310117001"]
    )
    reason = "理" * 138
    save_with_history(enterprise, actor=users[Role.DISTRICT_OFFICIAL], reason=reason, clean=False)
    latest = enterprise.history.first()
    assert len(latest.history_change_reason) == 100 and latest.history_change_reason.endswith("…")
    assert latest.history_user == users[Role.DISTRICT_OFFICIAL]
    assert fit_reason(Enterprise, "short") == "short"


def test_require_raises_the_predicates_reason_for_pages_and_services():
    require((True, ""))
    with pytest.raises(PermissionDenied) as refused:
        require((False, "Only the district decides."))
    # A service's refusal is a DomainError (API: 403 {code, message}) and Django's PermissionDenied (page: 403).
    assert isinstance(refused.value, DomainError) and isinstance(refused.value, DjangoPermissionDenied)
    assert refused.value.status == 403 and refused.value.message == "Only the district decides."


@pytest.mark.django_db
def test_who_reads_history(users):
    for role, user in users.items():
        assert can_see_history(user)[0] is (role in HISTORY_READERS)
