"""Assessment services: who enters what, drafts, and the enterprise's levels following the
authoritative evaluations whatever order they are entered in."""

import datetime

import pytest

from core.errors import Conflict, DomainError, PermissionDenied
from core.roles import Role
from diagnostics.models import Assessment, Option
from diagnostics.services.assessments import (
    AssessmentInputError,
    assessment_create,
    assessment_delete,
    assessment_submit,
    assessment_update,
)

from .assessment_helpers import CONTRACT_ANSWERS, CONTRACT_SCENES, FULL_ANSWERS, days, scenes_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(assessment_world):
    """This module's world: the assessment tests' (tests/diagnostics/conftest.py)."""
    return assessment_world


def enter(world, *, stage, level, on, method="onsite", submit=True, actor=None):
    return assessment_create(
        actor=actor or world["evaluator"],
        enterprise=world["ours"],
        stage=stage,
        method=method,
        evaluated_on=on,
        answers=FULL_ANSWERS,
        scenes=scenes_for(level),
        submit=submit,
    )


def levels(enterprise):
    enterprise.refresh_from_db()
    return enterprise.baseline_level, enterprise.current_level


def test_levels_follow_authoritative_evaluations_entered_out_of_order(world, users):
    ours = world["ours"]
    assert levels(ours) == (None, None)
    enter(world, stage="post", level=3, on=datetime.date(2025, 9, 1))
    assert levels(ours) == (None, 3)  # a post evaluation without a baseline yet
    enter(world, stage="baseline", level=1, on=datetime.date(2025, 1, 10))
    assert levels(ours) == (1, 3)
    enter(world, stage="baseline", level=0, on=datetime.date(2024, 11, 5))  # an older baseline entered later
    assert levels(ours) == (1, 3)
    enter(world, stage="post", level=2, on=datetime.date(2025, 6, 1))  # an earlier post: the latest still wins
    assert levels(ours) == (1, 3)
    enter(world, stage="post", level=4, on=datetime.date(2025, 9, 1))  # same day, entered last: wins on id
    assert levels(ours) == (1, 4)


def test_self_assessments_and_drafts_never_move_the_levels(world, users):
    ours = world["ours"]
    enter(world, stage="baseline", level=2, on=days(-30), method="self", actor=users[Role.UNIT_STAFF])
    draft = enter(world, stage="baseline", level=3, on=days(-20), submit=False)
    assert levels(ours) == (None, None)
    assessment_submit(actor=world["evaluator"], assessment=draft)
    assert levels(ours) == (3, 3)


def test_deleting_a_draft_recomputes_and_keeps_levels(world):
    enter(world, stage="baseline", level=2, on=days(-30))
    draft = enter(world, stage="post", level=4, on=days(-1), submit=False)
    assessment_delete(actor=world["evaluator"], assessment=draft)
    assert levels(world["ours"]) == (2, 2)
    assert not Assessment.objects.filter(pk=draft.pk).exists()


def test_a_submitted_assessment_cannot_change_or_go(world):
    done = enter(world, stage="baseline", level=2, on=days(-30))
    with pytest.raises(PermissionDenied):
        assessment_update(actor=world["evaluator"], assessment=done, note="later")
    with pytest.raises(Conflict):
        assessment_delete(actor=world["evaluator"], assessment=done)
    with pytest.raises(Conflict):
        assessment_submit(actor=world["evaluator"], assessment=done)


def test_dates_may_be_past_but_never_future(world):
    assert enter(world, stage="baseline", level=1, on=datetime.date(2024, 10, 2)).pk
    with pytest.raises(DomainError) as caught:
        enter(world, stage="baseline", level=1, on=days(1))
    assert caught.value.code == "date_in_future" and caught.value.field == "evaluated_on"


def test_unscorable_answers_name_each_code(world):
    with pytest.raises(AssessmentInputError) as caught:
        assessment_create(
            actor=world["evaluator"],
            enterprise=world["ours"],
            stage="baseline",
            method="onsite",
            evaluated_on=days(-1),
            answers={"network": [1, 9], "quality": "fine"},
            scenes={"marketing": 7},
            raw={"equipment_total": 0, "equipment_digitised": 1},
        )
    assert set(caught.value.errors) == {"network", "quality", "marketing", "equipment_total"}


def test_an_evaluator_enters_only_for_their_body_and_assigned_enterprises(world):
    with pytest.raises(PermissionDenied):
        assessment_create(
            actor=world["evaluator"],
            enterprise=world["theirs"],
            stage="baseline",
            method="onsite",
            evaluated_on=days(-1),
        )
    with pytest.raises(PermissionDenied):
        assessment_create(
            actor=world["evaluator"],
            enterprise=world["ours"],
            stage="baseline",
            method="onsite",
            evaluated_on=days(-1),
            evaluation_body=world["other_body"],
        )


def test_a_provider_edits_only_its_own_self_assessment_drafts(world, users, make_user):
    draft = enter(
        world, stage="baseline", level=1, on=days(-3), method="self", submit=False, actor=world["provider_user"]
    )
    assessment_update(actor=users[Role.UNIT_STAFF], assessment=draft, note="checked by the town")
    from providers.models import ProviderAssignment

    colleague = make_user(Role.PROVIDER_USER, username="second_provider_user")
    ProviderAssignment.objects.create(enterprise=world["ours"], provider=colleague.provider, assigned_on=days(-5))
    with pytest.raises(PermissionDenied):
        assessment_update(actor=colleague, assessment=draft, note="not ours")


def test_editing_the_index_never_changes_a_stored_result(world, users):
    stored = assessment_create(
        actor=world["evaluator"],
        enterprise=world["ours"],
        stage="baseline",
        method="onsite",
        evaluated_on=days(-2),
        answers=CONTRACT_ANSWERS,
        scenes=CONTRACT_SCENES,
        submit=True,
    )
    from diagnostics.services.index import option_update

    option = Option.objects.get(item__code="network", number=1)
    option_update(actor=users[Role.DISTRICT_OFFICIAL], option=option, label=option.label, points="1")
    stored.refresh_from_db()
    assert str(stored.score) == "43.6750" and stored.result["items"]["network"] == "4"
    # A draft, scored again on its next change, takes the corrected points.
    draft = assessment_create(
        actor=world["evaluator"],
        enterprise=world["ours"],
        stage="post",
        method="onsite",
        evaluated_on=days(-1),
        answers=CONTRACT_ANSWERS,
        scenes=CONTRACT_SCENES,
    )
    assert str(draft.score) == "42.6750"


def test_history_records_the_actor(world):
    done = enter(world, stage="baseline", level=2, on=days(-3))
    assert done.history.first().history_user == world["evaluator"]
    world["ours"].refresh_from_db()
    assert world["ours"].history.first().history_user == world["evaluator"]
