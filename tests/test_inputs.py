"""``inputs.printable``: what reaches a terminal, a log or the database from a file name or a
file's text — every character that could steer a terminal escaped, everything else kept."""

from __future__ import annotations

import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from stridewise.inputs import printable, short_text


def _one_by_one(text: str) -> str:
    """The rule character by character (what ``printable`` does when a text needs escaping)."""
    out = []
    for char in text:
        code = ord(char)
        if 0xDC80 <= code <= 0xDCFF:
            out.append(f"\\x{code - 0xDC00:02x}")
        elif char == " " or (
            char.isprintable() and unicodedata.category(char) not in ("Cc", "Cf", "Cs", "Co")
        ):
            out.append(char)
        else:
            out.append(f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")
    return "".join(out)


def test_names_runners_write_are_kept_as_they_are():
    for name in ("Morning Run.fit", "Løb i skoven – 10 km", "朝ラン", "Pegasus $120", ""):
        assert printable(name) == name


def test_what_could_steer_a_terminal_is_escaped():
    assert printable("\x1b]0;pwned\x07run.fit") == "\\x1b]0;pwned\\x07run.fit"
    assert printable("line\nbreak\ttab") == "line\\x0abreak\\x09tab"
    assert printable("right\u202eto-left") == "right\\u202eto-left"  # a format character
    assert printable("private\ue000") == "private\\ue000"
    assert printable("byte\udc80name") == "byte\\x80name"  # os.fsdecode's stand-in for 0x80


@given(st.text(alphabet=st.characters(codec=None), max_size=40))
def test_printable_is_the_character_rule_for_any_text(text):
    assert printable(text) == _one_by_one(text)


def test_a_long_name_is_cut_to_one_printable_line():
    # white space (a line break too) folds to one space; other control characters are escaped
    assert short_text("Pegasus\n40\x1b " + "x" * 100, 20) == "Pegasus 40\\x1b xxxx…"
