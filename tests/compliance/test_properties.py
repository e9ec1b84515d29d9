"""Hypothesis properties of the time gate and next_allowed_at across DST transitions."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from compliance.engine import evaluate
from tests.compliance.factories import call, context, phone

ZONES = ["America/New_York", "America/Phoenix", "Pacific/Honolulu", "America/Anchorage", "America/Los_Angeles"]
INSTANTS = st.datetimes(min_value=datetime(2024, 1, 1), max_value=datetime(2026, 12, 31, 23, 59, 59),
                        timezones=st.just(UTC))


def at_zone(moment: datetime, zones: list[str]) -> dict:
    ctx = context(moment.isoformat())
    ctx["facts"]["consumer"]["address_timezone"] = zones[0]
    ctx["facts"]["consumer"]["phones"] = [phone(f"+1404555{i:04d}", tz) for i, tz in enumerate(zones)]
    ctx["action"]["to"] = "+14045550000"
    return ctx


def lawful(moment: datetime, zones: list[str]) -> bool:
    return all(8 <= moment.astimezone(ZoneInfo(z)).hour < 21 for z in zones)


@settings(max_examples=300, deadline=None)
@given(INSTANTS, st.sampled_from(ZONES))
def test_time_gate_allows_iff_local_hour_in_8_to_21(moment, zone):
    result = evaluate(at_zone(moment, [zone]))
    assert (result["decision"] == "allow") == lawful(moment, [zone])
    if result["decision"] == "block":
        assert result["reasons"] == ["INCONVENIENT_TIME"]


@settings(max_examples=300, deadline=None)
@given(INSTANTS, st.lists(st.sampled_from(ZONES), min_size=1, max_size=3, unique=True))
def test_next_allowed_at_is_lawful_within_a_day_and_earliest(moment, zones):
    ctx = at_zone(moment, zones)
    result = evaluate(ctx)
    if result["decision"] == "allow":
        assert result["next_allowed_at"] is None
        return
    nxt = datetime.fromisoformat(result["next_allowed_at"])
    assert moment < nxt <= moment + timedelta(days=1)
    assert lawful(nxt, zones)
    ctx["facts"]["now"] = nxt.isoformat()
    assert evaluate(ctx)["decision"] == "allow"
    ctx["facts"]["now"] = (nxt - timedelta(seconds=1)).isoformat()
    assert evaluate(ctx)["decision"] == "block"


@settings(max_examples=150, deadline=None)
@given(INSTANTS, st.integers(min_value=0, max_value=12), st.integers(min_value=0, max_value=8))
def test_next_allowed_at_clears_frequency_and_time_together(moment, n_calls, days_back):
    ctx = at_zone(moment, ["America/New_York"])
    start = moment - timedelta(days=days_back)
    times = [start + timedelta(hours=3 * i) for i in range(n_calls)]
    ctx["facts"]["contact_history"] = [call(t.isoformat()) for t in times if t < moment]
    result = evaluate(ctx)
    if result["next_allowed_at"] is None:
        assert result["decision"] == "allow"
        return
    assert set(result["reasons"]) <= {"INCONVENIENT_TIME", "CALL_FREQ_7_IN_7"}
    nxt = datetime.fromisoformat(result["next_allowed_at"])
    ctx["facts"]["now"] = nxt.isoformat()
    assert evaluate(ctx)["decision"] == "allow"
    ctx["facts"]["now"] = (nxt - timedelta(seconds=1)).isoformat()
    assert evaluate(ctx)["decision"] == "block"
