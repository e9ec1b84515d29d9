"""Cell parsers. Each takes the raw cell text and returns a clean value or raises ValueError
whose message is shown to the uploader as is.

Money is parsed to integer cents with str methods only (no float, no regex, no Decimal on the
hot path); ``cents_to_decimal`` gives the 2-place Decimal when it is needed.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from functools import cache, lru_cache

MIN_YEAR, MAX_YEAR = 1900, 2100  # outside this a date is a typo (or Excel's day zero), not data

TRANSACTION_TYPES = ("charge", "interest", "fee", "payment", "adjustment", "reversal")
# Ledger direction of a positive amount as written in the file. Payments lower the debt, so a
# payment of 50.00 is -50.00 in the ledger. Charges, interest and fees raise it. A negative amount
# for these four is rejected, not flipped: a "negative payment" is a returned payment or refund
# and must arrive as a reversal or adjustment, which carry their own sign.
TYPE_SIGNS = {"charge": 1, "interest": 1, "fee": 1, "payment": -1, "adjustment": 0, "reversal": 0}

# Values are accounts.models.DebtType / Debtor.Type / Phone.Type (kept here as literals: no Django).
DEBT_TYPES = ("credit_card", "consumer_loan", "auto_loan", "medical", "utility", "commercial", "other")
_DEBT_TYPE_ALIASES = {
    "credit card": "credit_card", "card": "credit_card", "cc": "credit_card", "consumer": "consumer_loan",
    "loan": "consumer_loan", "personal loan": "consumer_loan", "installment": "consumer_loan",
    "auto": "auto_loan", "auto loan": "auto_loan", "vehicle": "auto_loan", "healthcare": "medical",
    "hospital": "medical", "utilities": "utility", "b2b": "commercial", "business": "commercial",
    "invoice": "commercial", "commercial invoice": "commercial", "student loan": "consumer_loan",
    "student_loan": "consumer_loan", "telecom": "utility", "telco": "utility", "misc": "other",
}  # fmt: skip
DEBTOR_TYPES = ("consumer", "business")
_DEBTOR_TYPE_ALIASES = {
    "person": "consumer", "individual": "consumer", "company": "business", "commercial": "business",
    "organization": "business", "organisation": "business",
}  # fmt: skip
PHONE_TYPES = ("cell", "home", "work", "voip", "other")
_PHONE_TYPE_ALIASES = {"mobile": "cell", "cellular": "cell", "wireless": "cell", "landline": "home",
                       "residential": "home", "land": "home", "office": "work", "business": "work"}  # fmt: skip

US_STATES = {
    "AL": "alabama", "AK": "alaska", "AZ": "arizona", "AR": "arkansas", "CA": "california",
    "CO": "colorado", "CT": "connecticut", "DE": "delaware", "DC": "district of columbia",
    "FL": "florida", "GA": "georgia", "HI": "hawaii", "ID": "idaho", "IL": "illinois",
    "IN": "indiana", "IA": "iowa", "KS": "kansas", "KY": "kentucky", "LA": "louisiana",
    "ME": "maine", "MD": "maryland", "MA": "massachusetts", "MI": "michigan", "MN": "minnesota",
    "MS": "mississippi", "MO": "missouri", "MT": "montana", "NE": "nebraska", "NV": "nevada",
    "NH": "new hampshire", "NJ": "new jersey", "NM": "new mexico", "NY": "new york",
    "NC": "north carolina", "ND": "north dakota", "OH": "ohio", "OK": "oklahoma", "OR": "oregon",
    "PA": "pennsylvania", "RI": "rhode island", "SC": "south carolina", "SD": "south dakota",
    "TN": "tennessee", "TX": "texas", "UT": "utah", "VT": "vermont", "VA": "virginia",
    "WA": "washington", "WV": "west virginia", "WI": "wisconsin", "WY": "wyoming",
    "PR": "puerto rico", "GU": "guam", "VI": "virgin islands", "AS": "american samoa",
    "MP": "northern mariana islands", "AA": "armed forces americas", "AE": "armed forces europe",
    "AP": "armed forces pacific",
}  # fmt: skip
_STATE_BY_NAME = {name: code for code, name in US_STATES.items()}

_TWO = Decimal("0.01")
_AMOUNT_HELP = "expected a number like 1234.56, -12.50, $1,234.56 or (12.50)"


def cents_to_decimal(cents: int) -> Decimal:
    """Exact: 123456 -> Decimal('1234.56'), -5 -> Decimal('-0.05')."""
    return Decimal(cents).scaleb(-2)


def _digits(text: str) -> bool:
    return text.isascii() and text.isdigit()


def parse_amount_cents(raw: str) -> int:
    """'1,234.56' '$1,234.56' '(12.50)' '-12.50' '$-5' '-$5' ' 7 ' '+3.1' -> integer cents."""
    text = raw.strip()
    if not text:
        raise ValueError("amount is required")
    head, dot, tail = text.partition(".")
    if _digits(head) and (not dot or (len(tail) == 2 and _digits(tail))):
        return int(head) * 100 + (int(tail) if dot else 0)  # fast path: 1234.56 or 7
    negative = False
    body = text
    if body[0] == "(" and body[-1] == ")":
        negative, body = True, body[1:-1].strip()
    sign_seen = dollar_seen = False
    for _ in range(2):  # a sign and a dollar sign, in either order: -$5, $-5
        if body[:1] in ("-", "+") and not sign_seen:
            if body[0] == "-":
                if negative:
                    raise ValueError(f"malformed amount: {_AMOUNT_HELP}")
                negative = True
            sign_seen, body = True, body[1:].lstrip()
        elif body[:1] == "$" and not dollar_seen:
            dollar_seen, body = True, body[1:].lstrip()
    head, dot, tail = body.partition(".")
    if "," in head:
        groups = head.split(",")
        if not (1 <= len(groups[0]) <= 3 and all(len(g) == 3 for g in groups[1:])):
            raise ValueError(f"malformed thousands separators: {_AMOUNT_HELP}")
        head = "".join(groups)
    if not (_digits(head) or (not head and dot)) or (tail and not _digits(tail)) or not (head or tail):
        raise ValueError(f"malformed amount: {_AMOUNT_HELP}")
    if len(tail) > 2:
        raise ValueError("amount has more than 2 decimal places")
    cents = int(head or "0") * 100 + int(tail.ljust(2, "0"))
    return -cents if negative else cents


def format_cents(cents: int, style: str = "plain") -> str:
    """Write cents in one of the styles ``parse_amount_cents`` reads back exactly.

    plain: -1234.56   thousands: -1,234.56   dollar: -$1,234.56   dollar_inner: $-1,234.56
    parens: (1,234.56) for negatives   whole: -1234 when there are no cents (else plain)
    """
    sign = "-" if cents < 0 else ""
    units, rest = divmod(abs(cents), 100)
    if style == "plain":
        return f"{sign}{units}.{rest:02d}"
    grouped = f"{units:,}.{rest:02d}"
    if style == "thousands":
        return sign + grouped
    if style == "dollar":
        return f"{sign}${grouped}"
    if style == "dollar_inner":
        return f"${sign}{grouped}"
    if style == "parens":
        return f"({grouped})" if cents < 0 else grouped
    if style == "whole":
        return f"{sign}{units}" if not rest else f"{sign}{units}.{rest:02d}"
    raise ValueError(f"unknown amount style {style!r}")


def _checked_date(year: int, month: int, day: int, raw: str) -> dt.date:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise ValueError(f"date {raw.strip()!r} is out of range ({MIN_YEAR}-{MAX_YEAR})")
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise ValueError(f"impossible date {raw.strip()!r} (no such day)") from None


_DATE_HELP = "expected YYYY-MM-DD, MM/DD/YYYY, YYYYMMDD or an ISO date-time"
DATE_ORDERS = ("mdy", "dmy")  # how a file writes 03/07/2019: US month first, or day first
EXCEL_EPOCH = dt.date(1899, 12, 30)  # Excel's 1900 date system (its day 60 is the fake 1900-02-29)
# Excel serial day numbers of 1950-01-01 .. 2100-12-31: a 5-digit number in a date column.
_EXCEL_SERIALS = range(18264, 73051)


def _iso_date_time(text: str) -> tuple[str, str, str] | None:
    """'2023-04-16T00:00:00Z', '2023-04-16T10:11:12.5+02:00', '2019-03-07 00:00:00' -> the
    calendar date as written (the time and zone are dropped: a posting date is the day the
    file says, not that instant moved into another zone)."""
    if len(text) < 16 or text[4] != "-" or text[7] != "-" or text[10] not in "T ":
        return None
    rest = text[11:]
    try:
        dt.datetime.fromisoformat(text[:10] + "T" + rest.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        return None
    return text[:4], text[5:7], text[8:10]


def parse_date(raw: str, order: str = "mdy") -> dt.date:
    """ISO 'YYYY-MM-DD', ISO date-times with or without zone, 'YYYY-MM-DD HH:MM:SS',
    'YYYYMMDD', a 5-digit Excel serial day, and 'MM/DD/YYYY' (``order`` "mdy") or 'DD/MM/YYYY'
    (``order`` "dmy"; also DD.MM.YYYY). Two-digit years are refused."""
    text = raw.strip()
    if not text:
        raise ValueError("date is required")
    if len(text) == 10 and text[4] == "-" and text[7] == "-":
        y, m, d = text[:4], text[5:7], text[8:]
    elif len(text) == 8 and _digits(text):
        y, m, d = text[:4], text[4:6], text[6:]
    elif _digits(text.removesuffix(".0")) and int(text.removesuffix(".0")) in _EXCEL_SERIALS:
        return EXCEL_EPOCH + dt.timedelta(days=int(text.removesuffix(".0")))
    elif (parts := _iso_date_time(text)) is not None:
        y, m, d = parts
    elif "/" in text or (order == "dmy" and "." in text):
        parts = text.split("/" if "/" in text else ".")
        if len(parts) != 3:
            raise ValueError(f"malformed date {text!r}: {_DATE_HELP}")
        m, d, y = parts if order == "mdy" else (parts[1], parts[0], parts[2])
        if len(y) != 4:
            raise ValueError(f"malformed date {text!r}: {_DATE_HELP} with a 4-digit year")
        if not (1 <= len(m) <= 2 and 1 <= len(d) <= 2):
            raise ValueError(f"malformed date {text!r}: {_DATE_HELP}")
    else:
        raise ValueError(f"malformed date {text!r}: {_DATE_HELP}")
    if not (_digits(y) and _digits(m) and _digits(d)):
        raise ValueError(f"malformed date {text!r}: {_DATE_HELP}")
    return _checked_date(int(y), int(m), int(d), text)


def date_parser(order: str = "mdy"):
    """parse_date with the file's day/month order bound (``order``: see DATE_ORDERS)."""
    if order not in DATE_ORDERS:
        raise ValueError(f"unknown date order {order!r}; use one of {', '.join(DATE_ORDERS)}")
    if order == "mdy":
        return parse_date
    return lambda raw: parse_date(raw, order)


