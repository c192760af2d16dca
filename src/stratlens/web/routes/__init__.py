"""One module per page type; each has a builder (plain data -> `Page`) and its routes."""
