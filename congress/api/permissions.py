from rest_framework.permissions import BasePermission

from congress.permissions import Role, has_congress_role


class CongressRolePermission(BasePermission):
    """Allows a request when the user holds one of `roles` in the congress named by the URL.

    Views set `congress_roles`; the congress comes from `view.get_congress()`.
    Answers yes or no, nothing else.
    """

    def has_permission(self, request, view) -> bool:
        roles = getattr(view, "congress_roles", (Role.ORGANISER,))
        return has_congress_role(request.user, view.get_congress(), *roles)
