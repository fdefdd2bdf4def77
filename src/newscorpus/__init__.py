"""newscorpus: news articles into a validated, labelled corpus and a Hugging Face dataset."""
