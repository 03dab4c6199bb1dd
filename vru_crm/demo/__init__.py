"""The demo data set: public facts about the VRU's partnership, plus marked synthetic data."""

from vru_crm.demo.loader import DemoSummary, load_demo

__all__ = ["DemoSummary", "load_demo"]
