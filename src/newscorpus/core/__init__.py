"""newscorpus.core."""
