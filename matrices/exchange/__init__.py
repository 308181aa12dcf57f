"""Matrices in and out of spreadsheets: the long format (CSV and XLSX)."""
