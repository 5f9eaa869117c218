"""API: GET /api/v1/congresses/{slug}/reports/attendance/ (organisers), ?format=csv|xlsx.

`?detail=people` returns the per-person figures instead (personal data: audited)."""

from django.http import HttpResponse
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import renderers
from rest_framework.response import Response
from rest_framework.views import APIView

from attendance import exports, services
from attendance.queries import attendance_report, people_rows
from congress.api.permissions import CongressRolePermission
from congress.api.views import CongressScopedMixin
from congress.permissions import Role


class CSVRenderer(renderers.BaseRenderer):
    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return data


class XLSXRenderer(renderers.BaseRenderer):
    media_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    format = "xlsx"
    charset = None

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return data


class AttendanceReportView(CongressScopedMixin, APIView):
    """Attendance of one congress as flat rows (section, key, label, figures)."""

    permission_classes = [CongressRolePermission]
    congress_roles = (Role.ORGANISER,)
    renderer_classes = [renderers.JSONRenderer, CSVRenderer, XLSXRenderer]

    @extend_schema(
        parameters=[
            OpenApiParameter("format", str, enum=["json", "csv", "xlsx"]),
            OpenApiParameter("detail", str, enum=["summary", "people"]),
        ],
        responses={200: dict},
    )
    def get(self, request, slug: str):
        congress = self.get_congress()
        report = attendance_report(congress=congress)
        output = request.accepted_renderer.format
        if request.query_params.get("detail") == "people":
            rows = exports.people_dicts(people_rows(report=report, include_hidden=True))
            columns, name = exports.PEOPLE_COLUMNS, "people"
            services.record_personal_export(
                congress=congress,
                actor=request.user,
                export_format=output,
                filters={"detail": "people"},
                rows=len(rows),
            )
        else:
            rows, columns, name = exports.report_rows(report), exports.REPORT_COLUMNS, "attendance"
        filename = f"{name}-{congress.slug}"
        if output == "csv":
            response = HttpResponse(
                exports.to_csv(rows, columns), content_type="text/csv; charset=utf-8"
            )
            response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
            return response
        if output == "xlsx":
            content = (
                exports.report_xlsx(report)
                if name == "attendance"
                else exports.to_xlsx([(name, columns, rows)])
            )
            response = HttpResponse(content, content_type=XLSXRenderer.media_type)
            response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
            return response
        return Response({"congress": congress.slug, "columns": list(columns), "rows": rows})
