"""Models of the crossings domain (crossing-point flows, population estimates)."""
