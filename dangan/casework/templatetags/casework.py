from django import template

from dangan.casework import registry
from dangan.casework.models import ServiceRequest

register = template.Library()


@register.filter
def service_label(request: ServiceRequest) -> str:
    service_type = registry.get(request.service_type)
    return service_type.label if service_type else request.service_type


@register.filter
def status_label(request: ServiceRequest) -> str:
    return registry.status_label(request.service_type, request.status)
