catalogue
    year = 2003
regions
    city = "City"
        city.north = "North"
            city.north.a = "North A"
            city.north.b = "North B"
        city.south = "South"
indicators
    employed_new
        unit = persons
        time = flow
    wages
        unit = yuan
        time = flow
        whole = no
    registered
        unit = persons
        time = stock
    certificates
        unit = certificates
        time = cumulative
sources
    north
        regions = "city.north"
    south
        regions = "city.south"
