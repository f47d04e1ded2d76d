"""Allow `python -m builder`."""

from builder.entry import main

main()
