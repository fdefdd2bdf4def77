"""Validation of article records (docs/design.md, Validation).

:mod:`~newscorpus.validate.run` validates files and records (stage 0, the schema version;
stage 1, :mod:`~newscorpus.validate.structure`, the published JSON Schema; stage 2,
:mod:`~newscorpus.validate.semantic`, the checks of meaning, one registry entry per rule, whose
checks live in :mod:`~newscorpus.validate.record`, :mod:`~newscorpus.validate.sentences`,
:mod:`~newscorpus.validate.labels`, :mod:`~newscorpus.validate.spans` and
:mod:`~newscorpus.validate.relations`, reading a :mod:`~newscorpus.validate.view` of the record);
:mod:`~newscorpus.validate.rules` holds the stable rule codes and the violation type.
"""
