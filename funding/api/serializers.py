from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from funding import models
from funding.choices import BudgetPurpose, RecognitionKind, RecognitionLevel

MONEY = {"max_digits": 16, "decimal_places": 2}


class ProjectTransitionSerializer(serializers.ModelSerializer):
    actor = serializers.CharField(source="actor.username", default=None)

    class Meta:
        model = models.ProjectTransition
        fields = ["action", "from_status", "to_status", "date", "reason", "data", "actor", "recorded_at"]
        read_only_fields = fields


class AcceptanceSerializer(serializers.ModelSerializer):
    class Meta:
        model = models.Acceptance
        fields = [
            "id",
            "project",
            "attempt",
            "evaluation_body",
            "accepted_on",
            "passed",
            "findings",
            "checklist",
            "post_assessment",
            "recorded_at",
        ]
        read_only_fields = fields


class ProjectSerializer(serializers.ModelSerializer):
    eligible_spend = serializers.DecimalField(read_only=True, **MONEY)
    software_share = serializers.FloatField(read_only=True, allow_null=True)
    acceptances = AcceptanceSerializer(many=True, read_only=True)

    class Meta:
        model = models.Project
        fields = [
            "id",
            "enterprise",
            "provider",
            "diagnosis",
            "title",
            "contract_no",
            "contract_signed_on",
            "planned_start_on",
            "planned_end_on",
            "total_investment",
            "software_amount",
            "cloud_amount",
            "equipment_amount",
            "other_amount",
            "eligible_spend",
            "software_share",
            "scenes",
            "target_level",
            "is_chain_project",
            "status",
            "progress",
            "filed_on",
            "approved_on",
            "acceptance_requested_on",
            "accepted_on",
            "acceptance_attempts",
            "acceptances",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class _ProjectFacts(serializers.Serializer):
    title = serializers.CharField(max_length=200, required=False, allow_blank=True)
    contract_signed_on = serializers.DateField(required=False, allow_null=True)
    planned_start_on = serializers.DateField(required=False, allow_null=True)
    planned_end_on = serializers.DateField(required=False, allow_null=True)
    cloud_amount = serializers.DecimalField(required=False, min_value=0, **MONEY)
    equipment_amount = serializers.DecimalField(required=False, min_value=0, **MONEY)
    other_amount = serializers.DecimalField(required=False, min_value=0, **MONEY)
    scenes = serializers.ListField(child=serializers.CharField(max_length=64), required=False)
    target_level = serializers.IntegerField(required=False, allow_null=True, min_value=0, max_value=4)
    is_chain_project = serializers.BooleanField(required=False)


class ProjectCreateSerializer(_ProjectFacts):
    enterprise = serializers.IntegerField()
    provider = serializers.IntegerField()
    contract_no = serializers.CharField(max_length=64)
    total_investment = serializers.DecimalField(min_value=0, **MONEY)
    software_amount = serializers.DecimalField(min_value=0, **MONEY)
    date = serializers.DateField(required=False, allow_null=True, help_text=_("The day the project was filed."))


class ProjectUpdateSerializer(_ProjectFacts):
    contract_no = serializers.CharField(max_length=64, required=False)
    total_investment = serializers.DecimalField(required=False, min_value=0, **MONEY)
    software_amount = serializers.DecimalField(required=False, min_value=0, **MONEY)


class ProjectStepSerializer(serializers.Serializer):
    date = serializers.DateField(required=False, allow_null=True)
    reason = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class ProjectReasonSerializer(ProjectStepSerializer):
    reason = serializers.CharField(max_length=2000)


class ProgressSerializer(serializers.Serializer):
    progress = serializers.IntegerField(min_value=0, max_value=100)
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000)
    date = serializers.DateField(required=False, allow_null=True)


class AcceptanceInputSerializer(serializers.Serializer):
    passed = serializers.BooleanField()
    accepted_on = serializers.DateField(required=False, allow_null=True)
    findings = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    checklist = serializers.DictField(child=serializers.BooleanField(), required=False)
    post_assessment = serializers.IntegerField(required=False, allow_null=True)
    date = serializers.DateField(required=False, allow_null=True)


class CorrectionSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)
    passed = serializers.BooleanField(required=False, allow_null=True, default=None)
    accepted_on = serializers.DateField(required=False, allow_null=True)
    findings = serializers.CharField(required=False, allow_null=True, max_length=5000)
    date = serializers.DateField(required=False, allow_null=True)


class RecognitionSerializer(serializers.ModelSerializer):
    class Meta:
        model = models.Recognition
        fields = [
            "id",
            "kind",
            "level",
            "recognised_on",
            "title",
            "issuer",
            "enterprise",
            "members",
            "platform_name",
            "gongfu_lianzhu",
            "note",
            "created_at",
        ]
        read_only_fields = fields


class RecognitionInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=RecognitionKind.choices)
    level = serializers.ChoiceField(choices=RecognitionLevel.choices)
    recognised_on = serializers.DateField()
    title = serializers.CharField(max_length=255)
    enterprise = serializers.IntegerField(required=False, allow_null=True)
    members = serializers.ListField(child=serializers.IntegerField(), required=False)
    issuer = serializers.CharField(max_length=200, required=False, allow_blank=True)
    platform_name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    gongfu_lianzhu = serializers.BooleanField(required=False)
    note = serializers.CharField(required=False, allow_blank=True)


class BudgetLineSerializer(serializers.ModelSerializer):
    source = serializers.CharField(source="source.code")
    committed = serializers.DecimalField(read_only=True, **MONEY)
    claimed = serializers.DecimalField(read_only=True, **MONEY)
    paid = serializers.DecimalField(read_only=True, **MONEY)
    available = serializers.SerializerMethodField()

    class Meta:
        model = models.BudgetLine
        fields = ["id", "source", "purpose", "name", "amount", "committed", "claimed", "paid", "available"]
        read_only_fields = fields

    def get_available(self, obj) -> str:
        return f"{obj.amount - obj.committed:.2f}"


