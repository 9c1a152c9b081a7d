"""Queues that respect the registry: a declined, withdrawn or merged enterprise leaves every to-do list and
queue; a draft is continued rather than started again; cut-off home lists say so."""

import datetime

import pytest
from django.urls import reverse

from core.roles import Role
from diagnostics.choices import AssessmentStatus, DiagnosisStatus, Method, Stage
from diagnostics.models import Assessment, Deadline, Diagnosis, IndexEdition
from diagnostics.selectors.assessments import evaluator_worklist
from diagnostics.selectors.diagnoses import evaluations_due, review_queue, todo_lists, unreported_assignments
from enterprises.models import Enterprise
from providers.models import EvaluatorAssignment, ProviderAssignment
from songjiang_pilot.home import ASSIGNMENTS_SHOWN, home_context
from tests.factories import EnterpriseFactory, EvaluationBodyFactory, ProviderFactory

pytestmark = pytest.mark.django_db
PAST = datetime.date(2025, 4, 1)


def _report(enterprise, provider, status):
    return Diagnosis.objects.create(
        enterprise=enterprise, provider=provider, edition=IndexEdition.objects.get(code="2024"), status=status
    )


@pytest.mark.parametrize("status", ["withdrawn", "declined", "merged"])
def test_an_enterprise_out_of_the_programme_leaves_every_queue(users, make_user, status):
    provider, body = ProviderFactory(), EvaluationBodyFactory()
    stays, leaves = EnterpriseFactory(status="active"), EnterpriseFactory(status="active")
    for e in (stays, leaves):
        ProviderAssignment.objects.create(enterprise=e, provider=provider, assigned_on=PAST)
        EvaluatorAssignment.objects.create(enterprise=e, evaluation_body=body, assigned_on=PAST)
        Deadline.objects.create(enterprise=e, kind="evaluation", due_on=PAST)
        _report(e, provider, DiagnosisStatus.SUBMITTED)
    other_provider = ProviderFactory()
    for e in (stays, leaves):
        ProviderAssignment.objects.create(enterprise=e, provider=other_provider, assigned_on=PAST)
        _report(e, other_provider, DiagnosisStatus.DRAFT)
    Enterprise.objects.filter(pk=leaves.pk).update(status=status)
    district = users[Role.DISTRICT_OFFICIAL]
    assert [d.enterprise_id for d in review_queue(viewer=district)] == [stays.pk]
    evaluator = make_user(Role.EVALUATOR, evaluation_body=body)
    assert [a.enterprise_id for a in evaluations_due(viewer=evaluator, evaluation_body=body)] == [stays.pk]
    assert [r["enterprise"].pk for r in evaluator_worklist(viewer=evaluator, evaluation_body=body)] == [stays.pk]
    provider_user = make_user(Role.PROVIDER_USER, provider=other_provider)
    drafts = next(t for t in todo_lists(provider_user) if t.key == "drafts")
    assert [d.enterprise_id for d in drafts.rows] == [stays.pk]
    overdue = next(t for t in todo_lists(district) if t.key == "overdue")
    assert [d.enterprise_id for d in overdue.rows] == [stays.pk]
    third = ProviderFactory()
    for e in (stays, leaves):
        ProviderAssignment.objects.create(enterprise=e, provider=third, assigned_on=PAST)
    assert [a.enterprise_id for a in unreported_assignments(viewer=district, provider=third)] == [stays.pk]
    home = home_context(make_user(Role.PROVIDER_USER, provider=third))
    assert [a.enterprise_id for a in home["assignments"]] == [stays.pk]


def test_the_evaluators_due_list_continues_a_draft_instead_of_starting_another(users, make_user):
    body = EvaluationBodyFactory()
    e = EnterpriseFactory(status="active")
    EvaluatorAssignment.objects.create(enterprise=e, evaluation_body=body, assigned_on=PAST)
    Deadline.objects.create(enterprise=e, kind="evaluation", due_on=datetime.date(2026, 12, 31))
    evaluator = make_user(Role.EVALUATOR, evaluation_body=body)
    assert evaluations_due(viewer=evaluator, evaluation_body=body).get().draft_pk is None
    draft = Assessment.objects.create(
        enterprise=e,
        edition=IndexEdition.objects.get(code="2024"),
        stage=Stage.BASELINE,
        method=Method.ONSITE,
        status=AssessmentStatus.DRAFT,
        evaluated_on=PAST,
        evaluation_body=body,
    )
    assert evaluations_due(viewer=evaluator, evaluation_body=body).get().draft_pk == draft.pk
    assert evaluator_worklist(viewer=evaluator, evaluation_body=body)[0]["continue_draft"] == draft


def test_a_cut_off_home_list_says_showing_n_of_m_and_links_the_full_list(client, make_user):
    provider = ProviderFactory()
    user = make_user(Role.PROVIDER_USER, provider=provider)
    for _i in range(ASSIGNMENTS_SHOWN + 2):
        ProviderAssignment.objects.create(
            enterprise=EnterpriseFactory(status="active"), provider=provider, assigned_on=PAST
        )
    client.force_login(user)
    body = client.get("/").content.decode()
    assert "assignments-cut-off" in body
    assert f"{ASSIGNMENTS_SHOWN}" in body and f"{ASSIGNMENTS_SHOWN + 2}" in body
    assert reverse("diagnostics:diagnoses:work_queue") in body.split("assignments-cut-off", 1)[1]
