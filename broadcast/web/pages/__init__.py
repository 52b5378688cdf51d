"""One module of routes per area of the office app; each route is a thin call into the library."""
