"""Writers: one module per output format; the only modules that import reportlab or python-pptx."""

from builder.writers.lazy_uri import install

install()  # before any writer imports reportlab (see lazy_uri)
