"""Stored English messages read in the user's language.

Import validation messages and the compliance engine's explanations are written in English (the error
report, the API and the decision record keep that English). Each kind of message is a template here: its
English with named placeholders, a msgid of the Spanish catalogue. A message is stored as, or read back
into, its *key* ``{"msg": template, "params": {...}}`` and rendered with gettext when shown:

    catalogue = Catalogue(messages=[gettext_noop("unknown account %(number)s for creditor %(creditor)s")])
    key = catalogue.key("unknown account '0042' for creditor ACME")
    # {"msg": "unknown account %(number)s for creditor %(creditor)s", "params": {...}}
    catalogue.render(key)   # the active language ("cuenta desconocida '0042' del acreedor ACME")

Placeholders by name:
- ``%(x)s``: a value shown as it is (a number, a date, a name, a code), or translated if it is one of the
  catalogue's ``words`` (short English fragments code fills in, such as "blank" or "the consumer");
- ``%(x_text)s``: a fragment that is itself a catalogue message (translated in turn; a template whose fragment
  is no known message does not match);
- ``%(x_list)s``: fragments joined by "; ", each translated in turn (each must be a known message).

A text no template matches (an older wording, a message from elsewhere) renders as it was stored: it still
shows, in English. ``render`` accepts a key, a stored English string or a list of either.
"""

from __future__ import annotations

import re
from functools import cached_property

from django.utils.translation import gettext

PLACEHOLDER = re.compile(r"%\((\w+)\)s")
LIST_SEPARATOR = "; "


class Catalogue:
    """Templates of one kind of message: ``messages`` match whole texts, ``parts`` the fragments inside them."""

    def __init__(self, *, messages: list[str], parts: list[str] = (), words: list[str] = ()):
        self.messages = list(messages)
        self.parts = list(parts)
        self.words = set(words)

    @cached_property
    def _compiled(self) -> list[tuple[re.Pattern, str]]:
        return [(self._pattern(t), t) for t in self.messages]

    @cached_property
    def _compiled_parts(self) -> list[tuple[re.Pattern, str]]:
        return [(self._pattern(t), t) for t in self.parts] + self._compiled

    @staticmethod
    def _pattern(template: str) -> re.Pattern:
        pieces, at = [], 0
        for found in PLACEHOLDER.finditer(template):
            pieces.append(re.escape(template[at:found.start()].replace("%%", "%")))
            name = found[1]
            pieces.append(f"(?P<{name}>.+)" if name.endswith("_list") else f"(?P<{name}>.+?)")
            at = found.end()
        pieces.append(re.escape(template[at:].replace("%%", "%")))
        return re.compile("^" + "".join(pieces) + "$", re.S)

    def key(self, text: str, *, part: bool = False) -> dict | None:
        """The key of an English message (None when no template matches it)."""
        if not isinstance(text, str) or not text:
            return None
        for pattern, template in (self._compiled_parts if part else self._compiled):
            found = pattern.match(text)
            if not found:
                continue
            params = {}
            for name, value in found.groupdict().items():
                if name.endswith("_text"):
                    value = self.key(value, part=True)
                    if value is None:
                        break  # the fragment is no known message: this template does not fit
                elif name.endswith("_list"):
                    value = [self.key(item, part=True) for item in value.split(LIST_SEPARATOR)]
                    if None in value:
                        break
                params[name] = value
            else:
                return {"msg": template, "params": params}
        return None

    def stored(self, text: str) -> dict | str:
        """What to store for an English message: its key, or the text itself when no template matches."""
        return self.key(text) or text

    def render(self, value, *, english: bool = False):
        """A stored message (key, English text or a list of either) in the active language; ``english``:
        the English text again (what the API and the audit record show)."""
        if isinstance(value, list):
            return [self.render(v, english=english) for v in value]
        if isinstance(value, str):
            if english:
                return value
            value = self.key(value) or value
            if isinstance(value, str):
                return value
        if not isinstance(value, dict) or "msg" not in value:
            return "" if value is None else str(value)
        params = {name: self._param(name, v, english) for name, v in (value.get("params") or {}).items()}
        for template in ((value["msg"],) if english else (gettext(value["msg"]), value["msg"])):
            try:
                return template % params
            except (KeyError, ValueError, TypeError):
                continue
        return str(value["msg"])

    def _param(self, name: str, value, english: bool) -> str:
        if isinstance(value, list):
            return LIST_SEPARATOR.join(self._param(name, v, english) for v in value)
        if isinstance(value, dict):
            return self.render(value, english=english)
        value = "" if value is None else str(value)
        if not english and value in self.words:
            return gettext(value)
        return value

