"""The trust chart: drawn for a wide and a narrow space, each labelled for screen readers."""

import re
from datetime import date

from referrals.trust.charts import score_chart, score_charts

SERIES = [(date(2010 + n, 6, 1), min(100, 10 * n)) for n in range(16)]  # sixteen years


def test_a_history_is_drawn_wide_and_narrow_with_their_own_titles():
    markup = score_charts(SERIES)
    assert markup.count("<svg") == 2
    ids = re.findall(r' id="([^"]+)"', markup)
    assert len(ids) == len(set(ids)) == 4  # two titles, two descriptions, none repeated
    for labelled_by in re.findall(r'aria-labelledby="([^"]+)"', markup):
        assert all(name in ids for name in labelled_by.split())


def test_the_narrow_drawing_labels_fewer_years_so_they_do_not_overlap():
    def years(markup):
        return re.findall(r'class="tick">(20\d\d)</text>', markup)

    wide, narrow = score_chart(SERIES), score_chart(SERIES, width=320, height=200)
    assert len(years(wide)) == 8  # fifteen 1 Januarys, every other one
    assert 2 <= len(years(narrow)) <= 5


def test_no_history_draws_nothing():
    assert score_charts([]) == ""
