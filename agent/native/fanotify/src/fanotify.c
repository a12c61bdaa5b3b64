// WardWatch fanotify gate: the kernel side of stopping a locker within its first files.
//
// INVARIANT: every permission event read from the fanotify fd gets exactly one answer.
// A permission event left unanswered blocks the process that opened the file, forever
// (a frozen workstation). Hence:
//  - the agent's own opens are answered ALLOW here, before JavaScript sees them;
//  - an event that cannot be handed to JavaScript (table full, queue closing) is
//    answered ALLOW here at once;
//  - an event JavaScript has not answered within timeout_ms is answered ALLOW by the
//    reader thread (the JavaScript answer, when it comes, is then ignored);
//  - closing the gate answers ALLOW to everything pending before the fd is closed
//    (the kernel would too, when the fd closes).
// Answers go through one mutex-protected table keyed by the event's fd, so an event is
// never answered twice. JavaScript owns each event fd it is handed and gives it back with
// answer(fd, verdict), which closes it: fds are never closed behind JavaScript's back.
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <node_api.h>
#include <poll.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/fanotify.h>
#include <time.h>
#include <unistd.h>

#define MAX_PENDING 4096
#define READ_BUF (64 * 1024)

typedef struct {
  int fd;            /* event fd; -1 = free slot */
  int answered;      /* 1 once a response was written */
  int64_t deadline;  /* ms, monotonic */
} pending_t;

typedef struct {
  int fan_fd;
  int stop_pipe[2];
  int timeout_ms;
  pid_t self;
  pthread_t thread;
  int running;
  pthread_mutex_t lock;
  pending_t pending[MAX_PENDING];
  int pending_count;
  napi_threadsafe_function tsfn;
  /* counters, read by stats() */
  uint64_t events, timed_out, self_allowed, overflow_allowed;
} gate_t;

typedef struct {
  uint32_t count;
  struct { uint64_t mask; int32_t pid; int32_t fd; } ev[];
} batch_t;

static int64_t now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void respond(gate_t *g, int fd, uint32_t verdict) {
  struct fanotify_response r = {.fd = fd, .response = verdict};
  ssize_t n;
  do { n = write(g->fan_fd, &r, sizeof r); } while (n < 0 && errno == EINTR);
}

/* Caller holds the lock. */
static int add_pending(gate_t *g, int fd, int64_t deadline) {
  for (int i = 0; i < MAX_PENDING; i++) {
    if (g->pending[i].fd == -1) {
      g->pending[i].fd = fd;
      g->pending[i].answered = 0;
      g->pending[i].deadline = deadline;
      g->pending_count++;
      return 1;
    }
  }
  return 0;
}

static int find_pending(gate_t *g, int fd) {
  for (int i = 0; i < MAX_PENDING; i++)
    if (g->pending[i].fd == fd) return i;
  return -1;
}

/* Answers ALLOW to every pending event past its deadline; returns ms to the next deadline (-1: none). */
static int expire(gate_t *g) {
  int64_t now = now_ms(), next = -1;
  pthread_mutex_lock(&g->lock);
  for (int i = 0; i < MAX_PENDING; i++) {
    pending_t *p = &g->pending[i];
    if (p->fd == -1 || p->answered) continue;
    if (p->deadline <= now) {
      respond(g, p->fd, FAN_ALLOW);
      p->answered = 1;
      g->timed_out++;
    } else if (next == -1 || p->deadline < next) {
      next = p->deadline;
    }
  }
  pthread_mutex_unlock(&g->lock);
  return next == -1 ? -1 : (int)(next - now);
}

