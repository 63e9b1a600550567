"""Mandatory training: assignments with due dates and standing assignment rules."""
