"""History back-fill pages: upload (check or write), the template, the uploads, one upload, its error sheet
(the pages themselves are :mod:`core.tabular.views`)."""

from django.utils.translation import gettext_lazy

from core.roles import DISTRICT_ROLES, Role, has_role, role_of
from core.tabular.views import BatchPages, UploadForm

from . import schema, services


class BackfillUploadForm(UploadForm):
    file_label = gettext_lazy("History file (.xlsx or .csv)")


class BackfillPages(BatchPages):
    """The back-fill's pages, at /funding/backfill/. Only the uploader may write a preview (the
    preview predicted what *their* commit does)."""

    batch_import = services.BACKFILL
    form_class = BackfillUploadForm
    template_prefix = "funding/backfill_"
    url_names = {
        "upload": "backfill:upload",
        "template": "backfill:template",
        "batches": "backfill:batches",
        "batch": "backfill:batch",
        "commit": "backfill:commit",
        "errors": "backfill:errors",
    }
    template_file_name = services.TEMPLATE_NAME
    template_kind = "backfill_template"

    def start(self, *, actor, upload, commit):
        return services.backfill_import(actor=actor, upload=upload, commit=commit)

    def commit(self, *, actor, batch):
        return services.backfill_commit(actor=actor, batch=batch)

    def write_template(self):
        return services.write_template()

    def upload_context(self, request):
        user = request.user
        return {
            "kinds": schema.KINDS,
            "max_rows": services.MAX_ROWS,
            "inline_max": services.INLINE_MAX_ROWS,
            "may_district": role_of(user) in DISTRICT_ROLES,
            "may_finance": has_role(user, Role.FINANCE_OFFICER),
        }

    def batch_context(self, batch):
        """The totals of each sheet, in the order the sheets are processed."""
        by_kind = (batch.result or {}).get("totals_by_kind", {})
        return {"kinds": [(kind, by_kind[kind.key]) for kind in schema.KINDS if kind.key in by_kind]}


PAGES = BackfillPages()
