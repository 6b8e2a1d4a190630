"""Sniffing how a text table is written, from a sample of its head."""


def test_a_table_wider_than_the_sample_is_judged_on_whole_lines(tmp_path):
    # 9,000 columns: each line is longer than the 64 KiB sample, so the header used to be guessed from itself
    # alone and every open asked the user to confirm it.
    from workbench.core.data.sources import read_raw_lines, read_table, sniff_options

    columns = 9_000
    path = tmp_path / "wide.csv"
    lines = [",".join(["date"] + [f"x{i}" for i in range(columns)])]
    lines += [",".join([f"2020-01-0{d}"] + [f"{(i * d) % 97 / 7:.4f}" for i in range(columns)]) for d in range(1, 9)]
    path.write_text("\n".join(lines) + "\n")
    table = read_table(path)
    assert not table.ambiguous and table.frame.shape == (8, columns + 1)
    assert sniff_options(path).header is True
    assert len(read_raw_lines(path, n=3)) == 3
