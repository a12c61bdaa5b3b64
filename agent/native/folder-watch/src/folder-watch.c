// WardWatch folder watch: inotify read on a thread of its own, handed to JavaScript in batches.
//
// Why: fs.watch hands every inotify event to JavaScript on its own (a wake-up of the event
// loop, a callback, a microtask checkpoint), two or more per rewritten file. At 1,000 writes/s
// that was about a fifth of the agent's main-thread CPU. Here a thread reads the events and
// passes them on at most every `flush_ms` (and at BATCH_MAX entries), each (watch, name) once
// per batch in the order first seen, so a burst of writes to one file is one entry.
//
// What JavaScript gets: (wds: Int32Array, flags: Int32Array, names: NUL-separated string), one
// entry per (wd, name). flags: FLAG_OVERFLOW when the kernel's queue overflowed (wd -1: every
// folder should be listed again). An empty name is an event of the folder itself (its
// attributes, its removal): JavaScript leaves those to the parent folder's watch, as with fs.watch.
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <node_api.h>
#include <poll.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <time.h>
#include <unistd.h>

#include "napi-util.h"

#define READ_BUF (64 * 1024)
#define BATCH_MAX 4096
#define HASH_SLOTS 8192 /* > 2 * BATCH_MAX: open addressing stays short */
#define FLAG_OVERFLOW 2
/* As fs.watch (libuv) asks, and IN_ONLYDIR: only folders are watched. */
#define WATCH_MASK (IN_ATTRIB | IN_CREATE | IN_MODIFY | IN_DELETE | IN_DELETE_SELF | IN_MOVE_SELF | IN_MOVED_FROM | IN_MOVED_TO | IN_ONLYDIR)

typedef struct {
  int32_t *wds;
  int32_t *flags;
  char *names;
  size_t names_len, names_cap;
  uint32_t count;
} batch_t;

typedef struct {
  int fd;
  int stop_pipe[2];
  int flush_ms;
  int running;
  pthread_t thread;
  napi_threadsafe_function tsfn;
  /* Reader thread only: */
  batch_t *out;
  int64_t out_since;
  int32_t slot[HASH_SLOTS]; /* index into out + 1; 0 = empty */
  uint32_t slot_hash[HASH_SLOTS];
  uint32_t *name_at; /* offset of each entry's name in out->names */
} watch_t;

static void free_batch(batch_t *b) {
  if (!b) return;
  free(b->wds);
  free(b->flags);
  free(b->names);
  free(b);
}

static batch_t *new_batch(void) {
  batch_t *b = calloc(1, sizeof *b);
  if (!b) return NULL;
  b->wds = malloc(BATCH_MAX * sizeof *b->wds);
  b->flags = malloc(BATCH_MAX * sizeof *b->flags);
  b->names_cap = 64 * 1024;
  b->names = malloc(b->names_cap);
  if (!b->wds || !b->flags || !b->names) { free_batch(b); return NULL; }
  return b;
}

static uint32_t hash_of(int32_t wd, const char *name, size_t len) {
  uint32_t h = 2166136261u ^ (uint32_t)wd;
  for (size_t i = 0; i < len; i++) h = (h ^ (uint8_t)name[i]) * 16777619u;
  return h ? h : 1;
}

/* Hands the batch to JavaScript (or drops it when JavaScript is gone) and starts a new one. */
static void flush(watch_t *w) {
  if (!w->out || w->out->count == 0) return;
  if (napi_call_threadsafe_function(w->tsfn, w->out, napi_tsfn_blocking) != napi_ok) free_batch(w->out);
  w->out = NULL;
  memset(w->slot, 0, sizeof w->slot);
}

