from attendance.hours import Visit, attended_seconds
from tests.factories.attendance import at

HOUR = 3600


def visit(session_id, start, end, scanned=None, out=None):
    return Visit(
        session_id=session_id,
        starts_at=start,
        ends_at=end,
        checked_in_at=scanned or start,
        checked_out_at=out,
    )


def test_attended_seconds_without_overlap_counts_each_session_in_full():
    visits = [visit(1, at(9), at(10, 30)), visit(2, at(11), at(12))]

    assert attended_seconds(visits) == {1: 90 * 60, 2: HOUR}


def test_attended_seconds_check_out_clips_the_session():
    visits = [visit(1, at(9), at(12), out=at(10, 15))]

    assert attended_seconds(visits) == {1: 75 * 60}


def test_attended_seconds_check_out_before_start_counts_nothing():
    visits = [visit(1, at(9), at(12), scanned=at(8, 50), out=at(8, 55))]

    assert attended_seconds(visits) == {1: 0}


def test_attended_seconds_overlapping_sessions_with_check_out_never_count_twice():
    # A 9-11, B 10-12 (entered at 10), left B at 11:30: A 9-10, B 10-11:30.
    visits = [
        visit(1, at(9), at(11)),
        visit(2, at(10), at(12), scanned=at(10, 2), out=at(11, 30)),
    ]

    result = attended_seconds(visits)

    assert result == {1: HOUR, 2: 90 * 60}
    assert sum(result.values()) == int(2.5 * HOUR)


def test_attended_seconds_nested_session_gives_time_back_to_the_outer_one():
    visits = [visit(1, at(9), at(12)), visit(2, at(10), at(11))]

    assert attended_seconds(visits) == {1: 2 * HOUR, 2: HOUR}


def test_attended_seconds_same_start_goes_to_the_later_scan():
    visits = [visit(1, at(9), at(10), scanned=at(9, 1)), visit(2, at(9), at(10), scanned=at(9, 5))]

    assert attended_seconds(visits) == {1: 0, 2: HOUR}
