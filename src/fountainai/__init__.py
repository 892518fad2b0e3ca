"""FountainAI: screenplays as ordered, versioned, searchable story elements."""

__version__ = "0.1.0"
