"""Import validation messages in the reader's language.

The parser (accounts.ledger_csv) and the import service write their messages in English: the error report
CSV, the API and the command line keep that English. Each kind of message is a template here; a batch stores
the key (template + parameters, accounts.texts) of every warning and of the error rows its review
page shows, and pages render them with gettext. Batches stored before keys were kept (plain English) are
read back into keys when shown; a text no template knows shows in English as it was stored.
tests/imports/test_texts.py checks that the parser's messages match these templates.
"""

from django.utils.translation import gettext_noop

from accounts.texts import Catalogue

# Cell and row errors (the error report's message column).
ROW_ERRORS = [
    gettext_noop("%(field)s is required"),
    gettext_noop("%(field)s is required (or business_name for a business)"),
    gettext_noop("business_name is required for a business debtor"),
    gettext_noop("%(field)s is too long (%(length)s characters; at most %(limit)s)"),
    gettext_noop("%(field)s is too large (at most %(limit)s)"),
    gettext_noop("too few fields: row has %(count)s, header has %(expected)s"),
    gettext_noop("too many fields: row has %(count)s, header has %(expected)s"),
    gettext_noop("too few fields: row has %(count)s, header has %(expected)s (a quoted cell spans several lines: "
                 "check for an unbalanced quote)"),
    gettext_noop("too many fields: row has %(count)s, header has %(expected)s (a quoted cell spans several lines: "
                 "check for an unbalanced quote)"),
    gettext_noop("amount is zero: a zero row changes no balance; leave it out of the file"),
    gettext_noop("a %(kind)s amount cannot be negative; record refunds and returned payments as reversal or "
                 "adjustment rows"),
    gettext_noop("reference %(reference)s already used on line %(line)s"),
    gettext_noop("unknown account %(number)s for this creditor"),
    gettext_noop("unknown account %(number)s for creditor %(creditor)s; did you mean %(hint)s? (they differ only "
                 "by leading zeros, spaces or letter case)"),
    gettext_noop("unknown account %(number)s for creditor %(creditor)s"),
    gettext_noop("account %(number)s would reach a balance of %(balance)s, over the largest balance an account "
                 "holds (%(limit)s); none of its rows can be imported"),
    gettext_noop("reference %(reference)s was already imported with different content"),
    gettext_noop("reference %(reference)s is used on an earlier line of this file"),
    gettext_noop("reverses %(reference)s: no such reference in the ledger or in this file"),
    gettext_noop("reversal of %(reference)s has the wrong sign or account: a reversal must move the balance the "
                 "opposite way to the entry it reverses, on the same account"),
    gettext_noop("account %(number)s already placed on line %(line)s"),
    gettext_noop("principal + interest + fees is %(total)s, over the largest balance an account holds "
                 "(%(limit)s)"),
    gettext_noop("date_of_birth %(date)s is in the future: not plausible"),
    gettext_noop("date_of_birth %(date)s is before %(year)s: not plausible"),
    gettext_noop("currency %(currency)s differs from the creditor's currency %(creditor_currency)s; amounts are "
                 "not converted"),
    gettext_noop("account number was mangled into scientific notation by a spreadsheet; format the column as "
                 "text and export again"),
]

# A message about one field or one file, before the parser's own words (matched last: they take any text).
GENERIC = [
    gettext_noop("%(field)s (column %(column)s): %(reason_text)s"),
    gettext_noop("%(field)s: %(reason_text)s (file column %(column)s)"),
    gettext_noop("%(reason_text)s (file column %(column)s)"),
    gettext_noop("%(field)s: %(reason_text)s"),
]

# What the cell parsers say (accounts.ledger_csv.values), alone or inside the messages above.
CELL_ERRORS = [
    gettext_noop("malformed %(field)s: expected a number like 1234.56, -12.50, $1,234.56 or (12.50)"),
    gettext_noop("malformed thousands separators: expected a number like 1234.56, -12.50, $1,234.56 or (12.50)"),
    gettext_noop("%(field)s has more than 2 decimal places"),
    gettext_noop("%(field)s cannot be negative"),
    gettext_noop("date %(date)s is out of range (%(range)s)"),
    gettext_noop("impossible date %(date)s (no such day)"),
    gettext_noop("malformed date %(date)s: expected YYYY-MM-DD, MM/DD/YYYY, YYYYMMDD or an ISO date-time with a "
                 "4-digit year"),
    gettext_noop("malformed date %(date)s: expected YYYY-MM-DD, MM/DD/YYYY, YYYYMMDD or an ISO date-time"),
    gettext_noop("%(field)s %(value)s is not yes or no (expected Yes/No, Y/N, True/False, 1/0)"),
    gettext_noop("terms %(value)s are not understood; expected Net 30, N30 or a number of days"),
    gettext_noop("currency %(value)s is not a 3-letter ISO code such as USD"),
    gettext_noop("unknown type %(value)s; allowed: %(allowed)s"),
    gettext_noop("unknown %(field)s %(value)s; allowed: %(allowed)s"),
    gettext_noop("unknown US state %(value)s; use the 2-letter code"),
    gettext_noop("malformed ZIP code %(value)s; expected 12345 or 12345-6789"),
    gettext_noop("ZIP code %(value)s does not exist"),
    gettext_noop("malformed email address %(value)s"),
    gettext_noop("malformed phone number %(value)s"),
    gettext_noop("invalid phone number %(value)s"),
    gettext_noop("ssn_last4 holds a full Social Security number: send only its last 4 digits (the full number is "
                 "refused and not kept)"),
    gettext_noop("ssn_last4 must be 4 digits"),
    gettext_noop("%(value)s is not a whole number of minor units (cents); the mapping says this column is in "
                 "minor units"),
]

