"""The 部门预算 kind (seed 003): tables as data, identities and narrative figures.

Not wired into the engine yet; the kind plug-in seam (reportgen/kinds/<kind>/) will read it.
"""
