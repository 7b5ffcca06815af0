/*  doctor.h — jobtally doctor: what an operator checks first, one line a
    check, "ok" or what to fix (docs/operations.md, "jobtally doctor"). */
#ifndef JT_DOCTOR_H_INCLUDED
#define JT_DOCTOR_H_INCLUDED

#include <czmq.h>

//  Where doctor looks; any path may be NULL (not given, none installed).
typedef struct {
    const char *catalogue;  //  the catalogue file
    const char *key_dir;    //  the key directory
    const char *state_root; //  holds aggregator/, collector/, reporter/
    const char *user;       //  the service user that must write the state
    time_t now;             //  the clock's reading
} doctor_config_t;

//  Run every check and print one line each on out: "ok    WHAT: detail"
//  or "fix   WHAT: what is wrong: what to do". Returns the number of
//  checks that need a fix.
int doctor_run (FILE *out, const doctor_config_t *config);

#endif
