"""Central Sequence: the ordering authority for every story element, and element versions."""
