"""``inputs.printable``: what reaches a terminal, a log or the database from a file name or a
file's text — every character that could steer a terminal escaped, everything else kept."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from stridewise.inputs import _escaped, printable, short_text


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
def test_the_shortcut_for_printable_text_gives_what_the_character_rule_gives(text):
    assert printable(text) == _escaped(text)


def test_a_long_name_is_cut_to_one_printable_line():
    # white space (a line break too) folds to one space; other control characters are escaped
    assert short_text("Pegasus\n40\x1b " + "x" * 100, 20) == "Pegasus 40\\x1b xxxx…"
