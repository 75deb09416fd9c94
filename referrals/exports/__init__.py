"""Taking one's data out: everything a user may take, as JSON, CSV tables and vCards."""
