"""Factories for providers and evaluation bodies (tests, seed_demo, the scale generator)."""

import factory

from enterprises.factories import make_credit_code

from .choices import ProviderType
from .models import EvaluationBody, Provider

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
