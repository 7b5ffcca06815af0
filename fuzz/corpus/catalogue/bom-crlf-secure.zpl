catalogue
    year = 2003
    on_time_days = 0
    title = 'A # city'  # comment
endpoints
    collect = tcp://127.0.0.1:5560
    query = "ipc:///tmp/q"
regions
    c
        c.a = "甲"
            c.a.x
        c.b
indicators
    n
        time = stock
    m
        time = cumulative
        whole = no
measures
    r
        numerator = n
        denominator = s
        scale = 100
        decimals = 6
    s
        sum = "n m"
targets
    c
        n = 1000000000000
        m = 0.001
limits
    c.a
        r = 3.5
sources
    a
        regions = "c.a c.b"
        public_key = "Yne@$w-vo<fVvi]a<NY6T1ed:M$fCG*[IaLV{hID"
subscribers
    reporter
        public_key = "rq:rM>}U?@Lns47E1%kR.o@n%FcmmsL/@{H8]yf7"
security
    insecure = yes
names
    zh
        c = "城"
        r = "率"
summary
    headline = "n r"
    columns = "s m"
