"""The report workflow through its services: states, who may move them, dates, versions and
snapshots, supersession, content rules and the evidence checklist."""

from decimal import Decimal

import pytest

from core.errors import Conflict, DomainError, PermissionDenied
from core.roles import Role
from diagnostics.models import Diagnosis, DiagnosisTransition
from diagnostics.selectors.diagnoses import diagnosis_checklist, software_share
from diagnostics.services.diagnoses import (
    AnswersError,
    diagnosis_accept,
    diagnosis_attach_signed_pdf,
    diagnosis_create,
    diagnosis_return,
    diagnosis_submit,
    diagnosis_update,
)
from providers.models import ProviderAssignment
from tests.factories import EnterpriseFactory

from .diagnosis_helpers import ALL_SCENES, FULL_ANSWERS, complete_content, days, pdf_upload, today

pytestmark = pytest.mark.django_db


def draft(world, actor=None, enterprise=None):
    return diagnosis_create(
        actor=actor or world["provider_user"], enterprise=enterprise or world["ours"], provider=world["provider"]
    )


# --- creating ----------------------------------------------------------------------------------


def test_a_provider_drafts_a_report_for_an_assigned_enterprise(world):
    report = draft(world)
    assert report.status == "draft" and report.version == 1 and report.edition.is_current
    step = report.transitions.get()
    assert (step.action, step.from_status, step.to_status, step.actor, step.date) == (
        "create",
        "",
        "draft",
        world["provider_user"],
        today(),
    )


def test_a_provider_cannot_draft_for_an_enterprise_not_assigned_to_it(world):
    with pytest.raises(PermissionDenied) as exc:
        draft(world, enterprise=world["unassigned"])
    assert exc.value.code == "not_assigned"


def test_a_provider_cannot_draft_in_another_providers_name(world):
    with pytest.raises(PermissionDenied):
        diagnosis_create(actor=world["provider_user"], enterprise=world["ours"], provider=world["other_provider"])


@pytest.mark.parametrize("role", [Role.UNIT_STAFF, Role.EVALUATOR, Role.FINANCE_OFFICER, Role.AUDITOR])
def test_other_roles_cannot_draft(world, users, role):
    with pytest.raises(PermissionDenied):
        diagnosis_create(actor=users[role], enterprise=world["ours"], provider=world["provider"])


@pytest.mark.parametrize("role", [Role.DISTRICT_OFFICIAL, Role.ADMIN])
def test_the_district_drafts_for_any_provider_and_enterprise(world, users, role):
    report = diagnosis_create(actor=users[role], enterprise=world["unassigned"], provider=world["other_provider"])
    assert report.provider == world["other_provider"]


def test_one_open_report_per_enterprise_and_provider(world, users):
    first = draft(world)
    with pytest.raises(Conflict) as exc:
        draft(world)
    assert exc.value.code == "open_report_exists"
    # another provider may diagnose the same enterprise
    ProviderAssignment.objects.create(enterprise=world["ours"], provider=world["other_provider"], assigned_on=today())
    diagnosis_create(actor=world["other_provider_user"], enterprise=world["ours"], provider=world["other_provider"])
    # once accepted, a new report may be opened
    diagnosis_submit(actor=world["provider_user"], diagnosis=first)
    diagnosis_accept(actor=users[Role.DISTRICT_OFFICIAL], diagnosis=first)
    assert draft(world).status == "draft"


def test_a_declined_enterprise_gets_no_report_but_a_withdrawn_ones_history_can_be_entered(world, users, units):
    declined = EnterpriseFactory(unit=units["310117001"], status="declined")
    with pytest.raises(Conflict):
        diagnosis_create(actor=users[Role.DISTRICT_OFFICIAL], enterprise=declined, provider=world["provider"])
    withdrawn = EnterpriseFactory(unit=units["310117001"], status="withdrawn")
    report = diagnosis_create(
        actor=users[Role.DISTRICT_OFFICIAL], enterprise=withdrawn, provider=world["provider"], date=days(-300)
    )
    assert report.transitions.get().date == days(-300)


# --- transitions: states and roles -------------------------------------------------------------


