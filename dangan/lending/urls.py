from django.urls import path

from dangan.lending import views

app_name = "lending"
urlpatterns = [
    path("", views.home, name="home"),
    path("relatives/", views.relatives, name="relatives"),
    path("relatives/<int:pk>/withdraw/", views.relative_withdraw, name="relative_withdraw"),
    path("consultations/apply/", views.consultation_apply, name="consultation_apply"),
    path("consultations/<int:pk>/", views.consultation_detail, name="consultation"),
    path("consultations/<int:pk>/approve/", views.consultation_approve, name="consultation_approve"),
    path("consultations/<int:pk>/reject/", views.consultation_reject, name="consultation_reject"),
    path("consultations/<int:pk>/withdraw/", views.consultation_withdraw, name="consultation_withdraw"),
    path("consultations/<int:pk>/close/", views.consultation_close, name="consultation_close"),
    path("consultations/<int:pk>/sessions/", views.session_open, name="session_open"),
    path("consultations/<int:pk>/sessions/<int:session_id>/close/", views.session_close, name="session_close"),
    path("consultations/<int:pk>/sessions/<int:session_id>/copies/", views.copy_request, name="copy_request"),
    path("consultations/<int:pk>/copies/<int:copy_id>/decide/", views.copy_decide, name="copy_decide"),
    path("consultations/<int:pk>/copies/<int:copy_id>/certify/", views.copy_certify, name="copy_certify"),
    path("loans/apply/", views.loan_apply, name="loan_apply"),
    path("loans/overdue/", views.overdue, name="overdue"),
    path("loans/<int:pk>/", views.loan_detail, name="loan"),
    path("loans/<int:pk>/approve/", views.loan_approve, name="loan_approve"),
    path("loans/<int:pk>/reject/", views.loan_reject, name="loan_reject"),
    path("loans/<int:pk>/withdraw/", views.loan_withdraw, name="loan_withdraw"),
    path("loans/<int:pk>/lend/", views.loan_lend, name="loan_lend"),
    path("loans/<int:pk>/return/", views.loan_return, name="loan_return"),
]
