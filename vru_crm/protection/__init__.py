"""Data protection: consent, retention, subject access, erasure, mailing lists, the audit trail.

The CRM holds personal data about young people, parents and carers and community
members. Everything here exists so the team can show, for each of them, why the
data is held, who agreed to what, and that it goes when it should.
"""
