"""Text sources, vocabularies and token streams for the language model."""

import codecs

import numpy as np
import pytest
import torch

from workbench.core.errors import DataError
from workbench.core.text.source import MIN_CHARACTERS, read_text
from workbench.core.text.streams import chunks, n_chunks, split_text, stream_matrix
from workbench.core.text.vocab import UNKNOWN, Vocabulary, build_vocabulary, token_counts, tokenize

LINE = "The quick brown fox jumps over the lazy dog.\n"
TEXT = LINE * 10  # 450 characters


def write(tmp_path, data: bytes, name: str = "book.txt"):
    path = tmp_path / name
    path.write_bytes(data)
    return path


# --- source ---------------------------------------------------------------------------------------------------


def test_plain_utf8(tmp_path):
    source = read_text(write(tmp_path, TEXT.encode()))
    assert source.text == TEXT
    assert source.encoding == "utf-8"
    assert source.notes == ["450 characters on 10 lines.", "Read as UTF-8."]


def test_utf8_with_bom(tmp_path):
    source = read_text(write(tmp_path, codecs.BOM_UTF8 + ("é" + TEXT).encode()))
    assert source.text == "é" + TEXT
    assert source.encoding == "utf-8-sig"


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_by_bom(tmp_path, codec):
    bom = codecs.BOM_UTF16_LE if codec == "utf-16-le" else codecs.BOM_UTF16_BE
    source = read_text(write(tmp_path, bom + ("ü" + TEXT).encode(codec)))
    assert source.text == "ü" + TEXT
    assert source.encoding == "utf-16"


def test_crlf_and_cr_become_newlines_with_a_note(tmp_path):
    source = read_text(write(tmp_path, (TEXT.replace("\n", "\r\n") + "end\rmore").encode()))
    assert "\r" not in source.text
    assert source.text == TEXT + "end\nmore"
    assert "10 Windows (CRLF) and 1 old Mac (CR) line ends were changed to plain newlines." in source.notes


def test_a_few_invalid_bytes_are_replaced_and_counted(tmp_path):
    lines = [LINE.encode()] * 20
    lines[3] = b"caf\xe9 " + LINE.encode()
    lines[16] = b"\xff\xfe" + LINE.encode()
    source = read_text(write(tmp_path, b"".join(lines)))
    assert source.text.count("\ufffd") == 3
    assert source.text.startswith(LINE * 3 + "caf\ufffd ")
    assert "3 bytes were not valid UTF-8 and were replaced with U+FFFD (lines 4, 17)." in source.notes


def test_mostly_invalid_bytes_are_refused(tmp_path):
    data = TEXT.encode("latin-1").replace(b"o", b"\xf6")
    with pytest.raises(DataError) as info:
        read_text(write(tmp_path, data))
    assert info.value.message == (
        "book.txt is not UTF-8 text: 40 of its 450 bytes are not valid UTF-8. "
        "It may be in another encoding such as Latin-1, or not text at all."
    )
    assert info.value.hint == "Open it in a text editor and save it as UTF-8 text."


def test_empty_file_is_refused(tmp_path):
    with pytest.raises(DataError) as info:
        read_text(write(tmp_path, b""))
    assert info.value.message == "book.txt is empty."
    assert info.value.hint == "Choose a file with some text in it."


def test_whitespace_only_is_refused(tmp_path):
    with pytest.raises(DataError) as info:
        read_text(write(tmp_path, b" \n\t\r\n" * 100))
    assert info.value.message == "book.txt holds only spaces and blank lines."


