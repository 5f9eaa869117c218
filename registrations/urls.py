from django.urls import path

from registrations import invoice_views, opening_views, views

app_name = "registrations"
urlpatterns = [
    path("congresses/<slug:slug>/register/", views.register, name="register"),
    path("congresses/<slug:slug>/register/fee/", views.fee_quote, name="fee_quote"),
    path("congresses/<slug:slug>/register/group/", views.register_group, name="register_group"),
    path(
        "congresses/<slug:slug>/register/invitation/<str:token>/",
        views.register,
        name="register_invitation",
    ),
    path("congresses/<slug:slug>/register/lost-link/", views.lost_link, name="lost_link"),
    path("delegation/<str:token>/", views.group_page, name="group_page"),
    path("delegation/<str:token>/<int:pk>/", views.group_delegate, name="group_delegate"),
    path(
        "delegation/<str:token>/invoices/",
        invoice_views.group_invoices,
        name="group_invoices",
    ),
    path(
        "delegation/<str:token>/invoices/<int:pk>.pdf",
        invoice_views.group_invoice_pdf,
        name="group_invoice_pdf",
    ),
    path("membership/<str:token>/", views.membership_confirm, name="membership_confirm"),
    path(
        "membership/delegation/<str:token>/",
        views.membership_confirm_group,
        name="membership_confirm_group",
    ),
    path("registration/<str:token>/", views.self_service, name="self_service"),
    path(
        "registration/<str:token>/answers/",
        views.self_service_answers,
        name="self_service_answers",
    ),
    path("registration/<str:token>/cancel/", views.self_service_cancel, name="self_service_cancel"),
    path("registration/<str:token>/pay/", views.self_service_pay, name="self_service_pay"),
    path(
        "registration/<str:token>/accept-offer/",
        views.self_service_accept_offer,
        name="self_service_accept_offer",
    ),
    path("registration/<str:token>/receipt.pdf", views.receipt, name="receipt"),
    path(
        "registration/<str:token>/invoices/",
        invoice_views.self_service_invoices,
        name="self_service_invoices",
    ),
    path(
        "registration/<str:token>/invoices/<int:pk>.pdf",
        invoice_views.self_service_invoice_pdf,
        name="self_service_invoice_pdf",
    ),
    path("registration/<str:token>/visa/", views.visa_request, name="visa_request"),
    path("registration/<str:token>/visa/letter.pdf", views.visa_letter, name="visa_letter"),
    path("registration/<str:token>/paid/", views.payment_success, name="payment_success"),
    path(
        "registration/<str:token>/payment-cancelled/",
        views.payment_cancelled,
        name="payment_cancelled",
    ),
    path("visa-letters/verify/<str:token>/", views.visa_verify, name="visa_verify"),
    path("congresses/<slug:slug>/registrations/", views.manage_list, name="manage_list"),
    path(
        "congresses/<slug:slug>/registrations/export/",
        views.manage_export,
        name="manage_export",
    ),
    path(
        "congresses/<slug:slug>/registrations/<int:pk>/",
        views.manage_detail,
        name="manage_detail",
    ),
    path(
        "congresses/<slug:slug>/registrations/<int:pk>/<slug:action>/",
        views.manage_action,
        name="manage_action",
    ),
    path("congresses/<slug:slug>/invoices/", invoice_views.manage_invoices, name="manage_invoices"),
    path(
        "congresses/<slug:slug>/invoices/settings/",
        invoice_views.manage_invoice_settings,
        name="manage_invoice_settings",
    ),
    path(
        "congresses/<slug:slug>/invoices/<int:pk>.pdf",
        invoice_views.manage_invoice_pdf,
        name="manage_invoice_pdf",
    ),
    path(
        "congresses/<slug:slug>/registrations/<int:pk>/invoices/issue/",
        invoice_views.manage_issue_invoice,
        name="manage_issue_invoice",
    ),
    path("congresses/<slug:slug>/bank-transfers/", views.manage_bank, name="manage_bank"),
    path(
        "congresses/<slug:slug>/bank-transfers/imports/<int:pk>/",
        views.manage_bank_import,
        name="manage_bank_import",
    ),
    path(
        "congresses/<slug:slug>/bank-transfers/banks/",
        views.manage_bank_mappings,
        name="manage_bank_mappings",
    ),
    path(
        "congresses/<slug:slug>/bank-transfers/banks/<int:pk>/",
        views.manage_bank_mappings,
        name="manage_bank_mapping_edit",
    ),
    path(
        "congresses/<slug:slug>/bank-transfers/<int:pk>/resolve/",
        views.manage_bank_resolve,
        name="manage_bank_resolve",
    ),
    path("congresses/<slug:slug>/visa-letters/", views.manage_visa, name="manage_visa"),
    path(
        "congresses/<slug:slug>/visa-letters/officers/",
        views.manage_visa_officer,
        name="manage_visa_officer",
    ),
    path(
        "congresses/<slug:slug>/registrations/invitations/",
        views.manage_invitations,
        name="manage_invitations",
    ),
    path(
        "congresses/<slug:slug>/visa-letters/<int:pk>/letter.pdf",
        views.manage_visa_letter,
        name="manage_visa_letter",
    ),
    path(
        "congresses/<slug:slug>/visa-letters/<int:pk>/<slug:action>/",
        views.manage_visa_action,
        name="manage_visa_action",
    ),
]

# The organiser's "open registration" switch (backoffice core).
urlpatterns += [
    path("congresses/<slug:slug>/manage/opening/", opening_views.opening, name="opening"),
]
