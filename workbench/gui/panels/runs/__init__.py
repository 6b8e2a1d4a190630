"""The experiment tabs a workspace holds: the Runs tab (every run remembered, several compared side by side), and
the Search tab (the cell race, and "Find a better model")."""
