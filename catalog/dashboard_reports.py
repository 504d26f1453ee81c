"""Oscar's dashboard reports (orders, products, users, baskets, offers), exported as CSV with
every text cell made safe for a spreadsheet (catalog.spreadsheet): a product title or a
customer's name is never run as a formula when staff open the file."""

from oscar.apps.dashboard.reports import reports as oscar_reports

from catalog.spreadsheet import SafeCSVWriter


class ReportCSVFormatter(oscar_reports.ReportCSVFormatter):
    def get_csv_writer(self, file_handle, **kwargs):
        return SafeCSVWriter(open_file=file_handle, **kwargs)
