from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from core.permissions import require

from .forms import RecordTrailForm
from .permissions import can_read_trail
from .selectors import chain_head, record_entries, verify_chain

RECORD_ENTRY_LIMIT = 500


@login_required
def chain(request):
    """The auditors' page: the chain's head, a verification run on request, and the entries of one record."""
    require(can_read_trail(request.user))
    position, head = chain_head()
    verification = verify_chain() if request.GET.get("verify") else None
    form = RecordTrailForm(request.GET if "record_model" in request.GET else None)
    entries = []
    if form.is_bound and form.is_valid():
        entries = record_entries(
            form.cleaned_data["record_model"], form.cleaned_data["record_id"], limit=RECORD_ENTRY_LIMIT
        )
        users = get_user_model().objects.in_bulk({e.history_user_id for e in entries if e.history_user_id})
        for entry in entries:
            entry.user = users.get(entry.history_user_id)
    return render(
        request,
        "trail/chain.html",
        {"position": position, "head": head, "verification": verification, "form": form, "entries": entries},
    )
