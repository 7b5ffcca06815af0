/*  bench_net.c — sockets and processes the benchmarks share (see
    bench_net.h). */
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench.h"
#include "bench_net.h"

#define ARENA_LIMIT (64 * 1024 * 1024)
#define PEERS_MAX 16
#define SMALL_FRAME                                                            \
    1024 //  bytes: sent by copy, not zero-copy //  peers counted apart for
         //  ack_every

//  Messages seen from each peer, for ack_every: peers told apart by their
//  routing ids (ROUTER-made, five bytes).
typedef struct {
    byte id[PEERS_MAX][8];
    size_t seen[PEERS_MAX];
    size_t count;
} peers_t;

//  True when this message from the peer named by identity is to be
//  answered.
static bool
s_peer_due (peers_t *peers, size_t ack_every, zmq_msg_t *identity)
{
    if (ack_every <= 1)
        return true;
    size_t size = zmq_msg_size (identity);
    assert (size <= 8);
    size_t index = 0;
    while (index < peers->count &&
           memcmp (peers->id[index], zmq_msg_data (identity), size) != 0)
        index++;
    if (index == peers->count) {
        assert (peers->count < PEERS_MAX);
        memset (peers->id[index], 0, 8);
        memcpy (peers->id[index], zmq_msg_data (identity), size);
        peers->seen[peers->count++] = 0;
    }
    return ++peers->seen[index] % ack_every == 0;
}

//  Answer the messages waiting on the ROUTER socket (every one, or every
//  ack_every-th of a peer); returns how many were answered.
static uint64_t
s_router_drain (const bench_router_args_t *config, peers_t *peers,
                zframe_t *ready, void *socket)
{
    uint64_t answered = 0;
    for (;;) {
        zmq_msg_t identity, body;
        zmq_msg_init (&identity);
        if (zmq_msg_recv (&identity, socket, ZMQ_DONTWAIT) == -1) {
            zmq_msg_close (&identity);
            return answered;
        }
        zmq_msg_init (&body);
        //  A DEALER's message is atomic: its body is already here.
        if (zmq_msg_recv (&body, socket, 0) == -1) {
            zmq_msg_close (&identity);
            zmq_msg_close (&body);
            return answered;
        }
        if (!s_peer_due (peers, config->ack_every, &identity)) {
            zmq_msg_close (&identity);
            zmq_msg_close (&body);
            continue;
        }
        zframe_t *own = config->answer
                            ? config->answer (config->arg, zmq_msg_data (&body),
                                              zmq_msg_size (&body))
                            : NULL;
        zframe_t *reply = own ? own : ready;
        zmq_msg_send (&identity, socket, ZMQ_SNDMORE);
        zmq_send (socket, zframe_data (reply), zframe_size (reply), 0);
        zframe_destroy (&own);
        zmq_msg_close (&identity);
        zmq_msg_close (&body);
        answered++;
    }
}

void
bench_router_actor (zsock_t *pipe, void *args)
{
    const bench_router_args_t *config = (const bench_router_args_t *)args;
    codec_t *codec = codec_new (ARENA_LIMIT);
    jt_ack_t ack = {.source = "bench", .sequence = 1};
    zframe_t *ready = codec_encode_ack (codec, &ack);
    zsock_t *router = zsock_new (ZMQ_ROUTER);
    assert (router);
    //  Every message is answered before the actor ends: nothing to linger.
    zsock_set_linger (router, 0);
    zsock_set_sndhwm (router, 1000000);
    int port = zsock_bind (router, "tcp://127.0.0.1:*");
    zsock_signal (pipe, 0);
    zstr_sendf (pipe, "tcp://127.0.0.1:%d", port);

    uint64_t answered = 0;
    peers_t peers = {.count = 0};
    zpoller_t *poller = zpoller_new (pipe, router, NULL);
    bool running = port > 0;
    while (running) {
        void *which = zpoller_wait (poller, -1);
        if (which == router)
            answered +=
                s_router_drain (config, &peers, ready, zsock_resolve (router));
        else if (which == pipe) {
            char *command = zstr_recv (pipe);
            if (command && streq (command, "COUNT"))
                zstr_sendf (pipe, "%" PRIu64, answered);
            else
                running = false; //  $TERM, or interrupted
            zstr_free (&command);
        } else
            running = false; //  interrupted
    }
    zpoller_destroy (&poller);
    zsock_destroy (&router);
    zframe_destroy (&ready);
    codec_destroy (&codec);
}

zactor_t *
bench_router_new (bench_router_args_t *args, char **endpoint)
{
    zactor_t *router = zactor_new (bench_router_actor, args);
    assert (router);
    *endpoint = zstr_recv (router);
    assert (*endpoint);
    return router;
}

