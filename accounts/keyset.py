"""Keyset pagination: newest first by (a field, id), pages addressed by the last row seen.

A page costs one index range read of `size + 1` rows wherever it is in the list, new rows never
shift a page, and nothing counts the whole table: when a total is shown it is capped
(COUNT_CAP, "more than 10,000"), read from at most that many index entries.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urlencode

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet

# A count stops here and says "more than": reading 10,001 index entries takes a few ms.
COUNT_CAP = 10_000


@dataclass
class KeysetPage:
    items: list
    after: str | None  # cursor of the next (older) page, None on the last page
    before: str | None  # cursor of the previous (newer) page, None on the first page
    count: int | None = None  # rows in the whole list, capped at COUNT_CAP + 1
    params: str = ""  # the request's other query parameters, for links

    def __iter__(self):
        return iter(self.items)

    def __len__(self):
        return len(self.items)

    @property
    def has_other_pages(self) -> bool:
        return bool(self.after or self.before)

    @property
    def count_capped(self) -> bool:
        return self.count is not None and self.count > COUNT_CAP

    @property
    def count_display(self) -> str:
        if self.count is None:
            return ""
        return f"more than {COUNT_CAP:,}" if self.count_capped else f"{self.count:,}"

    def _link(self, key: str, cursor: str) -> str:
        return "?" + "&".join(p for p in (self.params, urlencode({key: cursor})) if p)

    @property
    def next_url(self) -> str:
        return self._link("after", self.after) if self.after else ""

    @property
    def previous_url(self) -> str:
        return self._link("before", self.before) if self.before else ""


def _encode(value, pk) -> str:
    if value is None:
        return str(pk)
    if isinstance(value, datetime):
        value = value.isoformat()
    return f"{value}~{pk}"


def _decode(cursor: str, field: str | None, output_field) -> tuple[Any, int] | None:
    try:
        if field is None:
            return None, int(cursor)
        raw, _, pk = (cursor or "").rpartition("~")
        return output_field.to_python(raw), int(pk)
    except (TypeError, ValueError, ValidationError):  # a hand-edited cursor starts over
        return None


def _older(field: str | None, value, pk) -> Q:
    if field is None:
        return Q(pk__lt=pk)
    # `field <= v` bounds the index range; the OR only settles ties on the same value.
    return Q(**{f"{field}__lte": value}) & (Q(**{f"{field}__lt": value}) | Q(pk__lt=pk))


def _newer(field: str | None, value, pk) -> Q:
    if field is None:
        return Q(pk__gt=pk)
    return Q(**{f"{field}__gte": value}) & (Q(**{f"{field}__gt": value}) | Q(pk__gt=pk))


def keyset_page(queryset: QuerySet, *, field: str | None = None, after: str | None = None,
                before: str | None = None, size: int = 25, count: bool = False, params: str = "") -> KeysetPage:
    """One page of `queryset` ordered by (`field`, id) descending (by id alone when field is None).

    `after` is the cursor of the last row of the previous page (go older), `before` the cursor of
    the first row of the next page (go newer). `count=True` adds a total capped at COUNT_CAP + 1."""
    output_field = queryset.model._meta.get_field(field) if field else None
    desc = [f"-{field}", "-pk"] if field else ["-pk"]
    asc = [field, "pk"] if field else ["pk"]
    key_before = _decode(before, field, output_field) if before else None
    key_after = _decode(after, field, output_field) if after and not key_before else None

    def cursor_of(obj) -> str:
        return _encode(getattr(obj, field) if field else None, obj.pk)

    if key_before:
        rows = list(queryset.filter(_newer(field, *key_before)).order_by(*asc)[:size + 1])
        more_newer = len(rows) > size
        items = list(reversed(rows[:size]))
        has_older = True
        has_newer = more_newer
    else:
        base = queryset.filter(_older(field, *key_after)) if key_after else queryset
        rows = list(base.order_by(*desc)[:size + 1])
        items = rows[:size]
        has_older = len(rows) > size
        has_newer = bool(key_after) and queryset.filter(_newer(field, *key_after)).exists()
    total = None
    if count:
        # In the page's own index order, so the count reads the same index range a page does.
        total = queryset.order_by(*desc)[:COUNT_CAP + 1].count()
    return KeysetPage(items=items, after=cursor_of(items[-1]) if has_older and items else None,
                      before=cursor_of(items[0]) if has_newer and items else None, count=total, params=params)


def other_params(request, *drop: str) -> str:
    """The request's query string without the cursor parameters (and `drop`), for page links."""
    params = request.GET.copy()
    for key in ("after", "before", "page", *drop):
        params.pop(key, None)
    return params.urlencode()
