"""The swagger side of a design: importing a file into a design (``importing``), exporting a
design to apiDefinition, apiProperties and the paconn package (``exporting``), the breaking
changes between two exports (``changes``), and dynamic values (``dynamic_values``)."""