uint64_t
bench_router_count (zactor_t *router)
{
    zstr_send (router, "COUNT");
    char *count = zstr_recv (router);
    uint64_t answered = count ? strtoull (count, NULL, 10) : 0;
    zstr_free (&count);
    return answered;
}

//  Count one ack into *acks.
static void
s_count_ack (codec_t *codec, zmq_msg_t *message, bench_acks_t *acks)
{
    acks->acks++;
    if (!codec)
        return;
    const char *error = NULL;
    if (codec_decode (codec, zmq_msg_data (message), zmq_msg_size (message),
                      &error) != JT_MSG_ACK) {
        acks->refused++;
        return;
    }
    const jt_ack_t *ack = codec_ack (codec);
    acks->applied += ack->applied;
    if ((ack->error && *ack->error) || ack->rejection_count || ack->duplicate ||
        ack->out_of_order)
        acks->refused++;
}

int64_t
bench_pump (void *dealer, zframe_t **frames, size_t count, size_t window,
            size_t per_ack, codec_t *codec, bench_acks_t *acks)
{
    assert (per_ack >= 1 && count % per_ack == 0);
    size_t sent = 0, acked = 0; //  acked counts frames answered
    int64_t start = bench_now_ns ();
    while (acked < count) {
        while (sent < count && sent - acked < window * per_ack) {
            //  Small frames are copied (cheaper than a zero-copy message's
            //  own allocation), large ones are not.
            size_t size = zframe_size (frames[sent]);
            int rc;
            if (size <= SMALL_FRAME)
                rc = zmq_send (dealer, zframe_data (frames[sent]), size, 0);
            else {
                zmq_msg_t message;
                zmq_msg_init_data (&message, zframe_data (frames[sent]), size,
                                   NULL, NULL);
                rc = zmq_msg_send (&message, dealer, 0);
            }
            if (rc == -1) {
                fprintf (stderr, "bench: send: %s\n",
                         zmq_strerror (zmq_errno ()));
                exit (EXIT_FAILURE);
            }
            sent++;
        }
        zmq_msg_t ack;
        zmq_msg_init (&ack);
        if (zmq_msg_recv (&ack, dealer, 0) == -1) {
            fprintf (stderr, "bench: receive: %s\n",
                     zmq_strerror (zmq_errno ()));
            exit (EXIT_FAILURE);
        }
        s_count_ack (codec, &ack, acks);
        zmq_msg_close (&ack);
        acked += per_ack;
    }
    return bench_now_ns () - start;
}

pid_t
bench_spawn (const char *command, const char *ready, int timeout_ms)
{
    char *line = zsys_sprintf ("exec %s", command);
    pid_t pid = fork ();
    if (pid == 0) {
        execl ("/bin/sh", "sh", "-c", line, (char *)NULL);
        _exit (127);
    }
    free (line);
    if (pid < 0)
        return -1;
    for (int waited = 0; waited < timeout_ms; waited++) {
        if (zsys_file_exists (ready))
            return pid;
        if (waitpid (pid, NULL, WNOHANG) == pid)
            return -1;
        usleep (1000);
    }
    bench_stop (pid, SIGKILL);
    return -1;
}

int
bench_stop (pid_t pid, int signal_number)
{
    int status = 0;
    kill (pid, signal_number);
    waitpid (pid, &status, 0);
    return status;
}

char *
bench_endpoint (const char *path, const char *key)
{
    FILE *file = fopen (path, "r");
    char line[1024];
    char *value = NULL;
    size_t length = strlen (key);
    while (file && !value && fgets (line, sizeof line, file))
        if (strncmp (line, key, length) == 0 && line[length] == '=') {
            line[strcspn (line, "\r\n")] = '\0';
            value = strdup (line + length + 1);
        }
    if (file)
        fclose (file);
    return value;
}

char *
bench_scratch_dir (const char *what)
{
    const char *base = getenv ("TMPDIR");
    char *dir = zsys_sprintf ("%s/jobtally-bench-%s-XXXXXX",
                              base && *base ? base : "/tmp", what);
    if (!mkdtemp (dir)) {
        fprintf (stderr, "bench: cannot create %s: %s\n", dir,
                 strerror (errno));
        exit (EXIT_FAILURE);
    }
    return dir;
}

void
bench_scratch_remove (const char *dir)
{
    zdir_t *scratch = zdir_new (dir, NULL);
    if (scratch)
        zdir_remove (scratch, true);
    zdir_destroy (&scratch);
}
