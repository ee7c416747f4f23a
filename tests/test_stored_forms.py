"""The ORM-free import path writes times in exactly the form the ORM's column type does."""

from datetime import UTC, datetime, timedelta, timezone

import pytest

from relcli.models import UTCDateTime
from relcli.services import imports


@pytest.mark.parametrize(
    "moment",
    [
        datetime(2026, 12, 1, 12, 0, 0, 123456, tzinfo=UTC),
        datetime(2026, 3, 29, 1, 30, tzinfo=timezone(timedelta(hours=2))),
        datetime(1999, 12, 31, 23, 59, 59, tzinfo=timezone(timedelta(hours=-5))),
    ],
)
def test_import_times_are_stored_as_the_orm_stores_them(moment: datetime) -> None:
    assert imports._stored_time(moment) == UTCDateTime().process_bind_param(moment, None)
