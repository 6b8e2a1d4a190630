"""Reading tables, judging their columns and turning a series into training windows."""
