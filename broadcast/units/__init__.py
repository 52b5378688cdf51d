"""Administrative units, their stations and session clocks."""