def test_the_whole_round_trip_with_one_return(world, users):
    district = users[Role.DISTRICT_OFFICIAL]
    report = draft(world)
    diagnosis_update(actor=world["provider_user"], diagnosis=report, **complete_content())
    report = diagnosis_submit(actor=world["provider_user"], diagnosis=report, date=days(-10))
    assert (report.status, report.version, report.submitted_on, report.last_submitted_on) == (
        "submitted",
        1,
        days(-10),
        days(-10),
    )
    report = diagnosis_return(actor=district, diagnosis=report, reason="痛点描述不具体", date=days(-8))
    assert (report.status, report.return_count) == ("returned", 1)
    report = diagnosis_update(actor=world["provider_user"], diagnosis=report, summary="补充了痛点分析。")
    report = diagnosis_submit(actor=world["provider_user"], diagnosis=report, date=days(-5))
    assert (report.version, report.submitted_on, report.last_submitted_on) == (2, days(-10), days(-5))
    report = diagnosis_accept(actor=district, diagnosis=report, date=days(-1))
    assert (report.status, report.is_current, report.accepted_on) == ("accepted", True, days(-1))
    steps = list(report.transitions.order_by("recorded_at", "pk").values_list("action", "actor__username", "reason"))
    assert steps == [
        ("create", "provider_user", ""),
        ("submit", "provider_user", ""),
        ("return", "district_user", "痛点描述不具体"),
        ("submit", "provider_user", ""),
        ("accept", "district_user", ""),
    ]


def test_each_submission_keeps_a_snapshot_of_that_version(world, users):
    report = draft(world)
    diagnosis_update(actor=world["provider_user"], diagnosis=report, summary="第一版")
    diagnosis_submit(actor=world["provider_user"], diagnosis=report)
    diagnosis_return(actor=users[Role.DISTRICT_OFFICIAL], diagnosis=report, reason="请补充")
    diagnosis_update(actor=world["provider_user"], diagnosis=report, summary="第二版", proposed_cost="1000")
    diagnosis_submit(actor=world["provider_user"], diagnosis=report)
    snapshots = [t.snapshot for t in report.transitions.filter(action="submit").order_by("pk")]
    assert [(s["version"], s["summary"], s["proposed_cost"]) for s in snapshots] == [
        (1, "第一版", None),
        (2, "第二版", "1000.00"),
    ]
    assert report.transitions.filter(action="create").get().snapshot is None


@pytest.mark.parametrize(
    ("state", "action"),
    [
        ("draft", "accept"),
        ("draft", "return"),
        ("returned", "accept"),
        ("returned", "return"),
        ("submitted", "submit"),
        ("accepted", "submit"),
        ("accepted", "accept"),
        ("accepted", "return"),
    ],
)
def test_a_step_the_state_does_not_allow_is_a_conflict(world, users, state, action):
    admin = users[Role.ADMIN]
    report = draft(world)
    if state in ("submitted", "returned", "accepted"):
        diagnosis_submit(actor=admin, diagnosis=report)
    if state == "returned":
        diagnosis_return(actor=admin, diagnosis=report, reason="x")
    if state == "accepted":
        diagnosis_accept(actor=admin, diagnosis=report)
    report.refresh_from_db()
    step = {
        "submit": lambda: diagnosis_submit(actor=admin, diagnosis=report),
        "accept": lambda: diagnosis_accept(actor=admin, diagnosis=report),
        "return": lambda: diagnosis_return(actor=admin, diagnosis=report, reason="x"),
    }[action]
    with pytest.raises(Conflict) as exc:
        step()
    assert exc.value.status == 409 and exc.value.message
    report.refresh_from_db()
    assert report.status == state


def test_content_can_change_only_in_draft_or_returned(world, users):
    report = draft(world)
    diagnosis_submit(actor=world["provider_user"], diagnosis=report)
    with pytest.raises(Conflict):
        diagnosis_update(actor=world["provider_user"], diagnosis=report, summary="改")
    with pytest.raises(Conflict):
        diagnosis_update(actor=users[Role.ADMIN], diagnosis=report, summary="改")


@pytest.mark.parametrize("role", [Role.UNIT_STAFF, Role.EVALUATOR, Role.FINANCE_OFFICER, Role.AUDITOR])
def test_other_roles_move_nothing(world, users, role):
    report = draft(world)
    actor = users[role]
    with pytest.raises(PermissionDenied):
        diagnosis_update(actor=actor, diagnosis=report, summary="x")
    with pytest.raises(PermissionDenied):
        diagnosis_submit(actor=actor, diagnosis=report)
    diagnosis_submit(actor=world["provider_user"], diagnosis=report)
    with pytest.raises(PermissionDenied):
        diagnosis_accept(actor=actor, diagnosis=report)
    with pytest.raises(PermissionDenied):
        diagnosis_return(actor=actor, diagnosis=report, reason="x")


def test_a_provider_cannot_review_and_another_provider_cannot_touch(world):
    report = draft(world)
    with pytest.raises(PermissionDenied):
        diagnosis_update(actor=world["other_provider_user"], diagnosis=report, summary="x")
    diagnosis_submit(actor=world["provider_user"], diagnosis=report)
    with pytest.raises(PermissionDenied):
        diagnosis_accept(actor=world["provider_user"], diagnosis=report)
    with pytest.raises(PermissionDenied):
        diagnosis_return(actor=world["provider_user"], diagnosis=report, reason="x")


