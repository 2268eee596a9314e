/*
 * mars.h — the C API of Mars in Go: STN (the signalling network), xlog
 * (crash-safe, compressed, encrypted logging) and SDT (network diagnosis)
 * in one shared library.
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
 *     a crash. Destroying NULL is a harmless no-op. A handle value is never
 *     handed out twice in the life of the process, so a stale handle can
 *     never reach a newer object (where pointers are 32 bits, each kind has
 *     about 2^28 handles in all; past that, create/open gives MARS_ELIMIT).
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
 *     field means "use the default" (except in mars_task, whose zeros are
 *     meaningful: mars_task_init fills in Mars's task defaults).
 *     Caveat: the *_init functions write the library's own sizeof, so they
 *     are safe only with a header of the same version as the library
 *     (MARS_VERSION_NUMBER == mars_version_number()). Code that may meet a
 *     newer library calls the *_init_sized variants with its own sizeof.
 *   - Durations are integer milliseconds (_ms) unless named otherwise.
 *   - Every function may be called from any thread, including from inside a
 *     callback of this library (the library holds no lock of its own while it
 *     calls back), unless its comment says otherwise.
 *
 * The library holds one Go runtime; it cannot be unloaded (dlclose is a
 * no-op) and should not be loaded together with another Go-built library.
 *
 * Signals and the Go runtime. When the library is loaded (or, for libmars.a,
 * when the program's constructors run) the Go runtime installs its own
 * handlers for SIGSEGV, SIGBUS, SIGFPE, SIGPIPE and SIGURG (SIGURG preempts
 * goroutines; expect it often on library threads, and keep it unblocked
 * there), remembering any handler that was there before. It installs none
 * for any other signal: SIGINT, SIGTERM, SIGABRT and the rest stay the
 * host's.
 *
 * What a host must arrange:
 *
 *   - Every handler in the process must be installed with SA_ONSTACK. Go
 *     runs its threads on small stacks with an alternate signal stack; a
 *     handler without SA_ONSTACK that runs on a Go thread can overflow the
 *     goroutine stack and crash the process. For handlers already in place
 *     when the library loads, the runtime adds SA_ONSTACK itself; handlers
 *     installed later (a crash reporter set up after loading) must set it.
 *   - Chaining: a crash signal raised while a non-Go thread, or C code,
 *     runs is passed on to the handler that was there before the library
 *     loaded; one raised by Go code is Go's (a Go panic the library
 *     recovers into MARS_EINTERNAL, or a fatal Go crash report on stderr).
 *     So install crash reporters (Breakpad, Crashpad, KSCrash, the JVM's)
 *     *before* loading libmars to keep them working for C crashes. A
 *     handler installed *after* loading replaces Go's; it must forward
 *     every signal it does not consume to the handler it replaced (the
 *     old sigaction), or Go's nil checks and preemption stop working. On
 *     the JVM (HotSpot), preload libjsig so the JVM and Go chain to each
 *     other.
 *   - SIGPIPE: a write to a closed socket on a library thread is handled by
 *     Go and only fails the write; SIGPIPE raised on a host thread goes to
 *     the host's previous disposition as before.
 *
 * Fork: the Go runtime starts when the library is loaded and does not
 * survive fork(): the child has none of its threads, and a call there may
 * hang forever (creating an engine does). After fork, only the parent may
 * call this library; a child must exec first (posix_spawn, fork+exec). The
 * bindings record the process that loaded the library and fail fast in a
 * forked child instead of calling in.
 */
#ifndef MARS_H
#define MARS_H

#include <stdarg.h>
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
 * start-up; bindings refuse a library whose major number differs.
 *
 * Compatibility policy (also in docs/compatibility.md and CHANGELOG.md):
 *
 *   - MAJOR changes when something published here changes or goes away: a
 *     function's signature or meaning, a struct field's type or position, a
 *     constant's value. The soname (libmars.so.MAJOR) changes with it, so an
 *     old program never loads an incompatible library. While MAJOR is 0 this
 *     still holds: within 0.x nothing published is removed or renumbered.
 *   - MINOR grows with every addition: a function, a struct field (always at
 *     the end, read only when struct_size covers it), a result code, a
 *     feature name of mars_has_feature, or a change of behaviour a host may
 *     need to know about. A program built against X.Y runs on any X.Y' with
 *     Y' >= Y; on an older X.Y' it must check mars_has_feature (or
 *     mars_version_number) before it uses what Y added.
 *   - PATCH is for fixes that add nothing.
 *
 * MARS_VERSION_AT_LEAST(maj, min, patch) is true at compile time when this
 * header is at least that version; mars_has_feature answers at run time for
 * the library actually loaded, which may be older or newer than the header. */
#define MARS_VERSION_MAJOR 0
#define MARS_VERSION_MINOR 3
#define MARS_VERSION_PATCH 0
#define MARS_VERSION_STRING "0.3.0"
#define MARS_VERSION_NUMBER 3000
#define MARS_VERSION_AT_LEAST(maj, min, patch) \
    (MARS_VERSION_NUMBER >= (maj) * 1000000 + (min) * 1000 + (patch))

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

/* mars_has_feature says whether the library actually loaded has a feature,
 * so a host or binding need not probe for symbols with dlsym. Names are
 * lower-case ASCII; new names are only ever added (each with a MINOR step)
 * and a name, once answered 1, stays 1 in every later version of the same
 * build kind. The names of this version:
 *
 *   "stn"                  the engine (mars_stn_*); 0 in an xlog-only build
 *   "sdt"                  mars_sdt_check; 0 in an xlog-only build
 *   "xlog"                 the appender and the decoder (mars_xlog_*)
 *   "init_sized"           the *_init_sized initialisers
 *   "poll"                 mars_stn_config.poll_events and mars_stn_poll
 *   "heartbeat_control"    mars_stn_set_heartbeat_mode, mars_stn_trig_noop,
 *                          mars_stn_heartbeat_interval
 *   "network_quality"      mars_stn_network_quality
 *   "xlog_settings"        mars_xlog_set_mode, mars_xlog_set_max_file_size,
 *                          mars_xlog_set_max_alive_time
 *   "max_in_flight"        mars_stn_config.max_in_flight
 *   "max_packet_size"      mars_stn_config.max_packet_size
 *   "receive_backlog"      mars_stn_config.receive_backlog_bytes
 *   "partial_decode"       mars_xlog_decode(_file) return MARS_EPARTIAL with
 *                          the text they could read
 *   "xlog_lines_truncated" mars_xlog_stats.lines_truncated
 *   "doh_allow_http"       mars_stn_config.doh_allow_http (and the checks of
 *                          doh_url, pins and roots at create)
 *   "shortlink_network_error" mars_stn_callbacks.on_shortlink_network_error
 *   "compress_level"       mars_xlog_config.compress_level, MARS_XLOG_COMPRESS_ZSTD
 *                          = 1 and MARS_XLOG_COMPRESS_LZ4 = 3 (Mars's numbers)
 *   "xlog_printf"          mars_xlog_enabled, mars_xlog_printf, mars_xlog_vprintf
 *                          (the MARS_LOGV ... MARS_LOGF macros)
 *   "task_body"            mars_task.body and body_len (no req2buf for that task)
 *   "task_end_resp"        mars_stn_callbacks.on_task_end_resp (the response
 *                          body with the task's end)
 *   "account"              mars_stn_set_account
 *   "longlinks"            several named long links: mars_longlink_config,
 *                          mars_stn_create_longlink and the other
 *                          mars_stn_*longlink* calls that take a name, and
 *                          on_longlink_status_change_of,
 *                          on_longlink_network_error_of, on_longlink_new_dns
 *   "disable_longlink"     mars_stn_disable_longlink
 *   "client_version_live"  mars_stn_set_client_version,
 *                          mars_stn_reset_and_init_encoder_version
 *   "gen_sequence_id"      mars_stn_gen_sequence_id
 *   "codec_stream"         MARS_CODEC_STREAM from mars_longlink_codec.unpack
 *   "verify_connect"       mars_stn_config.verify_connect
 *   "extension_buffers"    mars_stn_callbacks.req2buf_ext, buf2resp_ext,
 *                          on_push_ext; mars_longlink_codec.pack_ext,
 *                          unpack_ext; mars_task_profile.resp_flags,
 *                          server_sequence_id
 *   "proxy_info"           mars_stn_callbacks.get_proxy_info (a proxy per
 *                          connect), mars_proxy_info, mars_proxy_is_available
 *   "dns_profile"          mars_stn_callbacks.report_dns_profile,
 *                          mars_dns_profile
 *   "channel_id"           mars_task.channel_id, mars_stn_longlink_connection_id
 *   "codec_identify"       mars_longlink_codec.identify
 *   "poll_task_ends"       mars_stn_poll_task_ends, mars_task_end
 *
 * The struct fields named above are read only by a library that has the
 * feature; an older one ignores them (struct_size tells it where to stop).
 *
 * Threads: any.
 * Returns: 1 if the loaded library has the feature, 0 if not, if name is
 * unknown to it or if name is NULL. */
int mars_has_feature(const char *name);

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
#define MARS_ELIMIT        8  /* too many live objects of this kind (4096), or handles used up */
#define MARS_EUNSUPPORTED  9  /* not available in this build (e.g. an xlog-only library) */
#define MARS_EFORMAT      10  /* input bytes are not in the expected format */
#define MARS_EPARTIAL     11  /* done in part: the input was damaged or partly unreadable;
                                 the result holds what could be read (see the function) */
#define MARS_ENOMEM       12  /* memory could not be allocated; nothing was changed */

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
 * the buffer would exceed 64 MiB; MARS_ENOMEM if it cannot grow. */
int mars_buf_append(mars_buf *buf, const void *data, size_t n);

/* mars_buf_reserve makes room for n more bytes and returns where to write
 * them in *out; call mars_buf_commit(buf, written) afterwards.
 *
 * Ownership: *out points into buf and is valid until the next call on buf.
 * Threads: only the thread running the callback that received buf.
 * Returns: MARS_OK; MARS_EINVAL if buf or out is NULL or the buffer would
 * exceed 64 MiB; MARS_ENOMEM if it cannot grow. */
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
 * holds 1024 items; MARS_ENOMEM if the copy cannot be allocated. */
int mars_str_list_add(mars_str_list *list, const char *s);

/* mars_free releases memory the library returned to the caller (for
 * example the text of mars_xlog_decode). mars_free(NULL) does nothing.
 *
 * Ownership: p must come from a function documented to need mars_free.
 * Threads: any. */
void mars_free(void *p);

/* ======================================================================== */
/* STN: Mars's task outcome numbers (reference: Mars stn.h)                  */
/* ======================================================================== */

/* Task outcome classes: the err_type of on_task_end (Mars's ErrCmdType).
 * These are Mars's numbers and never change. */
#define MARS_ECT_OK         0  /* success */
#define MARS_ECT_FALSE      1
#define MARS_ECT_DIAL       2
#define MARS_ECT_DNS        3  /* no address for the host */
#define MARS_ECT_SOCKET     4  /* socket error; err_code is MARS_ECT_SOCKET_* or errno */
#define MARS_ECT_HTTP       5  /* short link; err_code is an HTTP status or MARS_ECT_HTTP_* */
#define MARS_ECT_NETMSGXP   6  /* long-link protocol or timeout; MARS_ECT_LONG_* */
#define MARS_ECT_ENDECODE   7  /* req2buf or buf2resp failed; err_code is theirs */
#define MARS_ECT_SERVER     8
#define MARS_ECT_LOCAL      9  /* decided locally; err_code is MARS_ECT_LOCAL_* */
#define MARS_ECT_CANCELED  10

/* err_code values with MARS_ECT_LOCAL. */
#define MARS_ECT_LOCAL_TASK_TIMEOUT            (-1)  /* total task timeout */
#define MARS_ECT_LOCAL_TASK_RETRY              (-2)
#define MARS_ECT_LOCAL_START_TASK_FAIL         (-3)  /* could not start (e.g. send_only on short link) */
#define MARS_ECT_LOCAL_ANTI_AVALANCHE          (-4)  /* rejected by the frequency or flow limit */
#define MARS_ECT_LOCAL_CHANNEL_SELECT          (-5)  /* no usable channel for the task */
#define MARS_ECT_LOCAL_NO_NET                  (-6)  /* network_status_sensitive and no network */
#define MARS_ECT_LOCAL_CANCEL                  (-7)  /* redo/network change with no retries left */
#define MARS_ECT_LOCAL_CLEAR                   (-8)  /* unused; kept for the numbering */
#define MARS_ECT_LOCAL_RESET                   (-9)  /* engine reset or destroyed */
#define MARS_ECT_LOCAL_TASK_PARAM             (-12)  /* invalid task fields */
#define MARS_ECT_LOCAL_CGI_FREQUENCY_LIMIT    (-13)  /* unused; kept for the numbering */
#define MARS_ECT_LOCAL_CHANNEL_ID             (-14)  /* channel_id does not match the link */
#define MARS_ECT_LOCAL_LONGLINK_RELEASED      (-15)
#define MARS_ECT_LOCAL_LONGLINK_UNAVAILABLE   (-16)  /* no long link of the task's channel_name, or long link disabled */
#define MARS_ECT_LOCAL_PACKET_TOO_LARGE       (-17)  /* the request packet exceeds
                                                        max_packet_size; not sent (not
                                                        in Mars) */

/* err_code values with MARS_ECT_NETMSGXP (long link) and MARS_ECT_HTTP
 * (short link): which timeout fired. */
#define MARS_ECT_LONG_FIRST_PKG_TIMEOUT      (-500)
#define MARS_ECT_LONG_PKG_PKG_TIMEOUT        (-501)
#define MARS_ECT_LONG_READ_WRITE_TIMEOUT     (-502)
#define MARS_ECT_LONG_TASK_TIMEOUT           (-503)
#define MARS_ECT_HTTP_FIRST_PKG_TIMEOUT      (-500)
#define MARS_ECT_HTTP_PKG_PKG_TIMEOUT        (-501)
#define MARS_ECT_HTTP_READ_WRITE_TIMEOUT     (-502)
#define MARS_ECT_HTTP_LONG_POLLING_TIMEOUT   (-503)

/* err_code values with MARS_ECT_SOCKET, MARS_ECT_HTTP, MARS_ECT_NETMSGXP and
 * MARS_ECT_DNS. Raw errno values also appear with MARS_ECT_SOCKET. */
