"""Scripts: screenplays, their section tree (acts, sequences, scenes) and transitions."""
