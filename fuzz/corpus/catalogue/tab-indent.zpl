catalogue
	year = 2003