#define MARS_ECT_SOCKET_NETWORK_CHANGE        (-10086)
#define MARS_ECT_SOCKET_MAKE_SOCKET_PREPARED  (-10087)  /* every connect failed */
#define MARS_ECT_SOCKET_WRITEN_WITH_NON_BLOCK (-10088)
#define MARS_ECT_SOCKET_READ_ONCE             (-10089)
#define MARS_ECT_SOCKET_SHUTDOWN              (-10090)  /* peer closed */
#define MARS_ECT_SOCKET_RECV_ERR              (-10091)
#define MARS_ECT_SOCKET_SEND_ERR              (-10092)
#define MARS_ECT_SOCKET_NOOP_TIMEOUT          (-10093)
#define MARS_ECT_SOCKET_NOOP_ALARM_TOO_LATE   (-10094)
#define MARS_ECT_SOCKET_USER_BREAK            (-10095)
#define MARS_ECT_HANDSHAKE_MISUNDERSTAND      (-10096)  /* TLS handshake failed (see the finer codes below) */
/* The proxy, not the target, failed (not in Mars): reported with the
 * proxy's address and never counted in the target's IP history. */
#define MARS_ECT_SOCKET_PROXY_REFUSED         (-10097)  /* unreachable, or refused the tunnel */
#define MARS_ECT_SOCKET_PROXY_AUTH            (-10098)  /* HTTP 407, SOCKS authentication */
#define MARS_ECT_SOCKET_PROXY_PROTOCOL        (-10099)  /* not the protocol, or closed mid-handshake */
/* Finer TLS failures (not in Mars); MARS_ECT_HANDSHAKE_MISUNDERSTAND stays
 * for the rest (not TLS, a protocol alert, closed mid-handshake). */
#define MARS_ECT_HANDSHAKE_PIN_MISMATCH       (-10100)  /* chain verified, no pinned key in it */
#define MARS_ECT_HANDSHAKE_CERTIFICATE        (-10101)  /* chain did not verify: authority, expiry, name */
#define MARS_ECT_HTTP_SPLIT_HTTP_HEAD_AND_BODY (-10194)
#define MARS_ECT_HTTP_PARSE_STATUS_LINE       (-10195)
#define MARS_ECT_NETMSGXP_HANDLE_BUFFER_ERR   (-10504)  /* corrupt long-link stream */
#define MARS_ECT_DNS_MAKE_SOCKET_PREPARED     (-10606)

/* What buf2resp returns (Mars's TaskFailHandleType). */
#define MARS_RESP_OK                  0    /* decoded: the task succeeds */
#define MARS_RESP_DECODE_ERROR      (-1)   /* long link: fail/retry every running task, reset the link */
#define MARS_RESP_RETRY_ALL_TASKS  (-12)   /* retry every running task of the same user */
#define MARS_RESP_SESSION_TIMEOUT  (-13)   /* like RETRY_ALL_TASKS */
#define MARS_RESP_TASK_END         (-14)   /* end this task with (MARS_ECT_ENDECODE, *err_code) */
#define MARS_RESP_SILENT_TASK_END  (-16)   /* long link: drop the task with no on_task_end */

/* What get_identify_check_buffer returns (Mars's IdentifyMode). */
#define MARS_IDENTIFY_CHECK_NOW    0  /* send the buffer filled in now */
#define MARS_IDENTIFY_CHECK_NEXT   1  /* not yet; ask again at the next heartbeat */
#define MARS_IDENTIFY_CHECK_NEVER  2  /* never on this connection */

/* ======================================================================== */
/* STN: the signalling network                                               */
/* ======================================================================== */

/* An engine: one long link plus short links (one HTTP POST per attempt to
 * http://<host>:<shortlink port><cgi>), its tasks and its callbacks.
 * Several engines may live side by side in one process. */
typedef struct mars_stn mars_stn;

/* An xlog appender (see the xlog section); declared here because an engine
 * can log into one. */
typedef struct mars_xlog mars_xlog;

/* Task channel_select bits (Mars's kChannel*). */
#define MARS_CHANNEL_SHORT       1
#define MARS_CHANNEL_LONG        2
#define MARS_CHANNEL_BOTH        3
#define MARS_CHANNEL_MINOR_LONG  4  /* not implemented; never selected */
#define MARS_CHANNEL_NORMAL      5
#define MARS_CHANNEL_ALL         7

/* Task channel_strategy (Mars's kChannel*Strategy). */
#define MARS_CHANNEL_STRATEGY_NORMAL 0  /* Both/All use the long link whenever it is connected */
#define MARS_CHANNEL_STRATEGY_FAST   1  /* ... only when connected and idle; else short */

/* Network types for mars_stn_config.network_type and
 * mars_stn_on_network_change (Mars's getNetInfo). */
#define MARS_NET_NONE   (-1)
#define MARS_NET_WIFI     1  /* also "other"; what Linux Mars always reports */
#define MARS_NET_MOBILE   2  /* timeouts left 0 take the mobile values */

/* Long-link status of on_longlink_status_change (Mars's TLongLinkStatus). */
#define MARS_LONGLINK_IDLE           0
#define MARS_LONGLINK_CONNECTING     1
#define MARS_LONGLINK_CONNECTED      2
#define MARS_LONGLINK_DISCONNECTED   3
#define MARS_LONGLINK_CONNECT_FAILED 4

/* Task ids the library never hands out (they are also long-link seqs). */
#define MARS_NOOP_TASK_ID          0xFFFFFFFFu
#define MARS_RESERVED_TASK_ID_START 0xFFFFFFF0u

/* mars_task_ref tells a callback which task it concerns. */
typedef struct mars_task_ref {
    size_t      struct_size;        /* sizeof(mars_task_ref) of the library */
    uint32_t    taskid;
    uint32_t    cmdid;
    void       *user_context;       /* mars_task.user_context, as given */
    const char *user_id;            /* never NULL ("" if unset) */
    uint32_t    client_sequence_id; /* random 16-bit value, once per task */
} mars_task_ref;

/* mars_task_profile is a task's statistics, given to on_task_end and
 * report_task_profile. Times are Unix milliseconds; 0 means "did not
 * happen". Strings are never NULL. */
typedef struct mars_task_profile {
    size_t      struct_size;       /* sizeof(mars_task_profile) of the library */
    uint32_t    taskid;
    uint32_t    cmdid;
    const char *cgi;
    const char *user_id;
    const char *report_arg;        /* mars_task.report_arg */
    int32_t     channel;           /* MARS_CHANNEL_SHORT/LONG of the last attempt; 0 if none */
    int32_t     attempts;          /* attempts sent */
    int32_t     err_type;          /* MARS_ECT_* */
    int32_t     err_code;
    int64_t     start_time_ms;     /* the task was accepted */
    int64_t     start_send_time_ms;/* first byte of the last attempt written */
    int64_t     read_finish_time_ms;/* last attempt's response complete */
    int64_t     end_time_ms;       /* the outcome was decided */
    int64_t     send_bytes;        /* body bytes of the last attempt */
    int64_t     recv_bytes;        /* body bytes of the response */
    const char *connect_ip;        /* long-link address used, "" if none */
    int32_t     connect_port;
    int64_t     connect_start_ms;  /* that connection's connect started */
    int64_t     connect_done_ms;   /* ... and succeeded */
    int64_t     first_pkg_timeout_ms;
    int64_t     task_timeout_ms;
    int32_t     weak_network;      /* 1 if a weak-network mark was active when the
                                      task ended (Mars's is_weak_network) */
    /* What buf2resp_ext answered for the last response decoded (Mars's
     * Buf2Resp flags and server_sequence_id); 0 without buf2resp_ext.
     * Feature "extension_buffers". */
    int32_t     resp_flags;
    uint32_t    server_sequence_id;
} mars_task_profile;

/* mars_network_quality.level: the engine's coarse verdict on the current
 * network (an addition to Mars, after Cronet's estimator). */
#define MARS_QUALITY_UNKNOWN 0  /* no sample yet on this network */
#define MARS_QUALITY_WEAK    1  /* RTT >= 2 s, < 4 KiB/s, or a recent weak-network mark */
#define MARS_QUALITY_OK      2
#define MARS_QUALITY_GOOD    3  /* RTT <= 300 ms */

/* mars_network_quality.dynamic_timeout: the dynamic timeout's state
 * (Mars's kEValuating, kExcellent, kBad). */
#define MARS_DYNAMIC_TIMEOUT_EVALUATING 1
#define MARS_DYNAMIC_TIMEOUT_EXCELLENT  2  /* first-packet timeouts shrink to 7 s / 10 s */
#define MARS_DYNAMIC_TIMEOUT_BAD        3  /* 4 or more of the last 10 tasks failed */

/* mars_network_quality is the engine's estimate of the current network,
 * given by mars_stn_network_quality and on_network_quality_change. It
 * starts afresh at every mars_stn_on_network_change. */
typedef struct mars_network_quality {
    size_t  struct_size;     /* sizeof(mars_network_quality) */
    int32_t level;           /* MARS_QUALITY_* */
    int32_t dynamic_timeout; /* MARS_DYNAMIC_TIMEOUT_* */
    int64_t rtt_ms;          /* smoothed round trip (connects, heartbeats, first
                                bytes); 0: no sample yet */
    int64_t throughput;      /* smoothed bytes per second of large responses;
                                0: no sample yet */
    int32_t weak_marked;     /* 1 while a Mars weak-network mark is active */
} mars_network_quality;

/* mars_proxy_info is a proxy: the answer of get_proxy_info, the argument of
 * mars_proxy_is_available. Initialise it with mars_proxy_info_init. The
 * strings are NUL-terminated inside the struct, so nothing outlives a
 * call. */
typedef struct mars_proxy_info {
    size_t  struct_size; /* sizeof(mars_proxy_info); set by mars_proxy_info_init */
    int32_t kind;        /* MARS_PROXY_NONE (connect directly), MARS_PROXY_HTTP or MARS_PROXY_SOCKS5 */
    char    addr[264];   /* "host:port" (port 1..65535) */
    char    user[256];   /* optional credentials, as mars_stn_config.proxy_user */
    char    password[256];
} mars_proxy_info;

/* mars_proxy_info_init zeroes p (kind MARS_PROXY_NONE) and sets its
 * struct_size, with the library's sizeof: code that may load a newer library
 * than its header (a binding) calls mars_proxy_info_init_sized instead.
 * Returns: MARS_OK; MARS_EINVAL if p is NULL. */
int mars_proxy_info_init(mars_proxy_info *p);

/* mars_proxy_is_available tells whether proxy carries traffic (Mars's
 * ProxyIsAvailable): it connects through proxy to test_host:test_port
 * (test_port 0: 80; the proxy resolves the name), sends "GET / HTTP/1.1"
 * with Host test_host, and sets *available to 1 when the status is 200,
 * 3xx or 497, else 0. *err_code (may be NULL) says why not: 0 when
 * available, MARS_ECT_SOCKET_PROXY_* for the proxy's own failure, the HTTP
 * status for another answer, -1 for anything else (the test host
 * unreachable through the proxy, the timeout); details in
 * mars_stn_errmsg(NULL, ...). Mars's list of the test host's IPs is not
 * taken.
 * Threads: any; it blocks for up to timeout_ms (0: 10000), so do not call it
 * from an STN callback.
 * Returns: MARS_OK (also when the proxy is not available: see *available);
 * MARS_EINVAL if proxy, test_host or available is NULL, test_host has CR
 * or LF in it, test_port is outside 0..65535, or proxy is not usable (kind NONE or unknown, addr
 * not host:port, credentials its protocol cannot carry); MARS_EUNSUPPORTED
 * in an xlog-only build. */
int mars_proxy_is_available(const mars_proxy_info *proxy, const char *test_host, int test_port,
                            int timeout_ms, int *available, int *err_code);

/* Where a DNS answer came from (mars_dns_profile.source): Mars's dnstype
 * 1 and 2, then sources Mars has no number for. */
#define MARS_DNS_NEWDNS 1 /* the host's on_new_dns */
#define MARS_DNS_SYSTEM 2 /* the system resolver */
#define MARS_DNS_DOH    3 /* mars_stn_config.doh_url (long link, when on_new_dns had nothing) */
#define MARS_DNS_DEBUG  4 /* a debug IP stood in for the lookup */

/* mars_dns_profile is one lookup (Mars's DnsProfile), handed to
 * report_dns_profile; valid only during the call. */
typedef struct mars_dns_profile {
    size_t             struct_size; /* sizeof(mars_dns_profile) of the library */
    const char        *host;
    int32_t            longlink;    /* 1: the long link's, 0: a short-link attempt's */
    int32_t            source;      /* MARS_DNS_* */
    const char *const *ips;         /* the usable addresses answered */
    size_t             ip_count;
    int64_t            start_ms;    /* Unix milliseconds */
    int64_t            cost_ms;
    int32_t            err_type;    /* 0 answered; MARS_ECT_LOCAL when no usable address (Mars) */
    int32_t            err_code;    /* 0, or -1 with MARS_ECT_LOCAL (Mars) */
    const char        *error;       /* "" when answered, else why not */
} mars_dns_profile;

/* A callback table. Zero-initialise it with mars_stn_callbacks_init and set
 * what you need; a NULL callback gets Mars's default behaviour (given with
 * each). Rules for every callback:
 *   - user_data (first argument) is mars_stn_callbacks.user_data.
 *   - Runs on: a library thread, never a thread of the host's own. Unless
 *     stated, callbacks of one engine are serialised: no two run at once.
 *   - Pointers passed in are valid only until the callback returns; copy
 *     what you keep. Output goes through the mars_buf/mars_str_list given.
 *   - Any mars_* function may be called from inside a callback, including
 *     mars_stn_start_task, mars_stn_reset and mars_stn_has_task, but not
 *     mars_stn_destroy of the same engine.
 *   - Should return promptly: a slow callback delays the callbacks queued
 *     behind it, and the tasks whose req2buf or buf2resp wait behind it. It
 *     never delays the engine's own clock: heartbeats, timeouts and
 *     reconnects keep their schedule while any callback blocks. While
 *     on_push is slow, received packets wait up to receive_backlog_bytes,
 *     then the long link stops reading its socket (TCP back-pressure).
 *   - mars_stn_stop_task called from a task's own req2buf or buf2resp wins
 *     over that callback's answer: no on_task_end follows. */
