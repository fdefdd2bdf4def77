"""Scaffolding: a new corpus repository of its own (``newscorpus init``; docs/corpus.md)."""