# A dry run's warnings (allowed, but probably wrong).
WARNINGS = [
    gettext_noop("%(count)s row(s) are dated in the future (first on line %(line)s)."),
    gettext_noop("%(count)s row(s) are dated before %(year)s (first on line %(line)s)."),
    gettext_noop("%(count)s reversal(s) do not name the entry they reverse (map a 'reverses' column): their sign "
                 "cannot be checked."),
    gettext_noop("%(kind)s: the average amount, %(average)s, is %(ratio)s times this creditor's usual %(usual)s; "
                 "are the amounts in minor units (cents)?"),
    gettext_noop("%(kind)s: every amount is a whole number and the average is %(average)s; if 89900 means 899.00, "
                 "choose 'amounts in minor units' in the mapping."),
    gettext_noop("Payments exceed the balance on %(count)s account(s) (e.g. %(example)s)."),
    gettext_noop("%(count)s unknown account number(s) look like existing accounts with leading zeros, spaces or "
                 "case changed (%(examples)s): was the file opened in a spreadsheet?"),
    gettext_noop("The file has no reference column: each row's reference is generated from account, date, type, "
                 "amount and its occurrence number (a re-sent file stays a no-op)."),
    gettext_noop("%(field)s is in the future (first on line %(line)s)."),
    gettext_noop("%(field)s is before %(year)s (first on line %(line)s)."),
    gettext_noop("Every balance is a whole number and the average is %(average)s; if 89900 means 899.00, choose "
                 "'amounts in minor units' in the mapping."),
    gettext_noop("%(count)s address(es) have a ZIP code in another state than the one given (first on line "
                 "%(line)s: ZIP %(zip)s is in %(actual)s, not %(given)s); the debtor's time zone comes from both, "
                 "check the addresses."),
    gettext_noop("%(count)s placement(s) are flagged disputed: a dispute is opened for each, and collection on "
                 "them halts until it is resolved."),
]

# The batch's message: what it is doing, how it ended, why it was refused or stopped.
BATCH_MESSAGES = [
    gettext_noop("Reading and validating rows…"),
    gettext_noop("Checking %(count)s rows against accounts and earlier imports…"),
    gettext_noop("Writing %(count)s entries to the ledger and updating balances…"),
    gettext_noop("Writing %(count)s placements: debtors, contact points, accounts and opening ledgers…"),
    gettext_noop("Converting the Excel workbook to CSV on a worker…"),
    gettext_noop("%(count)s invalid row(s): nothing was written. Fix the file or choose “skip invalid rows”."),
    gettext_noop("Imported: %(created)s created, %(updated)s updated, %(duplicates)s duplicates skipped."),
    gettext_noop("Imported: %(created)s created, %(updated)s updated, %(duplicates)s duplicates skipped, "
                 "%(invalid)s invalid rows skipped (see the error report)."),
    gettext_noop("This file (SHA-256 %(sha)s…) was already imported on %(when)s UTC as batch #%(batch)s; nothing "
                 "was applied again."),
    gettext_noop("The import was interrupted: the database was unavailable (%(detail)s). Nothing was written; start "
                 "it again."),
    gettext_noop("The dry run was interrupted: the database was unavailable (%(detail)s). Nothing was written; start "
                 "it again."),
    gettext_noop("The database refused a value in this file (%(detail)s). Nothing was written; fix the file and "
                 "upload it again."),
    gettext_noop("The import stopped on an internal error (%(detail)s). Nothing was written; report this to your "
                 "administrator with the batch number."),
    gettext_noop("The import stopped: its file could not be read (%(detail)s). Nothing was written; start it "
                 "again."),
    gettext_noop("The import stopped (%(detail)s). Nothing was written; start it again."),
    gettext_noop("The worker running this import stopped (no sign of life since %(seen)s). Nothing was written; "
                 "start it again."),
    gettext_noop("The worker running this dry run stopped (no sign of life since %(seen)s). Nothing was written; "
                 "start it again."),
    gettext_noop("The worker converting this workbook stopped (no sign of life since %(seen)s). Nothing was kept; "
                 "upload it again, or save it as CSV and upload that."),
    gettext_noop("%(name)s: the file is %(size)s, over the %(limit)s limit for imports."),
    gettext_noop("%(name)s: the file is empty."),
    gettext_noop("%(name)s: line %(line)s has a full Social Security number in ssn_last4. Only the last 4 digits "
                 "may be sent; the file was refused and deleted."),
    gettext_noop("%(name)s: the file was refused and deleted."),
    gettext_noop("%(name)s: the Excel workbook could not be read: %(reason)s."),
    # why a step is refused (the import pages show these as messages)
    gettext_noop("This import has already started: “skip invalid rows” can no longer change."),
    gettext_noop("This import is %(status)s: there is nothing to dry-run."),
    gettext_noop("The workbook is still being converted: map its columns and dry-run it first."),
    gettext_noop("%(message_text)s Starting it again cannot succeed: fix the file and upload it again."),
    gettext_noop("This file cannot be imported as it is: fix it and upload it again."),
    gettext_noop("The dry run found invalid rows: fix the file or choose “skip invalid rows”."),
    gettext_noop("The mapping cannot be used: %(reason_text)s"),
]

