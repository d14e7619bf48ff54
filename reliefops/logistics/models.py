"""Models of the logistics domain."""
