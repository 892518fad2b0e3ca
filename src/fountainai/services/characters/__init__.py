"""Characters service (port 8005): characters, actions, spoken words (lines) and paraphrases."""
