"""Models of the stock domain."""
