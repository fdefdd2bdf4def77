"""newscorpus.importers.labelstudio."""
