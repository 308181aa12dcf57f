"""Forms of the matrix pages, one module per kind of page: browsing, editing, review,
new providers. They validate input; the services enforce the rules."""
