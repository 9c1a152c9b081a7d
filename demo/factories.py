"""The factory_boy factories of the demo data: enterprises, providers and evaluation bodies, shared by
``seed_demo``, the scale generator (``demo.scale``) and the tests (``tests/factories.py`` re-exports them).

Names, codes and figures are drawn from ``factory.random`` so that a reseeded run gives the
same data every time (``seed_demo`` is deterministic). The product never imports this module.
"""

import datetime
from decimal import Decimal

import factory
from factory import fuzzy

from core import credit_code as cc
from core.models import OrgUnit
from enterprises.choices import Scale, Sector, Size, Status, Tier
from enterprises.models import Enterprise
from providers.choices import ProviderType
from providers.models import EvaluationBody, Provider

DEFAULT_PASSWORD = "Songjiang-demo-2025"  # noqa: S105 - printed demo password, documented in the README

BRANDS = [
    "华程",
    "精锐",
    "恒通",
    "沪松",
    "九科",
    "天宇",
    "东昇",
    "泰和",
    "锦辉",
    "博创",
    "新锐",
    "申茂",
    "佘峰",
    "瑞丰",
    "联拓",
    "宏达",
    "启明",
    "卓越",
    "汇鑫",
    "鼎力",
    "凯捷",
    "盛邦",
    "永固",
    "信诚",
    "安川",
    "远航",
    "蓝海",
    "云泽",
    "智联",
    "伟业",
    "中科",
    "正泰",
    "美驰",
    "亚通",
    "欧迈",
    "协力",
    "合众",
    "嘉禾",
    "昊天",
    "晨光",
]
SECTOR_WORDS = {
    Sector.HIGH_END_EQUIPMENT: ("精密机械", "智能装备", "数控机床", "液压设备", "自动化设备", "工业机器人"),
    Sector.AUTO_PARTS: ("汽车零部件", "汽车电子", "车身部件", "传动系统", "汽配制造", "制动系统"),
    Sector.ELECTRONICS: ("电子科技", "电子元器件", "半导体", "电路板", "光电科技", "传感技术"),
    Sector.OTHER: ("新材料", "包装科技", "塑胶制品", "金属制品"),
}
PRODUCTS = {
    Sector.HIGH_END_EQUIPMENT: ("数控加工中心", "精密减速机", "液压泵阀", "自动化产线"),
    Sector.AUTO_PARTS: ("汽车线束", "制动卡钳", "座椅骨架", "车灯总成"),
    Sector.ELECTRONICS: ("印制电路板", "连接器", "功率模块", "传感器"),
    Sector.OTHER: ("改性塑料", "金属冲压件", "包装材料"),
}
SURNAMES = [
    "王",
    "李",
    "张",
    "刘",
    "陈",
    "杨",
    "黄",
    "赵",
    "周",
    "吴",
    "徐",
    "孙",
    "朱",
    "马",
    "胡",
    "郭",
    "林",
    "何",
    "高",
    "沈",
    "顾",
    "陆",
    "钱",
    "姚",
]
GIVEN = [
    "伟",
    "芳",
    "敏",
    "静",
    "丽",
    "强",
    "磊",
    "军",
    "洋",
    "勇",
    "艳",
    "杰",
    "娟",
    "涛",
    "明",
    "超",
    "秀",
    "霞",
    "平",
    "刚",
    "华",
    "丹",
    "萍",
    "斌",
]


def make_credit_code(seq, division="310117"):
    """A valid credit code for a company (91…) in ``division``, unique per ``seq``."""
    body = ""
    n = seq * 7919 + 104729  # spread the organisation codes
    for _ in range(9):
        body = cc.ALPHABET[n % 31] + body
        n //= 31
    first17 = "91" + division + body
    return first17 + cc.check_character(first17)


def person_name(rnd):
    return rnd.choice(SURNAMES) + rnd.choice(GIVEN) + (rnd.choice(GIVEN) if rnd.random() < 0.6 else "")


