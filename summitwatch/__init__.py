"""summitwatch: a structured, searchable record of US–China diplomacy from Chinese-language news."""

__version__ = "0.1.0"
