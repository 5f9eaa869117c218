from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AttendanceConfig(AppConfig):
    name = "attendance"
    verbose_name = _("Attendance")

    def ready(self) -> None:
        from congress.navigation import Audience, register_congress_link
        from congress.permissions import Role
        from registrations.self_service import register_self_service_link

        register_congress_link(
            audience=Audience.STAFF,
            label=_("Close the congress"),
            url_name="attendance:close",
            roles=(Role.ORGANISER,),
            order=90,
        )
        register_congress_link(
            audience=Audience.STAFF,
            label=_("Attendance and certificates"),
            url_name="attendance:attendance",
            roles=(Role.ORGANISER, Role.CHECKIN_STAFF),
            order=50,
        )
        register_self_service_link(
            label=_("Certificate of attendance"), url_name="attendance:my_certificate", order=50
        )
        register_self_service_link(
            label=_("Take part online (stream links)"), url_name="attendance:online", order=40
        )
