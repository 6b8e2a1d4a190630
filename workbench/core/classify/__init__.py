"""Sequence classification: labelled texts, padding and truncation, a recurrent classifier and honest baselines."""
