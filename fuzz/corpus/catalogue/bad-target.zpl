catalogue
    year = 2003
regions
    c
indicators
    n
        time = flow
targets
    c
        n = 1,000
        x = 1
