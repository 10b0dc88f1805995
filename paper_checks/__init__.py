"""One module per paper: its claims, each with citation, check and verdict."""
