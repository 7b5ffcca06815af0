catalogue
    year = 2003
regions
    c
        c.a
        c.a
indicators
    n
        time = flow
