/*  refusal.h — the one check the tests of the catalogue's readers (zpl,
    catalogue, site, wording) make of a text they must refuse: refused
    with exactly "x.zpl:LINE: reason", and refused the same without an
    error pointer, nothing leaked; and the smallest catalogue they share. */
#ifndef JT_REFUSAL_H_INCLUDED
#define JT_REFUSAL_H_INCLUDED

//  Read text named "x.zpl" with the reader under test: the object, or NULL
//  and *error (when error is not NULL) set to a fresh string. arg is the
//  test's own (the domain a wording reads against), or NULL.
typedef void *(refusal_read_fn) (const char *text, char **error, void *arg);

//  Destroy what refusal_read_fn returned.
typedef void (refusal_destroy_fn) (void *object);

//  Fail the test unless read refuses text with exactly expected.
void refusal_assert (refusal_read_fn *read, refusal_destroy_fn *destroy,
                     void *arg, const char *text, const char *expected);

//  The smallest catalogue every reader takes, lines 1-8: whatever a test
//  writes after it starts at line 9.
#define BASE                                                                   \
    "catalogue\n"                                                              \
    "    year = 2003\n"                                                        \
    "regions\n"                                                                \
    "    heihe\n"                                                              \
    "        heihe.aihui\n"                                                    \
    "indicators\n"                                                             \
    "    employed_new\n"                                                       \
    "        time = flow\n"

#endif
