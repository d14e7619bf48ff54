"""Models of the teams domain."""
