"""Convergence tables, stability regions, optimal hyperparameters."""
