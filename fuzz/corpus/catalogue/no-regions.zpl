catalogue
    year = 2003
indicators
    n
        time = flow
