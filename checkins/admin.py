# Check-ins are deliberately not in the Django admin: what partners write is
# theirs, and support work never needs to read it. Staff can see that a couple
# exists (couples admin) without seeing a single answer.
