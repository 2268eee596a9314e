/* mars.hpp — header-only C++ layer over mars.h for apps coming from Tencent
 * Mars's C++ API (stn_logic.h, stn.h's Callback, xlog's appender).
 *
 *   - mars::Xlog and mars::Stn own a mars_xlog / mars_stn (RAII, movable).
 *   - mars::stn::Callback is Mars's callback class: override its virtuals.
 *   - mars::stn::StartTask, StopTask, HasTask, ... are Mars's free
 *     functions; they act on the current engine, which the first mars::Stn
 *     created becomes (Mars has one engine per process).
 *   - mars::stn::Task is Mars's Task with its field names and our defaults.
 *
 * C++11, no exceptions: constructors record the result code (rc()), the
 * free functions return what Mars's return, and failures go to rc()/the
 * C calls' codes. Logging: the MARS_LOGV ... MARS_LOGF macros of mars.h
 * work unchanged in C++. Differences from Mars are listed in
 * docs/MIGRATING.md. */
#ifndef MARS_HPP
#define MARS_HPP

#include <atomic>
#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "mars.h"

namespace mars {

/* Xlog owns one appender (Mars's appender_open / appender_close). */
class Xlog {
public:
    Xlog() {}
    explicit Xlog(const mars_xlog_config &cfg) { rc_ = mars_xlog_open(&cfg, &x_); }
    ~Xlog() { mars_xlog_close(x_); }
    Xlog(Xlog &&o) noexcept : x_(o.x_), rc_(o.rc_) { o.x_ = nullptr; }
    Xlog &operator=(Xlog &&o) noexcept {
        if (this != &o) {
            mars_xlog_close(x_);
            x_ = o.x_;
            rc_ = o.rc_;
            o.x_ = nullptr;
        }
        return *this;
    }
    Xlog(const Xlog &) = delete;
    Xlog &operator=(const Xlog &) = delete;

    mars_xlog *get() const { return x_; }
    explicit operator bool() const { return x_ != nullptr; }
    /* rc is mars_xlog_open's result (MARS_EINVAL for a default-made Xlog). */
    int rc() const { return rc_; }
    /* release gives up ownership; the caller closes the handle. */
    mars_xlog *release() {
        mars_xlog *x = x_;
        x_ = nullptr;
        return x;
    }

    bool IsEnabledFor(int level) const { return mars_xlog_enabled(x_, level) != 0; }
    int SetLevel(int level) { return mars_xlog_set_level(x_, level); }
    int Flush(bool sync = true) { return mars_xlog_flush(x_, sync ? 1 : 0); }
    int Write(int level, const char *tag, const char *file, const char *func, int line, const char *msg) {
        return mars_xlog_write(x_, level, tag, file, func, line, msg);
    }

private:
    mars_xlog *x_ = nullptr;
    int rc_ = MARS_EINVAL;
};

namespace stn {

/* Mars's stn numbers, under Mars's names. */
enum {
    kChannelShort = MARS_CHANNEL_SHORT,
    kChannelLong = MARS_CHANNEL_LONG,
    kChannelBoth = MARS_CHANNEL_BOTH,
    kChannelNormal = MARS_CHANNEL_NORMAL,
    kChannelAll = MARS_CHANNEL_ALL,
    kChannelNormalStrategy = MARS_CHANNEL_STRATEGY_NORMAL,
    kChannelFastStrategy = MARS_CHANNEL_STRATEGY_FAST,
    kTaskFailHandleNormal = MARS_RESP_OK,
    kTaskFailHandleDefault = MARS_RESP_DECODE_ERROR,
    kTaskFailHandleRetryAllTasks = MARS_RESP_RETRY_ALL_TASKS,
    kTaskFailHandleSessionTimeout = MARS_RESP_SESSION_TIMEOUT,
    kTaskFailHandleTaskEnd = MARS_RESP_TASK_END,
    kTaskFailHandleTaskTimeout = MARS_RESP_SILENT_TASK_END,
    kCheckNow = MARS_IDENTIFY_CHECK_NOW,
    kCheckNext = MARS_IDENTIFY_CHECK_NEXT,
    kCheckNever = MARS_IDENTIFY_CHECK_NEVER,
};

/* Task is Mars's stn::Task: the same field names (times in ms), the
 * defaults of mars_task_init. Bodies are std::string (Mars: AutoBuffer). */
struct Task {
    Task() {
        mars_task t;
        mars_task_init(&t);
        taskid = t.taskid;
        cmdid = t.cmdid;
        channel_select = t.channel_select;
        channel_strategy = t.channel_strategy;
        send_only = t.send_only != 0;
        need_authed = t.need_authed != 0;
        limit_flow = t.limit_flow != 0;
        limit_frequency = t.limit_frequency != 0;
        network_status_sensitive = t.network_status_sensitive != 0;
        priority = t.priority;
        retry_count = t.retry_count;
        server_process_cost = t.server_process_cost_ms;
        total_timeout = t.total_timeout_ms;
        long_polling = t.long_polling != 0;
        long_polling_timeout = t.long_polling_timeout_ms;
        channel_id = t.channel_id;
    }
    explicit Task(uint32_t id) : Task() { taskid = id; }

