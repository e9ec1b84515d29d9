"""Supervisor dashboards: summary tables kept by triggers, the figures read from them, the pages."""
