"""The language model, its truncated-BPTT task and text generation, on tiny models."""

import math

import numpy as np
import pytest
import torch

from workbench.core.models.config import ModelConfig
from workbench.core.text.generate import generate
from workbench.core.text.lm_model import LanguageModel, detach_state
from workbench.core.text.lm_task import LanguageModelTask, bits_per_token, perplexity
from workbench.core.training.config import TrainConfig
from workbench.core.training.engine import Trainer


class CharVocab:
    """A stand-in vocabulary: id 0 is the unknown token, then the characters given."""

    def __init__(self, chars: str) -> None:
        self.tokens = ["<unk>", *chars]
        self._ids = {c: i for i, c in enumerate(self.tokens) if i}

    def __len__(self) -> int:
        return len(self.tokens)

    def encode(self, text: str) -> np.ndarray:
        return np.array([self._ids.get(c, 0) for c in text], dtype=np.int64)

    def decode(self, ids) -> str:
        return "".join(self.tokens[int(i)] for i in ids)


def make_model(cell="lstm", vocab=6, hidden=8, layers=1, seed=0, **config):
    torch.manual_seed(seed)
    return LanguageModel(ModelConfig(cell=cell, hidden=hidden, layers=layers, **config), vocab, embedding=4)


@pytest.mark.parametrize("cell", ["lstm", "gru", "rnn"])
def test_logits_cover_every_position_and_token(cell):
    model = make_model(cell, layers=2, dropout=0.1)
    logits, state = model(torch.randint(0, 6, (3, 5)))
    assert logits.shape == (3, 5, 6)
    hidden = state[0] if cell == "lstm" else state
    assert hidden.shape == (2, 3, 8)


def test_bidirectional_is_refused():
    with pytest.raises(ValueError) as msg:
        LanguageModel(ModelConfig(bidirectional=True), 10)
    assert str(msg.value) == "A language model reads left to right; turn off bidirectional."


def test_carried_state_equals_one_run_over_the_concatenation():
    model = make_model(layers=2).eval()
    ids = torch.randint(0, 6, (2, 12))
    whole, _ = model(ids)
    first, state = model(ids[:, :7])
    second, _ = model(ids[:, 7:], state)
    torch.testing.assert_close(torch.cat([first, second], dim=1), whole, atol=1e-6, rtol=0)


@pytest.mark.parametrize("cell", ["lstm", "gru", "rnn"])
def test_one_step_matches_forward(cell):
    model = make_model(cell, layers=2).eval()
    ids = torch.randint(0, 6, (3, 4))
    expected, expected_state = model(ids)
    state = None
    for t in range(4):
        logits, state = model.step(ids[:, t], state)
        torch.testing.assert_close(logits, expected[:, t], atol=1e-6, rtol=0)
    for got, want in zip(*(((s,) if cell != "lstm" else s) for s in (state, expected_state)), strict=True):
        torch.testing.assert_close(got, want, atol=1e-6, rtol=0)


def test_detach_state_handles_every_cell():
    assert detach_state(None) is None
    h = torch.ones(1, requires_grad=True) * 2
    assert detach_state(h).grad_fn is None
    h2, c2 = detach_state((h, h * 3))
    assert h2.grad_fn is None and c2.grad_fn is None


def stream_task(n=200, seq_len=5, batch_size=2, **kw):
    ids = np.arange(n, dtype=np.int64) % 5 + 1
    return LanguageModelTask(ids, ids[:60], seq_len, batch_size, **kw)


def test_train_chunks_come_in_text_order_with_shifted_targets():
    task = stream_task()
    batches = list(task.train_batches(2, torch.Generator()))
    assert len(batches) == task.n_train_batches(2)
    inputs = torch.cat([x for _, x, _ in batches], dim=1)  # (rows, columns - 1)
    targets = torch.cat([y for _, _, y in batches], dim=1)
    assert all(kind == "train" for kind, _, _ in batches)
    assert torch.equal(inputs[:, 1:], targets[:, :-1])
    assert torch.equal((inputs[:, 1:] - inputs[:, :-1]) % 5, torch.ones_like(inputs[:, 1:]))  # contiguous text
    assert [x.shape[1] for _, x, _ in batches[:-1]] == [5] * (len(batches) - 1)


def test_state_is_carried_but_detached_between_chunks():
    task, model = stream_task(), make_model()
    first, second = list(task.train_batches(2, torch.Generator()))[:2]
    task.loss(model, first).backward()
    carried = task._states["train"]
    assert carried is not None and all(part.grad_fn is None for part in carried)
    # Without the detach, this second backward would run into the freed graph of the first chunk.
    task.loss(model, second).backward()
    assert task._states["train"][0] is not carried[0]


