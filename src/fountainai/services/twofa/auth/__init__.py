"""One-time codes (generate), checking any code (verify), and step-up tokens."""
