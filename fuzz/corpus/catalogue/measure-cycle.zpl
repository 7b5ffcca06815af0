catalogue
    year = 2003
regions
    c
indicators
    n
        time = flow
measures
    a
        sum = b
    b
        numerator = n
        denominator = a
