"""Models of the needs domain."""