    uint32_t taskid;  /* 0: StartTask(Task&) assigns one and stores it here */
    uint32_t cmdid;
    int32_t channel_select;
    int32_t channel_strategy;
    bool send_only, need_authed, limit_flow, limit_frequency, network_status_sensitive;
    int32_t priority;
    int32_t retry_count;
    int64_t server_process_cost;
    int64_t total_timeout;
    bool long_polling;
    int64_t long_polling_timeout;
    uint64_t channel_id; /* non-zero: only on the long-link connection of this id (LongLinkConnectionID) */
    void *user_context = nullptr;
    std::string cgi, report_arg, channel_name, user_id;
    std::map<std::string, std::string> headers;
    std::vector<std::string> shortlink_host_list, longlink_host_list;
};

/* Callback is Mars's stn::Callback. Req2Buf, Buf2Resp and OnTaskEnd must be
 * implemented; every other method has the library's default for a missing
 * callback. They run on the library's callback thread (TrafficData on a
 * network thread) and must not block long. */
class Callback {
public:
    virtual ~Callback() {}

    virtual bool Req2Buf(uint32_t taskid, void *user_context, const std::string &user_id, std::string &out,
                         int &error_code, int channel_select, const std::string &host) = 0;
    virtual int Buf2Resp(uint32_t taskid, void *user_context, const std::string &user_id,
                         const std::string &in, int &error_code, int channel_select) = 0;
    virtual int OnTaskEnd(uint32_t taskid, void *user_context, const std::string &user_id, int error_type,
                          int error_code, const mars_task_profile &profile) = 0;

