catalogue
    year = 2003
regions
    c
indicators
    n
        time = flow
rules
    r
        kind = threshold
        figure = n
        above = 1
        below = 2
        regions = "c"
