catalogue
    year = 1899
    on_time_days = 367
regions
    c
indicators
    n
        time = flows
        whole = maybe
