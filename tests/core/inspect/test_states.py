"""The recomputed gates and states equal torch's own layers: every cell, 1-3 layers, both directions, padded
batches, and the recurrent stacks inside the workbench's three kinds of model."""

import numpy as np
import pytest
import torch
from torch import nn
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

from workbench.core.inspect.samples import classifier_sample, series_sample, text_sample
from workbench.core.inspect.states import QUANTITIES, inspect_states, recurrent_module, state_key

CELLS = {"lstm": nn.LSTM, "gru": nn.GRU, "rnn": nn.RNN}
TOLERANCE = 1e-5


def _final_states(trace, layers):
    """h_n (and c_n) as torch lays them out, (layers * directions, hidden), from the trace's last real steps."""
    def last(name, direction, k):
        values = trace.get(k, direction, name)
        return values[0] if direction == "backward" else values[-1]  # backward ends at the first step

    names = ("hidden", "cell") if trace.cell == "lstm" else ("hidden",)
    return [np.stack([last(name, d, k) for k in range(layers) for d in trace.directions]) for name in names]


@pytest.mark.parametrize("bidirectional", [False, True], ids=["forward", "both"])
@pytest.mark.parametrize("layers", [1, 2, 3])
@pytest.mark.parametrize("cell", list(CELLS))
def test_every_state_equals_torch(cell, layers, bidirectional):
    torch.manual_seed(layers)
    module = CELLS[cell](5, 6, num_layers=layers, bidirectional=bidirectional, batch_first=True)
    x = torch.randn(9, 5)  # (time, features)
    with torch.no_grad():
        output, state = module(x[None])
    trace = inspect_states(module, x)
    assert trace.quantities == QUANTITIES[cell]
    assert sorted(trace.arrays) == sorted(state_key(k, d, n) for k in range(layers) for d in trace.directions
                                          for n in QUANTITIES[cell])
    assert all(value.shape == (9, 6) for value in trace.arrays.values())
    np.testing.assert_allclose(trace.layer_output(layers - 1), output[0].numpy(), atol=TOLERANCE)
    expected = state if isinstance(state, tuple) else (state,)
    for ours, theirs in zip(_final_states(trace, layers), expected):
        np.testing.assert_allclose(ours, theirs[:, 0].numpy(), atol=TOLERANCE)


@pytest.mark.parametrize("cell", list(CELLS))
def test_a_padded_batch_equals_packed_sequences(cell):
    # Two layers in both directions: the backward direction must start at each sequence's own last step.
    torch.manual_seed(3)
    extra = {"nonlinearity": "relu"} if cell == "rnn" else {}
    module = CELLS[cell](4, 5, num_layers=2, bidirectional=True, batch_first=True, **extra)
    x, lengths = torch.randn(3, 8, 4), torch.tensor([8, 3, 5])
    x[1, 3:] = 100.0  # padding that would show if it ever entered a state
    with torch.no_grad():
        packed, _ = module(pack_padded_sequence(x, lengths, batch_first=True, enforce_sorted=False))
    output, _ = pad_packed_sequence(packed, batch_first=True, padding_value=float("nan"))
    trace = inspect_states(module, x, lengths)
    assert trace.batched and trace.get(0, "backward", "hidden").shape == (3, 8, 5)
    np.testing.assert_allclose(trace.layer_output(1), output.numpy(), atol=TOLERANCE)  # NaN where torch pads


def test_gates_and_states_obey_the_lstm_and_gru_equations():
    torch.manual_seed(1)
    x = torch.randn(7, 3)
    lstm = inspect_states(nn.LSTM(3, 4), x)
    i, f, g, o, c, h = (lstm.get(0, "forward", n) for n in QUANTITIES["lstm"])
    previous = np.vstack([np.zeros((1, 4)), c[:-1]])  # the state before the first step is zero
    np.testing.assert_allclose(c, f * previous + i * g, atol=1e-6)
    np.testing.assert_allclose(h, o * np.tanh(c), atol=1e-6)
    assert all(((gate > 0) & (gate < 1)).all() for gate in (i, f, o)) and (np.abs(g) < 1).all()
    gru = inspect_states(nn.GRU(3, 4), x)
    r, z, n, h = (gru.get(0, "forward", q) for q in QUANTITIES["gru"])
    previous = np.vstack([np.zeros((1, 4)), h[:-1]])
    np.testing.assert_allclose(h, (1 - z) * n + z * previous, atol=1e-6)


