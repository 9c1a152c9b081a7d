"""Files the reports app renders from its reads: ``documents`` (the enterprise file, the project dossier and
the ledger statement as PDFs), ``evidence`` (an indicator's evidence pack as a ZIP), ``snapshots`` (a
snapshot's PDF), ``kinds`` (the kinds of requested document: label, renderer, who may see the subject) and
``common`` (what they share: the rendered result, WeasyPrint, text safe in a page margin)."""
