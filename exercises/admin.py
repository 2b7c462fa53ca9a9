"""Nothing from this app is in the admin, on purpose.

Exercise content is edited in exercises/content/*.toml, checked by
`manage.py validate_exercises` and loaded by `manage.py load_exercises`; rows
edited in the admin would be overwritten by the next load. Answers,
commitments and agreements are people's private writing, which staff must
not browse.
"""
