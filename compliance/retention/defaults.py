"""Default retention policies, from the rule book. Pure data; migration 0010 seeds them.

Reg F 12 CFR 1006.100(a): keep records that evidence compliance from the start of collection activity on
a debt until three years after the last collection activity on it; 1006.100(b): keep each recorded call
three years after the call. The periods below are that floor ([POL] where we chose more or less for data
that is not evidence, e.g. error reports, which only repeat rows of a file).
"""

from django.utils.translation import gettext_noop

# measured_from and basis are stored as written here; the retention page shows them translated (gettext_noop marks
# them for the catalogue without translating the stored text)
THREE_YEARS = 3 * 365 + 1  # days: three calendar years, one leap day included

DEFAULT_POLICIES = [
    {"kind": "contact_attempts", "retention_days": THREE_YEARS, "action": "anonymise",
     "measured_from": gettext_noop("the account's last collection activity"),
     "basis": gettext_noop("12 CFR 1006.100(a) (evidence of compliance: 3 years after the last collection "
                           "activity); 1006.100(b) (call recordings: 3 years after the call)")},
    {"kind": "personal_data", "retention_days": THREE_YEARS, "action": "anonymise",
     "measured_from": gettext_noop("the last activity on the debtor's last account, once every account is closed "
                                   "or paid"),
     "basis": gettext_noop("12 CFR 1006.100(a) floor; [POL] personal data is not kept past it. Ledger money facts "
                           "(amounts, dates, references) are kept.")},
    {"kind": "import_files", "retention_days": THREE_YEARS, "action": "delete",
     "measured_from": gettext_noop("the upload date"),
     "basis": gettext_noop("12 CFR 1006.100(a): placement files evidence what the creditor said the debt was")},
    {"kind": "error_reports", "retention_days": 180, "action": "delete",
     "measured_from": gettext_noop("the upload date"),
     "basis": gettext_noop("[POL] error reports repeat rows of an import file for correction; not evidence once "
                           "fixed")},
    {"kind": "generated_letters", "retention_days": THREE_YEARS, "action": "delete",
     "measured_from": gettext_noop("the account's last collection activity"),
     "basis": gettext_noop("12 CFR 1006.100(a): letters (validation notices) evidence compliance until 3 years after "
                           "the last collection activity")},
]
