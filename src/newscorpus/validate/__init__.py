"""newscorpus.validate.run."""
