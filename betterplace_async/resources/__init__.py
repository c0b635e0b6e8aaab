"""Resource namespaces: one small class per group of endpoints."""
