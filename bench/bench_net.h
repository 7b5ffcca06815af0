/*  bench_net.h — what the benchmarks that use sockets share: the raw
    ZeroMQ baseline (a ROUTER actor that answers every message with a
    ready-made reply), a DEALER pump that keeps a window of batches in
    flight, and starting a real jobtally program and stopping it. */
#ifndef JT_BENCH_NET_H_INCLUDED
#define JT_BENCH_NET_H_INCLUDED

#include <stdint.h>
#include <sys/types.h>

#include <czmq.h>

#include "codec.h"
#include "sender.h"

//  Batches a collector keeps unacknowledged, as collector/sender.c does
//  (its byte bound, SENDER_WINDOW_BYTES, never binds on these batches).
#define BENCH_WINDOW SENDER_WINDOW

//  Called by the router actor for each message when given; returns the
//  reply frame (the actor destroys it). arg belongs to the caller and is
//  used only on the actor's thread.
typedef zframe_t *(bench_answer_fn)(void *arg, const void *data, size_t size);

//  What bench_router_actor is given; borrowed for the actor's lifetime.
//  Without answer, every message is answered with one fixed Ack: the bare
//  transport. With ack_every N above 1, only every Nth message from each
//  peer is answered (one Ack per N messages), and answer is not used.
typedef struct {
    bench_answer_fn *answer;
    void *arg;
    size_t ack_every;
} bench_router_args_t;

//  A zactor: a ROUTER on tcp://127.0.0.1:* that answers every message.
//  Sends its endpoint on the pipe once bound; answers "COUNT" with the
//  number of messages answered; ends on $TERM.
void bench_router_actor (zsock_t *pipe, void *args);

//  Start a router actor and return it; *endpoint is set to a fresh string
//  the caller frees.
zactor_t *bench_router_new (bench_router_args_t *args, char **endpoint);

//  Messages a router actor has answered.
uint64_t bench_router_count (zactor_t *router);

//  What a pump saw in the acks it read.
typedef struct {
    uint64_t acks;    //  acks received
    uint64_t applied; //  updates the acks say were applied
    uint64_t refused; //  acks with an error, rejections, or a duplicate
} bench_acks_t;

//  Send count frames through the DEALER socket (a zsock's handle), at
//  most window acks outstanding, without copying (the frames must outlive
//  the sends). One ack answers per_ack frames (1: each frame; count must
//  then be a multiple of per_ack). When codec is given, each ack is
//  decoded and counted into *acks. Returns the nanoseconds from the first
//  send to the last ack. A socket error is a broken benchmark: it exits.
int64_t bench_pump (void *dealer, zframe_t **frames, size_t count,
                    size_t window, size_t per_ack, codec_t *codec,
                    bench_acks_t *acks);

//  Run "sh -c 'exec COMMAND'" in the background and wait (up to
//  timeout_ms) for the file ready to appear. Returns the child's pid, or
//  -1 when it ended or the time ran out (the child is killed then).
pid_t bench_spawn (const char *command, const char *ready, int timeout_ms);

//  Send the signal to a spawned child and wait for it to end. Returns its
//  wait status.
int bench_stop (pid_t pid, int signal_number);

//  The value of "key=" in an endpoints file (key=value lines), as a fresh
//  string, or NULL.
char *bench_endpoint (const char *path, const char *key);

//  A fresh scratch directory under $TMPDIR or /tmp, named for what;
//  returns a string the caller frees. Exits when it cannot.
char *bench_scratch_dir (const char *what);

//  Remove a scratch directory and all it holds.
void bench_scratch_remove (const char *dir);

#endif
