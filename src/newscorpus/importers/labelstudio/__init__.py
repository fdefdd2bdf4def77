"""The Label Studio import format, one noun per module.

- :mod:`.contract`: what the import relies on in a full JSON export (control names,
  result types, ids);
- :mod:`.scan` and :mod:`.export`: reading the export task by task (a vectorised cut, and
  the exact ``ijson`` reader it is held to);
- :mod:`.task`, :mod:`.results`, :mod:`.regions`: converting one task, one annotation's
  results, its regions;
- :mod:`.locate`: where in the export a rule broken by the record to be written comes from.

The run (staging, pool, validation, moving records in) is
:func:`newscorpus.importers.run.import_export`, registered as ``labelstudio`` in
:data:`newscorpus.importers.IMPORTERS`.
"""
