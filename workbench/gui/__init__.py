"""The PySide6 window over the core: widgets that call the core and show what it returns."""