def format_date(value: dt.date, style: str = "iso") -> str:
    """iso: 2025-03-07   us: 03/07/2025   us_short: 3/7/2025."""
    if style == "iso":
        return value.isoformat()
    if style == "us":
        return f"{value.month:02d}/{value.day:02d}/{value.year:04d}"
    if style == "us_short":
        return f"{value.month}/{value.day}/{value.year:04d}"
    raise ValueError(f"unknown date style {style!r}")


_TRUE = frozenset({"1", "y", "yes", "true", "t", "x", "disputed"})
_FALSE = frozenset({"", "0", "n", "no", "false", "f", "none", "-"})


def parse_flag(raw: str, what: str = "flag") -> bool:
    """Yes/No, Y/N, True/False, 1/0, X/empty -> bool."""
    text = raw.strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise ValueError(f"{what} {raw.strip()!r} is not yes or no (expected Yes/No, Y/N, True/False, 1/0)")


def parse_terms(raw: str) -> int:
    """'Net 30', 'NET30', 'N30', '30', '30 days' -> 30 (days until due)."""
    text = raw.strip().lower().replace("net", " ").replace("days", " ").replace("day", " ")
    text = text.strip().removeprefix("n").strip()
    if _digits(text) and 0 <= int(text) <= 3650:
        return int(text)
    raise ValueError(f"terms {raw.strip()!r} are not understood; expected Net 30, N30 or a number of days")


