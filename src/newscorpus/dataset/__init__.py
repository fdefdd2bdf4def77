"""newscorpus.dataset."""
