"""One test per simulated-HNS rule, driven through ``hcnpy.ops`` and the stand-in library."""