typedef struct mars_stn_callbacks {
    size_t struct_size; /* sizeof(mars_stn_callbacks); set by mars_stn_callbacks_init */
    void  *user_data;

    /* req2buf builds the request body of one attempt of a task: append it to
     * out (without framing; the library adds it). channel is
     * MARS_CHANNEL_LONG or MARS_CHANNEL_SHORT; host is the first host of the
     * task's list for that link kind ("" if none). May be called more than
     * once per task (one per attempt): it must be idempotent.
     * Return non-zero on success; 0 ends the task with
     * (MARS_ECT_ENDECODE, *err_code) and no retry.
     * NULL: an empty body. */
    int (*req2buf)(void *user_data, const mars_task_ref *task, int channel,
                   const char *host, mars_buf *out, int *err_code);

    /* buf2resp decodes a response body. Return MARS_RESP_OK or another
     * MARS_RESP_*; *err_code is reported through on_task_end.
     * NULL: every response is MARS_RESP_OK. */
    int (*buf2resp)(void *user_data, const mars_task_ref *task, int channel,
                    const uint8_t *body, size_t body_len, int *err_code);

    /* on_task_end reports a task's outcome: exactly once per task, except
     * tasks removed by mars_stn_stop_task or mars_stn_clear_tasks, or dropped
     * by MARS_RESP_SILENT_TASK_END on the long link. err_type/err_code are
     * MARS_ECT_* numbers. On success the return value becomes the profile's
     * error code. NULL: nothing. */
    int (*on_task_end)(void *user_data, const mars_task_ref *task, int err_type,
                       int err_code, const mars_task_profile *profile);

    /* on_push delivers a server push (a long-link packet with seq 0).
     * channel is the long link's name. NULL: pushes are dropped. */
    void (*on_push)(void *user_data, const char *channel, uint32_t cmdid,
                    uint32_t taskid, const uint8_t *body, size_t body_len);

    /* on_new_dns resolves host for a connect attempt (longlink: non-zero for
     * the long link): add IP strings to out_ips. Runs on its own thread,
     * concurrently with other callbacks; an answer later than
     * new_dns_timeout_ms (2 s) is discarded. No IPs: the system resolver is
     * used. NULL: the system resolver. */
    void (*on_new_dns)(void *user_data, const char *host, int longlink,
                       mars_str_list *out_ips);

    /* makesure_authed reports whether user_id is logged in at host (non-zero
     * = yes). Polled before every attempt of a need_authed task, about once
     * a second while it says no; call mars_stn_touch_tasks after logging in.
     * NULL: always authed. */
    int (*makesure_authed)(void *user_data, const char *host, const char *user_id);

    /* report_connect_status reports Mars's (all, longlink) NetStatus numbers
     * on every main-link status change except to disconnected. NULL: nothing. */
    void (*report_connect_status)(void *user_data, int status, int longlink_status);

    /* on_longlink_status_change reports MARS_LONGLINK_* of the main link.
     * NULL: nothing. */
    void (*on_longlink_status_change)(void *user_data, int status);

    /* on_longlink_network_error reports network events of the main link:
     * connect success (MARS_ECT_OK, 0), each failed connect, link errors,
     * task timeouts. ip is "" when unknown. NULL: nothing. */
    void (*on_longlink_network_error)(void *user_data, int err_type, int err_code,
                                      const char *ip, int port);

    /* get_identify_check_buffer is asked at each heartbeat slot (the first
     * right after connect) until a check succeeds or it returns
     * MARS_IDENTIFY_CHECK_NEVER. To check now, append the request body to
     * buf and its hash to hash, set *cmdid, return MARS_IDENTIFY_CHECK_NOW.
     * NULL: MARS_IDENTIFY_CHECK_NEVER. */
    int (*get_identify_check_buffer)(void *user_data, const char *channel,
                                     mars_buf *buf, mars_buf *hash, uint32_t *cmdid);

    /* on_identify_response receives the identify answer; non-zero stops
     * further checks on this connection. NULL: 1. */
    int (*on_identify_response)(void *user_data, const char *channel,
                                const uint8_t *resp, size_t resp_len,
                                const uint8_t *hash, size_t hash_len);

    /* traffic_data reports the bytes of one socket write or read. Runs on a
     * link's I/O thread, concurrently with other callbacks; must not block
     * and must not call mars_stn_has_task. NULL: nothing. */
    void (*traffic_data)(void *user_data, int64_t send, int64_t recv);

    /* report_task_profile reports every ended task's statistics, after
     * on_task_end. NULL: nothing. */
    void (*report_task_profile)(void *user_data, const mars_task_profile *profile);

    /* report_task_limited reports an anti-avalanche rejection: check_type 1
     * frequency (param = ms since the previous identical request), 2 flow
     * (param = request length); the task then ends with (MARS_ECT_LOCAL,
     * MARS_ECT_LOCAL_ANTI_AVALANCHE). NULL: nothing. */
    void (*report_task_limited)(void *user_data, int check_type,
                                const mars_task_ref *task, int param);

    /* request_sync asks the host to pull (timing sync while the long link is
     * down; only with mars_stn_config.timing_sync). NULL: nothing. */
    void (*request_sync)(void *user_data);

    /* on_network_quality_change reports every change of the network
     * quality level (MARS_QUALITY_*), with the whole estimate; q is valid
     * during the call. NULL: nothing. */
    void (*on_network_quality_change)(void *user_data, const mars_network_quality *q);

    /* is_logoned reports whether a user is logged in (non-zero = yes;
     * Mars's GetAccountInfo().is_logoned). Asked by the timing sync to
     * choose its period (90 s logged in, else 4 min). NULL: nobody is
     * logged in. */
    int (*is_logoned)(void *user_data);

    /* request_netcheck_hosts is asked, when the automatic network check
     * starts (see mars_stn_config.netcheck_cgi), for the hosts to GET
     * netcheck_cgi on: add host names to out (Mars's
     * RequestNetCheckShortLinkHosts). Runs like every other callback, even
     * with poll_events. NULL, or no host added: no HTTP check. */
    void (*request_netcheck_hosts)(void *user_data, mars_str_list *out);

    /* on_netcheck_result receives the report of an automatic network check,
     * which the library runs after repeated network failures (Mars's
     * net-check heuristic; Mars only logs it): json is the report in
     * mars_sdt_check's form, len bytes before a NUL, valid only during the
     * call. A check cancelled by mars_stn_reset, a network change or
     * mars_stn_destroy reports nothing. Queued with poll_events.
     * NULL: the report is dropped. */
    void (*on_netcheck_result)(void *user_data, const char *json, size_t len);

    /* on_shortlink_network_error (Mars's OnShortLinkNetworkError) reports
     * each short-link address the built-in transport failed to connect to:
     * err_type MARS_ECT_SOCKET with the errno, a TLS code
     * (MARS_ECT_HANDSHAKE_PIN_MISMATCH, MARS_ECT_HANDSHAKE_CERTIFICATE, else
     * MARS_ECT_HANDSHAKE_MISUNDERSTAND) or MARS_ECT_SOCKET_PROXY_* (then ip and
     * port are the proxy's); ip is valid only during the call. Queued with
     * poll_events. NULL: not reported. */
    void (*on_shortlink_network_error)(void *user_data, int err_type, int err_code,
                                       const char *ip, int port);

    /* on_task_end_resp, when set, replaces on_task_end (which is then never
     * called) and adds the response: body is the response to the task's
     * latest attempt that reached buf2resp (the whole body, as buf2resp saw
     * it), and NULL with body_len 0 if that attempt got none (a timeout, a
     * local error, a send_only task); an empty response is a non-NULL body
     * with body_len 0. With poll_events it is queued like on_task_end and
     * runs in mars_stn_poll on the host's thread, so a host that leaves
     * req2buf and buf2resp NULL (and sets mars_task.body) makes no call
     * from a library thread at all for a task. The arguments, body
     * included, are valid only during the call; copy what you keep. Its
     * return value is on_task_end's. NULL: on_task_end as usual. */
    int (*on_task_end_resp)(void *user_data, const mars_task_ref *task, int err_type,
                            int err_code, const mars_task_profile *profile,
                            const uint8_t *body, size_t body_len);

    /* on_longlink_status_change_of reports MARS_LONGLINK_* of every long
     * link, the main one included, with the link's name (the callback for
     * engines with several links, mars_stn_create_longlink; the main link
     * is still reported to on_longlink_status_change too). name is valid
     * only during the call. Queued with poll_events. NULL: nothing. */
    void (*on_longlink_status_change_of)(void *user_data, const char *name, int status);

    /* on_longlink_network_error_of is on_longlink_network_error for every
     * long link, the main one included, with the link's name; name and ip
     * are valid only during the call. Queued with poll_events.
     * NULL: nothing. */
    void (*on_longlink_network_error_of)(void *user_data, const char *name, int err_type,
                                         int err_code, const char *ip, int port);

    /* on_longlink_new_dns, when set, replaces on_new_dns(host, 1) for the
     * connects of every long link and says which link connects (name):
     * add IP strings to out_ips. It runs as on_new_dns does (its own
     * thread, concurrently with other callbacks, the same deadline); no IPs:
     * the system resolver. Short links still ask on_new_dns.
     * NULL: on_new_dns(host, 1), as before. */
    void (*on_longlink_new_dns)(void *user_data, const char *name, const char *host,
                                mars_str_list *out_ips);
    /* Mars's extension buffers (feature "extension_buffers"). The
     * extension goes beside the body to and from a host codec's pack_ext
     * and unpack_ext; the built-in Mars header has no room for it and drops
     * it, as Mars's default encoder does, and the short link has none. */

    /* req2buf_ext, when set, replaces req2buf (which is then never called):
     * the same contract, plus the extension appended to ext. */
    int (*req2buf_ext)(void *user_data, const mars_task_ref *task, int channel,
                       const char *host, mars_buf *out, mars_buf *ext, int *err_code);

    /* buf2resp_ext, when set, replaces buf2resp: ext is the response's
     * extension (NULL, 0 when none); *flags and *server_sequence_id (0 on
     * entry) are Mars's out-parameters, given back in the task's profile
     * (mars_task_profile.resp_flags, server_sequence_id). */
    int (*buf2resp_ext)(void *user_data, const mars_task_ref *task, int channel,
                        const uint8_t *body, size_t body_len, const uint8_t *ext,
                        size_t ext_len, int *err_code, int *flags,
                        uint32_t *server_sequence_id);

    /* on_push_ext, when set, replaces on_push: the push with its extension
     * (NULL, 0 when none). Queued with poll_events. */
    void (*on_push_ext)(void *user_data, const char *channel, uint32_t cmdid,
                        uint32_t taskid, const uint8_t *body, size_t body_len,
                        const uint8_t *ext, size_t ext_len);

    /* get_proxy_info (Mars's GetProxyInfo) names the proxy of one connect:
     * each long-link connect attempt and each new short-link connection
     * (a pooled keep-alive one keeps its proxy); host is the link's host
     * name. Fill *out (initialised, kind MARS_PROXY_NONE) and return
     * non-zero to use it: MARS_PROXY_HTTP or MARS_PROXY_SOCKS5 with addr,
     * or MARS_PROXY_NONE to connect directly even with the config's proxy.
     * Return 0 for mars_stn_config's proxy (none: direct); an unusable
     * answer counts as 0. Runs on its own thread, concurrently with other
     * callbacks, also with poll_events; a connect waits for it at most 2 s,
     * then uses the config's proxy and discards the answer. While it is
     * set the signalling keeper is off. NULL: the config's proxy. */
    int (*get_proxy_info)(void *user_data, const char *host, int longlink, mars_proxy_info *out);

    /* report_dns_profile (Mars's ReportDnsProfile) reports each lookup
     * behind a link's connect candidates, after it ended. Queued with
     * poll_events. NULL: not reported. */
    void (*report_dns_profile)(void *user_data, const mars_dns_profile *profile);
} mars_stn_callbacks;

/* A host-supplied long-link packet format, used instead of the built-in
 * 20-byte Mars header (mars_stn_config.codec) so that an app with its own
 * packet header needs no rebuild of the library. The callbacks may run
 * concurrently on several library threads and must not call back into the
 * library. Pointers passed in are valid only during the call. */
typedef struct mars_longlink_codec {
    size_t struct_size; /* sizeof(mars_longlink_codec) */
    void  *user_data;

    /* pack appends one encoded packet (header + body) to out.
     * Return MARS_OK, or any other code to fail the send (the task then
     * fails as on a corrupt stream). Required. */
    int (*pack)(void *user_data, uint32_t cmdid, uint32_t seq,
                const uint8_t *body, size_t body_len, mars_buf *out);

    /* unpack parses one packet from the front of in[0..in_len). On success
     * set *cmdid, *seq, the body's place in[*body_off .. *body_off+*body_len)
     * and *consumed (bytes of the whole packet), and return MARS_CODEC_OK.
     * Return MARS_CODEC_SHORT when in holds no complete packet yet (nothing
     * is consumed; more bytes follow), MARS_CODEC_STREAM with *seq set when
     * the incomplete packet is known to answer task *seq, or
     * MARS_CODEC_CORRUPT when the stream is corrupt (the link is torn
     * down). Required. */
    int (*unpack)(void *user_data, const uint8_t *in, size_t in_len,
                  uint32_t *cmdid, uint32_t *seq, size_t *body_off,
                  size_t *body_len, size_t *consumed);

    /* noop sets the heartbeat request's cmdid and seq and appends its body
     * (usually none). NULL: cmdid 6, seq 0xFFFFFFFF, empty body. */
    void (*noop)(void *user_data, uint32_t *cmdid, uint32_t *seq, mars_buf *body);

    /* is_noop_response: non-zero if the packet answers a heartbeat.
     * NULL: cmdid == 6. */
    int (*is_noop_response)(void *user_data, uint32_t cmdid, uint32_t seq);

    /* is_push: non-zero if the packet is a server push. NULL: seq == 0. */
    int (*is_push)(void *user_data, uint32_t cmdid, uint32_t seq);

    /* is_identify_response: non-zero if the packet answers an identify
     * check. NULL: seq == 0xFFFFFFFE. */
    int (*is_identify_response)(void *user_data, uint32_t cmdid, uint32_t seq);

    /* pack_ext, when set, replaces pack: the same, with the extension
     * req2buf_ext built (NULL, 0 when none). Feature "extension_buffers". */
    int (*pack_ext)(void *user_data, uint32_t cmdid, uint32_t seq, const uint8_t *body,
                    size_t body_len, const uint8_t *ext, size_t ext_len, mars_buf *out);

    /* unpack_ext, when set, replaces unpack: the same, plus the extension's
     * place in[*ext_off .. *ext_off+*ext_len) (both 0 on entry: none),
     * inside the consumed bytes; it reaches buf2resp_ext or on_push_ext. */
    int (*unpack_ext)(void *user_data, const uint8_t *in, size_t in_len,
                      uint32_t *cmdid, uint32_t *seq, size_t *body_off,
                      size_t *body_len, size_t *ext_off, size_t *ext_len,
                      size_t *consumed);

    /* identify builds the identify check's request from what
     * get_identify_check_buffer answered, as noop builds the heartbeat:
     * *cmdid and *seq come in as that cmdid and 0xFFFFFFFE and may be
     * changed; append the request body to body. The packet then goes
     * through pack (or pack_ext). NULL: that cmdid, seq 0xFFFFFFFE and the
     * buffer as the body. Feature "codec_identify". */
    void (*identify)(void *user_data, uint32_t *cmdid, uint32_t *seq,
                     const uint8_t *buf, size_t buf_len, mars_buf *body);
} mars_longlink_codec;

