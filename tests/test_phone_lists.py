"""Phones (390 px wide): lists become cards, each cell labelled with its column, so enterprise names keep
their width instead of wrapping a character per line (static/css/portal.css, static/js/portal.js)."""

import pytest

from core.roles import Role
from tests.factories import EnterpriseFactory
from tests.helpers import log_in

PHONE = {"width": 390, "height": 844}
LONG_NAME = "上海松江精密智能装备制造有限公司"


@pytest.mark.browser
def test_the_enterprise_list_is_a_list_of_cards_on_a_phone(page, live_server, users):
    unit = users[Role.UNIT_STAFF].unit
    for n in range(3):
        EnterpriseFactory(unit=unit, name=f"{LONG_NAME}{n}")
    page.set_viewport_size(PHONE)
    log_in(page, live_server.url, users[Role.UNIT_STAFF].username)
    page.goto(f"{live_server.url}/enterprises/")
    row = page.locator("#enterprise-table tbody tr").first
    cells = row.locator("td[data-label]")
    assert cells.count() >= 3
    name_cell = row.locator("td", has_text=LONG_NAME)
    label = name_cell.get_attribute("data-label")
    assert label  # the column's header, shown before the value
    box = name_cell.bounding_box()
    assert box["width"] > 300, box  # the whole card's width, not a sliver of a column
    # The page itself does not scroll sideways.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"] + 1
