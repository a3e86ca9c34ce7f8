"""cniskel: the CNI plugin skeleton for spec 0.1.0 to 1.1.0."""
