"""The connectors app: teams, connector drafts and their revisions, and the engine under domain/."""
