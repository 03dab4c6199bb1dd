"""Large synthetic data sets for measuring speed (``vru-crm generate``)."""

from vru_crm.generate.runner import Counts, GenerateSummary, generate

__all__ = ["Counts", "GenerateSummary", "generate"]
