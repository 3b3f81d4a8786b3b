"""部门决算: the kind of document reportgen makes first."""
