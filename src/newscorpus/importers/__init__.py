"""newscorpus.importers."""
