"""Classification data without torch: settings, columns and labels, the stratified split, padding and truncation."""

import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from workbench.core.classify.config import (
    DEFAULT_WORD_VOCAB,
    ClassifyConfig,
    classifier_parameter_count,
    describe_classifier,
)
from workbench.core.classify.data import imbalance_warning, labelled_texts
from workbench.core.classify.dataset import summarize_classification
from workbench.core.classify.encoding import (
    PAD_ID,
    UNKNOWN_ID,
    auto_max_len,
    build_vocabulary,
    encode_texts,
    padded_example,
    text_tokens,
)
from workbench.core.classify.splits import stratified_split
from workbench.core.errors import ConfigError, DataError
from workbench.core.models.config import ModelConfig
from workbench.core.run_config import ClassifyRunConfig
from workbench.core.text.vocab import UNKNOWN


def reviews(n: int = 60) -> pd.DataFrame:
    rng = np.random.default_rng(0)
    good, bad = ["great", "lovely", "superb"], ["awful", "poor", "broken"]
    rows = []
    for i in range(n):
        label = "pos" if i % 3 else "neg"
        words = good if label == "pos" else bad
        very = "very " * (i % 7 // 6 * 3)  # one text in 7 is three tokens longer
        rows.append({"id": i, "review": f"The kettle is {very}{rng.choice(words)}.", "sentiment": label})
    return pd.DataFrame(rows)


# ---- settings

def test_a_classify_run_has_its_own_defaults_and_reads_them_back():
    config = ClassifyRunConfig()
    assert (config.model.layers, config.model.hidden, config.model.bidirectional) == (1, 64, True)
    assert (config.train.epochs, config.train.patience, config.classify.level) == (20, 3, "word")
    assert ClassifyRunConfig.from_dict(config.to_dict()) == config
    assert ClassifyRunConfig.from_dict({"classify": {"level": "char"}}).model.hidden == 64
    again = config.with_overrides(["classify.text=review", "classify.max_len=auto", "classify.pooling=mean"])
    assert (again.classify.text, again.classify.max_len, again.classify.pooling) == ("review", None, "mean")


def test_bad_classify_settings_are_listed_with_reasons():
    with pytest.raises(ConfigError) as error:
        ClassifyRunConfig().with_overrides(["classify.pooling=sum", "classify.max_len=0"])
    assert error.value.problems == {"classify.pooling": "got 'sum'; choose one of max, mean, last.",
                                    "classify.max_len": "got 0; it must be at least 1."}
    with pytest.raises(ConfigError) as error:
        ClassifyRunConfig().with_overrides(["classify.val_fraction=0.45", "classify.test_fraction=0.4"])
    assert error.value.problems == {"classify.test_fraction": "validation and test together leave less than 20% "
                                    "for training; lower one of them."}
    assert ClassifyConfig(level="word").vocab_cap() == DEFAULT_WORD_VOCAB
    assert ClassifyConfig(level="char").vocab_cap() is None


def test_the_settings_and_summary_import_no_torch():
    code = ("import sys, workbench.core.run_config, workbench.core.classify.dataset; "
            "sys.exit(1 if 'torch' in sys.modules else 0)")
    assert subprocess.run([sys.executable, "-c", code]).returncode == 0


@pytest.mark.parametrize("cell,bidirectional", [("lstm", True), ("gru", False), ("rnn", True)])
def test_parameter_count_matches_the_model(cell, bidirectional):
    from workbench.core.classify.model import TextClassifier

    config = ModelConfig(cell=cell, layers=2, hidden=6, bidirectional=bidirectional)
    model = TextClassifier(config, n_ids=31, n_classes=4, embedding=5)
    assert classifier_parameter_count(config, 30, 4, 5) == sum(p.numel() for p in model.parameters())
    assert describe_classifier(ModelConfig(), 30, 4, ClassifyConfig()) == (
        "LSTM, 64 units, max pooling, over 30 words into 4 classes: 35,524 parameters")  # 31*64 + 4*64*130 + 65*4


# ---- columns and labels

def test_columns_are_detected_by_name_and_the_alternatives_named():
    frame = reviews().assign(category="kitchen")
    frame.loc[::2, "category"] = "garden"
    data = labelled_texts(frame)
    assert (data.text_column, data.label_column, data.classes) == ("review", "sentiment", ("neg", "pos"))
    assert data.notes[:2] == (
        "Text column: 'review' (detected; choose another with the text setting).",
        "Label column: 'sentiment' (detected; 'category' could be one too; choose another with the label setting).")
    assert data.notes[2] == "2 classes in 60 rows: neg 20, pos 40."
    assert list(data.class_counts()) == [20, 40]


def test_without_telling_names_the_longest_text_and_the_fewest_classes_are_chosen():
    frame = pd.DataFrame({"a": ["x", "y"] * 10, "b": [f"a long sentence number {i}" for i in range(20)],
                          "c": [1, 2, 3, 4] * 5})
    data = labelled_texts(frame)
    assert (data.text_column, data.label_column) == ("b", "a")


def test_number_labels_sort_as_numbers_and_lose_their_fraction():
    frame = pd.DataFrame({"text": [f"t{i}" for i in range(9)], "label": [10.0, 2.0, 1.0] * 3})
    data = labelled_texts(frame, "text", "label")
    assert data.classes == ("1", "2", "10")
    assert list(data.labels[:3]) == [2, 1, 0]


def test_rows_without_text_or_label_are_left_out_and_counted():
    frame = pd.DataFrame({"text": ["good", "  ", None, "bad", "meh", "ok"],
                          "label": ["a", "b", "a", None, "b", " "]})
    data = labelled_texts(frame, "text", "label")
    assert data.texts == ("good", "meh") and list(data.rows) == [0, 4]
    assert (data.dropped_text, data.dropped_label) == (2, 2)
    assert "Left out 4 of 6 rows: 2 without text and 2 without a label." in data.notes


def test_unusable_columns_are_refused_with_their_names():
    frame = reviews()
    with pytest.raises(DataError) as error:
        labelled_texts(frame, "body", None)
    assert error.value.message == ("There is no column named 'body' to use as the text. The columns are: id, review, "
                                   "sentiment.")
    with pytest.raises(DataError) as error:
        labelled_texts(frame, "review", "id")
    assert error.value.message == ("Column 'id' has 60 distinct values in 60 rows; a label column holds a few "
                                   "classes (at most 100), each shared by many rows.")
    with pytest.raises(DataError) as error:
        labelled_texts(frame, "id", "sentiment")
    assert error.value.message == "Column 'id' holds numbers, not text, so it cannot be the text column."
    with pytest.raises(DataError) as error:
        labelled_texts(frame.assign(sentiment="pos"), "review", "sentiment")
    assert error.value.message == ("Column 'sentiment' has only one class ('pos'); a classifier needs at "
                                   "least two classes.")
    with pytest.raises(DataError) as error:
        labelled_texts(frame.assign(score=0.5 + frame["id"] % 2), "review", "score")
    assert error.value.message.startswith("Column 'score' holds fractional numbers (e.g. 0.5)")


def test_heavy_imbalance_is_warned_with_the_rule():
    assert imbalance_warning(("a", "b"), np.array([40, 10])) == ""
    assert imbalance_warning(("ham", "spam"), np.array([50, 10])) == (
        "The classes are imbalanced: 'ham' has 5.0 times the rows of 'spam' (the warning starts at 5 times). "
        "Accuracy flatters a model that favours the large class, so read macro-F1, and consider class weights.")


# ---- the stratified split

def test_the_split_keeps_each_class_share_in_every_part():
    labels = np.array([0] * 100 + [1] * 40 + [2] * 3)
    split = stratified_split(labels, ("a", "b", "c"), 0.15, 0.15, seed=1)
    parts = {name: np.bincount(labels[split.part(name)], minlength=3).tolist() for name in ("train", "val", "test")}
    assert parts == {"train": [70, 28, 1], "val": [15, 6, 1], "test": [15, 6, 1]}
    every = np.concatenate([split.train, split.val, split.test])
    assert sorted(every.tolist()) == list(range(len(labels)))
    assert np.array_equal(stratified_split(labels, ("a", "b", "c"), 0.15, 0.15, seed=1).test, split.test)
    assert not np.array_equal(stratified_split(labels, ("a", "b", "c"), 0.15, 0.15, seed=2).test, split.test)


def test_a_class_too_small_to_split_is_named():
    with pytest.raises(DataError) as error:
        stratified_split(np.array([0] * 10 + [1, 1] + [2]), ("a", "b", "c"), 0.15, 0.15, seed=0)
    assert error.value.message == ("Too few rows to split by class: 'b' (2 rows), 'c' (1 row). Each class needs at "
                                   "least 3 rows, one each for training, validation and test.")


# ---- tokens, padding and truncation

def test_word_tokens_drop_spaces_and_char_tokens_keep_them():
    assert text_tokens("Not  BAD, really!", "word") == ["not", "bad", ",", "really", "!"]
    assert text_tokens("Not bad", "word", lowercase=False) == ["Not", "bad"]
    assert text_tokens("Hi yo", "char") == ["h", "i", " ", "y", "o"]


def test_vocabulary_keeps_frequent_training_tokens_after_the_unknown_one():
    vocab = build_vocabulary([["a", "b", "a"], ["c", "a", "b"]], "word", min_count=2)
    assert vocab.tokens == (UNKNOWN, "a", "b")
    assert build_vocabulary([["a", "b", "a"], ["c"]], "word", max_size=2).tokens == (UNKNOWN, "a")


def test_padding_and_truncation_follow_the_scheme():
    vocab = build_vocabulary([["a", "b", "c", "d"]], "word")  # ids: a=1, b=2, c=3, d=4 in the vocabulary
    tokens = [["a", "b"], ["a", "b", "c", "d", "zz"], []]
    head = encode_texts(tokens, vocab, max_len=3, truncate="head")
    # Model id = vocabulary id + 1: padding 0, unknown 1, a 2, b 3, ...
    assert head.ids.tolist() == [[2, 3, PAD_ID], [2, 3, 4], [UNKNOWN_ID, PAD_ID, PAD_ID]]
    assert head.lengths.tolist() == [2, 3, 1] and head.truncated.tolist() == [False, True, False]
    tail = encode_texts(tokens, vocab, max_len=3, truncate="tail")
    assert tail.ids[1].tolist() == [4, 5, UNKNOWN_ID]


def test_the_example_shows_each_slot_and_what_was_cut():
    vocab = build_vocabulary([["the", "tea", "is", "good"]], "word")
    example = padded_example("The tea is GOOD, honestly", vocab, max_len=4, truncate="head")
    assert example.tokens == ("the", "tea", "is", "good") and example.dropped == (",", "honestly")
    assert example.truncated and example.n_tokens == 6 and example.real.all()
    short = padded_example("tea is hot", vocab, max_len=5, truncate="tail")
    assert short.tokens == ("tea", "is", "hot", "", "")
    assert short.real.tolist() == [True, True, True, False, False]
    assert short.known.tolist() == [True, True, False, False, False]
    assert not short.truncated
    tail = padded_example("a b c d", build_vocabulary([["a"]], "word"), max_len=2, truncate="tail")
    assert tail.tokens == ("c", "d") and tail.dropped == ("a", "b")


def test_the_automatic_maximum_is_a_length_that_occurs_at_the_percentile():
    lengths = np.arange(1, 101)
    assert auto_max_len(lengths, 95) == 96
    assert auto_max_len(np.array([3, 3, 3]), 95) == 3
    assert np.mean(lengths > auto_max_len(lengths, 95)) <= 0.05


# ---- what the window shows before training

def test_the_summary_counts_classes_parts_and_lengths():
    frame = reviews(90)
    summary = summarize_classification(frame, ClassifyConfig(), seed=0, source="r.csv")
    assert summary.classes == ("neg", "pos") and summary.class_counts == (30, 60)
    assert summary.split_counts == {"train": (20, 42), "val": (5, 9), "test": (5, 9)}
    # "the kettle is great ." has 5 tokens, one text in 7 has 8: the 95th percentile is 8, so nothing is cut.
    assert sorted(set(summary.lengths.tolist())) == [5, 8] and summary.lengths.shape == (62,)
    assert summary.max_len == 8 and summary.max_len_auto and summary.truncated_share == 0.0
    assert summary.example("The kettle is superb").tokens[:4] == ("the", "kettle", "is", "superb")
    assert summary.notes[-3] == "Split by class: 62 rows for training, 14 for validation, 14 for test."
    assert summary.notes[-2] == ("Maximum length 8 tokens (the 95th percentile of the training texts): 0.0% of "
                                 "the training texts are longer and keep their start.")
    fixed = summarize_classification(frame, ClassifyConfig(max_len=6, truncate="tail"), seed=0)
    share = np.mean(summary.lengths == 8)
    assert fixed.max_len == 6 and not fixed.max_len_auto and fixed.truncated_share == share > 0
    assert "keep their end" in fixed.notes[-2]
