"""Pages of the teams domain (one module per topic)."""
