"""Awkward and hostile texts for a language model: read for what they are, with a note on what was done, or refused
in words (issue 13). The last tests generate hostile files with Hypothesis."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from workbench.core.errors import DataError, WorkbenchError
from workbench.core.text.source import read_text

LINE = "The quick brown fox jumps over the lazy dog.\n"
TEXT = LINE * 10  # 450 characters


def write(folder, data: bytes, name: str = "book.txt"):
    path = folder / name
    path.write_bytes(data)
    return path


@pytest.mark.parametrize("encoding, order", [("utf-16-le", "little"), ("utf-16-be", "big")])
def test_utf16_without_a_byte_order_mark(tmp_path, encoding, order):
    source = read_text(write(tmp_path, ("Größe " + TEXT).encode(encoding)))
    assert source.text == "Größe " + TEXT and source.encoding == "utf-16"
    assert source.notes[1] == (f"Read as UTF-16 ({order}-endian, found by the zero bytes between its letters: it has "
                               "no byte-order mark).")


def test_a_few_nul_bytes_are_removed_counted_and_placed(tmp_path):
    data = TEXT.encode().replace(b"fox", b"f\x00ox", 1).replace(b"dog.\nThe", b"dog.\n\x00\x00The", 1)
    source = read_text(write(tmp_path, data))
    assert source.text == TEXT
    assert "3 NUL bytes (zero bytes, not text) were removed (lines 1, 2)." in source.notes


def test_one_nul_byte(tmp_path):
    source = read_text(write(tmp_path, TEXT.encode() + b"\x00"))
    assert "1 NUL byte (a zero byte, not text) was removed (line 11)." in source.notes


def test_binary_files_are_still_refused(tmp_path):
    for data in (bytes(range(256)) * 8, TEXT.encode() + b"\x00" * 64):
        with pytest.raises(DataError) as err:
            read_text(write(tmp_path, data))
        assert err.value.message == ("book.txt looks like a binary file, not text: it contains many NUL or other "
                                     "control bytes.")


def test_one_repeated_character_is_refused(tmp_path):
    with pytest.raises(DataError) as err:
        read_text(write(tmp_path, b"a" * 5000 + b"\n" + b"a" * 100))
    assert str(err.value) == ("book.txt is one character ('a') repeated 5,100 times: a language model can learn "
                              "nothing from it, since every next character is the same. Choose a file with real "
                              "text in it.")


# --- generated hostile files ---------------------------------------------------------------------------------

ENCODINGS = ("utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "latin-1", "cp1252")


@st.composite
def text_like(draw) -> bytes:
    """Text in a random encoding, with stray NULs, invalid bytes, odd line ends, or one character repeated."""
    text = draw(st.one_of(st.text(max_size=400), st.just(TEXT), st.sampled_from("a\x00\n ").map(lambda c: c * 300)))
    text = text.replace("\n", draw(st.sampled_from(["\n", "\r\n", "\r"])))
    data = text.encode(draw(st.sampled_from(ENCODINGS)), errors="replace")
    for _ in range(draw(st.integers(0, 4))):
        at = draw(st.integers(0, len(data)))
        data = data[:at] + draw(st.sampled_from([b"\x00", b"\xff", b"\xc3", b"\xfe\xff", b"\x01"])) + data[at:]
    return data


def read_or_refuse(path) -> None:
    try:
        source = read_text(path)
    except WorkbenchError as error:
        assert str(error).strip()
        return
    assert source.text and all(note.strip() for note in source.notes)


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    return tmp_path_factory.mktemp("hostile_texts")


# Deterministic (derandomize) so CI sees the same examples every run.
HOSTILE = settings(max_examples=150, deadline=None, derandomize=True, database=None,
                   suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])


@HOSTILE
@given(data=st.binary(max_size=2000))
def test_random_bytes_load_or_are_refused_in_words(folder, data):
    read_or_refuse(write(folder, data))


@HOSTILE
@given(data=text_like())
def test_hostile_texts_load_or_are_refused_in_words(folder, data):
    read_or_refuse(write(folder, data))
