"""A close racing a write: the close waits for the write in flight, and writes after it see the close
(books.services.lock_closures; real PostgreSQL, two connections)."""

import datetime
import threading
import time

import pytest
from django.db import connection, transaction

from books import services
from core.errors import Conflict
from core.roles import Role


@pytest.mark.django_db(transaction=True)
def test_a_close_waits_for_a_write_in_flight_and_later_writes_see_it(users):
    finance = users[Role.FINANCE_OFFICER]
    entered, release = threading.Event(), threading.Event()
    order, errors = [], []

    def writer():
        try:
            with transaction.atomic():
                services.guard(datetime.date(2025, 5, 1))
                entered.set()
                release.wait(10)
                order.append("write")
        except Exception as exc:  # reported to the test below
            errors.append(exc)
        finally:
            connection.close()

    def closer():
        try:
            entered.wait(10)
            services.close_books(actor=finance, through="2025-06-30", reason="上半年结账")
            order.append("close")
        except Exception as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=writer), threading.Thread(target=closer)]
    for thread in threads:
        thread.start()
    entered.wait(10)
    time.sleep(0.5)
    assert order == []  # the close waits for the write in flight
    release.set()
    for thread in threads:
        thread.join(20)
    assert not errors and order == ["write", "close"]
    with pytest.raises(Conflict), transaction.atomic():
        services.guard(datetime.date(2025, 5, 1))
