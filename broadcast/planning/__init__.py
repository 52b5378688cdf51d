"""Planning: the pure rotation planner and programs per audience."""
