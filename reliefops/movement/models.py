"""Models of the movement domain."""
