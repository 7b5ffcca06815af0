/*  refusal.h — the one check the tests of the catalogue's readers (zpl,
    catalogue, site, wording) make of a text they must refuse: refused
    with exactly "x.zpl:LINE: reason", and refused the same without an
    error pointer, nothing leaked. */
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

#endif
