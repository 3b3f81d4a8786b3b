"""Writers of the document tree: HTML (which WeasyPrint lays out as the PDF) and DOCX."""
