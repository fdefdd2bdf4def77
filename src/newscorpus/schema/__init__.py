"""newscorpus.schema.generate."""
