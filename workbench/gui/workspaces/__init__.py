"""One workspace per kind of work: series, text, labelled texts (see base.py for the interface)."""
