"""newscorpus.records.io."""
