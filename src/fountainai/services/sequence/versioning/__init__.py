"""Element versions: real snapshots, listed, read, diffed."""
