"""newscorpus.ingest.run."""
