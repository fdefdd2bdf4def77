"""Agreement and adjudication (docs/agreement.md).

:mod:`~newscorpus.agreement.coefficients` (kappa, alpha, span F1) and
:mod:`~newscorpus.agreement.figures` (a corpus's agreement per layer and label, tallied one
article at a time by :mod:`~newscorpus.agreement.span_tally` and
:mod:`~newscorpus.agreement.category_tally` into :mod:`~newscorpus.agreement.results`)
compute; :mod:`~newscorpus.agreement.corpus` tallies a folder of records (a process pool)
and :mod:`~newscorpus.agreement.report` writes and renders the figures.
:mod:`~newscorpus.agreement.adjudication` decides one record's gold (pure);
:mod:`~newscorpus.agreement.adjudication_tasks` turns the units it leaves open into Label
Studio tasks; :mod:`~newscorpus.agreement.adjudication_run` runs both over a folder, one
record at a time.
"""
