"""One module per regenerated figure."""
