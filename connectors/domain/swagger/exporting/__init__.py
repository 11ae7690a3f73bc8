"""Design -> files: apiDefinition.swagger.json or .yaml (``definition``, with the operations of
``operations``), apiProperties.json (``properties``) and the paconn package (``package``)."""
