"""The read layer: every query the interfaces use, returning records from model.py."""
