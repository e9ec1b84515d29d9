"""Spanish as a US agency writes it (es-US): numbers and money as in English, $1,250.40, so a figure reads
the same on every screen, letter, CSV and API whatever the reader's language (Django's ``es`` would write
1 250,40). Dates and month names stay Spanish."""

DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