/* unpack results. MARS_CODEC_STREAM (Mars's STREAM_PACKAGE; feature
 * "codec_stream") is MARS_CODEC_SHORT for a packet whose task is known: set
 * *seq; nothing is consumed and more bytes follow, but the bytes so far
 * count as that task's response arriving (its first-packet timeout is
 * over, the packet-to-packet one runs), as with the built-in header. */
#define MARS_CODEC_OK       0
#define MARS_CODEC_SHORT    1
#define MARS_CODEC_CORRUPT  2
#define MARS_CODEC_STREAM   3

/* Engine configuration. Initialise with mars_stn_config_init, which fills in
 * struct_size and every default, then change what you need. A zero field
 * means its default; durations are milliseconds. */
typedef struct mars_stn_config {
    size_t struct_size; /* sizeof(mars_stn_config); set by mars_stn_config_init */

    /* Long-link header version: written in every header, required on
     * receive. Default 0. */
    uint32_t client_version;

    /* Long-link server (as mars_stn_set_longlink_svr_addr): host name, ports
     * tried in order, and a debug IP that overrides the host. All optional
     * here; they can be set later. */
    const char     *longlink_host;
    const uint16_t *longlink_ports;
    size_t          longlink_ports_len;  /* at most 64 */
    const char     *longlink_debug_ip;

    /* Short-link server (as mars_stn_set_shortlink_svr_addr): the one port
     * for every short-link host (Mars's default 0 must be set to be useful),
     * and a debug IP. */
    uint16_t    shortlink_port;
    const char *shortlink_debug_ip;

    /* Directory the library keeps state in (Mars's app file path): the
     * per-network IP history, host/ipportrecords.json, connect times and
     * learned heartbeat intervals. NULL: memory only. The files are read
     * when the engine is created and written on a thread of their own (on
     * network changes, mars_stn_redo_tasks and mars_stn_destroy, which waits for
     * them), never on the thread that runs tasks and the link. */
    const char *app_file_dir;

    /* Initial network: MARS_NET_WIFI (default) or MARS_NET_MOBILE, and its
     * label (e.g. a Wi-Fi SSID; NULL: the type's name), which keys the IP
     * history; see mars_stn_on_network_change. On MARS_NET_MOBILE the
     * timeout constants left 0 below take Mars's mobile values. */
    int32_t     network_type;
    const char *network_label;

    /* Heartbeat: a noop after this much write idleness. Default 210000;
     * negative disables the periodic heartbeat. */
    int64_t heartbeat_interval_ms;
    /* An unanswered noop closes the link after this. Default 8000. */
    int64_t noop_timeout_ms;
    /* Replaces noop_timeout_ms when the heartbeat fired more than
     * noop_late_threshold_ms late (device sleep). Defaults 5000 and 900000. */
    int64_t noop_timeout_late_ms;
    int64_t noop_late_threshold_ms;
    /* One candidate address's connect bound. Default 10000. */
    int64_t connect_timeout_ms;
    /* Least time between task-triggered connect starts. Default 5000. */
    int64_t task_connect_interval_ms;
    /* Least time between automatic reconnect starts. Default 15000. */
    int64_t auto_connect_interval_ms;
    /* Wait after a drop before an automatic reconnect. Default 500. */
    int64_t reconnect_delay_ms;
    /* Deadline of on_new_dns. Default 2000. */
    int64_t new_dns_timeout_ms;
    /* Pause before retries after a link-wide error. Default 1000. */
    int64_t retry_interval_ms;
    /* makesure_authed polling period. Default 1000. */
    int64_t auth_poll_interval_ms;
    /* Mars's task timeout constants. 0, which mars_stn_config_init leaves
     * them at, means "by network": the values of the network in use,
     * following every mars_stn_on_network_change. Wi-Fi: 12000, 22000,
     * 8000, 1500 and 12288 bytes/s; mobile: 15000, 30000, 12000, 3000 and
     * 4096 bytes/s. A value set here applies on every network. Negative
     * values are rejected (MARS_EINVAL). */
    int64_t base_first_packet_timeout_ms;
    int64_t max_first_packet_timeout_ms;
    int64_t package_interval_ms;
    int64_t task_delay_ms;
    int32_t min_rate;  /* bytes per second */

    /* Long-link packet format; NULL = the built-in Mars header. The table
     * is copied; the functions must stay valid until mars_stn_destroy. */
    const mars_longlink_codec *codec;

    /* An appender for the engine's own log lines (tag "mars.stn"; debug,
     * info, warn and error map to the MARS_LEVEL_* of the same name and obey
     * the appender's level). NULL = no engine logging. The appender must be
     * open at mars_stn_create; lines logged after it is closed are counted as
     * dropped in its stats. */
    mars_xlog *log;

    /* Non-zero: the notification callbacks (on_task_end, on_task_end_resp,
     * on_push, report_connect_status, on_longlink_status_change,
     * on_longlink_network_error, on_longlink_status_change_of,
     * on_longlink_network_error_of, traffic_data, report_task_profile,
     * report_task_limited, request_sync, on_network_quality_change) do not
     * run on library threads but
     * are queued and run by mars_stn_poll on the host's thread — for hosts
     * where a call from a foreign thread is costly (Python's ctypes: ~20x).
     * The callbacks that must answer (req2buf, buf2resp, makesure_authed,
     * on_new_dns, on_longlink_new_dns, the identify pair) still run on library threads, and may
     * run while a polled callback runs; a host that sets mars_task.body,
     * leaves them NULL and takes the response from on_task_end_resp pays
     * none of them; mars_stn_poll_task_ends even returns the task ends as
     * data, many per call. on_task_end's (and on_task_end_resp's) return
     * value is then ignored. Default 0. */
    int32_t poll_events;

    /* Connect strategy. Several candidate addresses are connected in a
     * staggered race and the first to succeed wins. */
    int64_t resolver_timeout_ms;     /* one system DNS lookup; default 1000 */
    int32_t max_connecting;          /* connect attempts at once; default 3 */
    int64_t connect_interval_ms;     /* Mars's stagger between starts, and the longest
                                        adaptive one; default 2500 */
    int64_t min_connect_interval_ms; /* the shortest adaptive stagger; default 250.
                                        Before a connect time is measured on a network
                                        the stagger is 250 ms on Wi-Fi, 500 ms on mobile */
    int32_t exact_mars_timing;       /* non-zero: always connect_interval_ms, and Mars's
                                        reconnect intervals right after a drop, as Mars;
                                        default 0: adapted to measured connect times, and
                                        (while active) the first 8 failed reconnects after
                                        a drop retried 250 ms (+-20 %) apart */
    int32_t no_mss_clamp;            /* non-zero: keep the system TCP MSS on Wi-Fi;
                                        default 0: 1400, as Mars */

    /* TLS 1.3 on the long link (an addition to Mars; the server must speak
     * it). tls non-zero turns it on; default 0, plain TCP as Mars. The
     * handshake is part of each raced address's connect (connect_timeout_ms
     * bounds both): an address failing TLS is reported with a TLS code
     * (MARS_ECT_HANDSHAKE_PIN_MISMATCH, MARS_ECT_HANDSHAKE_CERTIFICATE, else
     * MARS_ECT_HANDSHAKE_MISUNDERSTAND) and the next one is tried. When every
     * address failed TLS (or the proxy), the tasks waiting for the long
     * link end at once with (MARS_ECT_SOCKET, that code). A server
     * name, roots or pins given with tls = 0 cannot be honoured: create
     * fails with MARS_EINVAL (the same for the shortlink_tls fields). */
    int32_t        tls;
    const char    *tls_server_name;        /* NULL: the long-link host name */
    const char    *tls_root_ca_pem;        /* NULL: the system roots; else PEM
                                              certificates that replace them */
    const uint8_t *tls_pinned_spki_sha256; /* tls_pinned_spki_len SHA-256 hashes of
                                              DER SubjectPublicKeyInfo, 32 bytes
                                              each; a chain must contain one */
    size_t         tls_pinned_spki_len;    /* number of hashes, at most 64 */

    /* A proxy for every connect (long link, short link, DoH):
     * MARS_PROXY_HTTP (CONNECT) or MARS_PROXY_SOCKS5; default 0, direct. A
     * failure of the proxy itself is reported with the proxy's address and
     * MARS_ECT_SOCKET_PROXY_* and never counted against the target. */
    int32_t     proxy_kind;
    const char *proxy_addr;     /* "host:port" (port 1..65535); required with a proxy_kind */
    const char *proxy_user;     /* optional credentials: SOCKS5 at most 255 bytes each, */
    const char *proxy_password; /* HTTP user without ':'; a password needs a user (else MARS_EINVAL) */

    /* How the heartbeat interval is chosen: MARS_HEARTBEAT_FIXED (default:
     * heartbeat_interval_ms), MARS_HEARTBEAT_SMART (learned per network
     * label, kept in app_file_dir/Heartbeat.ini; as Mars, used only while
     * the process is inactive, 210 s while active) or MARS_HEARTBEAT_PASSIVE
     * (no periodic heartbeat; mars_stn_trig_noop sends one). */
    int32_t heartbeat_mode;
    /* Signalling keeper (mars_stn_keep_signalling): a UDP datagram to the
     * long link's peer after each period of silence, until keep time after
     * the last keep call. Defaults 5000 and 20000. With a proxy_kind the
     * keeper is off (mars_stn_keep_signalling logs a warning and sends
     * nothing): UDP cannot go through the proxy and must not go around it. */
    int64_t signalling_period_ms;
    int64_t signalling_keep_time_ms;
    /* Non-zero: Mars's timing sync, request_sync every 90 s / 4 min / 10 min
     * while the long link is down. Default 0 (an idle engine keeps no timer). */
    int32_t timing_sync;
    /* A DNS-over-HTTPS server (RFC 8484) that answers for the long-link host
     * when on_new_dns has no answer; NULL: none (an addition to Mars). It
     * must be an https URL with a host (see doh_allow_http); anything else
     * fails create with MARS_EINVAL. The server is reached through the
     * proxy (never the environment's HTTP(S)_PROXY) and verified with the
     * long link's tls_root_ca_pem and pins when tls is on, else the system
     * roots; redirects are not followed. An answer counts only when its
     * transaction id and question match the query, and only its records
     * for the name asked (or a CNAME chain from it); at most 64 names are
     * cached, each for its TTL (at most 1 h). */
    const char *doh_url;

    /* HTTPS for the short link (an addition to Mars), fields as for the
     * long link's TLS; shortlink_tls non-zero turns it on. */
    int32_t        shortlink_tls;
    const char    *shortlink_tls_server_name;        /* NULL: the task's host */
    const char    *shortlink_tls_root_ca_pem;
    const uint8_t *shortlink_tls_pinned_spki_sha256;
    size_t         shortlink_tls_pinned_spki_len;

    /* The automatic network check (Mars's net-check heuristic): every
     * long-link network event and short-link attempt counts as a success or
     * a network failure; when fewer than netcheck_bad_below of the newest
     * netcheck_window results succeeded after more than netcheck_good_above
     * of the window before, the library checks DNS, TCP and a long-link
     * heartbeat to every long-link server, and HTTP (below), then calls
     * on_netcheck_result. At most 2 checks an hour, 5 min apart plus 10 min
     * for every check since the network last looked good. */
    const char *netcheck_cgi;        /* path to GET on request_netcheck_hosts'
                                        hosts at the short-link port; NULL: no
                                        HTTP check (Mars's SetHttpNetcheckCGI) */
    int32_t     netcheck_off;        /* non-zero: no automatic check; default 0
                                        (on, as Mars) */
    int32_t     netcheck_window;     /* results per window, 1..16 (larger is
                                        clamped); default 8 */
    int32_t     netcheck_bad_below;  /* default 3 */
    int32_t     netcheck_good_above; /* default 5 */

    /* Task requests on the long link awaiting their response at once: a
     * task is sent only while fewer are in flight, the others wait their
     * turn in priority order (their timeouts run meanwhile). 1 suits a
     * server that cannot pipeline, such as one that parses one packet per
     * read. Default 0: no limit, as Mars. Negative values are rejected
     * (MARS_EINVAL). */
    int32_t max_in_flight;
    /* The largest long-link packet, header included, in both directions.
     * A received packet announcing more is a corrupt stream: the link
     * drops with (MARS_ECT_NETMSGXP, MARS_ECT_NETMSGXP_HANDLE_BUFFER_ERR).
     * A task whose request packet would be larger ends at once with
     * (MARS_ECT_LOCAL, MARS_ECT_LOCAL_PACKET_TOO_LARGE), unsent and not
     * retried. Default 1048576 (Mars's receive limit; Mars sends any size);
     * 0 takes the default; 1..19 (below the header) is rejected
     * (MARS_EINVAL). */
    uint32_t max_packet_size;
    /* Bytes of received packets (pushes above all) that may wait for the
     * host's callbacks. Past it the long link stops reading its socket until
     * the host catches up, so a server pushing faster than on_push returns
     * meets TCP back-pressure instead of growing the process's memory. One
     * packet larger than the bound still passes. 0: the default, 4 MiB;
     * negative: no bound (an addition to Mars, whose queue is unbounded). */
    int64_t     receive_backlog_bytes;
    /* Non-zero: accept an http:// doh_url. For tests only: an answer over
     * plain HTTP can be forged by anyone on the path and would be connected
     * to. Default 0: doh_url must be https://host/... or create fails with
     * MARS_EINVAL. */
    int32_t     doh_allow_http;
    /* Non-zero: Mars's connect verification (its encoder's
     * longlink_complexconnect_need_verify). Each raced long-link candidate,
     * once connected, sends a noop and may win only when the answer comes
     * within max(3 s, min(6 x RTT, 10 s - RTT)); a candidate that fails is
     * reported (MARS_ECT_SOCKET, ETIMEDOUT) and the race goes on. Default 0,
     * as Mars. Feature "verify_connect". */
    int32_t     verify_connect;
} mars_stn_config;

