"""The connectors app's views, one module per area: drafts, teams, wizard (and later reports)."""
