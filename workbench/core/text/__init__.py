"""Text data for language models: sources, vocabularies and token streams."""
