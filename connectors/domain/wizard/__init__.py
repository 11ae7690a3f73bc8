"""What the wizard's pages do to a design beyond the builders: edits of the trigger list and
path (``edit``), "Import from sample" (``sample``), changing a trigger's kind (``convert``),
and the history messages of each save (``messages``)."""