/* mars_stn_config.heartbeat_mode values. */
#define MARS_HEARTBEAT_FIXED   0
#define MARS_HEARTBEAT_SMART   1
#define MARS_HEARTBEAT_PASSIVE 2

/* mars_stn_config.proxy_kind values. */
#define MARS_PROXY_NONE   0
#define MARS_PROXY_HTTP   1
#define MARS_PROXY_SOCKS5 2

/* A request. Initialise with mars_task_init (Mars's defaults), then set
 * fields. mars_stn_start_task copies everything it needs. */
typedef struct mars_task {
    size_t      struct_size;     /* sizeof(mars_task); set by mars_task_init */
    uint32_t    taskid;          /* 0 = the library assigns one (mars_stn_start_task's out_taskid) */
    uint32_t    cmdid;           /* long-link command id; 0 drops the long-link bit */
    int32_t     channel_select;  /* MARS_CHANNEL_*; default MARS_CHANNEL_BOTH */
    int32_t     channel_strategy;/* MARS_CHANNEL_STRATEGY_*; default NORMAL */
    const char *channel_name;    /* long link to use (mars_stn_create_longlink); NULL or
                                    "" = the main link ("default-longlink" until
                                    mars_stn_mark_main_longlink); a name no link has
                                    ends a task that may go long with (MARS_ECT_LOCAL,
                                    MARS_ECT_LOCAL_LONGLINK_UNAVAILABLE) */
    const char *cgi;             /* short-link URL path; NULL drops the short-link bit */
    int32_t     send_only;       /* long link only: ends (OK) once queued; no response awaited */
    int32_t     need_authed;     /* gate every attempt on makesure_authed */
    int32_t     limit_flow;      /* anti-avalanche flow limit (default 1) */
    int32_t     limit_frequency; /* anti-avalanche frequency limit (default 1) */
    int32_t     network_status_sensitive; /* fail fast without network */
    int32_t     priority;        /* 0 (first) .. 5 (last); default 3; clamped */
    int32_t     retry_count;     /* re-tries; -1 (default) = 1; more than 30 is rejected */
    int64_t     server_process_cost_ms; /* -1 (default) = unknown; > 120000 rejected */
    int64_t     total_timeout_ms;       /* -1 (default) or 0 = no cap; > 600000 rejected */
    void       *user_context;    /* echoed to callbacks in mars_task_ref; never dereferenced */
    const char *user_id;         /* passed to callbacks; NULL = "" */
    const char *report_arg;      /* copied into the task profile */
    const char *const *shortlink_hosts;  /* required if the task may go short */
    size_t      shortlink_hosts_len;     /* at most 64 */
    const char *const *longlink_hosts;   /* first entry is the host given to callbacks */
    size_t      longlink_hosts_len;      /* at most 64 */
    const char *const *header_names;     /* extra short-link HTTP headers: names ... */
    const char *const *header_values;    /* ... and values, pairwise */
    size_t      headers_len;             /* at most 64 */
    int32_t     long_polling;            /* short-link long polling: the server may hold
                                            the request up to long_polling_timeout_ms */
    int64_t     long_polling_timeout_ms; /* required (> 0, <= 600000) with long_polling */
    const uint8_t *body;     /* non-NULL: the request body of every attempt,
                                body_len bytes (0 is an empty body), copied by
                                mars_stn_start_task; req2buf is then not called
                                for this task. NULL (default): req2buf builds it */
    size_t      body_len;    /* at most 64 MiB; non-zero needs a body */
    uint64_t    channel_id;  /* non-zero: the task may only go out on the long-link
                                connection of this id (Mars's Task.channel_id), as
                                mars_stn_longlink_connection_id gave it; an attempt
                                that would go long while that link is down or has
                                another connection ends the task with (MARS_ECT_LOCAL,
                                MARS_ECT_LOCAL_CHANNEL_ID). The short link ignores it.
                                0 (default): any connection */
} mars_task;

/* mars_stn_config_init fills cfg with struct_size and every default.
 *
 * Ownership: cfg is written; the library keeps nothing.
 * Threads: any.
 * Returns: MARS_OK; MARS_EINVAL if cfg is NULL; MARS_EUNSUPPORTED in an
 * xlog-only build (cfg is then only zeroed, with struct_size set). */
int mars_stn_config_init(mars_stn_config *cfg);

/* mars_stn_callbacks_init zeroes cb and sets struct_size: every callback
 * NULL (its default), user_data NULL.
 *
 * Threads: any, including from callbacks.
 * Returns: MARS_OK; MARS_EINVAL if cb is NULL. */
int mars_stn_callbacks_init(mars_stn_callbacks *cb);

/* mars_task_init fills t with struct_size and Mars's task defaults:
 * taskid 0 (assigned at start), channel MARS_CHANNEL_BOTH, priority 3,
 * retry_count -1, server_process_cost_ms -1, total_timeout_ms -1, both
 * limits on, everything else 0/NULL.
 *
 * Threads: any, including from callbacks.
 * Returns: MARS_OK; MARS_EINVAL if t is NULL. */
int mars_task_init(mars_task *t);

/* mars_stn_create starts an engine. Nothing connects yet: the long link
 * connects on the first task that needs it, mars_stn_makesure_longlink_connected
 * or mars_stn_on_foreground(s, 1).
 *
 * Ownership: cfg and cb are copied (the function pointers and user_data are
 * kept until mars_stn_destroy; user_data is never dereferenced). *out
 * receives the handle; release it with mars_stn_destroy.
 * Threads: any.
 * Returns: MARS_OK; MARS_EINVAL if cfg, cb or out is NULL, a struct_size is
 * too small to hold its first field, or a value is out of range (details in
 * mars_stn_errmsg(NULL, ...)); MARS_EBADHANDLE if cfg->log is not an open
 * appender; MARS_ELIMIT with 4096 live engines;
 * MARS_EUNSUPPORTED in an xlog-only build. */
int mars_stn_create(const mars_stn_config *cfg, const mars_stn_callbacks *cb, mars_stn **out);

/* mars_stn_destroy stops the engine: every pending task ends with
 * on_task_end(MARS_ECT_LOCAL, MARS_ECT_LOCAL_RESET), connections close, and
 * once it returns no callback of this engine runs any more. Synchronous, and
 * prompt whatever is queued: pushes not yet handed to on_push are dropped
 * (the engine log counts them), and questions to req2buf, buf2resp and the
 * like that have not started are skipped; every started task still gets its
 * one on_task_end before it returns.
 * Called from inside one of this engine's own callbacks it only starts the
 * shutdown and returns at once; the remaining on_task_end calls follow on a
 * library thread. The handle is invalid as soon as the call starts.
 * mars_stn_destroy(NULL) does nothing.
 *
 * Threads: any, including callbacks (see above), but not traffic_data.
 * Returns: MARS_OK (also for NULL); MARS_EBADHANDLE if s was already
 * destroyed or never valid. */
int mars_stn_destroy(mars_stn *s);

/* mars_stn_errmsg copies the last error detail recorded for s (or, with s ==
 * NULL, of the last failed mars_stn_create/mars_xlog_open and recovered
 * panic) into buf, always NUL-terminated. The detail is kept per handle and a
 * concurrent call may replace it: the result code is the contract, the text
 * a hint. An empty string means no detail.
 *
 * Ownership: buf is written; nothing is kept.
 * Threads: any, including from callbacks.
 * Returns: MARS_OK; MARS_ERANGE if the text was truncated to len-1 bytes;
 * MARS_EINVAL if buf is NULL or len is 0; MARS_EBADHANDLE for a bad s. */
int mars_stn_errmsg(mars_stn *s, char *buf, size_t len);

/* mars_stn_start_task queues a task. Asynchronous: every outcome, including
 * invalid fields, arrives through on_task_end.
 *
 * Ownership: t and everything it points to are copied (user_context is kept
 * as a value and given back to callbacks). *out_taskid (optional, may be
 * NULL) receives the task id, assigned when t->taskid is 0.
 * Threads: any, including from callbacks.
 * Returns: MARS_OK; MARS_EINVAL if t is NULL, t->struct_size is too small,
 * a list is longer than 64, or body_len is over 64 MiB or non-zero with a
 * NULL body; MARS_EBADHANDLE; MARS_ECLOSED while the engine is being
 * destroyed. */
int mars_stn_start_task(mars_stn *s, const mars_task *t, uint32_t *out_taskid);

/* mars_stn_stop_task removes a task without calling on_task_end.
 * Asynchronous: a callback for it that is already running still completes.
 *
 * Threads: any, including from callbacks.
 * Returns: MARS_OK (also when no such task exists); MARS_EBADHANDLE. */
int mars_stn_stop_task(mars_stn *s, uint32_t taskid);

/* mars_stn_has_task reports whether the task is still pending (*out = 1) or
 * not (0). Synchronous: it waits for the engine's answer.
 *
 * Threads: any, including from callbacks (the engine never waits for a
 * callback, so it answers there too, counting tasks started or stopped
 * earlier in the same callback), but not from traffic_data.
 * Returns: MARS_OK; MARS_EINVAL if out is NULL; MARS_EBADHANDLE. */
int mars_stn_has_task(mars_stn *s, uint32_t taskid, int *out);

/* mars_stn_redo_tasks reconnects the long link and sends every pending task
 * again (tasks with no retry left end with MARS_ECT_LOCAL_CANCEL).
 * Asynchronous. Threads: any, including from callbacks.
 * Returns: MARS_OK; MARS_EBADHANDLE. */
int mars_stn_redo_tasks(mars_stn *s);

/* mars_stn_touch_tasks runs the task queues now (call it after logging in
 * so that need_authed tasks go). Asynchronous.
 * Threads: any, including from callbacks.
 * Returns: MARS_OK; MARS_EBADHANDLE. */
int mars_stn_touch_tasks(mars_stn *s);

/* mars_stn_clear_tasks drops every task without callbacks and disconnects
 * the long link. Asynchronous. Threads: any, including from callbacks.
 * Returns: MARS_OK; MARS_EBADHANDLE. */
int mars_stn_clear_tasks(mars_stn *s);

/* mars_stn_reset ends every pending task with (MARS_ECT_LOCAL,
 * MARS_ECT_LOCAL_RESET), closes the links and starts afresh. Unlike Mars,
 * address settings survive, and a kept long link (foreground,
 * mars_stn_makesure_longlink_connected) reconnects after it as after any
 * drop. Asynchronous.
 * Threads: any, including from callbacks.
 * Returns: MARS_OK; MARS_EBADHANDLE. */
int mars_stn_reset(mars_stn *s);

/* mars_stn_set_client_version changes the client version of a running
 * engine (Mars's SetClientVersion; mars_stn_config.client_version is the
 * initial one). The long link stays connected: every packet encoded from
 * now on carries version, and every packet received from now on must carry
 * it; an answer still carrying the old version is a corrupt stream, so the
 * link drops and its tasks are retried on a new connection, as in Mars.
 * With a host codec (mars_stn_config.codec) the wire does not change: the
 * codec owns its header.
 * Threads: any, including from callbacks.
 * Returns: MARS_OK; MARS_EBADHANDLE. */
int mars_stn_set_client_version(mars_stn *s, uint32_t version);

/* mars_stn_reset_and_init_encoder_version is Mars's
 * ResetAndInitEncoderVersion: mars_stn_reset, then the client version
 * becomes version before anything is sent again (the library's encoder has
 * one version, the header's client version). Asynchronous.
 * Threads: any, including from callbacks.
 * Returns: MARS_OK; MARS_EBADHANDLE. */
int mars_stn_reset_and_init_encoder_version(mars_stn *s, uint32_t version);

/* mars_stn_makesure_longlink_connected starts connecting the long link now
 * unless it is connected or connecting (bypasses the reconnect intervals).
 * Asynchronous. Threads: any, including from callbacks.
 * Returns: MARS_OK; MARS_EBADHANDLE. */
int mars_stn_makesure_longlink_connected(mars_stn *s);

/* mars_stn_disable_longlink turns the long link off for the rest of the
 * engine's life (Mars's DisableLongLink): a connection or connect attempt
 * is closed, nothing connects again (no heartbeat, no signalling; foreground,
 * network changes, mars_stn_makesure_longlink_connected and mars_stn_reset
 * leave it down). Tasks whose channel_select allows the short link go short,
 * those already queued or running on the long link included (from a fresh
 * attempt); a task that may only use the long link ends with (MARS_ECT_LOCAL,
 * MARS_ECT_LOCAL_LONGLINK_UNAVAILABLE), where Mars would send it as an HTTP
 * request anyway. Calling it again does nothing. Asynchronous: tasks started
 * after it returns see it. Feature "disable_longlink".
 * Threads: any, including from callbacks.
 * Returns: MARS_OK; MARS_EBADHANDLE. */
int mars_stn_disable_longlink(mars_stn *s);

/* mars_stn_longlink_is_connected sets *out to 1 if the main long link is
 * connected, else 0. Threads: any, including from callbacks.
 * Returns: MARS_OK; MARS_EINVAL if out is NULL;
 * MARS_EBADHANDLE. */
int mars_stn_longlink_is_connected(mars_stn *s, int *out);

/* mars_stn_set_longlink_svr_addr sets the long-link host, its ports (tried
 * in order) and a debug IP (NULL or "" = none) that replaces the host.
 * Takes effect at the next connect. An empty host keeps the previous one but
 * still replaces the ports and the debug IP, as Mars does.
 *
 * Ownership: copied. Threads: any, including from callbacks.
 * Returns: MARS_OK; MARS_EINVAL if host is NULL, ports
 * is NULL with ports_len > 0, or ports_len > 64; MARS_EBADHANDLE. */
