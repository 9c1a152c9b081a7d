"""The shared pieces later pages build on: the money field, the record picker, query parameters."""

from decimal import Decimal

import pytest
from django import forms
from django.core.exceptions import BadRequest
from django.urls import reverse
from django.utils import translation

from core.errors import DomainError
from core.forms import MoneyField, RecordField
from core.money import Sign
from core.params import MAX_ID, IdParam, OrderingParam, QueryError, QueryForm
from enterprises.models import Enterprise


class PaymentForm(forms.Form):
    amount = MoneyField(label="Amount", sign=Sign.POSITIVE)
    budget = MoneyField(label="Budget", required=False)


def test_the_money_field_reads_amounts_as_the_services_do():
    form = PaymentForm({"amount": "1,200,000.50", "budget": "0"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data == {"amount": Decimal("1200000.50"), "budget": Decimal("0.00")}


@pytest.mark.parametrize("value", ["0", "-1", "1.005", "¥100", "１００", "1e3"])
def test_the_money_field_refuses_what_the_services_refuse(value):
    with translation.override("en"):
        form = PaymentForm({"amount": value})
        assert not form.is_valid()
        assert form.errors["amount"]


def test_the_money_field_shows_its_unit_and_an_echo_in_yuan_and_wan():
    with translation.override("zh-hans"):
        html = str(PaymentForm()["amount"])
    assert "data-money" in html and 'data-money-echo="id_amount-echo"' in html
    assert 'id="id_amount-echo"' in html and "元" in html and 'inputmode="decimal"' in html


@pytest.mark.django_db
def test_a_record_field_with_a_picker_suggests_and_never_shows_an_id():
    class ChooseForm(forms.Form):
        enterprise = RecordField(label="Enterprise", queryset=Enterprise.objects.all(), picker="enterprise")

    html = str(ChooseForm()["enterprise"])
    assert f'data-picker="{reverse("core:pick", args=["enterprise"])}"' in html
    assert 'list="id_enterprise-options"' in html and '<datalist id="id_enterprise-options">' in html
    assert "<select" not in html


class ListQuery(QueryForm):
    provider = IdParam()
    ordering = OrderingParam(["name", "-name", "credit_code"])


def test_query_parameters_default_and_read():
    assert ListQuery.read({}) == {"page": 1, "provider": None, "ordering": "name"}
    assert ListQuery.read({"page": "3", "provider": str(MAX_ID), "ordering": "-name"}) == {
        "page": 3,
        "provider": MAX_ID,
        "ordering": "-name",
    }


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"page": "0"}, "page"),
        ({"page": "abc"}, "page"),
        ({"page": "99999999999"}, "page"),
        ({"provider": str(MAX_ID + 1)}, "provider"),
        ({"provider": "-4"}, "provider"),
        ({"ordering": "password"}, "ordering"),
    ],
)
def test_query_parameters_out_of_range_are_a_400_for_pages_and_the_api(query, field):
    with translation.override("en"), pytest.raises(QueryError) as refused:
        ListQuery.read(query)
    error = refused.value
    # Django answers BadRequest with 400 on a page; the API's handler answers a DomainError with its status.
    assert isinstance(error, BadRequest) and isinstance(error, DomainError)
    assert error.status == 400 and error.field == field and field in error.message
