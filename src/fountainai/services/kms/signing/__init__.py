"""Ed25519 signing keys: encrypted at rest, published as a JWKS, rotated with overlap."""
