"""The console's charts: inline SVG, accessible, escaped, with nothing loaded from outside."""

from decimal import Decimal

from digitaix.console.charts import bar_chart, line_chart


def test_a_bar_chart_is_an_image_with_a_title_and_a_text_summary():
    chart = bar_chart(title="Commandes par semaine", points=[("03/11", 4), ("10/11", 9)])

    assert chart.svg.startswith("<svg ")
    assert 'role="img"' in chart.svg
    assert "<title>Commandes par semaine</title>" in chart.svg
    assert "dernière : 9" in chart.summary and "maximum : 9 (10/11)" in chart.summary
    assert chart.svg.count("<rect ") == 2
    assert chart.rows == [("03/11", "4"), ("10/11", "9")]


def test_a_chart_loads_nothing_from_elsewhere():
    chart = line_chart(title="Produits", points=[("01/09", 1000), ("30/09", 4154)])

    assert "href" not in chart.svg and "<script" not in chart.svg
    assert chart.svg.count("http") == 1  # the SVG namespace only
    assert "<polyline " in chart.svg


def test_labels_and_titles_are_escaped():
    chart = bar_chart(title="<b>Ventes</b>", points=[("<x>", Decimal("12.50"))])

    assert "<b>" not in chart.svg and "&lt;b&gt;Ventes" in chart.svg
    assert "<x>" not in chart.svg


def test_an_empty_or_all_zero_chart_still_draws():
    assert "aucune donnée" in line_chart(title="Produits", points=[]).summary
    zeros = bar_chart(title="Commandes", points=[("03/11", 0), ("10/11", 0)])
    assert 'height="0.0"' in zeros.svg
