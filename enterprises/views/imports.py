"""Roster import pages: upload (preview or commit), the template, the batches, a batch, its error sheet
(the pages themselves are :mod:`core.tabular.views`)."""

from django.core.paginator import Paginator
from django.utils.translation import gettext_lazy

from core.roles import DISTRICT_ROLES, Role, role_of
from core.selectors import unit_list
from core.tabular.batches import ACTIONS
from core.tabular.views import BatchPages, UploadForm

from .. import imports, permissions, roster

#: Rows of a staged preview listed on one page.
ROWS_SHOWN = 100


class RosterUploadForm(UploadForm):
    file_label = gettext_lazy("Roster file (.xlsx or .csv)")


class RosterPages(BatchPages):
    """The roster's pages, under /enterprises/import/."""

    batch_import = imports.ROSTER_IMPORT
    form_class = RosterUploadForm
    template_prefix = "enterprises/import_"
    url_names = {
        "upload": "enterprises:import",
        "template": "enterprises:import_template",
        "batches": "enterprises:import_batches",
        "batch": "enterprises:import_batch",
        "commit": "enterprises:import_commit",
        "errors": "enterprises:import_errors",
    }
    template_file_name = "试点企业名单模板.xlsx"
    template_kind = "roster_template"

    def start(self, *, actor, upload, commit):
        return imports.roster_import(actor=actor, upload=upload, commit=commit)

    def commit(self, *, actor, batch):
        return imports.roster_import_commit(actor=actor, batch=batch)

    def write_template(self):
        return roster.write_template(unit_list())

    def upload_context(self, request):
        user = request.user
        return {
            "columns": roster.COLUMNS,
            "max_rows": roster.max_rows(),
            "inline_max": imports.INLINE_MAX_ROWS,
            "unit": user.unit if role_of(user) == Role.UNIT_STAFF else None,
        }

    def can_list(self, user):
        """The uploaders, and the auditors: each sees the batches the model's ``visible_to`` allows."""
        if role_of(user) == Role.AUDITOR:
            return True, ""
        return permissions.can_import(user)

    def rows_context(self, request, batch):
        """A staged preview lists every row (ROWS_SHOWN a page, ``?action=`` one action) with its changes."""
        if not batch.staged or batch.status != batch.Status.DONE:
            return {}
        action = request.GET.get("action")
        if action not in ACTIONS:
            action = ""
        rows = batch.staged_rows.order_by("row")
        if action:
            rows = rows.filter(action=action)
        page = Paginator(rows, ROWS_SHOWN).get_page(request.GET.get("page"))
        return {
            "row_page": page,
            "row_items": [(staged, imports.changes_shown(staged)) for staged in page],
            "row_action": action,
            "row_actions": ACTIONS,
        }

    def may_commit(self, user, batch):
        """The uploader, or the district, while they may import."""
        may_write = batch.uploaded_by_id == user.pk or role_of(user) in DISTRICT_ROLES
        return may_write and permissions.can_import(user)[0]


PAGES = RosterPages()
