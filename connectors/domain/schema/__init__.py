"""Swagger 2.0 schemas: inferred from sample payloads (``inference``), listed as rows through
``$ref``s (``tree``, ``roots``, ``usage``), edited row by row (``edit``, ``values``, ``callback``),
and compared (``diff``)."""
