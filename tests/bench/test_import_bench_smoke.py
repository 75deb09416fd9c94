"""The import benchmark keeps working: run it at a tiny size."""

from bench import import_bench


def test_import_bench_runs_at_a_tiny_size(capsys):
    result = import_bench.main(["--rows", "60"])
    assert result["added"] + result["refused"] == 60
    assert result["added"] > 50 and result["last_row_found"]
    assert result["import_s"] > 0 and result["index_s"] > 0
    assert '"total_s"' in capsys.readouterr().out
