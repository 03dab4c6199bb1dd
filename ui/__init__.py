"""The Qt desktop app. Qt only: it calls vru_crm services, never raw SQL."""
