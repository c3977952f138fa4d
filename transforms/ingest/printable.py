"""Names and texts from the inbox as they may be shown: on one line, with nothing a
terminal would act on (issue 37).

A file name comes from whoever filled the inbox: a Windows share may hand over bytes that
are not UTF-8 (Python keeps them as lone surrogates, which no database, log or terminal
accepts), and a name or a header may hold a line end or an escape sequence. Every such
character is written as a backslash escape instead: `\\n`, `\\r`, `\\t`, `\\xNN` (a
control character, or a byte of a name that is not UTF-8), `\\uNNNN` (an invisible
format or separator character). Escaping is idempotent: an escaped text is printable and
comes back unchanged, so a text may be escaped at every boundary it crosses. A backslash
already in a name is kept as it is.
"""

from __future__ import annotations

_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
# Lone surrogates U+DC80-U+DCFF are the bytes os.fsdecode could not decode
# (surrogateescape): they are shown as the bytes they were.
_UNDECODED = range(0xDC80, 0xDD00)


def _escape(char: str) -> str:
    code = ord(char)
    if char in _NAMED:
        return _NAMED[char]
    if code in _UNDECODED:
        return f"\\x{code - 0xDC00:02x}"
    if code < 0x100:
        return f"\\x{code:02x}"
    if code < 0x10000:
        return f"\\u{code:04x}"
    return f"\\U{code:08x}"


def printable(text: str) -> str:
    """`text` with every character Python does not deem printable (control, format,
    line and paragraph separators, surrogates, unassigned; a space is printable) escaped."""
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else _escape(c) for c in text)
