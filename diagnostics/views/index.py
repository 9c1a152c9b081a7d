"""Index pages: the editions with their dimensions, items, options and points, scenes and level rule
(every signed-in user reads them); the district corrects points, labels and the level rule."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from core.errors import DomainError
from core.pages import saved_redirect

from ..forms.index import LevelRuleForm, OptionForm
from ..models import IndexEdition, LevelRule, Option
from ..permissions import index as permissions
from ..selectors.index import edition_detail, edition_list
from ..services.index import level_rule_update, option_update


@login_required
def index_list(request):
    editions = list(edition_list())
    if len(editions) == 1:
        return redirect("diagnostics:index:detail", code=editions[0].code)
    return render(request, "diagnostics/index/list.html", {"editions": editions})


def _rule_forms(edition, data=None):
    return [
        (
            rule,
            LevelRuleForm(
                data,
                prefix=f"rule{rule.level}",
                initial={
                    "min_score": rule.min_score.normalize(),
                    "scene_level": rule.scene_level,
                    "min_scenes": rule.min_scenes,
                    "min_constraint_scenes": rule.min_constraint_scenes,
                },
            ),
        )
        for rule in edition.level_rules.order_by("-level")
    ]


@login_required
def index_detail(request, code):
    """One edition as data; the district may edit the level rule here and an option's points and label."""
    edition = get_object_or_404(IndexEdition, code=code)
    can_edit = permissions.can_edit_index(request.user)[0]
    rule_forms = _rule_forms(edition)
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        rule_forms = _rule_forms(edition, request.POST)
        if all(form.is_valid() for _rule, form in rule_forms):
            try:
                for rule, form in rule_forms:
                    level_rule_update(actor=request.user, rule=rule, **form.cleaned_data)
            except DomainError as exc:
                messages.error(request, exc.message)
            else:
                messages.success(request, _("The level rule has been saved."))
                return redirect("diagnostics:index:detail", code=edition.code)
    context = {
        "edition": edition,
        "can_edit": can_edit,
        "rule_forms": rule_forms,
        "rule_history": rule_history(edition),
        **edition_detail(edition),
    }
    return render(request, "diagnostics/index/detail.html", context)


@login_required
def index_option(request, pk):
    """Correct one option's points and label (district and admin); its history is listed below."""
    if not permissions.can_edit_index(request.user)[0]:
        raise PermissionDenied
    option = get_object_or_404(Option.objects.select_related("item__dimension__edition"), pk=pk)
    form = OptionForm(request.POST or None, initial={"label": option.label, "points": option.points.normalize()})
    if done := saved_redirect(
        request,
        form,
        lambda: option_update(actor=request.user, option=option, **form.cleaned_data),
        message=_("The option has been saved."),
        then=reverse("diagnostics:index:detail", args=[option.item.dimension.edition.code]),
    ):
        return done
    history = option.history.select_related("history_user").order_by("-history_date")[:20]
    return render(request, "diagnostics/index/option.html", {"option": option, "form": form, "history": history})


def rule_history(edition):
    return LevelRule.history.filter(edition_id=edition.pk).select_related("history_user").order_by("-history_date")[:20]