int mars_stn_set_longlink_svr_addr(mars_stn *s, const char *host, const uint16_t *ports,
                                   size_t ports_len, const char *debug_ip);

/* mars_stn_set_shortlink_svr_addr sets the port of every short-link host and
 * a debug IP (NULL or "" = none).
 * Threads: any, including from callbacks.
 * Returns: MARS_OK; MARS_EBADHANDLE. */
int mars_stn_set_shortlink_svr_addr(mars_stn *s, uint16_t port, const char *debug_ip);

/* mars_stn_set_debug_ip makes host resolve to ip for both link kinds (the
 * highest priority); ip NULL or "" removes the override.
 * Threads: any, including from callbacks.
 * Returns: MARS_OK; MARS_EINVAL if host is NULL; MARS_EBADHANDLE. */
int mars_stn_set_debug_ip(mars_stn *s, const char *host, const char *ip);

/* mars_stn_set_backup_ips sets fallback IPs for host, used when DNS fails.
 * Ownership: copied. Threads: any, including from callbacks.
 * Returns: MARS_OK; MARS_EINVAL if host is NULL, ips is
 * NULL with n > 0, an entry is NULL or n > 64; MARS_EBADHANDLE. */
int mars_stn_set_backup_ips(mars_stn *s, const char *host, const char *const *ips, size_t n);

/* mars_stn_gen_task_id returns a fresh task id in *out: never 0, never a
 * reserved id (>= MARS_RESERVED_TASK_ID_START).
 * Threads: any, including from callbacks.
 * Returns: MARS_OK; MARS_EINVAL if out is NULL; MARS_EBADHANDLE. */
int mars_stn_gen_task_id(mars_stn *s, uint32_t *out);

/* mars_stn_gen_sequence_id draws a client sequence id as Mars's
 * GenSequenceId does: uniform in 0..65535, in *out. It needs no engine;
 * it is how each task's mars_task_ref.client_sequence_id is drawn.
 * Threads: any.
 * Returns: MARS_OK; MARS_EINVAL if out is NULL; MARS_EUNSUPPORTED in an
 * xlog-only build. */
int mars_stn_gen_sequence_id(uint32_t *out);

/* mars_stn_on_foreground tells the engine the app went to the foreground
 * (non-zero) or background (0); this drives reconnect intervals, and going
 * to the foreground connects the long link. Asynchronous.
 * Threads: any, including from callbacks.
 * Returns: MARS_OK; MARS_EBADHANDLE. */
int mars_stn_on_foreground(mars_stn *s, int foreground);

/* mars_stn_set_account tells the engine the signed-in user's name (Mars's
 * GetAccountInfo().username); NULL or "" means nobody is signed in. Only
 * whether it is empty is used, and only by the reconnect intervals of a
 * kept link, as in Mars: with nobody signed in, the automatic reconnect
 * interval after 10 minutes in the foreground is 2*I + 300 s (540 s instead
 * of 120-139 s), and an inactive app reconnects on its own only after 7
 * days (tasks still connect). Until the first call a user counts as signed
 * in (with exact_mars_timing, as nobody, like Mars's default account).
 * Asynchronous: it applies from the next reconnect decision.
 * Ownership: user_name is read before the call returns.
 * Threads: any, including from callbacks.
 * Returns: MARS_OK; MARS_EBADHANDLE. */
int mars_stn_set_account(mars_stn *s, const char *user_name);

/* mars_stn_on_network_change tells the engine the network changed to
 * network_type (MARS_NET_*) with label (e.g. a Wi-Fi SSID; NULL or "": the
 * type's name), which selects that network's IP history and, for the
 * timeout constants left 0 in mars_stn_config, that network's values. The
 * long link is dropped; running tasks are retried on the new network.
 * Asynchronous.
 * Threads: any, including from callbacks.
 * Returns: MARS_OK; MARS_EINVAL if network_type is not a MARS_NET_* value;
 * MARS_EBADHANDLE. */
int mars_stn_on_network_change(mars_stn *s, int network_type, const char *label);

/* mars_stn_poll runs the queued notification callbacks of an engine
 * created with poll_events, on the calling thread, in the order they were
 * queued: it waits up to timeout_ms (0: no wait; negative: until something
 * is queued or the engine is destroyed) for the first one, then runs what
 * is queued, at most 1024. *out_ran (optional) receives how many ran.
 * Notifications still queued when the engine is destroyed are run by
 * mars_stn_destroy (or by a mars_stn_poll busy or waiting at that moment on
 * another thread, which mars_stn_destroy then waits for: no callback runs
 * after it returns), except pushes: once mars_stn_destroy starts no further
 * on_push starts, not even one a running mars_stn_poll had already taken, so
 * destroy is prompt however many pushes a poller holds.
 *
 * Threads: any; concurrent pollers take turns, so polled callbacks never
 * run two at a time. Any mars_* may be called from a polled callback,
 * including mars_stn_destroy of the same engine, except mars_stn_poll of
 * the same engine.
 * Returns: MARS_OK (also when nothing ran); MARS_ESTATE if the engine was
 * created without poll_events, or when called from one of this engine's
 * polled callbacks; MARS_EBADHANDLE (also once the engine is destroyed). */
int mars_stn_poll(mars_stn *s, int64_t timeout_ms, int *out_ran);

/* mars_task_end is one task's end as mars_stn_poll_task_ends returns it:
 * what on_task_end_resp would have been given, as data. The pointers point
 * into the block that call returned (*out_block) and stay valid until it
 * is released with mars_free. Feature "poll_task_ends". */
typedef struct mars_task_end {
    size_t      struct_size;        /* sizeof(mars_task_end) of the library */
    uint32_t    taskid;
    uint32_t    cmdid;
    void       *user_context;       /* mars_task.user_context, as given */
    const char *user_id;            /* never NULL ("" if unset) */
    uint32_t    client_sequence_id;
    int32_t     err_type;           /* MARS_ECT_* */
    int32_t     err_code;
    const uint8_t *body;            /* the response to the latest attempt that
                                       reached buf2resp; NULL if it got none, non-NULL
                                       with body_len 0 for an empty response */
    size_t      body_len;
    const mars_task_profile *profile; /* never NULL */
} mars_task_end;

/* mars_stn_poll_task_ends is mars_stn_poll for a host that takes task ends
 * as data, many per call, instead of one on_task_end call each (for hosts
 * where every call into them is costly, as for Python's ctypes). It waits
 * up to timeout_ms (as mars_stn_poll) for the first queued notification,
 * runs the callbacks queued ahead of the first task end, then writes up to
 * cap task ends queued in a row into out[0..*out_n) and returns; it stops
 * at the first other notification after an end, which the next call (of
 * either function) runs. So notifications keep their order, and each
 * task's end comes after its other notifications and exactly once: ends
 * returned here are not given to on_task_end or on_task_end_resp (which may
 * be NULL), ends taken by mars_stn_poll go to them as usual. *out_n is 0
 * when only callbacks ran or nothing was queued.
 *
 * end_size is sizeof(mars_task_end) as the caller compiled it: out has cap
 * entries of end_size bytes; a newer library fills the fields that fit.
 * Every pointer in the entries points into one block, returned in
 * *out_block (NULL when *out_n is 0); release it with mars_free when done
 * with the entries. Once mars_stn_destroy has started, the ends still
 * queued go to on_task_end_resp or on_task_end (if set) as with
 * mars_stn_poll, even in a call of this function waiting at that moment.
 *
 * Threads: as mars_stn_poll (pollers take turns; not from one of this
 * engine's polled callbacks).
 * Returns: MARS_OK (also when nothing was returned); MARS_EINVAL if out,
 * out_n or out_block is NULL, cap is 0, or end_size is smaller than the
 * first version of mars_task_end or over 4096; MARS_ENOMEM if the block
 * could not be allocated (the ends taken went to on_task_end_resp or
 * on_task_end instead); MARS_ESTATE as mars_stn_poll; MARS_EBADHANDLE. */
int mars_stn_poll_task_ends(mars_stn *s, int64_t timeout_ms, mars_task_end *out, size_t cap,
                            size_t end_size, size_t *out_n, void **out_block);

/* mars_stn_set_signalling_strategy changes the signalling keeper's period
 * and how long it keeps going after the last mars_stn_keep_signalling (as
 * signalling_period_ms and signalling_keep_time_ms). A running keeper uses
 * them from its next datagram. Asynchronous.
 *
 * Threads: any, including from callbacks.
 * Returns: MARS_OK; MARS_EINVAL for a zero, negative or absurd value (Mars
 * rejects zero too); MARS_EBADHANDLE. */
int mars_stn_set_signalling_strategy(mars_stn *s, int64_t period_ms, int64_t keep_time_ms);

/* mars_stn_keep_signalling starts (or extends) the signalling keeper: UDP
 * datagrams to the long link's peer that keep a mobile radio and NAT
 * mapping awake during a burst of traffic. Asynchronous.
 *
 * Threads: any, including from callbacks.
 * Returns: MARS_OK; MARS_EBADHANDLE. */
int mars_stn_keep_signalling(mars_stn *s);

/* mars_stn_stop_signalling stops the signalling keeper at once.
 * Asynchronous.
 *
 * Threads: any, including from callbacks.
 * Returns: MARS_OK; MARS_EBADHANDLE. */
int mars_stn_stop_signalling(mars_stn *s);

/* mars_stn_set_heartbeat_mode switches the heartbeat mode
 * (MARS_HEARTBEAT_*); the next heartbeat slot uses it. Asynchronous.
 *
 * Threads: any, including from callbacks.
 * Returns: MARS_OK; MARS_EINVAL for an unknown mode; MARS_EBADHANDLE. */
int mars_stn_set_heartbeat_mode(mars_stn *s, int mode);

/* mars_stn_trig_noop sends one heartbeat now if the long link is connected
 * and none is outstanding (Mars's trigNooping); unanswered within
 * noop_timeout_ms it closes the link as any heartbeat does. This is how a
 * host drives MARS_HEARTBEAT_PASSIVE; it works in every mode. Asynchronous.
 *
 * Threads: any, including from callbacks.
 * Returns: MARS_OK; MARS_EBADHANDLE. */
int mars_stn_trig_noop(mars_stn *s);

/* mars_stn_heartbeat_interval sets *out_ms to the periodic heartbeat
 * interval in force now: heartbeat_interval_ms in MARS_HEARTBEAT_FIXED, the
 * smart heartbeat's current value (210000 while the process is active or a
 * new connection warms up) in MARS_HEARTBEAT_SMART, and 0 when there is no periodic heartbeat
 * (MARS_HEARTBEAT_PASSIVE, or a negative heartbeat_interval_ms).
 * Synchronous: it waits for the engine's answer, like mars_stn_has_task.
 *
 * Ownership: *out_ms is written. Threads: any, including from callbacks,
 * but not from traffic_data.
 * Returns: MARS_OK; MARS_EINVAL if out_ms is NULL; MARS_EBADHANDLE. */
int mars_stn_heartbeat_interval(mars_stn *s, int64_t *out_ms);

/* mars_stn_network_quality copies the engine's current network estimate
 * into *out, writing at most out->struct_size bytes (set it to
 * sizeof(mars_network_quality)). Synchronous: it waits for the engine's
 * answer, like mars_stn_has_task.
 *
 * Ownership: *out is written; nothing is kept.
 * Threads: any, including from callbacks, but not from traffic_data.
 * Returns: MARS_OK; MARS_EINVAL if out is NULL or out->struct_size is too
 * small for its level; MARS_EBADHANDLE. */
int mars_stn_network_quality(mars_stn *s, mars_network_quality *out);

/* ======================================================================== */
/* Several long links                                                        */
/* ======================================================================== */

/* An engine starts with one long link, "default-longlink", set up from its
 * mars_stn_config; mars_stn_create_longlink adds more, each with its own
 * server, connection, reconnect timing, IP history, heartbeat and identify
 * check (Mars's CreateLonglink_ext). A task picks its link by
 * mars_task.channel_name. One link is the main link: tasks with no
 * channel_name go to it, and the callbacks without a name
 * (on_longlink_status_change, on_longlink_network_error,
 * report_connect_status), mars_stn_longlink_is_connected,
 * mars_stn_makesure_longlink_connected, the heartbeat calls, the
 * signalling keeper and the timing sync concern it alone. Short links, the
 * anti-avalanche limits and the network-quality estimate stay per engine.
 * Pushes (on_push's channel), the identify pair and
 * on_longlink_new_dns name the link; on_longlink_status_change_of and
 * on_longlink_network_error_of report every link by name. */

/* The name of the long link every engine starts with (Mars's
 * DEFAULT_LONGLINK_NAME); the main link until mars_stn_mark_main_longlink. */
#define MARS_DEFAULT_LONGLINK_NAME "default-longlink"

/* A named long link (Mars's LonglinkConfig). Initialise with
 * mars_longlink_config_init. A field left 0/NULL takes the engine's value
 * (its mars_stn_config), except where it says otherwise. */
typedef struct mars_longlink_config {
    size_t          struct_size;     /* sizeof(mars_longlink_config); set by mars_longlink_config_init */
    const char     *name;            /* required, unique per engine; tasks pick it by
                                        mars_task.channel_name */
    const char     *host;            /* the link's server; NULL: the engine's long-link host
                                        (and its debug IP) */
    const uint16_t *ports;           /* tried in order; at most 64; NULL: the engine's */
    size_t          ports_len;
    const char     *debug_ip;        /* used instead of host when non-NULL */
    const char *const *backup_ips;   /* the host's fallback IPs, at most 64 (as
                                        mars_stn_set_backup_ips) */
    size_t          backup_ips_len;
    uint32_t        client_version;  /* 0: the engine's (and its codec); else the built-in
                                        Mars header with this version */
    int32_t         tls;             /* as mars_stn_config.tls; 0 = the engine's setting
                                        (a link cannot turn the engine's TLS off) */
    const char     *tls_server_name; /* with tls, as mars_stn_config's; given with */
    const char     *tls_root_ca_pem; /* tls = 0 they are rejected (MARS_EINVAL) */
    const uint8_t  *tls_pinned_spki_sha256;
    size_t          tls_pinned_spki_len;
    int32_t         proxy_kind;      /* MARS_PROXY_*; MARS_PROXY_NONE = the engine's proxy */
    const char     *proxy_addr;      /* required with a proxy_kind */
    const char     *proxy_user;
    const char     *proxy_password;
    int32_t         heartbeat_mode;  /* MARS_HEARTBEAT_*; default FIXED (used as given,
                                        not the engine's) */
    int64_t         heartbeat_interval_ms; /* 0: the engine's; negative: no periodic
                                              heartbeat */
    int32_t         identify_check;  /* default 1: ask get_identify_check_buffer (with this
                                        name) on each connection; 0: no identify check */
    int32_t         keep_alive;      /* default 1 (Mars's is_keep_alive): kept connected in
                                        the foreground and reconnected after a drop, as the
                                        default link; 0: connects only for tasks (or
                                        mars_stn_makesure_named_longlink_connected), no
                                        reconnect after a drop while no task waits */
    int32_t         main;            /* non-zero: becomes the main link at once */
    const mars_longlink_codec *codec;/* the link's own host codec (copied, as
                                        mars_stn_config.codec); NULL: the engine's, or the
                                        built-in header with client_version when that is
                                        set. Not both codec and client_version. */
} mars_longlink_config;

