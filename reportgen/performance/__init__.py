"""项目支出绩效自评: the self-evaluation forms as inputs, scoring rules as profile data, the printed
form as a renderer-neutral grid, and the checks (rules P-1…P-8).

Modules: `model` (inputs with their cells), `rules` (a profile's [performance] table),
`inputs` (the 绩效-N sheets: read and write), `scoring`, `forms` (layouts and the grid),
`checks` (findings) and `derive` (the narrative's 绩效 figures, one source).
Nothing here imports the document or the renderers.
"""
