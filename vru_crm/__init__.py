"""The VRU Partnership CRM: domain and services. No Qt in here."""

__version__ = "0.1.0"
