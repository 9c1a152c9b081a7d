"""The providers' demo data: deterministic, idempotent, and enough to show every page."""

from core.roles import Role
from demo.seed.providers import compute_demo_scorecards, seed_providers
from providers import services
from providers.models import Product, Provider, ProviderEvent, ProviderRating, ProviderScorecard
from tests.factories import EnterpriseFactory, ProviderFactory


def _snapshot():
    return (
        list(Provider.objects.order_by("pk").values_list("pool_status", "key_provider_since", "sectors", "scenes")),
        list(Product.objects.order_by("pk").values_list("name", "recognised_on", "scenes")),
        list(ProviderRating.objects.order_by("pk").values_list("enterprise_id", "provider_id", "score", "rated_on")),
    )


def test_seed_providers_is_deterministic_and_idempotent(users, units):
    district = users[Role.DISTRICT_OFFICIAL]
    ProviderFactory.create_batch(9)  # with the provider user's own: ten, as in seed_demo
    providers = list(Provider.objects.order_by("pk"))
    for i in range(30):
        enterprise = EnterpriseFactory(unit=units["310117001"])
        services.provider_assign(actor=district, enterprise=enterprise, provider=providers[i % len(providers)])
    seed_providers(district=district, unit_staff={units["310117001"].pk: users[Role.UNIT_STAFF]})
    first = _snapshot()
    seed_providers(district=district, unit_staff={units["310117001"].pk: users[Role.UNIT_STAFF]})
    assert _snapshot() == first
    assert Product.objects.count() == 30 and 8 <= Product.objects.recognised().count() <= 15
    assert Provider.objects.filter(key_provider_since__isnull=False).count() == 3
    assert (
        ProviderRating.objects.count() == 10
        and ProviderRating.objects.filter(rated_by=users[Role.UNIT_STAFF]).count() == 10
    )
    assert ProviderEvent.objects.filter(kind="key_designated").count() == 3
    cards = compute_demo_scorecards(district=district)
    assert len(cards) == 10 and ProviderScorecard.objects.filter(period="2025", total__isnull=False).exists()