def test_a_module_without_biases_and_a_torch_batch_input():
    torch.manual_seed(2)
    module = nn.GRU(3, 4, bias=False, batch_first=True)
    x = torch.randn(2, 6, 3)
    with torch.no_grad():
        output, _ = module(x)
    np.testing.assert_allclose(inspect_states(module, x).get(0, "forward", "hidden"), output.numpy(), atol=TOLERANCE)


def test_inputs_of_the_wrong_width_or_lengths_are_refused():
    module = nn.LSTM(3, 4)
    with pytest.raises(ValueError, match="read 3 features per step; the inputs have shape \\(5, 2\\)"):
        inspect_states(module, np.zeros((5, 2)))
    with pytest.raises(ValueError, match="one length between 1 and 5"):
        inspect_states(module, np.zeros((2, 5, 3)), lengths=[5, 0])
    with pytest.raises(KeyError, match="directions forward"):
        inspect_states(module, np.zeros((5, 3))).get(0, "backward", "hidden")


def test_a_forecasters_window_gives_its_forecast(forecast_run):
    # The sample is the window as the forecaster reads it: its last state through the head is the forecast.
    model, series = forecast_run.model, forecast_run.series
    lookback = forecast_run.setup.plan.lookback
    sample = series_sample(model, series, 150, lookback)
    trace = inspect_states(model, sample.network_inputs)
    with torch.no_grad():
        head = model.net.head(torch.as_tensor(trace.layer_output(0)[-1]))  # (horizon,)
        scale, offset = model.target_scale, model.encode(torch.as_tensor(sample.inputs, dtype=torch.float32)[None])[1]
        forecast = model(torch.as_tensor(sample.inputs, dtype=torch.float32)[None])[0]
    np.testing.assert_allclose((head * scale + offset[0]).numpy(), forecast.numpy(), atol=1e-4)
    assert recurrent_module(model) is model.net.rnn


def test_a_language_models_passage_gives_its_next_token_scores(language_model_run):
    model, vocabulary = language_model_run.model, language_model_run.vocabulary
    sample = text_sample(model, vocabulary, "We sailed north by the old light.")
    trace = inspect_states(model, sample.network_inputs)
    with torch.no_grad():
        logits, _ = model(torch.as_tensor(sample.ids)[None])  # (1, time, vocab)
        ours = model.head(torch.as_tensor(trace.get(0, "forward", "hidden")))  # (time, vocab)
    np.testing.assert_allclose(ours.numpy(), logits[0].numpy(), atol=1e-4)


def test_a_classifiers_text_gives_its_predicted_probabilities(classifier_run, reviews_table):
    # Bidirectional with max pooling: the trace of the text as the classifier reads it, pooled, through the head,
    # gives what predict gives for that text.
    from workbench.core.classify.predict import predict_texts

    run = classifier_run
    assert run.model.directions == 2 and run.model.pooling == "max"
    text = str(reviews_table[run.config.classify.text].iloc[7])
    sample = classifier_sample(run.model, run.vocabulary, run.config.classify, text)
    pooled = inspect_states(run.model, sample.network_inputs).layer_output(0).max(axis=0)  # (2 * hidden,)
    with torch.no_grad():
        ours = torch.softmax(run.model.head(torch.as_tensor(pooled)), dim=-1).numpy()
    expected = predict_texts(run.model, run.vocabulary, run.classes, run.config, [text])[0]
    np.testing.assert_allclose(ours, expected, atol=1e-5)


def test_a_classifiers_padded_batch_equals_its_packed_layers(classifier_run, reviews_table):
    from workbench.core.classify.encoding import encode_texts, text_tokens

    run, settings = classifier_run, classifier_run.config.classify
    texts = reviews_table[settings.text].astype(str).iloc[:4].tolist()
    encoded = encode_texts([text_tokens(t, settings.level, settings.lowercase) for t in texts], run.vocabulary,
                           settings.max_len, settings.truncate)
    lengths = torch.as_tensor(encoded.lengths)
    with torch.no_grad():
        x = run.model.embed(torch.as_tensor(encoded.ids))  # (batch, max_len, embedding)
        packed, _ = run.model.rnn(pack_padded_sequence(x, lengths, batch_first=True, enforce_sorted=False))
    output, _ = pad_packed_sequence(packed, batch_first=True, padding_value=float("nan"),
                                    total_length=settings.max_len)
    trace = inspect_states(run.model, x, lengths)
    np.testing.assert_allclose(trace.layer_output(0), output.numpy(), atol=TOLERANCE)
