"""Text from the catalog or the command line, made safe to print: the one place that decides.

`visible` shows control and invisible characters as escapes (`\\x1b`, `\\u202e`) so that a model
name cannot drive a terminal (clear the screen, set the title, write a hyperlink, ring the bell)
or hide or reorder what a reader sees (bidi overrides, zero-width characters, line separators).
Every human output applies it: error lines and hints, tables, text lines, CSV and Markdown.
JSON does not: it is exact data and escapes control characters itself.

`fit` makes text printable in the output's encoding: the tool's own symbols get ASCII stand-ins
(★ is `*`, a bar cell `#`), anything else the encoding lacks is shown as an escape.

Light on purpose (no typing, unicodedata only when needed): error paths import it.
"""

from __future__ import annotations

# The characters shown as escapes, by Unicode category: Cc (C0 and C1 controls, DEL: ESC, BEL,
# CR...), Cf (format: the bidi embeddings, overrides and isolates U+202A-U+202E and
# U+2066-U+2069, the marks U+200E, U+200F and U+061C, zero-width U+200B-U+200D, U+2060, U+FEFF,
# the soft hyphen, tag characters), Zl and Zp (U+2028, U+2029), and Cs (lone surrogates, which is
# how Python holds bytes of a command line that were not UTF-8). Spaces (Zs) stay as they are.
SHOWN_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})
_NAMED = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}

# ASCII stand-ins for the tool's own symbols on an output that cannot encode them.
GLYPHS = {
    "★": "*",
    "█": "#",
    "▏": "|",
    "×": "x",
    "—": "-",
    "–": "-",
    "…": "...",
    "─": "-",
    "│": "|",
}


def escape(char: str) -> str:
    """One character as a backslash escape: `\\t`, `\\x1b`, `\\u202e`, `\\U000e0041`."""
    named = _NAMED.get(char)
    if named is not None:
        return named
    code = ord(char)
    if code < 0x100:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def visible(text: str, *, newlines: bool = False) -> str:
    """`text` with every control, format and line-separator character shown as an escape.

    newlines=True keeps "\\n" as a line break, for a table cell that may hold several lines
    (a note); everywhere else a newline is shown as `\\n`, so that text cannot start a line of its
    own that looks like the tool's. Backslashes are left alone: the result is for reading.
    """
    if text.isprintable():  # fast path: none of those characters (nor any other non-printable)
        return text
    from unicodedata import category

    out = []
    for char in text:
        keep = char.isprintable() or (newlines and char == "\n")
        if keep or category(char) not in SHOWN_CATEGORIES:
            out.append(char)
        else:
            out.append(escape(char))
    return "".join(out)


def is_utf(encoding: str | None) -> bool:
    """Whether an encoding is a UTF (it can encode any text but lone surrogates)."""
    name = (encoding or "utf-8").lower().replace("_", "-")
    return name.startswith("utf")


def fit(text: str, encoding: str | None) -> str:
    """`text` as the encoding can print it: GLYPHS stand-ins, else escapes. Unchanged on UTF-8."""
    if text.isascii() or encoding is None or is_utf(encoding):
        return text
    try:
        text.encode(encoding)
        return text
    except (UnicodeEncodeError, LookupError):
        pass
    out = []
    for char in text:
        try:
            char.encode(encoding)
            out.append(char)
        except (UnicodeEncodeError, LookupError):
            out.append(GLYPHS.get(char) or escape(char))
    return "".join(out)
