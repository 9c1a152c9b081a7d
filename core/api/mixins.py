class ScopedViewSetMixin:
    """Every object an API view touches comes through the model's ``visible_to``.

    A record outside the caller's scope therefore answers 404, exactly as a missing one.
    """

    model = None
    scoped_ordering = ("pk",)

    def get_queryset(self):
        return self.model.objects.visible_to(self.request.user).order_by(*self.scoped_ordering)
