"""What the platform stores about people: the registry every app declares its models in, and the
legal bases they name. The privacy app (lms.privacy) reads it for export, erasure and retention.
"""
