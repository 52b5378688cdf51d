"""Plans refitted to real lengths (broadcast.planning.refit), and the planner's own bound at midnight."""

from __future__ import annotations

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from broadcast.db.models import Program, ProgramSession, StoredShortfall
from broadcast.planning.bulletin import PAUSE
from broadcast.planning.planner import Overhead, PlanMessage, plan_day
from broadcast.planning.refit import OVERRUN, SessionSeconds, fit_session, refit_program
from broadcast.planning.service import program_json
from broadcast.units.clock import SessionClock

DAY = date(2026, 11, 27)
OVERHEAD = Overhead(opening=30.0, closing=20.0, per_item=5.0)
LATE = SessionClock.parse("khuya", "23:30", "30m")  # ends at 24:00


def msg(id: int, duration: float, priority: str = "normal") -> PlanMessage:
    return PlanMessage(id, priority, 1, duration, date(2026, 1, 1), date(2026, 12, 31))  # type: ignore[arg-type]


def late_session(*ids: int) -> ProgramSession:
    items = [{"message_id": i, "offset": 0.0, "duration": 1.0} for i in ids]
    return ProgramSession(name="khuya", start="23:30", end="24:00", items=items)  # type: ignore[typeddict-item]


@given(st.lists(st.floats(min_value=1, max_value=900), min_size=1, max_size=40))
def test_the_planner_never_lets_a_session_ending_at_midnight_run_past_it(durations: list[float]) -> None:
    plan = plan_day(DAY, (LATE,), [msg(i, d) for i, d in enumerate(durations, 1)], OVERHEAD)
    [session] = plan.sessions
    end = OVERHEAD.opening + sum(OVERHEAD.per_item + item.duration for item in session.items) + OVERHEAD.closing
    assert end <= 30 * 60
    assert program_json(plan)["sessions"][0]["end"] == "24:00"


def test_items_are_kept_in_the_planners_order_while_they_fit() -> None:
    # 1800 s, less 40 opening and 20 closing: 1740 s for items; 1 and 3 fit, 2 does not once 1 is in.
    real = SessionSeconds(40.0, 20.0, {1: 1000.0, 2: 800.0, 3: 500.0})
    fitted = fit_session(late_session(1, 2, 3), real, {})
    assert [(i["message_id"], i["offset"], i["duration"]) for i in fitted["items"]] == [
        (1, 40.0, 1000.0 - 2 * PAUSE),
        (3, 1040.0, 500.0 - 2 * PAUSE),
    ]
    assert fitted["end"] == "24:00"


def test_what_no_longer_fits_or_cannot_be_read_becomes_a_shortfall_with_its_reason() -> None:
    program = Program(sessions=[late_session(1, 2, 3, 4)])
    before = [StoredShortfall(message_id=4, wanted=3, placed=1, reason="sessions full")]
    real = SessionSeconds(40.0, 20.0, {1: 600.0, 2: 600.0, 3: 600.0, 4: 10.0})
    refit = refit_program(program, before, [real], {2: "cannot be read aloud: nothing to say"})
    assert refit.changed
    assert [i["message_id"] for i in refit.program["sessions"][0]["items"]] == [1, 3, 4]
    assert refit.shortfalls == [StoredShortfall(message_id=2, wanted=1, placed=0,
                                                reason="cannot be read aloud: nothing to say"),
                                before[0]]  # fmt: skip

    crowded = SessionSeconds(40.0, 20.0, {1: 900.0, 2: 100.0, 3: 900.0, 4: 10.0})
    refit = refit_program(program, before, [crowded], {})
    assert [i["message_id"] for i in refit.program["sessions"][0]["items"]] == [1, 2, 4]
    assert refit.shortfalls == [StoredShortfall(message_id=3, wanted=1, placed=0, reason=OVERRUN), before[0]]


def test_a_plan_that_fits_is_left_as_it_was() -> None:
    program = Program(sessions=[late_session(1, 2)])
    refit = refit_program(program, [], [SessionSeconds(40.0, 20.0, {1: 100.0, 2: 100.0})], {})
    assert not refit.changed and refit.program is program and refit.shortfalls == []
