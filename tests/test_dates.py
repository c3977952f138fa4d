from datetime import date

import pytest

from transforms.rules.dates import add_days, add_months, add_years, age_in_years, is_minor


@pytest.mark.parametrize(("start", "months", "expected"), [
    (date(2026, 1, 31), 1, date(2026, 2, 28)),
    (date(2028, 1, 31), 1, date(2028, 2, 29)),
    (date(2026, 3, 31), -1, date(2026, 2, 28)),
    (date(2026, 8, 31), 1, date(2026, 9, 30)),
    (date(2026, 12, 15), 1, date(2027, 1, 15)),
    (date(2026, 1, 15), -13, date(2024, 12, 15)),
    (date(2026, 5, 10), 9, date(2027, 2, 10)),
    (date(2026, 5, 31), 9, date(2027, 2, 28)),
])
def test_calendar_months_clamp_to_the_month_end(start, months, expected):
    assert add_months(start, months) == expected


def test_years_and_days():
    assert add_years(date(2024, 2, 29), 3) == date(2027, 2, 28)
    assert add_years(date(2024, 2, 29), 4) == date(2028, 2, 29)
    assert add_years(date(2023, 5, 12), 3) == date(2026, 5, 12)
    assert add_days(date(2026, 12, 25), 15) == date(2027, 1, 9)


@pytest.mark.parametrize(("birth", "on", "age"), [
    (date(2008, 11, 22), date(2026, 11, 21), 17),
    (date(2008, 11, 22), date(2026, 11, 22), 18),
    (date(2008, 2, 29), date(2026, 2, 27), 17),
    # born on 29 February: still a minor on 28 February of a common year, adult on 1 March
    (date(2008, 2, 29), date(2026, 2, 28), 17),
    (date(2008, 2, 29), date(2026, 3, 1), 18),
    (date(2008, 2, 29), date(2028, 2, 29), 20),
])
def test_age_in_completed_years(birth, on, age):
    assert age_in_years(birth, on) == age
    assert is_minor(birth, on) == (age < 18)  # the rules' reading (OQ-03), the same
