"""FED-TIME-01/01a/02/03 and FED-PLACE-01: time of day, designated times and the workplace."""

import pytest

from tests.compliance.factories import context, decide, letter_action, phone, reasons

LA = "America/Los_Angeles"


@pytest.mark.parametrize("local", ["08:00", "12:00", "20:59"])
def test_call_inside_window_is_allowed(local):
    assert decide(context(f"2025-06-10T{local}:00-04:00"))["decision"] == "allow"


def test_call_at_2059_local_is_allowed():
    assert decide(context("2025-06-10T20:59:59-04:00"))["decision"] == "allow"


def test_call_at_2100_local_is_blocked():
    result = decide(context("2025-06-10T21:00:00-04:00"))
    assert result["reasons"] == ["INCONVENIENT_TIME"]
    assert result["violations"][0]["message"] == (
        "21:00 in America/New_York is outside 08:00\u201321:00; next lawful time 2025-06-11T08:00 local.")
    assert result["next_allowed_at"] == "2025-06-11T08:00:00-04:00"


def test_call_at_0759_local_is_blocked_until_0800():
    result = decide(context("2025-06-10T07:59:00-04:00"))
    assert result["reasons"] == ["INCONVENIENT_TIME"]
    assert result["next_allowed_at"] == "2025-06-10T08:00:00-04:00"


def test_pacific_area_code_with_eastern_address_needs_both_zones():
    ctx = context("2025-06-10T10:30:00-04:00", to="+13105550101")
    ctx["facts"]["consumer"]["phones"].append(phone("+13105550101", LA))
    result = decide(ctx)
    assert result["reasons"] == ["INCONVENIENT_TIME"]
    assert "07:30 in America/Los_Angeles" in result["violations"][0]["message"]
    assert result["next_allowed_at"] == "2025-06-10T11:00:00-04:00"
    ctx["facts"]["now"] = "2025-06-10T11:00:00-04:00"
    assert decide(ctx)["decision"] == "allow"


def test_other_phone_on_file_adds_its_zone_even_when_not_called():
    ctx = context("2025-06-10T10:30:00-04:00")
    ctx["facts"]["consumer"]["phones"].append(phone("+13105550101", LA))
    assert reasons(ctx) == ["INCONVENIENT_TIME"]


def test_stated_current_location_replaces_other_zones():
    ctx = context("2025-06-10T10:30:00-04:00")
    ctx["facts"]["consumer"]["phones"].append(phone("+13105550101", LA))
    ctx["facts"]["consumer"]["current_location_timezone_stated_by_consumer"] = "America/New_York"
    assert decide(ctx)["decision"] == "allow"
    ctx["facts"]["now"] = "2025-06-10T22:30:00-04:00"
    ctx["facts"]["consumer"]["current_location_timezone_stated_by_consumer"] = "Pacific/Honolulu"
    assert decide(ctx)["decision"] == "allow"  # 16:30 in Honolulu


def test_toll_free_number_falls_back_to_address_zone():
    ctx = context("2025-06-10T10:30:00-04:00", to="+18005550101")
    ctx["facts"]["consumer"]["phones"] = [phone("+18005550101", LA, line_type="voip")]
    assert decide(ctx)["decision"] == "allow"


def test_dst_spring_forward_morning_is_allowed():
    # 2025-03-09 12:30Z is 08:30 EDT.
    assert decide(context("2025-03-09T12:30:00+00:00"))["decision"] == "allow"


def test_dst_fall_back_morning_is_blocked():
    # 2025-11-02 12:30Z is 07:30 EST.
    result = decide(context("2025-11-02T12:30:00+00:00"))
    assert result["reasons"] == ["INCONVENIENT_TIME"]
    assert result["next_allowed_at"] == "2025-11-02T08:00:00-05:00"


def test_arizona_has_no_dst():
    ctx = context("2025-07-01T15:00:00+00:00")  # 08:00 in Phoenix (MST all year)
    ctx["facts"]["consumer"]["address_timezone"] = "America/Phoenix"
    ctx["facts"]["consumer"]["phones"] = [phone(tz="America/Phoenix")]
    assert decide(ctx)["decision"] == "allow"
    ctx["facts"]["now"] = "2025-07-01T14:59:00+00:00"
    assert reasons(ctx) == ["INCONVENIENT_TIME"]


