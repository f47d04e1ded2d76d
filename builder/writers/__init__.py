"""Writers: one module per output format; the only modules that import reportlab or python-pptx."""
