"""Ledger and placement imports: upload, dry run, import (Celery), progress and history.

`services` is the door (the upload page, the API, the Celery task and `import_ledger` all call
it); `transactions` and `placements` hold the two set-based write paths; `staging` the temp-table
and COPY plumbing.
"""