/* mars_longlink_config_init zeroes c and sets struct_size and the defaults:
 * identify_check 1, keep_alive 1, everything else 0/NULL (the engine's).
 *
 * Ownership: c is written; the library keeps nothing.
 * Threads: any, including from callbacks.
 * Returns: MARS_OK; MARS_EINVAL if c is NULL. */
int mars_longlink_config_init(mars_longlink_config *c);

/* mars_stn_create_longlink adds the long link c describes. Nothing
 * connects yet: the link connects on the first task that names it,
 * mars_stn_makesure_named_longlink_connected, or (keep_alive) when the
 * engine keeps its links (mars_stn_on_foreground(s, 1), at once if the main
 * link is kept already). Synchronous: the link exists when it returns.
 *
 * Ownership: c and everything it points to are copied.
 * Threads: any, including from callbacks, but not from traffic_data.
 * Returns: MARS_OK; MARS_EINVAL if c is NULL, c->struct_size is too small
 * to hold name, name is NULL or "", or a field is out of range (a list over
 * 64, an unknown heartbeat_mode or proxy_kind, TLS fields with tls = 0;
 * details in mars_stn_errmsg); MARS_ESTATE if a link of that name exists
 * (it is left as it is); MARS_EBADHANDLE; MARS_ECLOSED while the engine is
 * being destroyed; MARS_EUNSUPPORTED in an xlog-only build. */
int mars_stn_create_longlink(mars_stn *s, const mars_longlink_config *c);

/* mars_stn_destroy_longlink removes the named link (Mars's
 * DestroyLonglink_ext): its connection closes, its timers stop, and each of
 * its waiting and running tasks ends with (MARS_ECT_LOCAL,
 * MARS_ECT_LOCAL_LONGLINK_RELEASED) = (9, -15). Synchronous: those
 * on_task_end calls are queued before it returns (with poll_events they run
 * at the next mars_stn_poll). The main link cannot be destroyed: mark
 * another one main first.
 *
 * Ownership: name is read during the call.
 * Threads: any, including from callbacks, but not from traffic_data.
 * Returns: MARS_OK; MARS_EINVAL if name is NULL or no link has it;
 * MARS_ESTATE if it is the main link; MARS_EBADHANDLE; MARS_ECLOSED while
 * the engine is being destroyed; MARS_EUNSUPPORTED in an xlog-only build. */
int mars_stn_destroy_longlink(mars_stn *s, const char *name);

/* mars_stn_longlinks lists the engine's long links: their names, sorted,
 * each followed by a NUL, in one block ("a\0b\0"); *out_len is its length
 * in bytes, NULs included.
 *
 * Ownership: *out_names is allocated by the library: release it with
 * mars_free. On error *out_names is NULL and *out_len 0.
 * Threads: any, including from callbacks, but not from traffic_data.
 * Returns: MARS_OK; MARS_EINVAL if out_names or out_len is NULL;
 * MARS_EBADHANDLE; MARS_ENOMEM if memory ran out;
 * MARS_EUNSUPPORTED in an xlog-only build. */
int mars_stn_longlinks(mars_stn *s, char **out_names, size_t *out_len);

/* mars_stn_main_longlink copies the main link's name, with its NUL, into
 * buf.
 *
 * Ownership: buf is written; nothing is kept.
 * Threads: any, including from callbacks, but not from traffic_data.
 * Returns: MARS_OK; MARS_ERANGE if buf is too small (the name is truncated
 * to buf_len-1 bytes and NUL-terminated); MARS_EINVAL if buf is NULL or
 * buf_len is 0; MARS_EBADHANDLE; MARS_EUNSUPPORTED in an xlog-only build. */
int mars_stn_main_longlink(mars_stn *s, char *buf, size_t buf_len);

/* mars_stn_mark_main_longlink makes the named link the main one (Mars's
 * MarkMainLonglink_ext): tasks with no channel_name go to it from now on,
 * and the unnamed link callbacks and calls follow it;
 * on_longlink_status_change reports its status at once. Synchronous.
 *
 * Ownership: name is read during the call.
 * Threads: any, including from callbacks, but not from traffic_data.
 * Returns: MARS_OK (also when it is the main link already); MARS_EINVAL if
 * name is NULL or no link has it; MARS_EBADHANDLE; MARS_ECLOSED while the
 * engine is being destroyed; MARS_EUNSUPPORTED in an xlog-only build. */
int mars_stn_mark_main_longlink(mars_stn *s, const char *name);

/* mars_stn_named_longlink_is_connected sets *out to 1 if the named link is
 * connected, else 0 (also when no link has that name, as Mars's
 * LongLinkIsConnected_ext). Synchronous.
 *
 * Ownership: name is read during the call; *out is written.
 * Threads: any, including from callbacks, but not from traffic_data.
 * Returns: MARS_OK; MARS_EINVAL if name or out is NULL; MARS_EBADHANDLE;
 * MARS_EUNSUPPORTED in an xlog-only build. */
int mars_stn_named_longlink_is_connected(mars_stn *s, const char *name, int *out);

/* mars_stn_longlink_connection_id sets *out to the id of the named link's
 * current connection (NULL or "" = the main link), for mars_task.channel_id:
 * every connection gets a new id, unique in the process; 0 when the link is
 * not connected or no link has that name. Synchronous. Called from
 * on_longlink_status_change for a connected link it gives the id of the
 * connection up when it runs (which may be a later one).
 *
 * Ownership: name is read during the call; *out is written.
 * Threads: any, including from callbacks, but not from traffic_data.
 * Returns: MARS_OK; MARS_EINVAL if out is NULL; MARS_EBADHANDLE;
 * MARS_EUNSUPPORTED in an xlog-only build. */
int mars_stn_longlink_connection_id(mars_stn *s, const char *name, uint64_t *out);

/* mars_stn_makesure_named_longlink_connected starts connecting the named
 * link now unless it is connected or connecting (Mars's
 * MakesureLonglinkConnected_ext); a keep_alive link is kept connected from
 * then on. An unknown name does nothing. Asynchronous.
 *
 * Ownership: name is read during the call.
 * Threads: any, including from callbacks.
 * Returns: MARS_OK; MARS_EINVAL if name is NULL; MARS_EBADHANDLE;
 * MARS_ECLOSED while the engine is being destroyed; MARS_EUNSUPPORTED in an
 * xlog-only build. */
int mars_stn_makesure_named_longlink_connected(mars_stn *s, const char *name);

/* ======================================================================== */
/* SDT: network diagnosis                                                    */
/* ======================================================================== */

/* The check bits of a request's "checks" field (0 = all). */
#define MARS_SDT_CHECK_DNS       1   /* resolve each server name (system and host resolver) */
#define MARS_SDT_CHECK_TCP       2   /* connect to every address found */
#define MARS_SDT_CHECK_LONGLINK  4   /* a heartbeat over a fresh long-link connection */
#define MARS_SDT_CHECK_HTTP      8   /* GET each URL */
#define MARS_SDT_CHECK_PING     16   /* ICMP echo (skipped where not permitted) */
#define MARS_SDT_CHECK_NETSTATE 32   /* the local interfaces and routes */
#define MARS_SDT_CHECK_ALL      63

/* mars_sdt_check runs an active network check, as a user's "it does not
 * work" report needs, and returns a JSON report. Synchronous: it returns
 * when every check has finished or the request's timeout has passed.
 *
 * request_json is an object, every field optional:
 *   {"servers":["host:port", ...],  long-link servers: dns, tcp, longlink, ping
 *    "http":["http://host/path", ...],  GET each: http or https, the host in
 *                                     ASCII (an IDN in its xn-- form)
 *    "ping":["host", ...],
 *    "checks":0,                      MARS_SDT_CHECK_* bits; 0 = all
 *    "timeout_ms":10000}              the whole check; 0 = default, < 0 = none
 * Unknown fields, lists over 256 entries and trailing data are errors.
 * client_version goes into the long-link probe's header, as in
 * mars_stn_config. The report is
 *   {"results":[{"kind":"tcp","target":"1.2.3.4:80","ok":true,"reason":...,
 *                "error":...,"duration_ms":...}, ...],"ok":true,"duration_ms":...}
 *
 * Ownership: request_json is read during the call. *out_json (NUL-terminated,
 * *out_len bytes before the NUL) is allocated by the library: release it with
 * mars_free. On error *out_json is NULL.
 * Threads: any; several checks may run at once. It blocks, so do not call it
 * from an STN callback.
 * Returns: MARS_OK (also when checks failed: see the report's "ok");
 * MARS_EINVAL if an argument is NULL or the request is malformed (details:
 * mars_stn_errmsg(NULL, ...)); MARS_EUNSUPPORTED in an xlog-only build. */
int mars_sdt_check(const char *request_json, uint32_t client_version, char **out_json, size_t *out_len);

/* ======================================================================== */
/* xlog: logging                                                             */
/* ======================================================================== */

/* mars_xlog (declared above) is an appender: one set of log files
 * (<prefix>_YYYYMMDD.xlog) with its own buffer, level and writer. Several
 * may be open at once, with different directories or prefixes. */
/* Levels (Mars's TLogLevel). */
#define MARS_LEVEL_VERBOSE 0
#define MARS_LEVEL_DEBUG   1
#define MARS_LEVEL_INFO    2
#define MARS_LEVEL_WARN    3
#define MARS_LEVEL_ERROR   4
#define MARS_LEVEL_FATAL   5
#define MARS_LEVEL_NONE    6  /* as an appender's level: write nothing */

/* Appender modes (Mars's TAppenderMode). */
#define MARS_XLOG_MODE_ASYNC 0  /* compressed into a crash-safe mmap buffer, written in blocks */
#define MARS_XLOG_MODE_SYNC  1  /* every line written at once, clear text */

/* The most bytes one line takes in a log file, prefix ([level][time][pid,
 * tid][tag][file:line, func][) and newline included: Mars's 16 KiB line
 * buffer. The prefix is cut at 1023 bytes, the message at what is left
 * minus 130. A longer message is not dropped: it is cut on a UTF-8
 * character boundary and ends in "…[truncated N bytes]" (N = the bytes left
 * out), and the line counts in mars_xlog_stats.lines_truncated. Split long
 * payloads into several lines. */
#define MARS_XLOG_MAX_LINE 16384

/* Compression of async blocks, with Mars's numbers (TCompressMode, Java's
 * Xlog.ZLIB_MODE / ZSTD_MODE). LZ4 is this library's own and has a number
 * Mars does not use. Before 0.2.0, 1 meant LZ4 and an undocumented 2 meant
 * zstd: 1 now writes zstd (files every decoder reads), 2 is still read as
 * zstd and is never reused. */
#define MARS_XLOG_COMPRESS_ZLIB 0  /* Mars-compatible: Mars's decoders read it */
#define MARS_XLOG_COMPRESS_ZSTD 1  /* Mars-compatible: Mars's decoders read it */
#define MARS_XLOG_COMPRESS_LZ4  3  /* faster, larger; needs this library's decoder */

/* Compression levels (mars_xlog_config.compress_level, Mars's
 * compress_level). 0 takes the codec's default: zlib 6, zstd 3. zlib takes
 * 1-9 (Mars always uses 9), zstd 1-22 (zstd's numbering; the level sets
 * how hard the matcher searches the earlier lines); LZ4 has no levels and
 * takes only 0. Another value fails mars_xlog_open with MARS_EINVAL. */
#define MARS_XLOG_ZLIB_LEVEL_MAX 9
#define MARS_XLOG_ZSTD_LEVEL_MAX 22

/* Appender configuration. Initialise with mars_xlog_config_init, which
 * fills in struct_size and the defaults, then set log_dir. A zero field
 * means its default. */
typedef struct mars_xlog_config {
    size_t      struct_size;   /* sizeof(mars_xlog_config); set by mars_xlog_config_init */
    int32_t     mode;          /* MARS_XLOG_MODE_*; default ASYNC */
    const char *log_dir;       /* required: where log files go (created if missing) */
    const char *cache_dir;     /* optional: buffer file, and logs while log_dir fails or with cache_days */
    const char *name_prefix;   /* file name prefix; default "mars" */
    const char *pub_key;       /* NULL/"" = clear text; 128 hex chars = Mars secp256k1+TEA;
                                  or an HPKE public key as `mars xlog keygen` prints it */
    int32_t     compress_mode; /* MARS_XLOG_COMPRESS_*; default ZLIB */
    int32_t     level;         /* lowest level written; default MARS_LEVEL_VERBOSE */
    int64_t     max_file_size; /* bytes; 0 (default) = one file per day, else split into _1, _2 ... */
    int64_t     max_alive_time_ms; /* older files are deleted after open; default 10 days, at least 1 day */
    int32_t     cache_days;    /* with cache_dir: keep logs there this many days; default 0 */
    int32_t     console;       /* non-zero: mirror every line to stdout; default 0 */
    int32_t     non_blocking;  /* non-zero: drop (and count) lines when the buffer is full
                                  instead of waiting up to max_block_wait_ms; default 0 */
    int64_t     max_block_wait_ms; /* default 1000 */
    int64_t     flush_interval_ms; /* the buffer is written at least this often; default 900000 */
    int32_t     buffer_size;   /* bytes per buffer half; default 153600, at least 32768 */
    int32_t     compress_level; /* 0 = the codec's default; see MARS_XLOG_*_LEVEL_MAX
                                   (feature "compress_level": an older library ignores it) */
} mars_xlog_config;

