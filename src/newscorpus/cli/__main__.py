"""``python -m newscorpus.cli``."""

from . import main

main()