def parse_currency(raw: str) -> str:
    """'usd', ' USD ', '$' -> 'USD' (ISO 4217 letters)."""
    text = raw.strip().upper()
    if text == "$":
        return "USD"
    if len(text) == 3 and text.isascii() and text.isalpha():
        return text
    raise ValueError(f"currency {raw.strip()!r} is not a 3-letter ISO code such as USD")


def parse_transaction_type(raw: str) -> str:
    kind = raw.strip().lower()
    if kind in TYPE_SIGNS:
        return kind
    if not kind:
        raise ValueError("type is required")
    raise ValueError(f"unknown type {raw.strip()!r}; allowed: {', '.join(TRANSACTION_TYPES)}")


def _choice(raw: str, what: str, allowed: tuple[str, ...], aliases: dict[str, str]) -> str:
    value = " ".join(raw.lower().split())
    if value in allowed:
        return value
    if value in aliases:
        return aliases[value]
    raise ValueError(f"unknown {what} {raw.strip()!r}; allowed: {', '.join(allowed)}")


def parse_debt_type(raw: str) -> str:
    return _choice(raw, "debt_type", DEBT_TYPES, _DEBT_TYPE_ALIASES)


def parse_debtor_type(raw: str) -> str:
    return _choice(raw, "debtor_type", DEBTOR_TYPES, _DEBTOR_TYPE_ALIASES)