/* An appender's counters since open. Lines are never lost silently: every
 * line that did not reach a file is in lines_dropped or lines_lost, and
 * every line cut to MARS_XLOG_MAX_LINE is in lines_truncated. */
typedef struct mars_xlog_stats {
    size_t   struct_size;   /* set by the library */
    uint64_t lines_written; /* lines accepted */
    uint64_t lines_dropped; /* lines refused: buffer full, or written after close */
    uint64_t lines_lost;    /* accepted lines whose block could not be written */
    uint64_t blocked_waits; /* write calls that had to wait for buffer space */
    uint64_t blocks;        /* blocks written to files */
    uint64_t bytes_written; /* bytes written to log files */
    uint64_t write_errors;  /* failed file writes */
    int32_t  mapped;        /* 1 if the buffer is file-backed (crash-safe) */
    uint64_t lines_truncated; /* lines whose message was cut to fit MARS_XLOG_MAX_LINE
                                 (also in lines_written); each ends in "…[truncated N bytes]" */
} mars_xlog_stats;

/* mars_xlog_config_init fills cfg with struct_size and the defaults
 * (log_dir stays NULL and must be set).
 * Threads: any, including from callbacks.
 * Returns: MARS_OK; MARS_EINVAL if cfg is NULL. */
int mars_xlog_config_init(mars_xlog_config *cfg);

/* mars_stn_config_init_sized, mars_stn_callbacks_init_sized,
 * mars_task_init_sized, mars_xlog_config_init_sized,
 * mars_longlink_config_init_sized and mars_proxy_info_init_sized do what
 * their *_init counterparts do, but fill only the first size bytes: pass
 * sizeof(*p) as
 * your header sees it. A caller built against an older (smaller) header gets
 * its struct filled without the library writing past it; struct_size is set
 * to min(size, the library's sizeof).
 *
 * Ownership: p is written (size bytes at most); the library keeps nothing.
 * Threads: any, including from callbacks.
 * Returns: what the *_init counterpart returns; MARS_EINVAL if p is NULL or
 * size < sizeof(size_t) (nothing is written then). */
int mars_stn_config_init_sized(mars_stn_config *cfg, size_t size);
int mars_stn_callbacks_init_sized(mars_stn_callbacks *cb, size_t size);
int mars_task_init_sized(mars_task *t, size_t size);
int mars_xlog_config_init_sized(mars_xlog_config *cfg, size_t size);
int mars_longlink_config_init_sized(mars_longlink_config *c, size_t size);
int mars_proxy_info_init_sized(mars_proxy_info *p, size_t size);

/* mars_xlog_open opens an appender. In async mode it maps (or creates) the
 * buffer file <prefix>.mmap3, first writing out what a crashed predecessor
 * left there. A log dir that cannot be written does not fail the open:
 * lines are counted as lost and the failure is printed to stderr.
 *
 * Ownership: cfg and its strings are copied. *out receives the handle;
 * release it with mars_xlog_close.
 * Threads: any.
 * Returns: MARS_OK; MARS_EINVAL if cfg or out is NULL, log_dir is missing,
 * a value is out of range, the key is malformed, or another open appender
 * uses the same buffer file (details: mars_xlog_errmsg(NULL, ...));
 * MARS_ELIMIT with 4096 open appenders. */
int mars_xlog_open(const mars_xlog_config *cfg, mars_xlog **out);

/* mars_xlog_close writes the closing banner, flushes, stops the writer and
 * closes the files. Synchronous. mars_xlog_close(NULL) does nothing.
 * Threads: any, including from callbacks.
 * Returns: MARS_OK (also for NULL); MARS_EBADHANDLE if x was already closed
 * or never valid; MARS_EIO if closing the log file or unmapping the buffer
 * file failed. A block that cannot be written is not a close error: its
 * lines count in lines_lost and the failure is printed to stderr. */
int mars_xlog_close(mars_xlog *x);

/* mars_xlog_write writes one line with the current time and the calling
 * thread's id, if level is at or above the appender's level. In async mode
 * the line is in the crash-safe buffer when the call returns. A line over
 * MARS_XLOG_MAX_LINE bytes is cut, marked "…[truncated N bytes]" and
 * counted in lines_truncated; the call still returns MARS_OK.
 *
 * Ownership: the strings are copied. tag, file and func may be NULL ("");
 * file is reduced to its base name.
 * Threads: any; lines from several threads interleave whole, in the order
 * the calls reached the appender. In zlib mode threads writing at once
 * compress their lines at the same time; lz4 and zstd lines are compressed
 * one after another by whichever writing thread holds the appender's lock,
 * up to 64 of the waiting threads' lines in a row, so one call may take
 * that much longer while others log at once; a call that finds another
 * thread writing lines leaves its line to it and waits (spinning, some
 * microseconds; with more threads waiting than the runtime has processors,
 * the extra ones sleep instead) rather than compress it on another core.
 * A line below the level costs a few nanoseconds (the level is mirrored on
 * the C side, as for mars_xlog_enabled), so a call need not check first.
 * Returns: MARS_OK (also when filtered out by level); MARS_EINVAL if msg is
 * NULL or level is not a MARS_LEVEL_* below MARS_LEVEL_NONE;
 * MARS_EBADHANDLE. */
int mars_xlog_write(mars_xlog *x, int level, const char *tag, const char *file,
                    const char *func, int line, const char *msg);

/* mars_xlog_flush writes buffered lines to the file: with sync == 0 it only
 * wakes the writer (asynchronous); otherwise it returns once every line
 * written before the call is in the file (Mars's appender_flush_sync).
 * Threads: any, including from callbacks.
 * Returns: MARS_OK; MARS_EBADHANDLE; MARS_ECLOSED while closing. */
int mars_xlog_flush(mars_xlog *x, int sync);

/* mars_xlog_set_level sets the lowest level written (MARS_LEVEL_NONE: none).
 * Threads: any, including from callbacks.
 * Returns: MARS_OK; MARS_EINVAL for a level outside MARS_LEVEL_*;
 * MARS_EBADHANDLE. */
int mars_xlog_set_level(mars_xlog *x, int level);

/* mars_xlog_get_level stores the appender's level in *out.
 * Threads: any, including from callbacks.
 * Returns: MARS_OK; MARS_EINVAL if out is NULL; MARS_EBADHANDLE. */
int mars_xlog_get_level(mars_xlog *x, int *out);

/* mars_xlog_enabled says whether a line at level would be written, without
 * crossing into the library's runtime: the appender's level is mirrored on
 * the C side, so the check costs a few loads (the MARS_LOG* macros call it
 * before they format anything).
 *
 * Threads: any, including from callbacks.
 * Returns: 1 if level is a MARS_LEVEL_* below MARS_LEVEL_NONE at or above
 * the appender's level; 0 otherwise, also for NULL or a bad handle. */
int mars_xlog_enabled(mars_xlog *x, int level);

/* mars_xlog_printf formats a printf-style message and writes it as
 * mars_xlog_write does (same argument order, the format in place of msg).
 * A line the level filters out is not formatted. A message longer than
 * MARS_XLOG_MAX_LINE is formatted whole and then cut by the write, with
 * the "…[truncated N bytes]" mark. mars_xlog_vprintf takes a va_list.
 *
 * Ownership: nothing is kept. Threads: any.
 * Returns: as mars_xlog_write; MARS_EINVAL also if fmt is NULL or cannot be
 * formatted. */
#if defined(__GNUC__) || defined(__clang__)
__attribute__((format(printf, 7, 8)))
#endif
int mars_xlog_printf(mars_xlog *x, int level, const char *tag, const char *file,
                     const char *func, int line, const char *fmt, ...);
int mars_xlog_vprintf(mars_xlog *x, int level, const char *tag, const char *file,
                      const char *func, int line, const char *fmt, va_list ap);

/* Logging macros, Mars's xverbose2 ... xfatal2 for C: printf-style, one per
 * level, recording __FILE__, __LINE__ and __func__. When the level is
 * filtered out nothing is formatted and the arguments are not evaluated.
 *
 *   MARS_LOGI(x, "net", "connected to %s:%d", host, port);
 *
 * The statement yields no value; call mars_xlog_printf for the result. */
#define MARS_LOG_LEVEL(x, level, tag, ...)                                                      \
    do {                                                                                  \
        mars_xlog *mars_log_x_ = (x);                                                     \
        int mars_log_level_ = (level);                                                    \
        if (mars_xlog_enabled(mars_log_x_, mars_log_level_)) {                           \
            (void)mars_xlog_printf(mars_log_x_, mars_log_level_, (tag), __FILE__, __func__, \
                                   __LINE__, __VA_ARGS__);                                \
        }                                                                                 \
    } while (0)
#define MARS_LOGV(x, tag, ...) MARS_LOG_LEVEL((x), MARS_LEVEL_VERBOSE, (tag), __VA_ARGS__)
#define MARS_LOGD(x, tag, ...) MARS_LOG_LEVEL((x), MARS_LEVEL_DEBUG, (tag), __VA_ARGS__)
#define MARS_LOGI(x, tag, ...) MARS_LOG_LEVEL((x), MARS_LEVEL_INFO, (tag), __VA_ARGS__)
#define MARS_LOGW(x, tag, ...) MARS_LOG_LEVEL((x), MARS_LEVEL_WARN, (tag), __VA_ARGS__)
#define MARS_LOGE(x, tag, ...) MARS_LOG_LEVEL((x), MARS_LEVEL_ERROR, (tag), __VA_ARGS__)
#define MARS_LOGF(x, tag, ...) MARS_LOG_LEVEL((x), MARS_LEVEL_FATAL, (tag), __VA_ARGS__)

/* mars_xlog_set_console turns the stdout mirror on (non-zero) or off.
 * Threads: any, including from callbacks.
 * Returns: MARS_OK; MARS_EBADHANDLE. */
int mars_xlog_set_console(mars_xlog *x, int on);

/* mars_xlog_set_mode switches between MARS_XLOG_MODE_ASYNC and
 * MARS_XLOG_MODE_SYNC at run time (Mars's appender_setmode). Leaving async
 * mode writes the buffer to the file first, so lines keep their order across
 * the switch; entering it the first time maps the buffer file (recovering
 * what it holds) and starts the writer.
 *
 * Threads: any.
 * Returns: MARS_OK; MARS_EINVAL for an unknown mode; MARS_ECLOSED while the
 * appender closes; MARS_EIO if the buffer cannot be set up; MARS_EBADHANDLE. */
int mars_xlog_set_mode(mars_xlog *x, int mode);

/* mars_xlog_set_max_file_size changes the split size from the next write on
 * (Mars's appender_set_max_file_size); 0 means one file per day.
 *
 * Threads: any.
 * Returns: MARS_OK; MARS_EINVAL if bytes is negative; MARS_EBADHANDLE. */
int mars_xlog_set_max_file_size(mars_xlog *x, int64_t bytes);

/* mars_xlog_set_max_alive_time changes how old a log file may grow before
 * the cleanup that has not run yet deletes it (Mars's
 * appender_set_max_alive_duration, in seconds there); values below one day
 * are raised to one day.
 *
 * Threads: any.
 * Returns: MARS_OK; MARS_EINVAL if ms is negative or absurd; MARS_EBADHANDLE. */
int mars_xlog_set_max_alive_time(mars_xlog *x, int64_t ms);

/* mars_xlog_get_stats copies the appender's counters into *out, writing at
 * most out->struct_size bytes (set it to sizeof(mars_xlog_stats)).
 * Threads: any, including from callbacks.
 * Returns: MARS_OK; MARS_EINVAL if out is NULL or out->struct_size is too
 * small for its first counter; MARS_EBADHANDLE. */
int mars_xlog_get_stats(mars_xlog *x, mars_xlog_stats *out);

/* mars_xlog_errmsg copies the last error detail of x into buf, always
 * NUL-terminated (see mars_stn_errmsg for the rules; NULL x gives the
 * process-wide detail).
 * Threads: any, including from callbacks.
 * Returns: MARS_OK; MARS_ERANGE if truncated; MARS_EINVAL if buf is NULL or
 * len is 0; MARS_EBADHANDLE for a bad x. */
int mars_xlog_errmsg(mars_xlog *x, char *buf, size_t len);

/* mars_xlog_decode_file decodes the xlog file at in_path to text in the
 * file out_path (created or truncated), like Mars's decoder: damage is
 * skipped with Mars's markers in the text. priv_key (NULL/"" = none) opens
 * encrypted blocks: 64 hex chars (Mars) or an HPKE private key.
 *
 * Damaged input is decoded as far as it goes and reported: a block cut
 * short (a truncated file, or a write interrupted by a crash) gives every
 * complete line it holds, bytes that hold no block are skipped, and
 * decoding goes on at the next block. The call then returns MARS_EPARTIAL
 * with the text of everything that could be decoded in out_path, and
 * mars_xlog_errmsg(NULL, ...) names what was wrong with counts, e.g.
 * "decoded 1 blocks, but 1 blocks cut short (file truncated, ...)". So
 * random bytes give MARS_EPARTIAL, an empty file MARS_OK with no text. A seq
 * gap alone (the "log seq:a-b is missing" marker: blocks lost before they
 * reached the file) is not damage.
 *
 * Ownership: nothing is kept. Threads: any.
 * Returns: MARS_OK (every block decoded); MARS_EPARTIAL (blocks cut short
 * or damaged, bytes skipped, or encrypted blocks left unopened for a
 * missing or wrong key; the text of the rest was written); MARS_EINVAL if a
 * path is NULL or the key is malformed; MARS_EIO if a file cannot be read
 * or written (details of all: mars_xlog_errmsg(NULL, ...)). */
int mars_xlog_decode_file(const char *in_path, const char *priv_key, const char *out_path);

/* mars_xlog_decode decodes the xlog file at in_path and returns its text in
 * *out_text (NUL-terminated; *out_len bytes before the NUL). Damage is
 * handled and reported as by mars_xlog_decode_file.
 *
 * Ownership: *out_text is allocated by the library; release it with
 * mars_free. It is set on MARS_OK and on MARS_EPARTIAL (the text that could
 * be decoded); on any other result it is NULL.
 * Threads: any, including from callbacks.
 * Returns: as mars_xlog_decode_file; MARS_EINVAL also if out_text or out_len
 * is NULL. */
int mars_xlog_decode(const char *in_path, const char *priv_key, char **out_text, size_t *out_len);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* MARS_H */
