"""The access log: who viewed or exported which report about people, and when."""
