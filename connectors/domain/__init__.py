"""The connector engine: pure Python, no Django. Designs in, swagger/properties/findings out."""
