"""Builders and edits of triggers that are correct by construction: a new webhook or polling
trigger, its callback URL, its DELETE action, its notification and item samples (``triggers``);
the shapes they share (``shapes``) and the texts they write (``texts``)."""
