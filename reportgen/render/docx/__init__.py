"""DOCX from the document tree: writer (the walk), tables, styles (from render.style), oxml."""

from .writer import DocxWriter, write_docx

__all__ = ["DocxWriter", "write_docx"]
