"""The type-ahead picker: records by name or credit code, only those of the viewer's scope."""

import pytest
from django.urls import reverse

from core.roles import Role


def pick(client, kind, text):
    response = client.get(reverse("core:pick", args=[kind]), {"q": text})
    assert response.status_code == 200, response.status_code
    return [item["value"] for item in response.json()["results"]]


@pytest.mark.django_db
def test_the_picker_offers_only_the_viewers_records(client, users, world):
    ours, theirs = world["ours"], world["theirs"]
    client.force_login(users[Role.DISTRICT_OFFICIAL])
    assert set(pick(client, "enterprise", "上海")) >= {ours.credit_code, theirs.credit_code}
    assert pick(client, "enterprise", theirs.credit_code[:16]) == [theirs.credit_code]
    client.force_login(users[Role.UNIT_STAFF])  # 岳阳街道: "ours" is theirs, "theirs" is 车墩's
    found = pick(client, "enterprise", "上海")
    assert ours.credit_code in found and theirs.credit_code not in found
    assert pick(client, "enterprise", theirs.credit_code) == []
    client.force_login(world["user_b"])  # provider B serves both
    assert set(pick(client, "enterprise", "上海")) == {ours.credit_code, theirs.credit_code}
    client.force_login(users[Role.PROVIDER_USER])  # provider A serves "ours" only
    assert pick(client, "enterprise", "上海") == [ours.credit_code]


@pytest.mark.django_db
def test_the_picker_labels_records_by_name_and_code(client, users, world):
    client.force_login(users[Role.DISTRICT_OFFICIAL])
    response = client.get(reverse("core:pick", args=["provider"]), {"q": "乙智造"})
    assert response.json()["results"] == [
        {"value": world["prov_b"].credit_code, "label": f"乙智造服务有限公司 · {world['prov_b'].credit_code}"}
    ]


@pytest.mark.django_db
def test_the_picker_needs_a_log_in_a_known_kind_and_two_characters(client, users):
    url = reverse("core:pick", args=["enterprise"])
    assert client.get(url, {"q": "上海"}).status_code == 302
    client.force_login(users[Role.DISTRICT_OFFICIAL])
    assert client.get(reverse("core:pick", args=["nothing"]), {"q": "上海"}).status_code == 404
    assert client.get(url, {"q": "上"}).json() == {"results": []}
