"""reportgen: a public-sector unit's 部门决算 disclosure from its workbook."""

__version__ = "0.1.0"
