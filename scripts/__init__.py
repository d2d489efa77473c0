"""Command-line tools of the project, behind one entry point: `python -m scripts --help`."""