def test_tiny_text_is_refused(tmp_path):
    with pytest.raises(DataError) as info:
        read_text(write(tmp_path, b"x" * (MIN_CHARACTERS - 1)))
    assert info.value.message == "book.txt has 199 characters; a language model needs at least 200."
    assert info.value.hint == "Add more text to the file or choose a longer one."
    assert read_text(write(tmp_path, b"xy" * (MIN_CHARACTERS // 2))).text == "xy" * (MIN_CHARACTERS // 2)


def test_binary_is_refused(tmp_path):
    with pytest.raises(DataError) as info:
        read_text(write(tmp_path, bytes(range(256)) * 8))
    assert info.value.message == ("book.txt looks like a binary file, not text: it contains many NUL or other "
                                  "control bytes.")


def test_missing_file_and_folder_are_refused(tmp_path):
    with pytest.raises(DataError, match="does not exist") as info:
        read_text(tmp_path / "nothing.txt")
    assert info.value.path == str(tmp_path / "nothing.txt")
    with pytest.raises(DataError, match="is a folder, not a file"):
        read_text(tmp_path)


# --- vocabulary -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("level", ["char", "word"])
def test_tokenize_round_trip(level):
    text = "Hello, world!\n\n  It's 3.14 -- naïve\tcafé; 東京。 end"
    assert "".join(tokenize(text, level)) == text


def test_word_tokens():
    assert tokenize("Hi, you  two.\n", "word") == ["Hi", ",", " ", "you", "  ", "two", ".", "\n"]


def test_vocabulary_most_frequent_first_ties_by_first_appearance():
    vocab = build_vocabulary("abcbcc", "char")
    assert vocab.tokens == (UNKNOWN, "c", "b", "a")
    assert build_vocabulary("xyyzzx", "char").tokens == (UNKNOWN, "x", "y", "z")


def test_vocabulary_max_size_counts_unknown():
    vocab = build_vocabulary("aaabbc", "char", max_size=3)
    assert vocab.tokens == (UNKNOWN, "a", "b")
    assert vocab.encode("abcz").tolist() == [1, 2, 0, 0]
    with pytest.raises(ValueError, match="at least 2"):
        build_vocabulary("abc", "char", max_size=1)


def test_encode_decode_round_trip_at_both_levels():
    for level in ("char", "word"):
        vocab = build_vocabulary(TEXT, level)
        ids = vocab.encode(TEXT)
        assert ids.dtype == np.int64
        assert vocab.decode(ids) == TEXT
        assert vocab.decode(torch.from_numpy(ids)) == TEXT
    assert build_vocabulary(TEXT, "word").encode("The cat").tolist()[-1] == 0


def test_decode_refuses_ids_outside_the_vocabulary():
    with pytest.raises(ValueError, match="Token id 9 is outside the vocabulary of 3 tokens."):
        build_vocabulary("ab", "char").decode([1, 9])


def test_vocabulary_dict_round_trip():
    vocab = build_vocabulary(TEXT, "word")
    assert Vocabulary.from_dict(vocab.to_dict()) == vocab


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ("tokens", "must be a mapping"),
        ({"level": "char"}, "has no 'tokens'"),
        ({"level": "byte", "tokens": [UNKNOWN]}, "must be one of char, word"),
        ({"level": "char", "tokens": "abc"}, "must be a list"),
        ({"level": "char", "tokens": ["a", "b"]}, "must be the unknown token"),
        ({"level": "char", "tokens": [UNKNOWN, "a", "a"]}, "appears more than once"),
        ({"level": "char", "tokens": [UNKNOWN, "ab"]}, "single characters only"),
        ({"level": "word", "tokens": [UNKNOWN, 3]}, "non-empty string"),
    ],
)
def test_vocabulary_from_junk_is_refused(data, message):
    with pytest.raises(ValueError, match=message):
        Vocabulary.from_dict(data)


def test_token_counts():
    assert token_counts("aab", "char") == [("a", 2), ("b", 1)]
    assert token_counts(TEXT, "word", top=1) == [(" ", 80)]


# --- streams --------------------------------------------------------------------------------------------------


def test_split_builds_vocabulary_from_train_only():
    text = "ab" * 45 + "abz" * 3 + "a"  # 100 characters; "z" only in the last 10
    split = split_text(text, "char", val_fraction=0.1)
    assert len(split.train) == 90 and len(split.val) == 10
    assert "z" not in split.vocabulary.tokens
    assert split.val.tolist()[2] == 0  # "z" is unknown
    assert split.vocabulary.decode(split.train) == text[:90]


def test_split_refuses_too_short_parts():
    with pytest.raises(DataError) as info:
        split_text("abcdefghij", "char", val_fraction=0.1)
    assert info.value.message == (
        "The text has 10 characters, which leaves 1 for the validation part; each part needs at least 2."
    )


def test_stream_matrix_rows_are_contiguous():
    matrix = stream_matrix(np.arange(23), batch_size=4)
    assert matrix.shape == (4, 5) and matrix.dtype == torch.int64
    assert matrix[1].tolist() == [5, 6, 7, 8, 9]
    assert matrix.flatten().tolist() == list(range(20))
    assert stream_matrix(np.arange(3), batch_size=4).shape == (4, 0)


def test_chunks_shift_by_one_and_continue_each_row():
    matrix = stream_matrix(np.arange(60), batch_size=3)  # (3, 20)
    pairs = list(chunks(matrix, seq_len=6))
    assert len(pairs) == n_chunks(20, 6) == 4
    assert [inputs.shape[1] for inputs, _ in pairs] == [6, 6, 6, 1]
    for inputs, targets in pairs:
        assert torch.equal(targets[:, :-1], inputs[:, 1:])
        assert torch.equal(targets, inputs + 1)  # ids are positions, so the next token is one more
    rebuilt = torch.cat([inputs for inputs, _ in pairs] + [pairs[-1][1][:, -1:]], dim=1)
    assert torch.equal(rebuilt, matrix)


def test_chunks_stop_below_two_columns():
    assert list(chunks(stream_matrix(np.arange(4), batch_size=4), seq_len=5)) == []
    assert n_chunks(1, 5) == 0 and n_chunks(0, 5) == 0
    assert n_chunks(2, 5) == 1 and n_chunks(7, 3) == 2
