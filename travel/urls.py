from django.urls import path

from travel.views import organiser, participant

app_name = "travel"
manage = "congresses/<slug:slug>/manage/travel/"
urlpatterns = [
    path("me/<str:token>/travel/", participant.participant, name="participant"),
    path(manage, organiser.applications, name="applications"),
    path(f"{manage}settings/", organiser.grant_settings, name="settings"),
    path(f"{manage}applications/<int:pk>/", organiser.application_detail, name="application"),
    path(f"{manage}claims/<int:pk>/", organiser.claim_decision, name="claim"),
    path(f"{manage}claims/<int:pk>/receipt/", organiser.claim_receipt, name="receipt"),
    path(f"{manage}budgets/", organiser.budgets, name="budgets"),
    path(f"{manage}accommodation/", organiser.accommodation, name="accommodation"),
    path(
        f"{manage}accommodation/<int:hotel>/rooming.<str:file_format>",
        organiser.rooming_list,
        name="rooming_list",
    ),
    path(f"{manage}transfers/", organiser.transfers, name="transfers"),
    path(f"{manage}transfers/manifest.xlsx", organiser.manifest_xlsx, name="manifest"),
    path(f"{manage}report/", organiser.donor_report, name="donor_report"),
    path(
        f"{manage}report.<str:file_format>",
        organiser.donor_report,
        name="donor_report_export",
    ),
]
