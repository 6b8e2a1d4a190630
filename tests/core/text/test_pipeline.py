"""Language-model runs end to end on tiny models: settings, text summary, training, samples, bundles."""


import numpy as np
import pytest
import torch

from tests.conftest import SHIP_TEXT as TEXT
from tests.conftest import tiny_text_config as tiny
from workbench.core.errors import BundleError, ConfigError, DataError
from workbench.core.export.forecaster_bundle import load_forecaster_bundle
from workbench.core.export.kinds import FORECASTER, LANGUAGE_MODEL, kind_of_file
from workbench.core.export.lm_bundle import bundle_from_lm_run, load_lm_bundle
from workbench.core.export.text_samples import samples_document
from workbench.core.models.config import ModelConfig
from workbench.core.models.summary import describe_language_model, language_model_parameter_count
from workbench.core.run_config import TextRunConfig
from workbench.core.text.config import DEFAULT_WORD_VOCAB, TextConfig
from workbench.core.text.generate import generate
from workbench.core.text.lm_model import LanguageModel
from workbench.core.text.pipeline import describe_scores, train_language_model
from workbench.core.text.source import TextSource
from workbench.core.text.summary import epoch_note, summarize_text, text_fit_problems
from workbench.core.text.text_callbacks import BestSnapshot, SampleTimeline, sample_prompt


def source(text: str = TEXT) -> TextSource:
    return TextSource(text=text, path="/data/log.txt", encoding="utf-8", notes=["Read as UTF-8."])


# ---- settings

def test_a_text_run_has_its_own_defaults_and_reads_them_back():
    config = TextRunConfig()
    assert (config.model.layers, config.model.hidden, config.train.epochs) == (2, 128, 20)
    assert TextRunConfig.from_dict({"text": {"level": "word"}}).model.hidden == 128
    assert TextRunConfig.from_dict(config.to_dict()) == config


def test_bidirectional_and_unknown_sections_are_refused_with_reasons():
    with pytest.raises(ConfigError) as error:
        TextRunConfig.from_dict({"data": {}})
    assert error.value.problems == {"data": "unknown section; known are text, model, train."}
    with pytest.raises(ConfigError) as error:
        TextRunConfig().with_overrides(["model.bidirectional=true"])
    assert error.value.problems == {
        "model.bidirectional": "A language model reads left to right; turn off bidirectional."}
    assert TextRunConfig().with_overrides(["text.level=word", "text.seq_len=50"]).text.seq_len == 50


def test_the_word_vocabulary_is_capped_by_default():
    assert TextConfig(level="word").vocab_cap() == DEFAULT_WORD_VOCAB
    assert TextConfig(level="char").vocab_cap() is None
    assert TextConfig(level="word", max_vocab=50).vocab_cap() == 50


# ---- what the text view shows

def test_summary_counts_tokens_and_finds_where_validation_starts():
    summary = summarize_text(source(), TextConfig(val_fraction=0.1))
    assert summary.n_tokens == len(TEXT) == summary.n_train_tokens + summary.n_val_tokens
    assert summary.split_char == summary.n_train_tokens == len(TEXT) - round(len(TEXT) * 0.1)
    assert summary.top_tokens[0] == (" ", TEXT[: summary.split_char].count(" "))
    assert summary.vocab_size == len(set(TEXT[: summary.split_char])) + 1  # + the unknown token
    assert summary.notes[0] == "Read as UTF-8."


def test_word_summary_splits_on_a_token_boundary_and_counts_unknown_words():
    text = "alpha beta gamma. " * 30 + "omega omega."
    summary = summarize_text(source(text), TextConfig(level="word", val_fraction=0.05))
    assert (summary.n_tokens, summary.n_val_tokens) == (214, 11)  # 7 tokens per phrase, then 4
    assert text[summary.split_char:] == "alpha beta gamma. omega omega."  # the last 11 tokens, joined
    assert summary.val_unknown == 2  # "omega" twice never appears in the training part
    assert "2 validation tokens (" in summary.notes[-1]


def test_a_text_too_short_for_the_batch_is_explained():
    summary = summarize_text(source("ab" * 150), TextConfig())
    assert text_fit_problems(summary, TextConfig(), 200) == {
        "train.batch_size": "the training part has 270 characters, too few for 200 rows of at least 2; lower the "
                            "batch size or use a longer text."}
    assert text_fit_problems(summary, TextConfig(), 8) == {}
    assert epoch_note(summary, TextConfig(seq_len=10), 8) == (
        "An epoch: 4 batches of 8 rows x 10 characters (a whole pass over the training part).")
    assert "(50% of a pass; the next epoch reads on)" in epoch_note(summary, TextConfig(seq_len=10,
                                                                                         batches_per_epoch=2), 8)


@pytest.mark.parametrize("cell", ["lstm", "gru", "rnn"])
def test_parameter_count_matches_torch(cell):
    config = ModelConfig(cell=cell, layers=2, hidden=12)
    model = LanguageModel(config, vocab_size=30, embedding=5)
    assert language_model_parameter_count(config, 30, 5) == sum(p.numel() for p in model.parameters())
    assert describe_language_model(config, 30, 5, "char").startswith(f"2-layer {cell.upper()}, 12 units, over 30 "
                                                                      "characters (embedding 5): ")


# ---- training

