"""Key Management: accounts, tokens, signing keys, API keys, audit (port 8003)."""
