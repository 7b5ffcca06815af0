regoins
    heihe
