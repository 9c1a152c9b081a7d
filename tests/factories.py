"""The factories the tests use, from one place.

The demo's factories (enterprises, providers, evaluation bodies, credit codes, the demo password) are
defined once in ``demo.factories`` and re-exported here; the user factory is the tests' own (the demo
seed makes its users itself).
"""

import factory

from accounts.models import User
from core.models import OrgUnit
from core.roles import Role
from demo.factories import (
    DEFAULT_PASSWORD,
    EnterpriseFactory,
    EvaluationBodyFactory,
    ProviderFactory,
    make_credit_code,
)

__all__ = [
    "DEFAULT_PASSWORD",
    "EnterpriseFactory",
    "EvaluationBodyFactory",
    "ProviderFactory",
    "UserFactory",
    "make_credit_code",
]


class UserFactory(factory.django.DjangoModelFactory):
    """A user of ``role``; the organisation the role needs is created or picked when not given."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    role = Role.DISTRICT_OFFICIAL
    display_name = factory.LazyAttribute(lambda o: o.username)
    unit = factory.LazyAttribute(
        lambda o: OrgUnit.objects.exclude(parent=None).order_by("code").first() if o.role == Role.UNIT_STAFF else None
    )
    provider = factory.LazyAttribute(lambda o: ProviderFactory() if o.role == Role.PROVIDER_USER else None)
    evaluation_body = factory.LazyAttribute(lambda o: EvaluationBodyFactory() if o.role == Role.EVALUATOR else None)
    is_staff = factory.LazyAttribute(lambda o: o.role == Role.ADMIN)
    password = factory.PostGenerationMethodCall("set_password", DEFAULT_PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()