def test_the_wrong_role_is_refused_before_the_state_is_looked_at(world, users):
    report = draft(world)  # a draft cannot be accepted by anyone; a unit clerk is told it is not theirs
    with pytest.raises(PermissionDenied):
        diagnosis_accept(actor=users[Role.UNIT_STAFF], diagnosis=report)


def test_admin_performs_every_step(world, users):
    admin = users[Role.ADMIN]
    report = diagnosis_create(actor=admin, enterprise=world["ours"], provider=world["provider"])
    diagnosis_update(actor=admin, diagnosis=report, summary="管理员录入")
    diagnosis_submit(actor=admin, diagnosis=report)
    diagnosis_return(actor=admin, diagnosis=report, reason="x")
    diagnosis_submit(actor=admin, diagnosis=report)
    assert diagnosis_accept(actor=admin, diagnosis=report).status == "accepted"


def test_returning_needs_a_reason(world, users):
    report = draft(world)
    diagnosis_submit(actor=world["provider_user"], diagnosis=report)
    with pytest.raises(DomainError) as exc:
        diagnosis_return(actor=users[Role.DISTRICT_OFFICIAL], diagnosis=report, reason="  ")
    assert exc.value.field == "reason"


def test_dates_may_be_past_but_never_future(world, users):
    report = draft(world)
    with pytest.raises(DomainError) as exc:
        diagnosis_submit(actor=world["provider_user"], diagnosis=report, date=days(1))
    assert exc.value.code == "date_in_future"
    report.refresh_from_db()
    assert report.status == "draft" and not report.transitions.filter(action="submit").exists()
    diagnosis_submit(actor=world["provider_user"], diagnosis=report, date=days(-400))
    with pytest.raises(DomainError):
        diagnosis_accept(actor=users[Role.DISTRICT_OFFICIAL], diagnosis=report, date=days(2))
    # no rule compares dates across transitions: an acceptance dated before the submission is entered
    accepted = diagnosis_accept(actor=users[Role.DISTRICT_OFFICIAL], diagnosis=report, date=days(-500))
    assert accepted.accepted_on == days(-500)


# --- supersession ------------------------------------------------------------------------------


def test_a_later_accepted_report_supersedes_the_current_one(world, users):
    district = users[Role.DISTRICT_OFFICIAL]
    first = draft(world)
    diagnosis_submit(actor=world["provider_user"], diagnosis=first)
    diagnosis_accept(actor=district, diagnosis=first, date=days(-30))
    second = draft(world)
    diagnosis_submit(actor=world["provider_user"], diagnosis=second)
    diagnosis_accept(actor=district, diagnosis=second)
    first.refresh_from_db()
    assert (first.status, first.is_current) == ("accepted", False)
    assert Diagnosis.objects.get(enterprise=world["ours"], is_current=True) == second
    step = first.transitions.get(action="supersede")
    assert step.actor == district and str(second.pk) in step.reason
    assert Diagnosis.objects.filter(enterprise=world["ours"]).count() == 2


# --- content -----------------------------------------------------------------------------------


def test_answers_are_scored_and_stored_with_the_result(world):
    report = draft(world)
    report = diagnosis_update(actor=world["provider_user"], diagnosis=report, answers=FULL_ANSWERS, scenes=ALL_SCENES)
    assert str(report.score) == "43.6750" and report.level == 0
    assert report.result["score"] == "43.675" and report.result["scenes_at_or_above"]["1"] == 2
    cleared = diagnosis_update(actor=world["provider_user"], diagnosis=report, answers={}, scenes={})
    assert cleared.score is None and cleared.level is None and cleared.result == {}


def test_unscorable_answers_name_each_offending_code(world):
    report = draft(world)
    with pytest.raises(AnswersError) as exc:
        diagnosis_update(
            actor=world["provider_user"],
            diagnosis=report,
            answers={"network": [9], "nonsense": 1},
            scenes={"marketing": 7},
        )
    body = exc.value.as_dict()
    assert set(body["errors"]) == {"network", "nonsense", "marketing"}
    report.refresh_from_db()
    assert report.answers == {}


def test_target_scenes_are_stored_constraint_scenes_first(world):
    report = draft(world)
    report = diagnosis_update(
        actor=world["provider_user"],
        diagnosis=report,
        target_scenes=["decision_support", "after_sales", "finance", "product_design", "finance"],
    )
    assert report.target_scenes == ["product_design", "finance", "after_sales", "decision_support"]
    with pytest.raises(DomainError) as exc:
        diagnosis_update(actor=world["provider_user"], diagnosis=report, target_scenes=["teleportation"])
    assert exc.value.field == "target_scenes"


