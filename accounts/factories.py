"""Factories for users of every role (tests, seed_demo)."""

import factory

from core.models import OrgUnit
from core.roles import Role
from providers.factories import EvaluationBodyFactory, ProviderFactory

from .models import User

DEFAULT_PASSWORD = "Songjiang-demo-2025"  # noqa: S105 - printed demo password, documented in the README


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