def test_hawaii_evening_is_blocked_at_2100_local():
    ctx = context("2025-07-02T07:00:00+00:00")  # 21:00 HST on 07-01
    ctx["facts"]["consumer"]["address_timezone"] = "Pacific/Honolulu"
    ctx["facts"]["consumer"]["phones"] = [phone(tz="Pacific/Honolulu")]
    assert reasons(ctx) == ["INCONVENIENT_TIME"]


def test_emails_and_texts_are_judged_when_sent():
    email = {"channel": "email", "to": "pat.doe@example.com", "includes_opt_out_notice": True, "dialer": None}
    assert reasons(context("2025-06-10T06:00:00-04:00", **email)) == ["INCONVENIENT_TIME"]


def test_letters_are_not_time_gated():
    assert decide(context("2025-06-10T23:30:00-04:00", **letter_action()))["decision"] == "allow"


def test_direct_consent_to_a_late_call_is_an_exception():
    ctx = context("2025-06-12T21:30:00-04:00")
    ctx["facts"]["consumer"]["direct_prior_consents"] = [
        {"given_at": "2025-06-03T14:05:00-04:00", "given_directly_by": "consumer", "to": "debt_collector",
         "type": "time_of_day", "consented_at_local": "2025-06-12T21:30:00-04:00"}]
    assert decide(ctx)["decision"] == "allow"
    ctx["facts"]["now"] = "2025-06-13T21:30:00-04:00"
    assert reasons(ctx) == ["INCONVENIENT_TIME"]


def designated(ctx, **extra):
    ctx["facts"]["consumer"]["inconvenient_times"] = [{
        "days_of_week": ["Mon", "Tue", "Wed", "Thu", "Fri"], "start_local": "08:00", "end_local": "12:00",
        "timezone": "America/New_York", "stated_at": "2025-05-20T15:00:00-04:00", **extra}]
    return ctx


def test_call_at_1159_in_designated_morning_is_blocked():
    result = decide(designated(context("2025-06-11T11:59:00-04:00")))
    assert result["reasons"] == ["CONSUMER_DESIGNATED_INCONVENIENT_TIME"]
    assert result["next_allowed_at"] == "2025-06-11T12:00:00-04:00"


def test_call_at_1200_after_designated_morning_is_allowed():
    assert decide(designated(context("2025-06-11T12:00:00-04:00")))["decision"] == "allow"


def test_designated_weekday_window_does_not_cover_saturday():
    assert decide(designated(context("2025-06-14T10:00:00-04:00")))["decision"] == "allow"


def test_busy_right_now_only_covers_that_contact():
    assert decide(designated(context("2025-06-11T10:00:00-04:00"), one_time=True))["decision"] == "allow"


def test_consumer_initiated_contact_may_be_answered_once():
    ctx = designated(context("2025-06-11T10:00:00-04:00", responding_to_consumer_initiated_contact=True))
    assert decide(ctx)["decision"] == "allow"


def test_designated_window_across_midnight():
    ctx = designated(context("2025-06-11T23:30:00-04:00"), start_local="20:00", end_local="09:00", days_of_week=[])
    result = decide(ctx)
    assert "CONSUMER_DESIGNATED_INCONVENIENT_TIME" in result["reasons"]
    assert result["next_allowed_at"] == "2025-06-12T09:00:00-04:00"


WORK = "+16175550190"


def workplace(ctx, **place):
    ctx["facts"]["consumer"]["phones"].append(phone(WORK, line_type="landline_business", is_workplace=True))
    if place:
        ctx["facts"]["consumer"]["inconvenient_places"] = [{"place": "workplace", **place}]
    return ctx


def test_call_to_work_number_after_consumer_objected_is_blocked():
    ctx = workplace(context(to=WORK), stated_at="2025-05-29T10:00:00-04:00", method="oral")
    result = decide(ctx)
    assert result["reasons"] == ["INCONVENIENT_PLACE_WORKPLACE"]
    assert result["next_allowed_at"] is None


def test_call_to_work_number_without_objection_is_allowed():
    assert decide(workplace(context(to=WORK)))["decision"] == "allow"


def test_employer_prohibition_blocks_workplace_calls():
    ctx = workplace(context(to=WORK))
    ctx["facts"]["consumer"]["workplace_contact_prohibited"] = True
    assert reasons(ctx) == ["INCONVENIENT_PLACE_WORKPLACE"]


def test_workplace_objection_does_not_block_the_cell():
    ctx = workplace(context(), stated_at="2025-05-29T10:00:00-04:00", method="oral")
    assert decide(ctx)["decision"] == "allow"
