"""Pages of the financing list (金融清单): banks' products (everyone reads them) and the interest
subsidies granted (read by those who see money), with their forms and export."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _

from core.pages import saved_redirect
from core.permissions import require
from core.roles import role_of
from enterprises.selectors import enterprise_list

from .. import permissions, selectors
from ..exports import export_financing
from ..forms import (
    FinancialProductForm,
    InterestSubsidyForm,
)
from ..models import FinancialProduct
from ..services import financing

# --- financing (金融清单) ----------------------------------------------------------------------


@login_required
def financing_page(request):
    """The 金融清单: banks' products (everyone) and interest subsidies granted (those who see money)."""
    role = role_of(request.user)
    if role is None:
        raise PermissionDenied
    subsidies = selectors.interest_subsidy_list(viewer=request.user).order_by("-granted_on", "-pk")
    return render(
        request,
        "funding/financing.html",
        {
            "products": selectors.financial_product_list(viewer=request.user),
            "subsidies": subsidies,
            "sees_subsidies": permissions.can_see_subsidy_totals(request.user)[0],
            "can_edit": permissions.can_commit(request.user)[0],
            "can_export": permissions.can_see_subsidy_totals(request.user)[0],
        },
    )


@login_required
def financial_product_form(request, pk=None):
    require(permissions.can_commit(request.user))
    product = FinancialProduct.objects.filter(pk=pk).first() if pk else None
    if pk and product is None:
        raise Http404
    initial = {f: getattr(product, f) for f in FinancialProductForm.base_fields} if product else {"is_active": True}
    form = FinancialProductForm(request.POST or None, initial=initial)

    def save():
        if product:
            return financing.financial_product_update(actor=request.user, product=product, **form.cleaned_data)
        return financing.financial_product_create(actor=request.user, **form.cleaned_data)

    if done := saved_redirect(
        request, form, save, message=_("The financial product has been saved."), then="funding:financing"
    ):
        return done
    return render(request, "funding/financial_product_form.html", {"form": form, "product": product})


@login_required
def interest_subsidy_create(request):
    require(permissions.can_commit(request.user))
    form = InterestSubsidyForm(request.POST or None, enterprises=enterprise_list(viewer=request.user).order_by("name"))
    if done := saved_redirect(
        request,
        form,
        lambda: financing.interest_subsidy_grant(actor=request.user, **form.cleaned_data),
        message=_("The interest subsidy has been granted and committed."),
        then="funding:financing",
    ):
        return done
    return render(request, "funding/interest_subsidy_form.html", {"form": form})


@login_required
def financing_export(request):
    require(permissions.can_see_subsidy_totals(request.user))
    return export_financing(request)
