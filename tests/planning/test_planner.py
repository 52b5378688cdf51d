"""The pure planner: ordering, spreading, rotation, capacity, determinism and emergencies."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

import pytest

from broadcast.planning.planner import DayPlan, Overhead, PlanMessage, plan_day
from broadcast.units.clock import SessionClock

DAY = date(2026, 11, 27)  # a Friday
OVERHEAD = Overhead(opening=30.0, closing=20.0, per_item=5.0)
MORNING = SessionClock.parse("sáng", "05:30", "30m")
EVENING = SessionClock.parse("chiều", "17:00", "30m")
TWO = (MORNING, EVENING)


def msg(id: int, **overrides: object) -> PlanMessage:
    """A message running all year, once a day, one minute long, unless told otherwise."""
    values: dict[str, object] = {
        "priority": "normal",
        "per_day": 1,
        "duration": 60.0,
        "starts_on": date(2026, 1, 1),
        "ends_on": date(2026, 12, 31),
    }
    values.update(overrides)
    return PlanMessage(id, **values)  # type: ignore[arg-type]


def ids(plan: DayPlan) -> list[list[int]]:
    return [[item.message_id for item in session.items] for session in plan.sessions]


def test_priority_orders_each_session() -> None:
    plan = plan_day(DAY, (MORNING,), [msg(1), msg(2, priority="priority"), msg(3, priority="emergency")], OVERHEAD)
    assert ids(plan) == [[3, 2, 1]]


def test_items_are_laid_out_back_to_back_after_the_opening() -> None:
    plan = plan_day(DAY, (MORNING,), [msg(1, duration=100.0), msg(2, duration=50.0)], OVERHEAD)
    first, second = plan.sessions[0].items
    assert first.offset == OVERHEAD.opening
    assert second.offset == OVERHEAD.opening + OVERHEAD.per_item + first.duration


def test_repeats_spread_over_the_day_and_never_twice_in_a_session() -> None:
    plan = plan_day(DAY, TWO, [msg(1, per_day=2), msg(2, per_day=2)], OVERHEAD)
    assert [sorted(session) for session in ids(plan)] == [[1, 2], [1, 2]]
    for session in plan.sessions:
        played = Counter(item.message_id for item in session.items)
        assert max(played.values()) == 1


def test_once_a_day_messages_are_shared_between_sessions() -> None:
    messages = [msg(i) for i in range(1, 9)]
    plan = plan_day(DAY, TWO, messages, OVERHEAD)
    morning, evening = ids(plan)
    assert sorted(morning + evening) == list(range(1, 9))  # each exactly once
    assert abs(len(morning) - len(evening)) <= 1  # spread, not all in the morning


def test_the_odd_repeat_moves_between_sessions_from_day_to_day() -> None:
    placements = [ids(plan_day(DAY + timedelta(days=d), TWO, [msg(1)], OVERHEAD)) for d in range(2)]
    assert placements[0] != placements[1]
    assert all(sum(len(s) for s in p) == 1 for p in placements)


def test_rotation_changes_the_leader() -> None:
    messages = [msg(i, per_day=2) for i in range(1, 5)]
    leaders = {ids(plan_day(DAY + timedelta(days=d), TWO, messages, OVERHEAD))[0][0] for d in range(4)}
    assert len(leaders) > 1


def test_capacity_is_respected_and_the_rest_reported() -> None:
    # 30 min = 1800 s; 1800 - 50 overhead = 1750 s free; each item costs 305 s, so five fit.
    messages = [msg(i, duration=300.0) for i in range(1, 8)]
    plan = plan_day(DAY, (MORNING,), messages, OVERHEAD)
    placed = ids(plan)[0]
    assert len(placed) == 5
    last = plan.sessions[0].items[-1]
    assert last.offset + last.duration + OVERHEAD.closing <= MORNING.minutes * 60
    missing = {s.message_id: s.reason for s in plan.shortfalls}
    assert set(missing) == set(range(1, 8)) - set(placed)
    assert set(missing.values()) == {"sessions full"}


def test_a_message_longer_than_any_session_is_reported_as_such() -> None:
    plan = plan_day(DAY, TWO, [msg(1, duration=2000.0)], OVERHEAD)
    assert ids(plan) == [[], []]
    (shortfall,) = plan.shortfalls
    assert (shortfall.wanted, shortfall.placed) == (1, 0)
    assert shortfall.reason.startswith("longer (2000 s) than any session it may go in (1750 s free)")


def test_more_repeats_than_sessions_is_reported() -> None:
    plan = plan_day(DAY, TWO, [msg(1, per_day=3)], OVERHEAD)
    assert ids(plan) == [[1], [1]]
    assert [(s.wanted, s.placed, s.reason) for s in plan.shortfalls] == [
        (3, 2, "asks for 3 a day but only 2 sessions run")
    ]


def test_emergency_goes_into_every_remaining_session() -> None:
    messages = [msg(1, priority="emergency"), *(msg(i, duration=400.0) for i in range(2, 6))]
    plan = plan_day(DAY, TWO, messages, OVERHEAD)
    assert [session[0] for session in ids(plan)] == [1, 1]
    later = plan_day(DAY, TWO, messages, OVERHEAD, from_minute=12 * 60)
    assert [s.name for s in later.sessions] == ["chiều"]
    assert ids(later)[0][0] == 1


def test_window_weekdays_and_session_names_limit_where_a_message_goes() -> None:
    messages = [
        msg(1, starts_on=DAY + timedelta(days=1)),  # not yet
        msg(2, weekdays=0b1100000),  # weekends only; DAY is a Friday
        msg(3, session_names=frozenset({"chiều"})),
        msg(4, session_names=frozenset({"trưa"})),  # no such session
    ]
    plan = plan_day(DAY, TWO, messages, OVERHEAD)
    assert ids(plan) == [[], [3]]
    assert [(s.message_id, s.reason) for s in plan.shortfalls] == [(4, "no session it may go in on this day")]


def test_sessions_that_do_not_run_today_are_skipped() -> None:
    weekday_only = SessionClock.parse("sáng", "05:30", "30m", "mon-thu")
    plan = plan_day(DAY, (weekday_only, EVENING), [msg(1)], OVERHEAD)
    assert [s.name for s in plan.sessions] == ["chiều"]


@pytest.mark.parametrize("seed", range(5))
def test_same_inputs_same_plan(seed: int) -> None:
    messages = [msg(i, per_day=1 + (i * seed) % 3, duration=30.0 + 17 * i) for i in range(1, 15)]
    first = plan_day(DAY + timedelta(days=seed), TWO, messages, OVERHEAD)
    again = plan_day(DAY + timedelta(days=seed), TWO, list(reversed(messages)), OVERHEAD)
    assert first == again


def test_a_message_approved_today_skips_the_sessions_already_past() -> None:
    urgent = msg(1, priority="emergency", approved_day=DAY, approved_minute=12 * 60)
    plan = plan_day(DAY, TWO, [urgent, msg(2, per_day=2)], OVERHEAD)
    assert ids(plan) == [[2], [1, 2]]  # the morning is as it would have been without the emergency
    assert ids(plan_day(DAY + timedelta(days=1), TWO, [urgent], OVERHEAD)) == [[1], [1]]
    late = msg(3, approved_day=DAY, approved_minute=20 * 60)
    assert [s.reason for s in plan_day(DAY, TWO, [late], OVERHEAD).shortfalls] == [
        "approved after this day's sessions had begun"
    ]