def parse_phone_type(raw: str) -> str:
    return _choice(raw, "phone_type", PHONE_TYPES, _PHONE_TYPE_ALIASES)


def parse_state(raw: str) -> str:
    """'ca', 'CA', 'California' -> 'CA' (states, DC, territories, military)."""
    text = " ".join(raw.split())
    code = text.replace(".", "").upper()
    if code in US_STATES:
        return code
    by_name = _STATE_BY_NAME.get(text.lower())
    if by_name:
        return by_name
    raise ValueError(f"unknown US state {raw.strip()!r}; use the 2-letter code")


@lru_cache(maxsize=1)
def _known_zips() -> frozenset[str]:
    # zipcodes.is_real scans its whole table (~3 ms a call); one set makes it a lookup.
    import zipcodes

    return frozenset(entry["zip_code"] for entry in zipcodes.list_all())


def parse_zip(raw: str) -> str:
    """'02134', '02134-1234', '021341234' -> 5-digit ZIP (or ZIP+4 'NNNNN-NNNN') that exists."""
    text = raw.strip()
    digits = text.replace("-", "").replace(" ", "")
    if not _digits(digits) or len(digits) not in (5, 9) or (len(text) == 10 and text[5] != "-"):
        raise ValueError(f"malformed ZIP code {text!r}; expected 12345 or 12345-6789")
    if digits[:5] not in _known_zips():
        raise ValueError(f"ZIP code {text!r} does not exist")
    return digits if len(digits) == 5 else f"{digits[:5]}-{digits[5:]}"


_EMAIL = re.compile(r"[^@\s]+@[^@\s.]+(\.[^@\s.]+)+")


def parse_email(raw: str) -> str:
    text = raw.strip()
    if not _EMAIL.fullmatch(text) or ".." in text:
        raise ValueError(f"malformed email address {text!r}")
    local, _, domain = text.rpartition("@")
    return f"{local}@{domain.lower()}"


@lru_cache(maxsize=65536)
def parse_phone(raw: str) -> str:
    """A valid US (or +country) number in E.164: '(617) 555-0134' -> '+16175550134'."""
    import phonenumbers

    text = raw.strip()
    try:
        number = phonenumbers.parse(text, "US")
    except phonenumbers.NumberParseException:
        raise ValueError(f"malformed phone number {text!r}") from None
    if not phonenumbers.is_valid_number(number):
        raise ValueError(f"invalid phone number {text!r}")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def parse_ssn_last4(raw: str) -> str:
    """Exactly the last 4 digits. A full SSN (123-45-6789) is refused, not reduced: we must not receive it
    (data minimisation), and the upload carrying it is deleted (accounts.imports.retention)."""
    digits = raw.strip().replace("-", "").replace(" ", "")
    if _digits(digits) and len(digits) == 4:
        return digits
    if _digits(digits) and len(digits) == 9:
        raise ValueError("ssn_last4 holds a full Social Security number: send only its last 4 digits "
                         "(the full number is refused and not kept)")
    raise ValueError("ssn_last4 must be 4 digits")


EARLIEST_BIRTH_YEAR = 1900  # nobody placed with us was born before this


def check_date_of_birth(value, *, today) -> str | None:
    """Why a date of birth is implausible (in the future, or before 1900), or None."""
    if value > today:
        return f"date_of_birth {value.isoformat()} is in the future"
    if value.year < EARLIEST_BIRTH_YEAR:
        return f"date_of_birth {value.isoformat()} is before {EARLIEST_BIRTH_YEAR}"
    return None


@cache
def _zip_states() -> dict[str, str]:
    import zipcodes

    return {entry["zip_code"]: entry["state"] for entry in zipcodes.list_all()}


def zip_state(zip_code: str) -> str | None:
    """The state a 5-digit ZIP belongs to (USPS table), or None when unknown."""
    return _zip_states().get(zip_code[:5])


def parse_money(raw: str, what: str) -> Decimal:
    """A placement balance: non-negative 2-place Decimal."""
    try:
        cents = parse_amount_cents(raw)
    except ValueError as exc:
        raise ValueError(str(exc).replace("amount", what, 1)) from None
    if cents < 0:
        raise ValueError(f"{what} cannot be negative")
    return cents_to_decimal(cents).quantize(_TWO)
