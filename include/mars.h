/*
 * mars.h — the C API of Mars in Go: STN (the signalling network) and xlog
 * (crash-safe, compressed, encrypted logging) in one shared library.
 *
 * This file is the contract. Anything not declared here is not a published
 * API, and the comments here are the documentation. The library exports
 * exactly the functions declared below (a version script hides the rest).
 *
 * Conventions that hold for every function unless its comment says otherwise:
 *
 *   - Functions return an int result code: MARS_OK (0) or one of MARS_E*.
 *     These are *call* results. The outcome of a network task is reported
 *     separately through on_task_end with Mars's own error type and code
 *     (MARS_ECT_* and MARS_ECT_LOCAL_* below), which keep Mars's numbers.
 *   - Handles (mars_stn *, mars_xlog *) are opaque names checked on every
 *     call. A destroyed, stale or forged handle gives MARS_EBADHANDLE, never
 *     a crash. Destroying NULL is a harmless no-op.
 *   - A NULL pointer where a value is required, or a length out of range,
 *     gives MARS_EINVAL. A Go panic inside the library is recovered and gives
 *     MARS_EINTERNAL.
 *   - Strings are NUL-terminated UTF-8. Pointers passed *in* are only read
 *     during the call; the library copies what it keeps. Pointers passed to a
 *     callback are valid only until the callback returns.
 *   - Every config and callback struct starts with size_t struct_size, set to
 *     sizeof(the struct) by the *_init function. The library reads only the
 *     fields that fit in struct_size, so code compiled against an older
 *     header keeps working; fields are only ever added at the end. A zero
 *     field means "use the default".
 *   - Durations are integer milliseconds (_ms) unless named otherwise.
 *   - Every function may be called from any thread, including from inside a
 *     callback of this library (the library never holds a lock while it calls
 *     back), unless its comment says otherwise.
 *
 * The library holds one Go runtime; it cannot be unloaded (dlclose is a
 * no-op) and should not be loaded together with another Go-built library.
 */
#ifndef MARS_H
#define MARS_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ======================================================================== */
/* Version                                                                   */
/* ======================================================================== */

/* The version of this header. MARS_VERSION_NUMBER is X*1000000 + Y*1000 + Z.
 * Careful callers assert mars_version_number() == MARS_VERSION_NUMBER at
 * start-up; bindings refuse a library whose major number differs. */
#define MARS_VERSION_MAJOR 0
#define MARS_VERSION_MINOR 1
#define MARS_VERSION_PATCH 0
#define MARS_VERSION_STRING "0.1.0"
#define MARS_VERSION_NUMBER 1000

/* mars_version returns the library's version as "X.Y.Z".
 *
 * Ownership: the string is static; never free it.
 * Threads: any.
 * Returns: a non-NULL string. */
const char *mars_version(void);

/* mars_version_number returns the library's MARS_VERSION_NUMBER.
 *
 * Threads: any.
 * Returns: X*1000000 + Y*1000 + Z of the library actually loaded. */
int mars_version_number(void);

/* ======================================================================== */
/* Result codes                                                              */
/* ======================================================================== */

/* Result codes of API calls. New codes may be added; existing ones are never
 * renumbered. mars_errstr gives a fixed text for each. */
#define MARS_OK            0  /* success */
#define MARS_EINVAL        1  /* a NULL pointer, bad length or out-of-range value */
#define MARS_EBADHANDLE    2  /* the handle is NULL, destroyed, stale or forged */
#define MARS_ERANGE        3  /* output buffer too small; the result was truncated */
#define MARS_ESTATE        4  /* the call is not allowed in the object's current state */
#define MARS_ECLOSED       5  /* the object is closing or closed */
#define MARS_EINTERNAL     6  /* an internal error (a recovered panic); see mars_*_errmsg */
#define MARS_EIO           7  /* a file or system call failed; see mars_*_errmsg */
#define MARS_ELIMIT        8  /* too many live objects of this kind (4096) */
#define MARS_EUNSUPPORTED  9  /* not available in this build (e.g. an xlog-only library) */
#define MARS_EFORMAT      10  /* input bytes are not in the expected format */

/* mars_errstr returns a short English description of a result code.
 *
 * Ownership: the string is static; never free it.
 * Threads: any.
 * Returns: the text for code, or "unknown error" for a code not listed above. */
const char *mars_errstr(int code);

/* ======================================================================== */
/* Buffers filled by callbacks                                               */
/* ======================================================================== */

/* mars_buf is a growable byte buffer that the library hands to a callback for
 * output (a request body, an encoded packet, an identify buffer). The
 * callback appends with mars_buf_append or mars_buf_reserve; the library
 * owns the memory and frees it after the callback returns. Do not free
 * data, and do not keep the pointer after the callback returns. */
typedef struct mars_buf {
    uint8_t *data; /* bytes written so far (may be NULL while len == 0) */
    size_t   len;  /* number of valid bytes */
    size_t   cap;  /* allocated size */
} mars_buf;

/* mars_buf_append copies n bytes to the end of buf.
 *
 * Ownership: data is read during the call only; buf keeps its own copy.
 * Threads: only the thread running the callback that received buf.
 * Returns: MARS_OK; MARS_EINVAL if buf is NULL, data is NULL with n > 0, or
 * the buffer would exceed 64 MiB. */
int mars_buf_append(mars_buf *buf, const void *data, size_t n);

/* mars_buf_reserve makes room for n more bytes and returns where to write
 * them in *out; call mars_buf_commit(buf, written) afterwards.
 *
 * Ownership: *out points into buf and is valid until the next call on buf.
 * Threads: only the thread running the callback that received buf.
 * Returns: MARS_OK; MARS_EINVAL if buf or out is NULL or the buffer would
 * exceed 64 MiB. */
int mars_buf_reserve(mars_buf *buf, size_t n, uint8_t **out);

/* mars_buf_commit marks n bytes written after mars_buf_reserve as valid.
 *
 * Threads: only the thread running the callback that received buf.
 * Returns: MARS_OK; MARS_EINVAL if buf is NULL or n exceeds the reserved
 * room (cap - len). */
int mars_buf_commit(mars_buf *buf, size_t n);

/* mars_str_list is a list of strings a callback fills for the library (the IP
 * addresses of on_new_dns). Append with mars_str_list_add. The library owns
 * and frees it after the callback returns. */
typedef struct mars_str_list {
    char  **items; /* NUL-terminated copies */
    size_t  len;
    size_t  cap;
} mars_str_list;

/* mars_str_list_add appends a copy of s to list.
 *
 * Ownership: s is copied.
 * Threads: only the thread running the callback that received list.
 * Returns: MARS_OK; MARS_EINVAL if list or s is NULL or the list already
 * holds 1024 items. */
int mars_str_list_add(mars_str_list *list, const char *s);

/* mars_free releases memory the library returned to the caller (for
 * example the text of mars_xlog_decode). mars_free(NULL) does nothing.
 *
 * Ownership: p must come from a function documented to need mars_free.
 * Threads: any. */
void mars_free(void *p);

/* @@STN@@ */

/* @@XLOG@@ */

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* MARS_H */
