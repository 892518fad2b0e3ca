"""What verifiers must reject before expiry: revoked jtis, revoked kids, per-user not-before."""
