"""The trust benchmark keeps working: run it at a tiny size."""

from bench import trust_bench


def test_trust_bench_runs_at_a_tiny_size(capsys):
    result = trust_bench.main(["--interactions", "300", "--relationships", "12",
                               "--log-samples", "5"])
    assert result["log_interaction"]["samples"] == 5
    assert result["log_interaction"]["median_ms"] > 0
    assert result["recompute_s"] > 0
    assert '"recompute_s"' in capsys.readouterr().out
