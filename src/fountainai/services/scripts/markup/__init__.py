"""The Fountain-only kinds (note, lyric, centered, pageBreak, synopsis), placed like transitions."""
