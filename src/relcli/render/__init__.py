"""Output: the only package that imports Rich. Data to stdout, messages to stderr."""
