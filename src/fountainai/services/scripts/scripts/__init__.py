"""Scripts: title, author, description, title page; listed with filters and sorting."""