    virtual void OnPush(const std::string &channel_id, uint32_t cmdid, uint32_t taskid, const std::string &body) {
        (void)channel_id, (void)cmdid, (void)taskid, (void)body;
    }
    /* Empty: the system resolver. */
    virtual std::vector<std::string> OnNewDns(const std::string &host, bool longlink_host) {
        (void)host, (void)longlink_host;
        return std::vector<std::string>();
    }
    virtual bool MakesureAuthed(const std::string &host, const std::string &user_id) {
        (void)host, (void)user_id;
        return true;
    }
    virtual void TrafficData(int64_t send, int64_t recv) { (void)send, (void)recv; }
    virtual void ReportConnectStatus(int status, int longlink_status) { (void)status, (void)longlink_status; }
    virtual void OnLongLinkStatusChange(int status) { (void)status; }
    virtual void OnLongLinkNetworkError(int err_type, int err_code, const std::string &ip, uint16_t port) {
        (void)err_type, (void)err_code, (void)ip, (void)port;
    }
    virtual int GetLonglinkIdentifyCheckBuffer(const std::string &channel_id, std::string &identify_buffer,
                                               std::string &buffer_hash, int32_t &cmdid) {
        (void)channel_id, (void)identify_buffer, (void)buffer_hash, (void)cmdid;
        return kCheckNever;
    }
    virtual bool OnLonglinkIdentifyResponse(const std::string &channel_id, const std::string &response_buffer,
                                            const std::string &identify_buffer_hash) {
        (void)channel_id, (void)response_buffer, (void)identify_buffer_hash;
        return true;
    }
    virtual void RequestSync() {}
    virtual void RequestNetCheckShortLinkHosts(std::vector<std::string> &hostlist) { (void)hostlist; }
    virtual void ReportTaskProfile(const mars_task_profile &profile) { (void)profile; }
    virtual bool IsLogoned() { return false; }
};

namespace detail {

inline std::atomic<mars_stn *> &current() {
    static std::atomic<mars_stn *> s(nullptr);
    return s;
}

inline std::string bytes(const uint8_t *p, size_t n) { return p ? std::string(reinterpret_cast<const char *>(p), n) : std::string(); }
inline std::string str(const char *s) { return s ? std::string(s) : std::string(); }
inline Callback *cb(void *ud) { return static_cast<Callback *>(ud); }
inline int append(mars_buf *b, const std::string &s) { return s.empty() ? MARS_OK : mars_buf_append(b, s.data(), s.size()); }
/* cstrs points at each string of v (valid while v is unchanged). */
inline std::vector<const char *> cstrs(const std::vector<std::string> &v) {
    std::vector<const char *> out;
    for (size_t i = 0; i < v.size(); i++) out.push_back(v[i].c_str());
    return out;
}

inline int req2buf(void *ud, const mars_task_ref *t, int ch, const char *host, mars_buf *out, int *err) {
    std::string body;
    int code = 0;
    bool ok = cb(ud)->Req2Buf(t->taskid, t->user_context, str(t->user_id), body, code, ch, str(host));
    *err = code;
    return ok && append(out, body) == MARS_OK;
}
inline int buf2resp(void *ud, const mars_task_ref *t, int ch, const uint8_t *body, size_t n, int *err) {
    int code = 0;
    int r = cb(ud)->Buf2Resp(t->taskid, t->user_context, str(t->user_id), bytes(body, n), code, ch);
    *err = code;
    return r;
}
inline int on_task_end(void *ud, const mars_task_ref *t, int et, int ec, const mars_task_profile *p) {
    return cb(ud)->OnTaskEnd(t->taskid, t->user_context, str(t->user_id), et, ec, *p);
}
inline void on_push(void *ud, const char *ch, uint32_t cmdid, uint32_t taskid, const uint8_t *b, size_t n) {
    cb(ud)->OnPush(str(ch), cmdid, taskid, bytes(b, n));
}
inline void on_new_dns(void *ud, const char *host, int longlink, mars_str_list *out) {
    std::vector<std::string> ips = cb(ud)->OnNewDns(str(host), longlink != 0);
    for (size_t i = 0; i < ips.size(); i++) mars_str_list_add(out, ips[i].c_str());
}
inline int makesure_authed(void *ud, const char *host, const char *user_id) {
    return cb(ud)->MakesureAuthed(str(host), str(user_id)) ? 1 : 0;
}
inline void report_connect_status(void *ud, int s, int l) { cb(ud)->ReportConnectStatus(s, l); }
inline void on_longlink_status_change(void *ud, int s) { cb(ud)->OnLongLinkStatusChange(s); }
inline void on_longlink_network_error(void *ud, int et, int ec, const char *ip, int port) {
    cb(ud)->OnLongLinkNetworkError(et, ec, str(ip), static_cast<uint16_t>(port));
}
inline int get_identify_check_buffer(void *ud, const char *ch, mars_buf *buf, mars_buf *hash, uint32_t *cmdid) {
    std::string b, h;
    int32_t id = 0;
    int mode = cb(ud)->GetLonglinkIdentifyCheckBuffer(str(ch), b, h, id);
    if (mode == kCheckNow && (append(buf, b) != MARS_OK || append(hash, h) != MARS_OK)) return kCheckNext;
    *cmdid = static_cast<uint32_t>(id);
    return mode;
}
inline int on_identify_response(void *ud, const char *ch, const uint8_t *r, size_t rn, const uint8_t *h, size_t hn) {
    return cb(ud)->OnLonglinkIdentifyResponse(str(ch), bytes(r, rn), bytes(h, hn)) ? 1 : 0;
}
inline void traffic_data(void *ud, int64_t send, int64_t recv) { cb(ud)->TrafficData(send, recv); }
inline void report_task_profile(void *ud, const mars_task_profile *p) { cb(ud)->ReportTaskProfile(*p); }
inline void request_sync(void *ud) { cb(ud)->RequestSync(); }
inline int is_logoned(void *ud) { return cb(ud)->IsLogoned() ? 1 : 0; }
inline void request_netcheck_hosts(void *ud, mars_str_list *out) {
    std::vector<std::string> hosts;
    cb(ud)->RequestNetCheckShortLinkHosts(hosts);
    for (size_t i = 0; i < hosts.size(); i++) mars_str_list_add(out, hosts[i].c_str());
}

/* callbacks routes every mars_stn_callbacks entry to cb's virtuals. */
inline mars_stn_callbacks callbacks(Callback *c) {
    mars_stn_callbacks cbs;
    mars_stn_callbacks_init_sized(&cbs, sizeof cbs);
    cbs.user_data = c;
    cbs.req2buf = req2buf;
    cbs.buf2resp = buf2resp;
    cbs.on_task_end = on_task_end;
    cbs.on_push = on_push;
    cbs.on_new_dns = on_new_dns;
    cbs.makesure_authed = makesure_authed;
    cbs.report_connect_status = report_connect_status;
    cbs.on_longlink_status_change = on_longlink_status_change;
    cbs.on_longlink_network_error = on_longlink_network_error;
    cbs.get_identify_check_buffer = get_identify_check_buffer;
    cbs.on_identify_response = on_identify_response;
    cbs.traffic_data = traffic_data;
    cbs.report_task_profile = report_task_profile;
    cbs.request_sync = request_sync;
    cbs.is_logoned = is_logoned;
    cbs.request_netcheck_hosts = request_netcheck_hosts;
    return cbs;
}

} /* namespace detail */

/* Stn owns one engine built with a Callback (which must outlive it). The
 * first one created successfully becomes the current engine of the free
 * functions below, until it is destroyed. */
class Stn {
public:
    Stn() {}
    Stn(const mars_stn_config &cfg, Callback *cb) {
        if (cb == nullptr) return;
        mars_stn_callbacks cbs = detail::callbacks(cb);
        rc_ = mars_stn_create(&cfg, &cbs, &s_);
        mars_stn *none = nullptr;
        if (rc_ == MARS_OK) detail::current().compare_exchange_strong(none, s_);
    }
    ~Stn() { destroy(); }
    Stn(Stn &&o) noexcept : s_(o.s_), rc_(o.rc_) { o.s_ = nullptr; }
    Stn &operator=(Stn &&o) noexcept {
        if (this != &o) {
            destroy();
            s_ = o.s_;
            rc_ = o.rc_;
            o.s_ = nullptr;
        }
        return *this;
    }
    Stn(const Stn &) = delete;
    Stn &operator=(const Stn &) = delete;

