"""Tests of the ``hcnpy`` command line, run as subprocesses."""
