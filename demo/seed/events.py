"""The demo's events for ``seed_demo``: four held in 2025 (a district training, a matchmaking event with three
providers, a street's site visit to a benchmark enterprise, a town's outreach), each with its invitations and
attendance and its sign-in sheet recorded, and two planned ones a few weeks ahead with their invitations.
Nothing when an event exists already (running the seed twice changes nothing)."""

import datetime
import itertools

from django.utils import timezone

from enterprises.choices import Status
from enterprises.models import Enterprise
from events import services
from events.models import Event
from providers.models import Provider

SURNAMES = "张王李赵刘陈杨黄周吴徐孙朱马胡郭林何高罗"
GIVEN = ("伟", "芳", "娜", "敏", "静", "磊", "洋", "勇", "艳", "杰", "军", "涛", "明", "超", "霞")
TITLES = ("总经理", "副总经理", "信息化主管", "生产经理", "IT 工程师", "财务总监")


def _moment(day, hour=9):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))


def _people():
    for n, (surname, given) in enumerate(itertools.product(SURNAMES, GIVEN)):
        yield surname + given, TITLES[n % len(TITLES)], f"139{n:08d}"


def _held(actor, enterprises, *, came, people, **fields):
    event = services.event_create(actor=actor, **fields)
    services.invitations_add(actor=actor, event=event, enterprises=enterprises)
    start = timezone.localtime(event.starts_at)
    for n, enterprise in enumerate(enterprises[:came]):
        name, title, phone = next(people)
        services.attendance_record(
            actor=actor,
            event=event,
            enterprise=enterprise,
            attendee_name=name,
            attendee_title=title,
            phone=phone,
            signed_in_at=start - datetime.timedelta(minutes=20 - n % 20),
        )
    services.sign_in_recorded(actor=actor, event=event)
    return event


def seed_events(*, district, unit_staff):
    if Event.objects.exists():
        return []
    active = Enterprise.objects.filter(status=Status.ACTIVE).order_by("pk")
    providers = list(Provider.objects.order_by("pk")[:3])
    people = _people()
    events = [
        _held(
            district,
            list(active[:30]),
            came=22,
            people=people,
            kind="training",
            title="中小企业数字化转型政策宣贯培训会",
            starts_at=_moment(datetime.date(2025, 3, 14), 14),
            place="松江区政府会议中心",
            topic="城市试点实施方案解读、诊断与改造流程、资金申报",
            capacity=120,
        ),
        _held(
            district,
            list(active.filter(sector="high_end_equipment")[:20]) or list(active[30:50]),
            came=15,
            people=people,
            kind="matchmaking",
            title="数字化转型供需对接会（高端装备专场）",
            starts_at=_moment(datetime.date(2025, 5, 20)),
            place="G60 科创走廊展示中心",
            topic="服务商“小快轻准”产品路演与需求对接",
            providers=providers,
            capacity=80,
        ),
    ]
    for code, kind, title, day, came in (
        ("310117001", "site_visit", "标杆企业现场观摩（智能工厂）", datetime.date(2025, 6, 12), 8),
        ("310117501", "outreach", "数字化转型进园区宣传活动", datetime.date(2025, 9, 5), 10),
    ):
        staff = next((u for u in unit_staff.values() if u.unit.code == code), None)
        if staff is None:
            continue
        own = list(active.filter(unit=staff.unit)[:12])
        events.append(
            _held(
                staff,
                own,
                came=min(came, len(own)),
                people=people,
                kind=kind,
                title=title,
                starts_at=_moment(day),
                place=f"{staff.unit.name}",
                capacity=40,
            )
        )
    soon = timezone.localdate() + datetime.timedelta(days=14)
    planned = services.event_create(
        actor=district,
        kind="training",
        title="数字化改造项目验收与资金拨付培训",
        starts_at=_moment(soon, 14),
        place="松江区政府会议中心",
        topic="验收材料、第三方评估、资金拨付流程",
        providers=providers[:1],
        capacity=100,
    )
    services.invitations_add(actor=district, event=planned, enterprises=list(active[:40]))
    events.append(planned)
    staff = next((u for u in unit_staff.values() if u.unit.code == "310117001"), None)
    if staff is not None:
        later = services.event_create(
            actor=staff,
            kind="outreach",
            title="岳阳街道数字化转型政策进企业",
            starts_at=_moment(soon + datetime.timedelta(days=7)),
            place="岳阳街道社区服务中心",
            capacity=30,
        )
        services.invitations_add(actor=staff, event=later, enterprises=list(active.filter(unit=staff.unit)[:15]))
        events.append(later)
    return events