    mars_stn *get() const { return s_; }
    explicit operator bool() const { return s_ != nullptr; }
    /* rc is mars_stn_create's result (MARS_EINVAL without a callback). */
    int rc() const { return rc_; }

private:
    void destroy() {
        if (s_ == nullptr) return;
        mars_stn *me = s_;
        detail::current().compare_exchange_strong(me, nullptr);
        mars_stn_destroy(s_);
        s_ = nullptr;
    }
    mars_stn *s_ = nullptr;
    int rc_ = MARS_EINVAL;
};

/* SetCurrent makes s the engine of the free functions (nullptr: none). */
inline void SetCurrent(mars_stn *s) { detail::current().store(s); }
inline mars_stn *Current() { return detail::current().load(); }

/* StartTask starts task on the current engine (Mars's StartTask). With a
 * non-const task whose taskid is 0, the assigned id is stored in it.
 * Returns false if no engine is current or the task was rejected before
 * it could start (then on_task_end does not run). */
inline bool StartTask(const Task &task, uint32_t *out_taskid) {
    std::vector<const char *> shorts = detail::cstrs(task.shortlink_host_list);
    std::vector<const char *> longs = detail::cstrs(task.longlink_host_list);
    std::vector<const char *> names, values;
    for (std::map<std::string, std::string>::const_iterator it = task.headers.begin(); it != task.headers.end(); ++it) {
        names.push_back(it->first.c_str());
        values.push_back(it->second.c_str());
    }
    mars_task t;
    mars_task_init_sized(&t, sizeof t);
    t.taskid = task.taskid;
    t.cmdid = task.cmdid;
    t.channel_select = task.channel_select;
    t.channel_strategy = task.channel_strategy;
    t.channel_name = task.channel_name.empty() ? nullptr : task.channel_name.c_str();
    t.cgi = task.cgi.empty() ? nullptr : task.cgi.c_str();
    t.send_only = task.send_only;
    t.need_authed = task.need_authed;
    t.limit_flow = task.limit_flow;
    t.limit_frequency = task.limit_frequency;
    t.network_status_sensitive = task.network_status_sensitive;
    t.priority = task.priority;
    t.retry_count = task.retry_count;
    t.server_process_cost_ms = task.server_process_cost;
    t.total_timeout_ms = task.total_timeout;
    t.user_context = task.user_context;
    t.user_id = task.user_id.c_str();
    t.report_arg = task.report_arg.c_str();
    t.shortlink_hosts = shorts.empty() ? nullptr : &shorts[0];
    t.shortlink_hosts_len = shorts.size();
    t.longlink_hosts = longs.empty() ? nullptr : &longs[0];
    t.longlink_hosts_len = longs.size();
    t.header_names = names.empty() ? nullptr : &names[0];
    t.header_values = values.empty() ? nullptr : &values[0];
    t.headers_len = names.size();
    t.long_polling = task.long_polling;
    t.long_polling_timeout_ms = task.long_polling_timeout;
    t.channel_id = task.channel_id;
    return mars_stn_start_task(Current(), &t, out_taskid) == MARS_OK;
}
inline bool StartTask(const Task &task) { return StartTask(task, nullptr); }
inline bool StartTask(Task &task) { return StartTask(static_cast<const Task &>(task), &task.taskid); }

/* LongLinkConnectionID is the id of the named long link's current
 * connection ("" = the main link), for Task::channel_id; 0 when it is not
 * connected, no engine is current or the name is unknown. */
inline uint64_t LongLinkConnectionID(const std::string &name = std::string()) {
    uint64_t id = 0;
    if (mars_stn_longlink_connection_id(Current(), name.empty() ? nullptr : name.c_str(), &id) != MARS_OK) {
        return 0;
    }
    return id;
}

inline void StopTask(uint32_t taskid) { mars_stn_stop_task(Current(), taskid); }
inline bool HasTask(uint32_t taskid) {
    int has = 0;
    return mars_stn_has_task(Current(), taskid, &has) == MARS_OK && has != 0;
}
inline void RedoTasks() { mars_stn_redo_tasks(Current()); }
inline void TouchTasks() { mars_stn_touch_tasks(Current()); }
inline void ClearTasks() { mars_stn_clear_tasks(Current()); }
inline void Reset() { mars_stn_reset(Current()); }
inline void MakesureLonglinkConnected() { mars_stn_makesure_longlink_connected(Current()); }
inline void DisableLongLink() { mars_stn_disable_longlink(Current()); }
inline bool LongLinkIsConnected() {
    int up = 0;
    return mars_stn_longlink_is_connected(Current(), &up) == MARS_OK && up != 0;
}
inline void SetLonglinkSvrAddr(const std::string &host, const std::vector<uint16_t> &ports,
                               const std::string &debugip = std::string()) {
    mars_stn_set_longlink_svr_addr(Current(), host.c_str(), ports.empty() ? nullptr : &ports[0], ports.size(),
                                   debugip.empty() ? nullptr : debugip.c_str());
}
inline void SetShortlinkSvrAddr(uint16_t port, const std::string &debugip = std::string()) {
    mars_stn_set_shortlink_svr_addr(Current(), port, debugip.empty() ? nullptr : debugip.c_str());
}
inline void SetDebugIP(const std::string &host, const std::string &ip) {
    mars_stn_set_debug_ip(Current(), host.c_str(), ip.c_str());
}
inline void SetBackupIPs(const std::string &host, const std::vector<std::string> &iplist) {
    std::vector<const char *> ips = detail::cstrs(iplist);
    mars_stn_set_backup_ips(Current(), host.c_str(), ips.empty() ? nullptr : &ips[0], ips.size());
}
inline void KeepSignalling() { mars_stn_keep_signalling(Current()); }
inline void StopSignalling() { mars_stn_stop_signalling(Current()); }
inline uint32_t GenTaskID() {
    uint32_t id = 0;
    mars_stn_gen_task_id(Current(), &id);
    return id;
}
/* SetClientVersion changes the current engine's version in place, as Mars's. */
inline void SetClientVersion(uint32_t v) { mars_stn_set_client_version(Current(), v); }
inline void ResetAndInitEncoderVersion(uint32_t v) { mars_stn_reset_and_init_encoder_version(Current(), v); }
inline uint32_t GenSequenceId() {
    uint32_t id = 0;
    mars_stn_gen_sequence_id(&id);
    return id;
}

} /* namespace stn */
} /* namespace mars */

#endif /* MARS_HPP */
