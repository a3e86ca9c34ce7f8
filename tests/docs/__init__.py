"""Tests of the documentation site: the tutorial, the deployment files, release hygiene."""
