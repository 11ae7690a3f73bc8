"""Design -> files: apiDefinition.swagger.json or .yaml (``definition``, with the operations of
``operations``), apiProperties.json (``properties``), the paconn package (``package``) and the
tray.io trigger connector (``tray``, its JavaScript in ``tray_js``)."""