# The file as a whole (accounts.ledger_csv), after the file's name.
FILE_ERRORS = [
    gettext_noop("the mapping targets unknown %(kind)s field %(field)s"),
    gettext_noop("this file is in %(currency)s but the creditor's currency is %(creditor_currency)s; it cannot be "
                 "imported for this creditor"),
    # a mapping that leaves required columns out and maps two columns to one field says both, "; " between
    # (the longer templates first: the shorter ones would take the rest of the text into their last value)
    gettext_noop("missing required columns: %(columns)s; %(conflicts_text)s"),
    gettext_noop("missing required columns: %(columns)s"),
    gettext_noop("columns %(columns)s both map to %(field)s; map one of them to nothing; %(more_text)s"),
    gettext_noop("columns %(columns)s both map to %(field)s; map one of them to nothing"),
    # a mapping file (the columns page's upload, import_ledger --mapping) that cannot be used
    gettext_noop("column mapping targets unknown %(kind)s field %(field)s"),
    gettext_noop("mapping version %(version)s is not supported (expected %(expected)s)"),
    gettext_noop("%(field)s: unknown derivation %(derive)s; one of %(allowed)s"),
    gettext_noop("%(field)s: the derivation %(derive)s does not apply to this field"),
    gettext_noop("type: %(value)s is not a transaction type"),
    gettext_noop("%(field)s: choose a column, a fixed value or a derivation"),
    gettext_noop("value mapping for unknown %(kind)s field %(field)s"),
    gettext_noop("date_order must be one of %(allowed)s"),
    gettext_noop("%(field)s: the mapping names column %(column)s, which this file does not have"),
    gettext_noop("line %(line)s: a field is longer than %(limit)s characters; usually a quote that is never closed, "
                 "so the rest of the file was read into one cell"),
    gettext_noop("line %(line)s: cannot read CSV (%(detail)s)"),
    gettext_noop("the mapping must be a JSON object"),
    gettext_noop("in the mapping, %(part)s must be a JSON object"),
    gettext_noop("in the mapping, %(part)s must be a JSON object or null"),
    gettext_noop("in the mapping, %(part)s must be text or a number"),
    gettext_noop("in the mapping, %(part)s must be text"),
    gettext_noop("in the mapping, %(part)s must be a list of column names"),
    gettext_noop("in the mapping, %(part)s must be a field name or null"),
    gettext_noop("in the mapping, %(part)s must be true or false"),
    gettext_noop("this mapping is for %(kind)s files, not %(other)s"),
    gettext_noop("file is empty"),
    gettext_noop("file is not text (it contains NUL bytes); upload a CSV file"),
    gettext_noop("file is over the size limit of %(size)s"),
    gettext_noop("file looks like %(what)s"),
    gettext_noop("file starts like UTF-16 but is not valid UTF-16"),
    gettext_noop("line %(line)s: a quoted field is never closed, so the rest of the file was read into it; check "
                 "that line for an unbalanced quote"),
    gettext_noop("line %(line)s: byte %(byte)s is not valid UTF-8, yet the file holds UTF-8 text elsewhere (mixed "
                 "encodings or a damaged file); save it as UTF-8 and upload it again"),
    gettext_noop("line %(line)s: byte %(byte)s is not valid UTF-8, and the file does not read as Windows-1252 either "
                 "(it may be Shift-JIS or another multi-byte encoding); save it as UTF-8 and upload it again"),
]

CATALOGUE = Catalogue(messages=ROW_ERRORS + CELL_ERRORS + WARNINGS + BATCH_MESSAGES + FILE_ERRORS + GENERIC,
                      parts=CELL_ERRORS + FILE_ERRORS + BATCH_MESSAGES,
                      words=[gettext_noop("transactions"), gettext_noop("accounts")])


def message_key(text: str) -> dict | str:
    """What a batch stores for one English message: its key, or the text when no template knows it."""
    return CATALOGUE.stored(text)


def message_text(stored) -> str:
    """A stored message (key or English text) in the active language."""
    return CATALOGUE.render(stored)
