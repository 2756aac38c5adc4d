"""Text that is safe to show: no terminal escape sequences, no control characters.

A page can hold bytes a terminal obeys: `ESC ] 0 ; title BEL` retitles the window,
`ESC [ 2 J` clears the screen, C1 controls (U+0080-U+009F) act as escapes on some
terminals. `printable` removes every escape sequence (CSI, OSC, DCS and the other
string commands, two-byte escapes) and every C0 and C1 control character except tab
and newline. The readers apply it to what they read, so stored text is clean, and
the command applies it again to everything it prints, so text stored by an older
nkwatch, or names from an outlet table, are clean on screen too.
"""

from __future__ import annotations

import re

# ESC sequences, and CSI in its C1 form (U+009B); other C1 characters go as controls.
ESCAPES = re.compile(
    r"""
      (?:\x1b\[|\x9b) [\x30-\x3f]* [\x20-\x2f]* [\x40-\x7e]?      # CSI ... final byte
    | \x1b[\]PX^_] [^\x07\n]*? (?:\x07|\x1b\\|\x9c|(?=\n)|$)  # OSC, DCS, SOS, PM, APC strings
    | \x1b [\x20-\x2f]* [\x30-\x7e]?                           # two-byte and nF escapes
    """,
    re.VERBOSE,
)
# C0 and C1 controls, and lone surrogates (which no file can hold, and no store can keep).
CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")
SPACES = re.compile(r"\s+")
BREAKS = re.compile(r"\s*[\n\t\v\f\u2028\u2029]\s*")


def printable(text: str) -> str:
    """The text without escape sequences and control characters (tab and newline kept;
    a carriage return becomes a newline)."""
    if text.isprintable():  # the common case: nothing to remove, tested in C
        return text
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return CONTROLS.sub("", ESCAPES.sub("", text))


def one_line(text: str) -> str:
    """Printable text on one line: runs of white space, newlines included, become one space."""
    return SPACES.sub(" ", printable(text)).strip()


def flat(text: str) -> str:
    """Printable text on one line: line breaks and tabs become one space; spaces stay."""
    return BREAKS.sub(" ", printable(text))
