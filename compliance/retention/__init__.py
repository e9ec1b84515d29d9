"""Record retention: policies per record kind, legal holds, and the set-based purge (``services.purge_run``)."""
