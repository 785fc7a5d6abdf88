"""The request-info form sent from a page whose security token had expired, or without the
cookie that goes with it (Django's CSRF check failed): the form comes back with everything
typed, to check and send again. Nothing is recorded from a request that failed the check."""

from django.shortcuts import render

from inquiries.forms import RequestInfoForm
from inquiries.views import SWITCH_LANGUAGE


def resend_page(request):
    typed = {name: request.POST.get(name, "") for name in RequestInfoForm.base_fields}
    context = {"form": RequestInfoForm(initial=typed), "switch_name": SWITCH_LANGUAGE}
    return render(request, "inquiries/request_info.html", {**context, "expired": True}, status=403)
