"""pyqtgraph plots used by the panels."""
