"""newscorpus.dataset.card."""