class BudgetLineInputSerializer(serializers.Serializer):
    source = serializers.CharField(max_length=32)
    purpose = serializers.ChoiceField(choices=BudgetPurpose.choices)
    amount = serializers.DecimalField(min_value=0, **MONEY)
    name = serializers.CharField(max_length=200, required=False, allow_blank=True)


class CommitmentLineSerializer(serializers.ModelSerializer):
    class Meta:
        model = models.CommitmentLine
        fields = ["id", "budget_line", "amount"]
        read_only_fields = fields


class CommitmentSerializer(serializers.ModelSerializer):
    lines = CommitmentLineSerializer(many=True, read_only=True)
    created_by = serializers.CharField(source="created_by.username", default=None, read_only=True, allow_null=True)

    class Meta:
        model = models.Commitment
        fields = [
            "id",
            "title",
            "enterprise",
            "project",
            "interest_subsidy",
            "policy",
            "committed_on",
            "status",
            "note",
            "lines",
            "created_by",
        ]
        read_only_fields = fields


class CommitmentLineInputSerializer(serializers.Serializer):
    budget_line = serializers.IntegerField()
    amount = serializers.DecimalField(**MONEY)


class CommitmentInputSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    project = serializers.IntegerField(required=False, allow_null=True)
    enterprise = serializers.IntegerField(required=False, allow_null=True)
    policy = serializers.IntegerField(required=False, allow_null=True)
    committed_on = serializers.DateField(required=False, allow_null=True)
    note = serializers.CharField(required=False, allow_blank=True)
    lines = CommitmentLineInputSerializer(many=True)


class DisbursementSerializer(serializers.ModelSerializer):
    """A payment with who took each step (usernames; four eyes: two people at least) and when. A
    back-filled row (``backfilled``) was recorded from the programme's documents by the user who
    uploaded them; ``*_by_name`` are the officers the file names."""

    requested_by = serializers.CharField(source="requested_by.username", default=None, read_only=True, allow_null=True)
    approved_by = serializers.CharField(source="approved_by.username", default=None, read_only=True, allow_null=True)
    paid_by = serializers.CharField(source="paid_by.username", default=None, read_only=True, allow_null=True)
    rejected_by = serializers.CharField(source="rejected_by.username", default=None, read_only=True, allow_null=True)

    class Meta:
        model = models.Disbursement
        fields = [
            "id",
            "commitment_line",
            "amount",
            "tranche",
            "status",
            "requested_on",
            "approved_on",
            "paid_on",
            "voucher_no",
            "payee_account",
            "reverses",
            "reason",
            "requested_by",
            "approved_by",
            "paid_by",
            "rejected_by",
            "rejected_on",
            "backfilled",
            "requested_by_name",
            "approved_by_name",
            "paid_by_name",
        ]
        read_only_fields = fields


class DisbursementInputSerializer(serializers.Serializer):
    commitment_line = serializers.IntegerField()
    amount = serializers.DecimalField(**MONEY)
    tranche = serializers.IntegerField(required=False, min_value=1, max_value=32767, default=1)
    payee_account = serializers.CharField(required=False, allow_blank=True, max_length=64)
    date = serializers.DateField(required=False, allow_null=True)
    reason = serializers.CharField(required=False, allow_blank=True)


class PaySerializer(serializers.Serializer):
    voucher_no = serializers.CharField(max_length=64)
    date = serializers.DateField(required=False, allow_null=True)


# --- the financing list (金融清单) ---


class FinancialProductSerializer(serializers.ModelSerializer):
    class Meta:
        model = models.FinancialProduct
        fields = ["id", "bank", "name", "rate", "limit", "term_months", "note", "is_active"]
        read_only_fields = fields


class FinancialProductInputSerializer(serializers.Serializer):
    bank = serializers.CharField(max_length=200)
    name = serializers.CharField(max_length=200)
    rate = serializers.DecimalField(max_digits=6, decimal_places=3, required=False, allow_null=True, min_value=0)
    limit = serializers.DecimalField(required=False, allow_null=True, min_value=0, **MONEY)
    term_months = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=600)
    note = serializers.CharField(required=False, allow_blank=True)
    is_active = serializers.BooleanField(required=False)


class FinancialProductPatchSerializer(FinancialProductInputSerializer):
    bank = serializers.CharField(max_length=200, required=False)
    name = serializers.CharField(max_length=200, required=False)


class InterestSubsidySerializer(serializers.ModelSerializer):
    commitment = serializers.SerializerMethodField()

    class Meta:
        model = models.InterestSubsidy
        fields = [
            "id",
            "enterprise",
            "financial_product",
            "loan_amount",
            "loan_on",
            "amount",
            "granted_on",
            "note",
            "commitment",
        ]
        read_only_fields = fields

    def get_commitment(self, obj) -> int | None:
        commitment = next(iter(obj.commitments.all()), None)
        return commitment.pk if commitment else None


class InterestSubsidyInputSerializer(serializers.Serializer):
    enterprise = serializers.IntegerField()
    financial_product = serializers.IntegerField(required=False, allow_null=True)
    loan_amount = serializers.DecimalField(**MONEY)
    loan_on = serializers.DateField()
    amount = serializers.DecimalField(**MONEY)
    granted_on = serializers.DateField()
    budget_line = serializers.IntegerField(required=False, allow_null=True)
    note = serializers.CharField(required=False, allow_blank=True)