/* Adds (wd, name, flags) once per batch: a repeat only ORs its flags in. */
static void add(watch_t *w, int32_t wd, const char *name, int32_t flags) {
  if (!w->out) {
    w->out = new_batch();
    if (!w->out) return; /* out of memory: this event is lost, the next batch tries again */
    w->out_since = now_ms();
  }
  batch_t *b = w->out;
  size_t len = strlen(name);
  uint32_t h = hash_of(wd, name, len);
  uint32_t i = h & (HASH_SLOTS - 1);
  for (; w->slot[i]; i = (i + 1) & (HASH_SLOTS - 1)) {
    uint32_t k = (uint32_t)w->slot[i] - 1;
    if (w->slot_hash[i] == h && b->wds[k] == wd && strcmp(b->names + w->name_at[k], name) == 0) {
      b->flags[k] |= flags;
      return;
    }
  }
  if (b->names_len + len + 1 > b->names_cap) {
    size_t cap = b->names_cap * 2 + len + 1;
    char *grown = realloc(b->names, cap);
    if (!grown) return;
    b->names = grown;
    b->names_cap = cap;
  }
  w->name_at[b->count] = (uint32_t)b->names_len;
  memcpy(b->names + b->names_len, name, len + 1);
  b->names_len += len + 1;
  b->wds[b->count] = wd;
  b->flags[b->count] = flags;
  w->slot[i] = (int32_t)b->count + 1;
  w->slot_hash[i] = h;
  if (++b->count == BATCH_MAX) flush(w);
}

/* Reads every event the kernel holds now (the fd is non-blocking). */
static void drain(watch_t *w, char *buf) {
  for (;;) {
    ssize_t len = read(w->fd, buf, READ_BUF);
    if (len <= 0) return;
    for (char *p = buf; p < buf + len;) {
      struct inotify_event *e = (struct inotify_event *)p;
      int32_t flags = 0;
      if (e->mask & IN_Q_OVERFLOW) flags |= FLAG_OVERFLOW;
      add(w, e->wd, e->len ? e->name : "", flags);
      p += sizeof *e + e->len;
    }
  }
}

/*
 * Sleeps until the first event, then lets the kernel queue what follows for flush_ms (it merges
 * a repeat of the event just before) and reads it all at once: two wake-ups per batch, not one
 * per event. The kernel's queue (fs.inotify.max_queued_events, 16,384 by default) holds far
 * more than arrives in flush_ms; if it overflows, JavaScript is told to look at every folder.
 */
static void *reader(void *arg) {
  watch_t *w = arg;
  char *buf = malloc(READ_BUF);
  struct pollfd fds[2] = {{.fd = w->stop_pipe[0], .events = POLLIN}, {.fd = w->fd, .events = POLLIN}};
  while (buf) {
    int waiting = w->out != NULL, wait = -1;
    if (waiting) {
      int64_t left = w->out_since + w->flush_ms - now_ms();
      wait = left > 0 ? (int)left : 0;
    }
    /* While a batch gathers, only the stop pipe can wake the thread early. */
    int rc = poll(fds, waiting ? 1 : 2, wait);
    if (rc < 0 && errno != EINTR) break;
    if (fds[0].revents) break;
    drain(w, buf);
    if (w->out && now_ms() - w->out_since >= w->flush_ms) flush(w);
  }
  free(buf);
  return NULL;
}

/* ---- JavaScript side ---- */

static void call_js(napi_env env, napi_value js_cb, void *context, void *data) {
  (void)context;
  batch_t *b = data;
  if (env == NULL) { free_batch(b); return; }
  napi_value argv[3], undefined;
  argv[0] = copied_array(env, napi_int32_array, b->wds, b->count, sizeof(int32_t));
  argv[1] = copied_array(env, napi_int32_array, b->flags, b->count, sizeof(int32_t));
  napi_create_string_utf8(env, b->names, b->names_len, &argv[2]);
  free_batch(b);
  napi_get_undefined(env, &undefined);
  napi_call_function(env, undefined, js_cb, 3, argv, NULL);
}

/* release: only on an explicit close; at teardown the environment has finalized the tsfn itself. */
static void stop(watch_t *w, int release) {
  if (!w->running) return;
  w->running = 0;
  ssize_t n = write(w->stop_pipe[1], "x", 1);
  (void)n;
  pthread_join(w->thread, NULL);
  free_batch(w->out);
  w->out = NULL;
  if (release) napi_release_threadsafe_function(w->tsfn, napi_tsfn_abort);
  close(w->fd);
  close(w->stop_pipe[0]);
  close(w->stop_pipe[1]);
}

