"""Paraphrases: other wordings of any numbered story element (of this service or another),
each with a typed reference (``elementType`` + ``elementId``) and a commentary."""