def test_target_level_lies_between_the_baseline_level_and_4(world):
    report = draft(world)
    strong = dict.fromkeys(
        [c for c in ALL_SCENES if c not in ("decision_support", "collaboration", "human_resources")], 2
    )
    answers = FULL_ANSWERS | {"information_systems": 4, "planning": 5, "equipment_digitised_rate": 80.0}
    report = diagnosis_update(actor=world["provider_user"], diagnosis=report, answers=answers, scenes=strong)
    assert report.level >= 1
    with pytest.raises(DomainError) as exc:
        diagnosis_update(actor=world["provider_user"], diagnosis=report, target_level=report.level - 1 or None)
    if report.level > 1:
        assert exc.value.code == "target_below_baseline"
    with pytest.raises(DomainError):
        diagnosis_update(actor=world["provider_user"], diagnosis=report, target_level=5)
    assert diagnosis_update(actor=world["provider_user"], diagnosis=report, target_level=4).target_level == 4


def test_software_cost_cannot_exceed_the_proposed_cost_and_its_share_is_computed(world):
    report = draft(world)
    with pytest.raises(DomainError) as exc:
        diagnosis_update(actor=world["provider_user"], diagnosis=report, proposed_cost="100", software_cost="200")
    assert exc.value.field == "software_cost"
    report = diagnosis_update(
        actor=world["provider_user"], diagnosis=report, proposed_cost="500000", software_cost="300000"
    )
    assert software_share(report) == Decimal("0.6")
    with pytest.raises(DomainError):
        diagnosis_update(actor=world["provider_user"], diagnosis=report, proposed_cost="-1")


def test_recommended_products_are_recognised_ones_or_the_providers_own(world):
    report = draft(world)
    report = diagnosis_update(
        actor=world["provider_user"],
        diagnosis=report,
        recommended_products=[world["recognised"].pk, world["own_product"].pk],
    )
    assert set(report.recommended_products.all()) == {world["recognised"], world["own_product"]}
    with pytest.raises(DomainError) as exc:
        diagnosis_update(
            actor=world["provider_user"], diagnosis=report, recommended_products=[world["foreign_unrecognised"].pk]
        )
    assert exc.value.code == "product_not_recognised"
    with pytest.raises(DomainError):
        diagnosis_update(actor=world["provider_user"], diagnosis=report, recommended_products=[999999])


def test_pain_points_take_known_scenes_and_drop_blank_ones(world):
    report = draft(world)
    report = diagnosis_update(
        actor=world["provider_user"], diagnosis=report, pain_points={"marketing": " 客户分散 ", "finance": "  "}
    )
    assert report.pain_points == {"marketing": "客户分散"}
    with pytest.raises(DomainError):
        diagnosis_update(actor=world["provider_user"], diagnosis=report, pain_points={"moon": "x"})


def test_diagnosed_on_is_never_in_the_future(world):
    report = draft(world)
    with pytest.raises(DomainError) as exc:
        diagnosis_update(actor=world["provider_user"], diagnosis=report, diagnosed_on=days(1))
    assert exc.value.field == "diagnosed_on"


def test_unknown_fields_are_refused(world):
    with pytest.raises(DomainError):
        diagnosis_update(actor=world["provider_user"], diagnosis=draft(world), status="accepted")


# --- checklist ---------------------------------------------------------------------------------


def test_the_checklist_shows_what_is_missing_without_blocking(world, users):
    report = draft(world)
    assert [c.code for c in diagnosis_checklist(report) if not c.ok] == [
        "signed_pdf",
        "answers",
        "scenes",
        "pain_points",
        "target",
        "proposal",
    ]
    report = diagnosis_update(actor=world["provider_user"], diagnosis=report, **complete_content())
    assert [c.code for c in diagnosis_checklist(report) if not c.ok] == ["signed_pdf"]
    diagnosis_attach_signed_pdf(actor=world["provider_user"], diagnosis=report, upload=pdf_upload())
    report = Diagnosis.objects.get(pk=report.pk)
    assert all(c.ok for c in diagnosis_checklist(report))
    # a pain point missing for a target scene shows again
    report = diagnosis_update(
        actor=world["provider_user"], diagnosis=report, target_scenes=["after_sales", "production_control", "finance"]
    )
    assert [c.code for c in diagnosis_checklist(report) if not c.ok] == ["pain_points"]


def test_an_incomplete_report_can_still_be_submitted_and_accepted(world, users):
    report = draft(world)
    diagnosis_submit(actor=world["provider_user"], diagnosis=report)
    assert diagnosis_accept(actor=users[Role.DISTRICT_OFFICIAL], diagnosis=report).status == "accepted"


def test_history_records_the_actor(world):
    report = draft(world)
    diagnosis_update(actor=world["provider_user"], diagnosis=report, summary="记录")
    assert report.history.first().history_user == world["provider_user"]
    assert DiagnosisTransition.objects.filter(diagnosis=report).count() == 1
