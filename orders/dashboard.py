"""Oscar's order screens, the superuser's only (shops/access.py's gate refuses anyone else).

An order may hold several shops' lines: Oscar's screens show the whole of it, so merchants
work on their own shops' parts in our shop-order screens (orders.merchant) and never reach
these. What is left here serves the superuser: posted row ids checked, the CSV export
written so that no cell runs as a spreadsheet formula, the order page's lines in one query.
"""

from django.http import HttpResponse
from oscar.apps.dashboard.orders import views as oscar_views

from catalog.spreadsheet import SafeCSVWriter


class OrderListView(oscar_views.OrderListView):
    def get_selected_ids(self, request):
        """Oscar filters on the posted row ids as they come: a non-number was a 500."""
        posted = request.POST.getlist(f"selected_{self.get_checkbox_object_name()}")
        if not all(value.isdigit() for value in posted):
            return []  # Oscar then says that no order is selected
        return super().get_selected_ids(request)

    def download_selected_orders(self, request, orders):
        """Oscar's export, through a writer that keeps names from running as formulas."""
        response = HttpResponse(content_type="text/csv")
        filename = self.get_download_filename(request)
        response["Content-Disposition"] = f"attachment; filename={filename}"
        writer = SafeCSVWriter(open_file=response)
        writer.writerow(self.CSV_COLUMNS.values())
        for order in orders:
            row_values = self.get_row_values(order)
            writer.writerow([row_values.get(column, "") for column in self.CSV_COLUMNS])
        return response


class OrderDetailView(oscar_views.OrderDetailView):
    def get_order_lines(self):
        """Each line's product and shop in the same query (Oscar's page reads both per line)."""
        return self.object.lines.select_related("product", "partner").order_by("pk")
