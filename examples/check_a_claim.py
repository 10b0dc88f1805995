"""Check a published claim: the toolkit computes its own value next to the published one.

Run: ``python examples/check_a_claim.py`` (from the shell: ``gametheory check --only icr2019``).
"""
from gametheory.paper_checks import registry, run_checks

claim = registry()["icr2019.cgd_bilinear"]
print(claim.statement, "\n  source:", claim.citation)
(row,) = run_checks(["icr2019.cgd_bilinear"])
print(f"verdict: {row['verdict']}\n  toolkit: {row['ours']}\n  published: {row['published']}")