static void *reader(void *arg) {
  gate_t *g = arg;
  char *buf = malloc(READ_BUF);
  struct pollfd fds[2] = {{.fd = g->fan_fd, .events = POLLIN}, {.fd = g->stop_pipe[0], .events = POLLIN}};
  while (buf) {
    int wait = expire(g);
    int rc = poll(fds, 2, wait);
    if (rc < 0 && errno != EINTR) break;
    if (fds[1].revents) break;
    if (rc <= 0 || !(fds[0].revents & POLLIN)) continue;
    ssize_t len = read(g->fan_fd, buf, READ_BUF);
    if (len <= 0) continue;
    size_t max = (size_t)len / FAN_EVENT_METADATA_LEN + 1;
    batch_t *batch = malloc(sizeof(batch_t) + max * sizeof(batch->ev[0]));
    uint32_t n = 0;
    struct fanotify_event_metadata *m = (struct fanotify_event_metadata *)buf;
    int64_t deadline = now_ms() + g->timeout_ms;
    pthread_mutex_lock(&g->lock);
    for (; FAN_EVENT_OK(m, len); m = FAN_EVENT_NEXT(m, len)) {
      if (m->vers != FANOTIFY_METADATA_VERSION) continue;
      g->events++;
      if (m->fd < 0) continue; /* queue overflow: nothing to answer */
      int perm = (m->mask & FAN_OPEN_PERM) != 0;
      if (m->pid == g->self || !batch || (perm && !add_pending(g, m->fd, deadline))) {
        if (perm) respond(g, m->fd, FAN_ALLOW);
        if (m->pid == g->self) g->self_allowed++; else g->overflow_allowed++;
        close(m->fd);
        continue;
      }
      batch->ev[n].mask = m->mask;
      batch->ev[n].pid = m->pid;
      batch->ev[n].fd = m->fd;
      n++;
    }
    pthread_mutex_unlock(&g->lock);
    if (!batch) continue;
    if (n == 0) { free(batch); continue; }
    batch->count = n;
    if (napi_call_threadsafe_function(g->tsfn, batch, napi_tsfn_nonblocking) != napi_ok) {
      /* JavaScript is gone or closing: answer and close here. */
      pthread_mutex_lock(&g->lock);
      for (uint32_t i = 0; i < n; i++) {
        int slot = find_pending(g, batch->ev[i].fd);
        if (slot >= 0) {
          if (!g->pending[slot].answered) respond(g, batch->ev[i].fd, FAN_ALLOW);
          g->pending[slot].fd = -1;
          g->pending_count--;
        }
        close(batch->ev[i].fd);
        g->overflow_allowed++;
      }
      pthread_mutex_unlock(&g->lock);
      free(batch);
    }
  }
  free(buf);
  return NULL;
}

/* ---- JavaScript side ---- */

#define CHECK(call) do { if ((call) != napi_ok) { napi_throw_error(env, NULL, #call " failed"); return NULL; } } while (0)

static napi_value throw_errno(napi_env env, const char *what, int err) {
  char msg[256];
  snprintf(msg, sizeof msg, "%s: %s", what, strerror(err));
  napi_value code, message, error;
  napi_create_string_utf8(env, msg, NAPI_AUTO_LENGTH, &message);
  napi_create_int32(env, err, &code);
  napi_create_error(env, NULL, message, &error);
  napi_set_named_property(env, error, "errno", code);
  napi_throw(env, error);
  return NULL;
}

static void call_js(napi_env env, napi_value js_cb, void *context, void *data) {
  (void)context;
  batch_t *batch = data;
  if (env == NULL) { free(batch); return; } /* closing: finalize() answers what is pending */
  napi_value arr, undefined;
  napi_create_array_with_length(env, batch->count * 3, &arr);
  for (uint32_t i = 0; i < batch->count; i++) {
    napi_value v;
    napi_create_double(env, (double)batch->ev[i].mask, &v);
    napi_set_element(env, arr, i * 3, v);
    napi_create_int32(env, batch->ev[i].pid, &v);
    napi_set_element(env, arr, i * 3 + 1, v);
    napi_create_int32(env, batch->ev[i].fd, &v);
    napi_set_element(env, arr, i * 3 + 2, v);
  }
  free(batch);
  napi_get_undefined(env, &undefined);
  napi_call_function(env, undefined, js_cb, 1, &arr, NULL);
}

static void stop_gate(gate_t *g) {
  if (!g->running) return;
  g->running = 0;
  ssize_t w = write(g->stop_pipe[1], "x", 1);
  (void)w;
  pthread_join(g->thread, NULL);
  pthread_mutex_lock(&g->lock);
  for (int i = 0; i < MAX_PENDING; i++) {
    if (g->pending[i].fd == -1) continue;
    if (!g->pending[i].answered) respond(g, g->pending[i].fd, FAN_ALLOW);
    g->pending[i].answered = 1;
  }
  pthread_mutex_unlock(&g->lock);
  close(g->fan_fd);
  close(g->stop_pipe[0]);
  close(g->stop_pipe[1]);
  g->fan_fd = -1;
}

static void finalize_gate(napi_env env, void *data, void *hint) {
  (void)env; (void)hint;
  gate_t *g = data;
  stop_gate(g);
  pthread_mutex_destroy(&g->lock);
  free(g);
}

