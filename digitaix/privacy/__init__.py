"""A resident's rights over their data (issue 15, §3; RGPD articles 15, 17 and 20): download
everything the portal holds about them (JSON, or CSV files in a ZIP) and delete their account
themselves, their orders kept for the shops' accounts but anonymised."""
