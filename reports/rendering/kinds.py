"""The kinds of document a user may request: how each is labelled and rendered. Who may still see a
document's subject is read by ``reports.selectors.documents.SUBJECT_VISIBLE``."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy

from . import documents, evidence


@dataclass(frozen=True)
class DocumentKind:
    """One kind of document and its renderer ``(document, viewer, progress) -> Rendered``."""

    code: str
    label: object
    render: object


KINDS: dict[str, DocumentKind] = {
    kind.code: kind
    for kind in (
        DocumentKind("enterprise_file", gettext_lazy("Enterprise file"), documents.render_enterprise_file),
        DocumentKind("project_dossier", gettext_lazy("Project dossier"), documents.render_project_dossier),
        DocumentKind("ledger_statement", gettext_lazy("Ledger statement"), documents.render_ledger_statement),
        DocumentKind("evidence_pack", gettext_lazy("Evidence pack"), evidence.render_evidence_pack),
    )
}