def test_a_run_logs_perplexity_and_bits_and_keeps_a_sample_per_epoch():
    samples = []
    timeline = SampleTimeline(15, samples.append, seed=3)
    run = train_language_model(source(), tiny(), [timeline])
    assert run.result.epochs_run == 2
    for logs in run.result.history:
        assert logs["val_perplexity"] == pytest.approx(np.exp(logs["val_loss"]))
        assert logs["val_bits"] == pytest.approx(logs["val_loss"] / np.log(2))
    assert [s["epoch"] for s in samples] == [1, 2]
    assert all(s["prompt"] == "The tide turned at noon." and len(s["text"]) == 15 for s in samples)
    assert run.scores["val_loss"] == run.result.best_val_loss and run.scores["level"] == "char"
    assert run.data["n_chars"] == len(TEXT) and run.data["source"] == "log.txt"
    assert describe_scores(run.scores).startswith("Validation: ")


def test_the_same_seed_gives_the_same_run(language_model_run):
    again = train_language_model(source(), tiny())
    assert [h["loss"] for h in again.result.history] == [h["loss"] for h in language_model_run.result.history]


def test_the_best_snapshot_is_a_separate_copy_of_the_kept_weights():
    snapshot = BestSnapshot()
    config = tiny()
    config.train.epochs = 3
    run = train_language_model(source(), config, [snapshot])
    model, epoch = snapshot.latest()
    assert epoch == run.result.best_epoch and model is not run.model
    for (name, mine), theirs in zip(model.state_dict().items(), run.model.state_dict().values()):
        assert torch.equal(mine, theirs), name


def test_a_text_too_short_for_the_settings_is_a_data_error():
    config = tiny()
    config.train.batch_size = 2000
    with pytest.raises(DataError) as error:
        train_language_model(source(), config)
    assert "lower the batch size" in str(error.value)


def test_sample_prompt_is_the_first_line_cut_at_a_word():
    assert sample_prompt("\n  Short title\nbody") == "Short title"
    assert sample_prompt("A very long first line that goes on and on beyond forty characters") == (
        "A very long first line that goes on and")


# ---- bundles

def test_bundle_round_trip_is_exact_and_generates_the_same_text(language_model_run, language_model_bundle):
    run, path = language_model_run, language_model_bundle
    bundle = load_lm_bundle(path)
    assert kind_of_file(path).name == LANGUAGE_MODEL
    assert bundle.vocabulary == run.vocabulary and bundle.config == run.config
    for name, tensor in run.model.state_dict().items():
        assert torch.equal(bundle.model.state_dict()[name], tensor)
    ours = "".join(generate(run.model, run.vocabulary, "We", 40, 0.9, seed=7))
    theirs = "".join(generate(bundle.model, bundle.vocabulary, "We", 40, 0.9, seed=7))
    assert ours == theirs
    assert bundle.metrics == run.scores and bundle.result["history"] == run.result.history


def test_each_kind_of_bundle_refuses_the_other_loader(language_model_bundle, forecast_bundle):
    with pytest.raises(BundleError) as error:
        load_forecaster_bundle(language_model_bundle)
    assert error.value.message == "log.swb is a language model, not a forecaster, so it cannot forecast a series."
    assert kind_of_file(forecast_bundle).name == FORECASTER
    with pytest.raises(BundleError) as error:
        load_lm_bundle(forecast_bundle)
    assert error.value.message == "load.swb is a forecaster, not a language model, so it cannot generate text."


def test_a_pickle_named_like_a_bundle_is_refused_without_running_it(disguised_pickle):
    payload, marker = disguised_pickle
    with pytest.raises(BundleError):
        load_lm_bundle(payload)
    with pytest.raises(BundleError):
        kind_of_file(payload)
    assert not marker.exists()


def test_samples_document_lists_the_generation_then_each_sample():
    text = samples_document("log.txt", {"prompt": "We ", "text": "sailed", "length": 6, "temperature": 0.8,
                                        "top_k": None, "seed": 2},
                            [{"epoch": 1, "val_loss": 2.5, "bits": 3.607, "prompt": "The", "text": " tide"}])
    assert text == ("Text generated by Sequence Workbench from a model trained on log.txt.\n\n"
                    "== Generated (length 6, temperature 0.8, top-k off, seed 2)\nWe sailed\n\n"
                    "== Sample after epoch 1 (validation loss 2.5000 nats, 3.607 bits)\nThe tide\n")


# ---- projects

def test_a_text_project_round_trips_its_settings_and_language_model(language_model_run, tmp_path):
    from workbench.core.project import Project, open_project, save_project

    run = language_model_run
    text_file = tmp_path / "log.txt"
    text_file.write_text(TEXT, encoding="utf-8")
    project = Project(data_path=str(text_file), config=run.config, view={"tab": 6}, kind="text")
    save_project(tmp_path / "log.swproj", project, bundle_from_lm_run(run))
    opened = open_project(tmp_path / "log.swproj")
    assert opened.project.kind == "text" and opened.project.config == run.config
    assert opened.bundle.vocabulary == run.vocabulary and opened.warnings == []


def test_a_text_project_refuses_a_forecaster_in_its_place(language_model_run, tmp_path):
    import json

    from workbench.core.errors import ProjectError
    from workbench.core.project import Project, open_project, save_project

    run = language_model_run
    text_file = tmp_path / "log.txt"
    text_file.write_text(TEXT, encoding="utf-8")
    save_project(tmp_path / "log.swproj", Project(data_path=str(text_file), config=run.config, kind="text"),
                 bundle_from_lm_run(run))
    raw = json.loads((tmp_path / "log.swproj").read_text())
    raw["kind"] = "series"
    raw["config"] = {"schema_version": 1}
    (tmp_path / "log.swproj").write_text(json.dumps(raw))
    with pytest.raises(ProjectError) as error:
        open_project(tmp_path / "log.swproj")
    assert error.value.message == "The project's model file log.swb is not a model for this project's table."