def test_capped_epochs_continue_where_the_last_stopped_and_wrap():
    task = stream_task(max_batches_per_epoch=3)
    full = [x for _, x, _ in stream_task().train_batches(2, torch.Generator())]
    assert task.n_train_batches(2) == 3
    seen = [x for _ in range(math.ceil(len(full) / 3) + 1) for _, x, _ in task.train_batches(2, torch.Generator())]
    expected = (full * 3)[: len(seen)]
    assert all(torch.equal(a, b) for a, b in zip(seen, expected, strict=True))


def test_validation_average_is_the_mean_loss_per_token():
    ids = np.arange(200, dtype=np.int64) % 5 + 1
    task = LanguageModelTask(ids, ids[:47], seq_len=4, batch_size=3)  # a short last chunk
    model = make_model().eval()
    with torch.no_grad():
        losses = [task.loss(model, b).item() for b in task.val_batches(3)]
        rows = task._val[0][0].shape[0]
        inputs = torch.cat([x for x, _ in task._val], dim=1)
        targets = torch.cat([y for _, y in task._val], dim=1)
        logits, _ = model(inputs)
        expected = torch.nn.functional.cross_entropy(logits.reshape(-1, 6), targets.reshape(-1)).item()
    assert rows == 3
    assert sum(losses) / len(losses) == pytest.approx(expected, rel=1e-5)


def test_other_batch_size_rebuilds_the_rows():
    task = stream_task(batch_size=2)
    _, x, _ = next(task.train_batches(4, torch.Generator()))
    assert x.shape[0] == 4


def test_trainer_learns_a_repeated_text():
    vocab = CharVocab("abc")
    train = vocab.encode("abc" * 100)
    val = vocab.encode("abc" * 20)
    task = LanguageModelTask(train, val, seq_len=10, batch_size=4)
    model = make_model(vocab=len(vocab), hidden=16)
    config = TrainConfig(epochs=20, batch_size=4, lr=0.01, patience=0, threads=1, device="cpu")
    result = Trainer(model, task, config).fit()
    assert result.best_val_loss < 0.3 * math.log(len(vocab))


def test_loss_units():
    assert perplexity(math.log(7)) == pytest.approx(7)
    assert bits_per_token(math.log(2) * 3) == pytest.approx(3)


VOCAB = CharVocab("abcdefgh")


def text(model=None, prompt="abc", length=40, **kw):
    return "".join(generate(model or make_model(vocab=len(VOCAB)), VOCAB, prompt, length, **kw))


def test_same_seed_same_text_other_seed_other_text():
    model = make_model(vocab=len(VOCAB))
    assert text(model, seed=1) == text(model, seed=1)
    assert text(model, seed=1) != text(model, seed=2)


def test_generation_leaves_the_global_random_state_alone():
    model = make_model(vocab=len(VOCAB))
    torch.manual_seed(5)
    before = torch.get_rng_state()
    text(model, seed=3)
    assert torch.equal(torch.get_rng_state(), before)


def test_temperature_zero_is_greedy_step_by_step():
    model = make_model(vocab=len(VOCAB)).eval()
    greedy = text(model, prompt="ab", length=15, temperature=0)
    assert greedy == text(model, prompt="ab", length=15, temperature=0)
    assert greedy == text(model, prompt="ab", length=15, top_k=1, seed=4)
    ids = list(VOCAB.encode("ab"))
    with torch.no_grad():
        for char in greedy:
            logits, _ = model(torch.tensor([ids]))
            logits[0, -1, 0] = -math.inf
            assert VOCAB.tokens[int(logits[0, -1].argmax())] == char
            ids.append(int(logits[0, -1].argmax()))


def test_unknown_token_is_never_produced_and_length_is_exact():
    model = make_model(vocab=len(VOCAB))
    with torch.no_grad():
        model.head.bias[0] = 50.0  # the model all but insists on the unknown token
    pieces = list(generate(model, VOCAB, "a?z", 100, temperature=1.0, seed=0))
    assert len(pieces) == 100 and "<unk>" not in pieces
    assert list(generate(model, VOCAB, "", 0)) == []
    assert len(list(generate(model, VOCAB, "", 7, top_k=3, seed=1))) == 7


def test_tiny_temperature_does_not_produce_nan():
    model = make_model(vocab=len(VOCAB))
    assert text(model, temperature=1e-30, seed=0) == text(model, temperature=0)


@pytest.mark.parametrize(("kw", "message"), [
    ({"length": -1}, "The length must be 0 or more tokens (got -1)."),
    ({"temperature": -0.5}, "The temperature must be 0 or more (got -0.5); 0 always picks the likeliest."),
    ({"top_k": 0}, "top_k must be at least 1, or empty for no limit (got 0)."),
])
def test_invalid_arguments_are_refused(kw, message):
    with pytest.raises(ValueError) as msg:
        generate(make_model(vocab=len(VOCAB)), VOCAB, "ab", **{"length": 5, **kw})
    assert str(msg.value) == message
