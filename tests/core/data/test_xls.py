"""Old Excel files (.xls) open through xlrd, which the `excel` extra installs."""

from pathlib import Path

from workbench.core.data.sources import read_table

XLS = Path(__file__).parents[2] / "fixtures" / "monthly_sales.xls"  # written once with xlwt, 36 months


def test_an_xls_workbook_reads_with_its_header_and_numbers():
    table = read_table(XLS)
    assert list(table.frame.columns) == ["month", "sales"]
    assert len(table.frame) == 36
    assert table.frame["sales"].iloc[0] == 100.0 and table.frame["month"].iloc[12] == "2021-01"
