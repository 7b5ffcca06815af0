catalogue
    year = 2003
    title = "Heihe
