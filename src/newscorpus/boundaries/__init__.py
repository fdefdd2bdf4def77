"""Sentence boundaries corrected in the corpus (docs/design.md, The record; docs/label-studio.md,
Correcting a sentence boundary): :mod:`~newscorpus.boundaries.edit` splits or merges the
sentences of one record (pure), :mod:`~newscorpus.boundaries.run` does it to a record file
under the folder's write lock (``newscorpus sentences split`` / ``merge``).
"""
