"""API: GET /api/v1/congresses/{slug}/reports/attendance/ (organisers), ?format=csv|xlsx.

`?detail=people` returns the per-person figures instead (personal data: audited)."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import renderers
from rest_framework.response import Response
from rest_framework.views import APIView

from attendance import exports
from attendance.queries import attendance_report, people_rows
from common.exports import CONTENT_TYPES, FORMATS, XLSX, export_response
from congress.api.permissions import CongressRolePermission
from congress.api.views import CongressScopedMixin
from congress.audit import record_personal_data_access
from congress.permissions import Role


class CSVRenderer(renderers.BaseRenderer):
    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return data


class XLSXRenderer(renderers.BaseRenderer):
    media_type = CONTENT_TYPES[XLSX]
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
            record_personal_data_access(
                request=request,
                congress=congress,
                kind="export",
                filters={"detail": "people"},
                count=len(rows),
                output_format=output,
            )
        else:
            rows, columns, name = exports.report_rows(report), exports.REPORT_COLUMNS, "attendance"
        if output in FORMATS:
            if output == XLSX and name == "attendance":
                sheets = exports.report_sheets(rows)
            else:
                sheets = [exports.sheet(name, columns, rows)]
            return export_response(
                sheets=sheets,
                file_format=output,
                filename=f"{name}-{congress.slug}",
                # Read by programs as well as people: kept without the mark since version 1.
                byte_order_mark=False,
            )
        return Response({"congress": congress.slug, "columns": list(columns), "rows": rows})
