// What both addons (fanotify/, folder-watch/) need at the N-API seam: a monotonic clock, a
// check that turns a failed napi call into a JavaScript error, an error carrying errno, and
// a typed array copied from C memory.
#ifndef WARDWATCH_NAPI_UTIL_H
#define WARDWATCH_NAPI_UTIL_H

#include <node_api.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#define CHECK(call) do { if ((call) != napi_ok) { napi_throw_error(env, NULL, #call " failed"); return NULL; } } while (0)

static inline int64_t now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Throws an Error whose message names `what` and whose .errno is `err`; returns NULL for the caller to return. */
static inline napi_value throw_errno(napi_env env, const char *what, int err) {
  char msg[4200];
  snprintf(msg, sizeof msg, "%s: %s", what, strerror(err));
  napi_value code, message, error;
  napi_create_string_utf8(env, msg, NAPI_AUTO_LENGTH, &message);
  napi_create_int32(env, err, &code);
  napi_create_error(env, NULL, message, &error);
  napi_set_named_property(env, error, "errno", code);
  napi_throw(env, error);
  return NULL;
}

/* A new typed array of `type` holding a copy of `n` elements of `size` bytes from `values`. */
static inline napi_value copied_array(napi_env env, napi_typedarray_type type, const void *values, size_t n, size_t size) {
  napi_value buffer, array;
  void *data;
  napi_create_arraybuffer(env, n * size, &data, &buffer);
  if (n) memcpy(data, values, n * size);
  napi_create_typedarray(env, type, n, buffer, 0, &array);
  return array;
}

#endif
