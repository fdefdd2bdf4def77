"""newscorpus.agreement.figures."""
