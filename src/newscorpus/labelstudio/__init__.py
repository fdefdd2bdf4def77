"""newscorpus.labelstudio.server."""
