"""Revise: carrying a record's annotations over to a corrected text (docs/design.md, Canonical text).

After a seed's text is corrected (a typo), ``newscorpus revise`` diffs the record's text
against the seed's new canonical text by code point (:mod:`.diff`), moves every span of
every annotation and of the gold, and every sentence, onto the new text (:mod:`.record`,
:mod:`.sentences`), and writes the revised records with a revision history
(:mod:`.run`). A span whose own text no edit touched moves silently; a span an edit
touched is listed and kept only when asked to.
"""
