"""The offline on-site evaluation form: the service worker and the list of what it keeps.

An evaluator's tablet keeps the evaluation forms of the enterprises assigned to their body, the portal's
assets and the scoring rules (docs/architecture.md, "The offline evaluation form"):

* ``/sw.js`` serves ``static/js/sw.js`` from the site's root, so its scope covers every page it keeps;
* ``/assessments/offline/`` lists, for the signed-in evaluator only, the pages and assets to keep.
"""

from django.contrib.auth.decorators import login_required
from django.contrib.staticfiles import finders
from django.http import Http404, HttpResponse, JsonResponse
from django.templatetags.static import static
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from core import registry
from core.roles import Role, role_of

from ..choices import Method
from ..selectors.assessments import evaluator_worklist
from ..selectors.index import current_edition

#: The portal's assets a form page loads (base.html, the form's scripts), kept on the tablet.
ASSETS = (
    "favicon.svg",
    "vendor/bootstrap/css/bootstrap.min.css",
    "vendor/bootstrap-icons/bootstrap-icons.min.css",
    "vendor/bootstrap-icons/fonts/bootstrap-icons.woff2",
    "vendor/bootstrap-icons/fonts/bootstrap-icons.woff",
    "css/portal.css",
    "css/offline-form.css",
    "vendor/bootstrap/js/bootstrap.bundle.min.js",
    "vendor/htmx/htmx.min.js",
    "js/portal.js",
    "js/scoring.js",
    "js/offline.js",
)


@require_GET
def service_worker(request):
    """The service worker, served from the root with a root scope (``Service-Worker-Allowed: /``)."""
    path = finders.find("js/sw.js")
    if not path:  # pragma: no cover - the file is part of the repository
        raise Http404
    with open(path, encoding="utf-8") as source:
        response = HttpResponse(source.read(), content_type="application/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = "/"
    response["Cache-Control"] = "no-cache"
    return response


def offline_pages(user):
    """The form pages an evaluator may need on site: for each enterprise assigned to their body, the
    evaluation due (baseline, else post) and the edit page of each on-site draft."""
    urls = [reverse("diagnostics:assessments:mine")]
    for row in evaluator_worklist(viewer=user, evaluation_body=user.evaluation_body):
        enterprise = row["enterprise"]
        if row["due_stage"]:
            create = reverse("diagnostics:assessments:create", args=[enterprise.pk, Method.ONSITE])
            urls.append(f"{create}?stage={row['due_stage']}")
        for key in ("baseline_draft", "post_draft"):
            draft = row[key]
            if draft is not None and not (row[key.replace("_draft", "")]):
                urls.append(reverse("diagnostics:assessments:edit", args=[draft.pk]))
    for pages in registry.offline_pages.values():  # the forms of later apps (funding's acceptance forms)
        urls.extend(pages(user))
    return urls


@login_required
@require_GET
@never_cache
def offline_manifest(request):
    """What the service worker keeps for the signed-in evaluator (404 for any other role)."""
    user = request.user
    if role_of(user) != Role.EVALUATOR or not user.evaluation_body_id:
        raise Http404
    return JsonResponse(
        {
            "user": user.pk,
            "pages": offline_pages(user),
            "assets": [static(name) for name in ASSETS],
            "data": [
                f"{reverse('api:assessment-rules')}?index={edition.code}" for edition in [current_edition()] if edition
            ],
        }
    )
