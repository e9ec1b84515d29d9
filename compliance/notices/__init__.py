"""Regulation F validation notices (12 CFR 1006.34; Model Form B-1), in English and Spanish.

content.py  pure: the notice content from plain data, and the FED-VN-02 completeness check
wording.py  the sentences of the notice in each language
render.py   HTML and PDF (WeasyPrint) from the content
services.py build from the database, store the PDF, record it and mail it through the gate
views.py    preview, PDF download and generate-and-send pages
"""
