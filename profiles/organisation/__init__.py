"""The organisation: units, personnel groups, staff, acting heads, HR scopes, and who may see whom."""
