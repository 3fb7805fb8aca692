from django.urls import path

from dangan.agreements.views import agreements, employers, misc, personal

app_name = "agreements"
urlpatterns = [
    path("", misc.home, name="home"),
    path("reminders/", misc.reminders, name="reminders"),
    path("notices/", misc.notices, name="notices"),
    path("employers/", employers.employer_list, name="employers"),
    path("employers/new/", employers.employer_register, name="employer_register"),
    path("employers/<int:pk>/", employers.employer_detail, name="employer"),
    path("employers/<int:pk>/form.pdf", employers.employer_form_pdf, name="employer_pdf"),
    path("employers/<int:pk>/change/", employers.employer_change, name="employer_change"),
    path("employers/<int:pk>/dissolve/", employers.employer_dissolve, name="employer_dissolve"),
    path("employers/<int:pk>/sign/", employers.agreement_sign, name="agreement_sign"),
    path("collective/", agreements.agreement_list, name="agreement_list"),
    path("collective/blank.pdf", agreements.agreement_blank_pdf, name="agreement_blank_pdf"),
    path("collective/<int:pk>/", agreements.agreement_detail, name="agreement"),
    path("collective/<int:pk>/agreement.pdf", agreements.agreement_pdf, name="agreement_pdf"),
    path("collective/<int:pk>/renew/", agreements.agreement_renew, name="agreement_renew"),
    path("collective/<int:pk>/renewals/<int:renewal_id>/", agreements.renewal_decide, name="renewal_decide"),
    path("collective/<int:pk>/end/", agreements.agreement_end, name="agreement_end"),
    path("collective/<int:pk>/roster/", agreements.roster_add, name="roster_add"),
    path("roster/<int:entry_id>/departure/", agreements.departure, name="departure"),
    path("personal/", personal.personal_list, name="personal_list"),
    path("personal/new/", personal.personal_sign, name="personal_sign"),
    path("personal/blank.pdf", personal.personal_blank_pdf, name="personal_blank_pdf"),
    path("personal/<int:pk>/", personal.personal_detail, name="personal"),
    path("personal/<int:pk>/agreement.pdf", personal.personal_pdf, name="personal_pdf"),
    path("personal/<int:pk>/end/", personal.personal_end, name="personal_end"),
    path("dossiers/<int:dossier_id>/section/", misc.dossier_section, name="dossier_section"),
]
