"""File -> design: ``connector.import_connector`` reads a swagger (and its apiProperties) into a
design, one module per part (general, security, paths, operations, parameters, polling,
DELETE matching); ``text`` imports the Swagger editor's text into an existing design."""
