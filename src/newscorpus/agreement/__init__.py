"""Agreement and adjudication (docs/agreement.md).

:mod:`~newscorpus.agreement.coefficients` (kappa, alpha, span F1) and
:mod:`~newscorpus.agreement.figures` (a corpus's agreement per layer and label) compute;
:mod:`~newscorpus.agreement.report` writes and renders them for a folder of records.
:mod:`~newscorpus.agreement.adjudication` decides one record's gold (pure);
:mod:`~newscorpus.agreement.adjudication_tasks` turns the units it leaves open into Label
Studio tasks; :mod:`~newscorpus.agreement.adjudication_run` runs both over a folder.
"""
