"""zstd dictionaries of the store (package data; see README.md here for how they were trained)."""
