"""HR and compliance reports and exports."""
