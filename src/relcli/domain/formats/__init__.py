"""File formats, as pure transformations: bytes or text in, records out (and back)."""
