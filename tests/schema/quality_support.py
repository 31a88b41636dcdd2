"""What tests of the quality mutations share: each mutation's input type and result union."""

from __future__ import annotations

# Per mutation: its input type, its result union.
OPERATIONS = {
    "reportQualityIssue": ("ReportQualityIssueInput", "QualityIssueChangeResult"),
    "recordCostImpact": ("RecordCostImpactInput", "QualityIssueChangeResult"),
    "closeQualityIssue": ("QualityIssueStepInput", "QualityIssueChangeResult"),
    "openInvestigation": ("OpenInvestigationInput", "InvestigationChangeResult"),
    "updateInvestigation": ("UpdateInvestigationInput", "InvestigationChangeResult"),
    "startInvestigation": ("QualityIssueStepInput", "InvestigationChangeResult"),
    "closeInvestigation": ("CloseInvestigationInput", "InvestigationChangeResult"),
    "addVerificationTest": ("AddVerificationTestInput", "InvestigationChangeResult"),
    "addAction": ("AddActionInput", "ActionChangeResult"),
    "updateAction": ("UpdateActionInput", "ActionChangeResult"),
    "startAction": ("ActionStepInput", "ActionChangeResult"),
    "completeAction": ("ActionStepInput", "ActionChangeResult"),
    "cancelAction": ("ActionStepInput", "ActionChangeResult"),
    "notifySupplier": ("NotifySupplierInput", "SuppliersNotifiedResult"),
    "respondToNotification": ("RespondToNotificationInput", "NotificationAnswerResult"),
}