static void finalize(napi_env env, void *data, void *hint) {
  (void)env; (void)hint;
  watch_t *w = data;
  stop(w, 0);
  free(w->name_at);
  free(w);
}

static watch_t *watch_of(napi_env env, napi_value v) {
  void *data = NULL;
  if (napi_get_value_external(env, v, &data) != napi_ok) return NULL;
  return data;
}

/* open(flushMs, onBatch) -> watch (external). Throws with .errno when inotify_init1 fails. */
static napi_value js_open(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2], external, name;
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  int32_t flush_ms;
  CHECK(napi_get_value_int32(env, argv[0], &flush_ms));
  int fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
  if (fd < 0) return throw_errno(env, "inotify_init1", errno);
  watch_t *w = calloc(1, sizeof *w);
  if (w) w->name_at = malloc(BATCH_MAX * sizeof *w->name_at);
  if (!w || !w->name_at || pipe2(w->stop_pipe, O_CLOEXEC) != 0) {
    int e = w && w->name_at ? errno : ENOMEM;
    close(fd);
    if (w) free(w->name_at);
    free(w);
    return throw_errno(env, "folder watch", e);
  }
  w->fd = fd;
  w->flush_ms = flush_ms > 0 ? flush_ms : 10;
  napi_create_string_utf8(env, "wardwatch-folder-watch", NAPI_AUTO_LENGTH, &name);
  CHECK(napi_create_threadsafe_function(env, argv[1], NULL, name, 0, 1, NULL, NULL, NULL, call_js, &w->tsfn));
  napi_unref_threadsafe_function(env, w->tsfn);
  w->running = 1;
  if (pthread_create(&w->thread, NULL, reader, w) != 0) {
    w->running = 0;
    close(fd); close(w->stop_pipe[0]); close(w->stop_pipe[1]);
    napi_release_threadsafe_function(w->tsfn, napi_tsfn_abort);
    free(w->name_at);
    free(w);
    return throw_errno(env, "pthread_create", EAGAIN);
  }
  pthread_setname_np(w->thread, "ww-folder-watch");
  CHECK(napi_create_external(env, w, finalize, NULL, &external));
  return external;
}

/* add(watch, dir) -> wd. Throws with .errno (ENOENT, ENOTDIR, ENOSPC: out of watches, …). */
static napi_value js_add(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2], result;
  char dir[PATH_MAX];
  size_t len;
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  watch_t *w = watch_of(env, argv[0]);
  if (!w || !w->running) return throw_errno(env, "folder watch closed", EBADF);
  CHECK(napi_get_value_string_utf8(env, argv[1], dir, sizeof dir, &len));
  if (len >= sizeof dir - 1) return throw_errno(env, "folder path", ENAMETOOLONG);
  int wd = inotify_add_watch(w->fd, dir, WATCH_MASK);
  if (wd < 0) return throw_errno(env, dir, errno);
  CHECK(napi_create_int32(env, wd, &result));
  return result;
}

/* remove(watch, wd): stops watching that folder (gone already: nothing to do). */
static napi_value js_remove(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  int32_t wd;
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  watch_t *w = watch_of(env, argv[0]);
  CHECK(napi_get_value_int32(env, argv[1], &wd));
  if (w && w->running) inotify_rm_watch(w->fd, wd);
  return NULL;
}

static napi_value js_close(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  watch_t *w = watch_of(env, argv[0]);
  if (w) stop(w, 1);
  return NULL;
}

static napi_value init(napi_env env, napi_value exports) {
  napi_property_descriptor props[] = {
      {"open", NULL, js_open, NULL, NULL, NULL, napi_default, NULL},
      {"add", NULL, js_add, NULL, NULL, NULL, napi_default, NULL},
      {"remove", NULL, js_remove, NULL, NULL, NULL, napi_default, NULL},
      {"close", NULL, js_close, NULL, NULL, NULL, napi_default, NULL},
  };
  napi_define_properties(env, exports, sizeof props / sizeof props[0], props);
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, init)
