"""Writers: one HTML document, rendered to HTML, PDF and DOCX."""
