"""newscorpus.util."""
