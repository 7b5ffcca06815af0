catalogue
    year = 2003
regions
    c
        c.a
        c.b
indicators
    n
        time = flow
measures
    s
        sum = n
targets
    c
        n = 100
rules
    r1
        kind = threshold
        figure = n.completion
        above = 1.5
        regions = "c c.* c.a"
        for = 60
        repeat = 3600
    r2
        kind = consistency
        left = s
        right = n
        relation = at_most
        regions = "c.*"
    r3
        kind = restatement
        figure = s
        drop_pct = 20
        regions = "c"
