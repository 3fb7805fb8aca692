from django.urls import path

from dangan.agreements.api import views

urlpatterns = [
    path("employers/", views.EmployerListView.as_view(), name="api-employers"),
    path("employers/<int:pk>/", views.EmployerDetailView.as_view(), name="api-employer"),
    path("employers/<int:pk>/changes/", views.EmployerChangeView.as_view(), name="api-employer-change"),
    path("employers/<int:pk>/dissolve/", views.EmployerDissolveView.as_view(), name="api-employer-dissolve"),
    path("employers/<int:pk>/registration-form/", views.EmployerFormView.as_view(), name="api-employer-form"),
    path("agreements/", views.AgreementListView.as_view(), name="api-agreements"),
    path("agreements/blank-document/", views.AgreementBlankView.as_view(), name="api-agreement-blank"),
    path("agreements/reminders/", views.RemindersView.as_view(), name="api-agreement-reminders"),
    path("agreements/without-agreement/", views.WithoutAgreementView.as_view(), name="api-without-agreement"),
    path("agreements/jurisdiction/person/", views.PersonJurisdictionView.as_view(), name="api-jurisdiction-person"),
    path(
        "agreements/jurisdiction/employer/", views.EmployerJurisdictionView.as_view(), name="api-jurisdiction-employer"
    ),
    path("agreements/<int:pk>/", views.AgreementDetailView.as_view(), name="api-agreement"),
    path("agreements/<int:pk>/renew/", views.AgreementRenewView.as_view(), name="api-agreement-renew"),
    path(
        "agreements/<int:pk>/renewals/<int:renewal_id>/approve/",
        views.RenewalApproveView.as_view(),
        name="api-renewal-approve",
    ),
    path(
        "agreements/<int:pk>/renewals/<int:renewal_id>/reject/",
        views.RenewalRejectView.as_view(),
        name="api-renewal-reject",
    ),
    path("agreements/<int:pk>/end/", views.AgreementEndView.as_view(), name="api-agreement-end"),
    path("agreements/<int:pk>/roster/", views.RosterJoinView.as_view(), name="api-agreement-roster"),
    path("agreements/<int:pk>/document/", views.AgreementDocumentView.as_view(), name="api-agreement-document"),
    path("agreements/roster/<int:entry_id>/departure/", views.DepartureView.as_view(), name="api-roster-departure"),
    path("agreements/personal/", views.PersonalListView.as_view(), name="api-personal-agreements"),
    path("agreements/personal/prefill/", views.PersonalPrefillView.as_view(), name="api-personal-prefill"),
    path("agreements/personal/blank-document/", views.PersonalBlankView.as_view(), name="api-personal-blank"),
    path("agreements/personal/<int:pk>/", views.PersonalDetailView.as_view(), name="api-personal-agreement"),
    path("agreements/personal/<int:pk>/end/", views.PersonalEndView.as_view(), name="api-personal-end"),
    path("agreements/personal/<int:pk>/document/", views.PersonalDocumentView.as_view(), name="api-personal-document"),
    path("notices/", views.NoticeListView.as_view(), name="api-notices"),
]
