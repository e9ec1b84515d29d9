"""The worklist domain: aging, scoring, rescoring, queues, leases ("next account"), dispositions.

Pure modules: ``buckets`` and ``scoring``. Set-based writes: ``rescoring``. The pop: ``leasing``.
Writes by topic: ``dispositions``, ``queues``, ``weights``. Reads: ``selectors``.
"""