class EnterpriseFactory(factory.django.DjangoModelFactory):
    """A plausible Songjiang manufacturer; pass ``unit`` or one is chosen."""

    class Meta:
        model = Enterprise
        skip_postgeneration_save = True

    credit_code = factory.Sequence(make_credit_code)
    sector = fuzzy.FuzzyChoice([Sector.HIGH_END_EQUIPMENT, Sector.AUTO_PARTS, Sector.ELECTRONICS])
    name = factory.LazyAttributeSequence(
        lambda o, n: "上海{brand}{word}有限公司".format(
            brand=BRANDS[n % len(BRANDS)] + ("" if n < len(BRANDS) else BRANDS[(n // len(BRANDS)) % len(BRANDS)]),
            word=SECTOR_WORDS[o.sector][n % len(SECTOR_WORDS[o.sector])],
        )
    )
    unit = factory.LazyFunction(lambda: factory.random.randgen.choice(list(OrgUnit.objects.exclude(parent=None))))
    scale = Scale.ABOVE
    size = fuzzy.FuzzyChoice([Size.MEDIUM, Size.SMALL, Size.SMALL, Size.MICRO])
    tier = Tier.NONE
    status = Status.ACTIVE
    pilot_year = 2025
    pilot_batch = "第一批"
    contact_name = factory.LazyFunction(lambda: person_name(factory.random.randgen))
    contact_phone = factory.Sequence(lambda n: f"139{(n * 7477) % 100000000:08d}")
    registered_address = factory.LazyAttribute(
        lambda o: f"上海市松江区{o.unit.short_name}工业路{(len(o.name) * 37) % 900 + 1}号"
    )
    main_products = factory.LazyAttribute(lambda o: "、".join(PRODUCTS[o.sector][:2]))
    founded_on = factory.LazyFunction(
        lambda: datetime.date(1995, 1, 1) + datetime.timedelta(days=factory.random.randgen.randint(0, 9000))
    )
    stats_year = 2024
    employees = factory.LazyFunction(lambda: factory.random.randgen.randint(20, 480))
    employees_previous = factory.LazyAttribute(lambda o: max(10, o.employees - factory.random.randgen.randint(-20, 30)))
    revenue = factory.LazyFunction(lambda: Decimal(factory.random.randgen.randint(2000, 60000)))
    revenue_previous = factory.LazyAttribute(lambda o: (o.revenue * Decimal("0.92")).quantize(Decimal("0.01")))


PROVIDER_NAMES = [
    "上海宝信软件股份有限公司",
    "上海用友数智科技有限公司",
    "上海金蝶云科技有限公司",
    "上海鼎捷数智软件有限公司",
    "上海树根互联技术有限公司",
    "上海徐工汉云工业互联网有限公司",
    "上海卡奥斯工业智能科技有限公司",
    "上海黑湖智造科技有限公司",
    "上海新核云数字科技有限公司",
    "上海松江智造服务有限公司",
]
BODY_NAMES = ["上海市信息化发展研究协会评测中心", "中国电子技术标准化研究院上海分院", "上海质量管理科学研究院评估中心"]


class ProviderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Provider

    credit_code = factory.Sequence(lambda n: make_credit_code(900000 + n, division="310000"))
    name = factory.Sequence(
        lambda n: PROVIDER_NAMES[n % len(PROVIDER_NAMES)] + ("" if n < len(PROVIDER_NAMES) else f"（{n}）")
    )
    type = factory.Sequence(lambda n: ProviderType.COMPREHENSIVE if n % 3 else ProviderType.SPECIALISED)


class EvaluationBodyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EvaluationBody

    credit_code = factory.Sequence(lambda n: make_credit_code(950000 + n, division="310000"))
    name = factory.Sequence(lambda n: BODY_NAMES[n % len(BODY_NAMES)] + ("" if n < len(BODY_NAMES) else f"（{n}）"))