/* open(timeoutMs, onEvents) -> gate (external). Throws with .errno when fanotify_init fails. */
static napi_value js_open(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2], external, name;
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  int32_t timeout_ms;
  CHECK(napi_get_value_int32(env, argv[0], &timeout_ms));
  int fan_fd = fanotify_init(FAN_CLASS_CONTENT | FAN_CLOEXEC | FAN_NONBLOCK, O_RDONLY | O_LARGEFILE | O_CLOEXEC);
  if (fan_fd < 0) return throw_errno(env, "fanotify_init", errno);
  gate_t *g = calloc(1, sizeof *g);
  g->fan_fd = fan_fd;
  g->timeout_ms = timeout_ms > 0 ? timeout_ms : 1000;
  g->self = getpid();
  for (int i = 0; i < MAX_PENDING; i++) g->pending[i].fd = -1;
  pthread_mutex_init(&g->lock, NULL);
  if (pipe2(g->stop_pipe, O_CLOEXEC) != 0) { int e = errno; close(fan_fd); free(g); return throw_errno(env, "pipe2", e); }
  napi_create_string_utf8(env, "wardwatch-fanotify", NAPI_AUTO_LENGTH, &name);
  CHECK(napi_create_threadsafe_function(env, argv[1], NULL, name, 0, 1, NULL, NULL, NULL, call_js, &g->tsfn));
  napi_unref_threadsafe_function(env, g->tsfn);
  g->running = 1;
  if (pthread_create(&g->thread, NULL, reader, g) != 0) {
    g->running = 0;
    close(fan_fd); close(g->stop_pipe[0]); close(g->stop_pipe[1]);
    napi_release_threadsafe_function(g->tsfn, napi_tsfn_abort);
    free(g);
    return throw_errno(env, "pthread_create", EAGAIN);
  }
  CHECK(napi_create_external(env, g, finalize_gate, NULL, &external));
  return external;
}

static gate_t *gate_of(napi_env env, napi_value v) {
  void *data = NULL;
  if (napi_get_value_external(env, v, &data) != napi_ok) return NULL;
  return data;
}

/* mark(gate, dir): watch opens and close-writes of the directory's direct children, subdirectories'
   opens included (FAN_ONDIR): the agent marks a new subdirectory when it is first opened (listed). */
static napi_value js_mark(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  char path[4096];
  size_t len;
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  gate_t *g = gate_of(env, argv[0]);
  if (!g || g->fan_fd < 0) { napi_throw_error(env, NULL, "gate closed"); return NULL; }
  CHECK(napi_get_value_string_utf8(env, argv[1], path, sizeof path, &len));
  if (len >= sizeof path - 1) { napi_throw_error(env, NULL, "path too long"); return NULL; }
  if (fanotify_mark(g->fan_fd, FAN_MARK_ADD | FAN_MARK_ONLYDIR, FAN_OPEN_PERM | FAN_CLOSE_WRITE | FAN_EVENT_ON_CHILD | FAN_ONDIR,
                    AT_FDCWD, path) != 0)
    return throw_errno(env, "fanotify_mark", errno);
  return NULL;
}

/* answer(gate, fd, verdict): 0 = none (notification event), 1 = allow, 2 = deny. Closes fd. Returns false when already answered (timed out). */
static napi_value js_answer(napi_env env, napi_callback_info info) {
  size_t argc = 3;
  napi_value argv[3], result;
  int32_t fd, verdict;
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  gate_t *g = gate_of(env, argv[0]);
  CHECK(napi_get_value_int32(env, argv[1], &fd));
  CHECK(napi_get_value_int32(env, argv[2], &verdict));
  int in_time = 1;
  if (g) {
    pthread_mutex_lock(&g->lock);
    int slot = find_pending(g, fd);
    if (slot >= 0) {
      if (g->pending[slot].answered) in_time = 0;
      else if (g->fan_fd >= 0) respond(g, fd, verdict == 2 ? FAN_DENY : FAN_ALLOW);
      g->pending[slot].fd = -1;
      g->pending_count--;
    }
    pthread_mutex_unlock(&g->lock);
  }
  if (fd >= 0) close(fd);
  napi_get_boolean(env, in_time, &result);
  return result;
}

static napi_value js_close(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  gate_t *g = gate_of(env, argv[0]);
  if (g && g->running) {
    stop_gate(g);
    napi_release_threadsafe_function(g->tsfn, napi_tsfn_abort);
  }
  return NULL;
}

static napi_value js_stats(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1], obj, v;
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  gate_t *g = gate_of(env, argv[0]);
  CHECK(napi_create_object(env, &obj));
  if (!g) return obj;
  pthread_mutex_lock(&g->lock);
  double vals[5] = {(double)g->events, (double)g->timed_out, (double)g->self_allowed, (double)g->overflow_allowed,
                    (double)g->pending_count};
  pthread_mutex_unlock(&g->lock);
  const char *names[5] = {"events", "timedOut", "selfAllowed", "overflowAllowed", "pending"};
  for (int i = 0; i < 5; i++) {
    napi_create_double(env, vals[i], &v);
    napi_set_named_property(env, obj, names[i], v);
  }
  return obj;
}

static napi_value init(napi_env env, napi_value exports) {
  napi_property_descriptor props[] = {
      {"open", NULL, js_open, NULL, NULL, NULL, napi_default, NULL},
      {"mark", NULL, js_mark, NULL, NULL, NULL, napi_default, NULL},
      {"answer", NULL, js_answer, NULL, NULL, NULL, napi_default, NULL},
      {"close", NULL, js_close, NULL, NULL, NULL, napi_default, NULL},
      {"stats", NULL, js_stats, NULL, NULL, NULL, napi_default, NULL},
  };
  napi_define_properties(env, exports, sizeof props / sizeof props[0], props);
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, init)
