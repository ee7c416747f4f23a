"""Use cases: one module per noun, one function per user action; they take a Session."""
