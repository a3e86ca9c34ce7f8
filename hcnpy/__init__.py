"""hcnpy: typed Python SDK for the Windows Host Compute Network (HNS V2) API."""
