"""Policy numbers that regulators (and counsel) change: caps, hours, waiting periods, dates.

Every number a rule needs lives here so that a database-backed policy table can later replace
this dict wholesale: ``evaluate(context, policy=...)``. A key that is missing or ``None`` in a
supplied table switches that check off, so a replacement table must be complete;
``with_overrides`` builds one from these defaults plus a partial override.

Dates are ISO strings (``effective_from``); times are ``HH:MM`` local.
"""

from __future__ import annotations

import copy
from typing import Any

DEFAULT_POLICY: dict[str, Any] = {
    "federal": {
        # 12 CFR 1006.6(b)(1)(i); [POL] half-open window, 21:00:00 itself is blocked.
        "contact_window": {"start": "08:00", "end": "21:00"},
        # 12 CFR 1006.14(b)(2)(i)(A): 7 calls within 7 consecutive days.
        "call_frequency": {"max_calls": 7, "days": 7},
        # 12 CFR 1006.14(b)(2)(i)(B): 7 days after a telephone conversation.
        "conversation_block_days": 7,
        # 12 CFR 1006.14(b)(3)(i): consent lasts 7 consecutive days (consent date = day 1).
        "consent_window_days": 7,
        # [POL] a consent to a particular time covers calls this many minutes either side.
        "consented_time_tolerance_minutes": 30,
        # 12 CFR 1006.34(a)(1)(i)(B): notice within 5 days after the initial communication.
        "validation_notice_due_days": 5,
        # 12 CFR 1006.30(a)(1)(ii): 14-day wait; [POL] furnish from send date + 15.
        "passive_collection_wait_days": 14,
        # [POL] lifting attorney bar for non-response needs a letter plus this many days.
        "attorney_nonresponse_days": 30,
        # [POL] stop furnishing at DOFD + 7 years (15 USC 1681c(a)(4), (c)(1)).
        "fcra_obsolete_years": 7,
        # 50 USC 3937(a).
        "scra_rate_cap_pct": 6.0,
        # 47 CFR 64.1200(a)(3)(ii).
        "tcpa_residential_prerecorded": {"max_calls": 3, "days": 30, "effective_from": "2023-07-20"},
        # NCRA joint policy (2022-03-18).
        "medical_min_reportable_balance": 500,
        "medical_waiting_days": 365,
    },
    # State overlays (12 CFR 1006.104: the more protective law wins).
    "states": {
        "MA": {
            # 209 CMR 18.16(1)(a),(d); 940 CMR 7.04(1)(f).
            "call_limit_residence_or_cell": {"max": 2, "days": 7, "effective_from": "2013-01-01"},
            "call_limit_other_numbers": {"max": 2, "days": 30, "effective_from": "2013-01-01"},
        },
        "WA": {
            # RCW 19.16.250(13) presumptions; [POL] week = rolling 7 days.
            "communication_limit": {"max": 3, "days": 7, "effective_from": "2000-01-01"},
            "workplace_limit": {"max": 1, "days": 7, "effective_from": "2000-01-01"},
            "residence_quiet_hours": {"start": "21:00", "end": "07:30"},
            # medical-debt reporting ban (MED-04 list) [K, verify]; see the note beside CT below
            "medical_reporting_ban": {"effective_from": "2025-01-01"},
        },
        "NYC": {
            # 6 RCNY 5-77 as amended (published 2024-08-12). Sources disagree on the effective
            # date (2025-10-01, or postponed to 2026-09-01); [POL] the earlier, stricter date.
            "electronic_consent_required": {"effective_from": "2025-10-01"},
            "attempt_limit": {"max": 3, "days": 7, "effective_from": "2025-10-01"},
        },
        "NY": {
            # CPLR 214-i (2022-04-07); 23 NYCRR 1.3.
            "consumer_credit_sol_years": 3,
            "time_barred_disclosure": {"effective_from": "2022-04-07"},
            # GBL 380-j (Fair Medical Debt Reporting Act) [K, verify].
            "medical_reporting_ban": {"effective_from": "2023-12-13"},
        },
        "CA": {
            # CCP 337; Civ. 1788.14(d).
            "consumer_credit_sol_years": 4,
            "time_barred_disclosure": {"effective_from": "2022-01-01"},
            # Civ. 1785.27 (SB 1061) [P].
            "medical_reporting_ban": {"effective_from": "2025-01-01"},
        },
        # Further medical-reporting bans [K, verify with counsel before relying on them].
        "CO": {"medical_reporting_ban": {"effective_from": "2023-08-07"}},
        "MN": {"medical_reporting_ban": {"effective_from": "2024-10-01"}},
        "IL": {"medical_reporting_ban": {"effective_from": "2025-01-01"}},
        # COMPLIANCE.md MED-04 names these 2024-25 enactments without dates. [K, verify with counsel]
        # dates from memory; [POL] where unsure, the earlier date (a furnishing held back is the
        # smaller harm than one a state forbids).
        "CT": {"medical_reporting_ban": {"effective_from": "2024-07-01"}},
        "VT": {"medical_reporting_ban": {"effective_from": "2024-07-01"}},
        "ME": {"medical_reporting_ban": {"effective_from": "2024-08-09"}},
        "NJ": {"medical_reporting_ban": {"effective_from": "2024-10-22"}},
        "RI": {"medical_reporting_ban": {"effective_from": "2025-01-01"}},
        "VA": {"medical_reporting_ban": {"effective_from": "2025-01-01"}},
        "OR": {"medical_reporting_ban": {"effective_from": "2025-01-01"}},
    },
}


def with_overrides(overrides: dict[str, Any] | None) -> dict[str, Any]:
    """Deep-merge ``overrides`` over a copy of ``DEFAULT_POLICY``."""
    merged = copy.deepcopy(DEFAULT_POLICY)

    def merge(into: dict, new: dict) -> None:
        for key, value in new.items():
            if isinstance(value, dict) and isinstance(into.get(key), dict):
                merge(into[key], value)
            else:
                into[key] = value

    merge(merged, overrides or {})
    return merged
