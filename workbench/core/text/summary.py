"""What a text looks like to a language model: size, tokens, vocabulary and where validation starts (no torch)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from workbench.core.text.config import TextConfig
from workbench.core.text.source import TextSource
from workbench.core.text.vocab import UNKNOWN, tokenize, validation_start

TOP_TOKENS = 30


@dataclass(frozen=True)
class TextSummary:
    """The numbers the text view shows, for one text and one choice of tokens and validation share."""

    path: str
    level: str  # "char" or "word"
    n_chars: int
    n_lines: int
    n_tokens: int
    n_train_tokens: int
    n_val_tokens: int
    split_char: int  # character offset where the validation part starts
    vocab_size: int  # tokens kept from the training part, the unknown token included
    distinct_train_tokens: int  # before any cap
    val_unknown: int  # validation tokens the vocabulary lacks (they become the unknown token)
    top_tokens: list[tuple[str, int]] = field(default_factory=list)  # most frequent in the training part
    notes: list[str] = field(default_factory=list)  # from reading the file, then about the tokens

    @property
    def unit(self) -> str:
        return "characters" if self.level == "char" else "tokens"


def summarize_text(source: TextSource, config: TextConfig) -> TextSummary:
    """Count tokens and the vocabulary as training would build it (from the training part only)."""
    text = source.text
    tokens = tokenize(text, config.level)
    cut = validation_start(len(tokens), config.val_fraction)
    # Characters map one to one onto char tokens; word tokens join back into the text exactly.
    split_char = cut if config.level == "char" else sum(len(token) for token in tokens[:cut])
    counts = Counter(tokens[:cut])
    counts.pop(UNKNOWN, None)
    cap = config.vocab_cap()
    kept = counts.most_common(cap - 1 if cap is not None else None)
    known = {token for token, _ in kept}
    val_unknown = sum(1 for token in tokens[cut:] if token not in known)
    n_lines = text.count("\n") + (0 if text.endswith("\n") else 1)
    notes = list(source.notes)
    unit = "characters" if config.level == "char" else "tokens"
    notes.append(f"{len(tokens):,} {unit}: {cut:,} for training, {len(tokens) - cut:,} for validation "
                 f"(the last {config.val_fraction:.0%} of the file).")
    if cap is not None and len(counts) + 1 > cap:
        notes.append(f"The vocabulary keeps the {cap - 1:,} most frequent of {len(counts):,} distinct {unit}; "
                     "the rest read as the unknown token.")
    if val_unknown:
        share = val_unknown / max(1, len(tokens) - cut)
        notes.append(f"{val_unknown:,} validation {unit} ({share:.1%}) never occur in the training part (or were "
                     "cut from the vocabulary) and read as the unknown token.")
    return TextSummary(
        path=source.path, level=config.level, n_chars=len(text), n_lines=n_lines, n_tokens=len(tokens),
        n_train_tokens=cut, n_val_tokens=len(tokens) - cut, split_char=split_char, vocab_size=len(kept) + 1,
        distinct_train_tokens=len(counts), val_unknown=val_unknown, top_tokens=counts.most_common(TOP_TOKENS),
        notes=notes,
    )


def text_fit_problems(summary: TextSummary, config: TextConfig, batch_size: int) -> dict[str, str]:
    """Settings the text is too short for, keyed like the form's fields, with what to change."""
    # The training part is cut into `batch_size` rows read side by side; a row needs an input and a target.
    columns = summary.n_train_tokens // batch_size if batch_size >= 1 else 0
    if columns < 2:
        return {"train.batch_size": f"the training part has {summary.n_train_tokens:,} {summary.unit}, too few for "
                f"{batch_size} rows of at least 2; lower the batch size or use a longer text."}
    return {}


def epoch_note(summary: TextSummary, config: TextConfig, batch_size: int) -> str:
    """E.g. "An epoch: 27 batches of 32 rows x 100 characters (a whole pass over the training part)"."""
    columns = summary.n_train_tokens // batch_size
    whole = -(-max(columns - 1, 0) // config.seq_len)
    capped = config.batches_per_epoch is not None and config.batches_per_epoch < whole
    batches = config.batches_per_epoch if capped else whole
    span = (f"{batches / whole:.0%} of a pass; the next epoch reads on" if capped
            else "a whole pass over the training part")
    return f"An epoch: {batches:,} batches of {batch_size} rows x {config.seq_len} {summary.unit} ({span})."
