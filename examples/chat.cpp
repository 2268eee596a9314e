// chat.cpp — Mars's sample chat flow, ported to this library with mars.hpp:
// a long-link hello, the conversation list over the short link, and a
// message whose push reaches the other connections. Two engines stand for
// two phones (alice and bob) in one process. docs/MIGRATING.md walks
// through it; examples/run_chat.sh runs it against marsd.
//
//   mars_chat [LONG_HOST:PORT [SHORT_HOST:PORT [LOGDIR]]]
//
// Defaults are the sample's: long link 127.0.0.1:8081, short link
// 127.0.0.1:8080, client version 200. Exit status 0 when every step worked.
#include <dirent.h>

#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <string>
#include <vector>

#include "mars.hpp"

namespace {

// The sample's numbers. marsd answers every request with its own body and,
// for cmdid 10003, then pushes that body to every open connection with the
// push cmdid 10001 (the sample's push id too).
const uint32_t kClientVersion = 200;
const uint32_t kCmdHello = 1;
const uint32_t kCmdSendMessage = 10003;  // marsd: answer, then push to every connection (the topic)
const uint32_t kCmdPush = 10001;
const char *const kCgiConvList = "/mars/getconvlist";

mars_xlog *g_log = nullptr;

// Phone is one user's stn::Callback, written as a Mars app writes it: the
// request body comes from what the task carries (user_context), the answer
// and the pushes are kept for the UI.
class Phone : public mars::stn::Callback {
public:
    explicit Phone(std::string name) : name_(std::move(name)) {}

    bool Req2Buf(uint32_t taskid, void *user_context, const std::string &, std::string &out, int &error_code,
                 int channel, const std::string &host) override {
        out = *static_cast<const std::string *>(user_context);
        error_code = 0;
        MARS_LOGI(g_log, name_.c_str(), "task %u: %zu bytes to %s over %s", taskid, out.size(), host.c_str(),
                  channel == mars::stn::kChannelShort ? "short link" : "long link");
        return true;
    }
    int Buf2Resp(uint32_t taskid, void *, const std::string &, const std::string &in, int &, int) override {
        std::lock_guard<std::mutex> l(mu_);
        answers_.push_back(in);
        MARS_LOGI(g_log, name_.c_str(), "task %u answered: %s", taskid, in.c_str());
        return mars::stn::kTaskFailHandleNormal;
    }
    int OnTaskEnd(uint32_t taskid, void *, const std::string &, int error_type, int error_code,
                  const mars_task_profile &) override {
        std::lock_guard<std::mutex> l(mu_);
        ended_++;
        if (error_type != MARS_ECT_OK) failed_++;
        MARS_LOGI(g_log, name_.c_str(), "task %u ended (%d, %d)", taskid, error_type, error_code);
        cv_.notify_all();
        return 0;
    }
    void OnPush(const std::string &channel_id, uint32_t cmdid, uint32_t, const std::string &body) override {
        std::lock_guard<std::mutex> l(mu_);
        if (cmdid == kCmdPush) pushes_.push_back(body);
        MARS_LOGI(g_log, name_.c_str(), "push %u on %s: %s", cmdid, channel_id.c_str(), body.c_str());
        cv_.notify_all();
    }

    // WaitEnded waits until n tasks have ended; false after 10 s.
    bool WaitEnded(int n) {
        std::unique_lock<std::mutex> l(mu_);
        return cv_.wait_for(l, std::chrono::seconds(10), [&] { return ended_ >= n; }) && failed_ == 0;
    }
    bool WaitPush(const std::string &body) {
        std::unique_lock<std::mutex> l(mu_);
        return cv_.wait_for(l, std::chrono::seconds(10), [&] {
            for (const std::string &p : pushes_)
                if (p == body) return true;
            return false;
        });
    }
    std::string LastAnswer() {
        std::lock_guard<std::mutex> l(mu_);
        return answers_.empty() ? std::string() : answers_.back();
    }

private:
    std::string name_;
    std::mutex mu_;
    std::condition_variable cv_;
    std::vector<std::string> answers_, pushes_;
    int ended_ = 0, failed_ = 0;
};

bool split(const char *addr, std::string &host, uint16_t &port) {
    std::string s(addr);
    size_t colon = s.rfind(':');
    if (colon == std::string::npos) return false;
    host = s.substr(0, colon);
    port = static_cast<uint16_t>(std::atoi(s.c_str() + colon + 1));
    return port != 0;
}

// Connect does what the sample's startup does: client version, the long-
// and short-link addresses, foreground, and a connect right away.
void Connect(const mars::stn::Stn &engine, const std::string &long_host, uint16_t long_port, uint16_t short_port) {
    mars::stn::SetCurrent(engine.get());
    mars::stn::SetLonglinkSvrAddr(long_host, {long_port});
    mars::stn::SetShortlinkSvrAddr(short_port);
    mars_stn_on_foreground(engine.get(), 1);
    mars::stn::MakesureLonglinkConnected();
}

// DecodeLog reads back the chat_*.xlog file of dir (what `mars xlog decode`
// does) and prints its push lines.
bool DecodeLog(const char *dir) {
    DIR *d = opendir(dir);
    if (d == nullptr) return false;
    std::string path;
    while (dirent *e = readdir(d)) {
        std::string name = e->d_name;
        if (name.compare(0, 5, "chat_") == 0 && name.size() > 5 && name.substr(name.size() - 5) == ".xlog")
            path = std::string(dir) + "/" + name;
    }
    closedir(d);
    char *text = nullptr;
    size_t n = 0;
    if (path.empty() || mars_xlog_decode(path.c_str(), nullptr, &text, &n) != MARS_OK) return false;
    std::string all(text, n);
    mars_free(text);
    size_t at = 0, pushes = 0;
    while ((at = all.find("push 10001", at)) != std::string::npos) {
        size_t start = all.rfind('\n', at);
        std::printf("  %s\n", all.substr(start + 1, all.find('\n', at) - start - 1).c_str());
        at++;
        pushes++;
    }
    return pushes >= 2;
}

// LongLinkTask is a long-link task whose request body is *body (Req2Buf
// reads it through user_context, which must outlive the task).
mars::stn::Task LongLinkTask(uint32_t cmdid, std::string *body) {
    mars::stn::Task t;
    t.cmdid = cmdid;
    t.channel_select = mars::stn::kChannelLong;
    t.user_context = body;
    return t;
}

bool Step(bool ok, const char *what) {
    std::printf("%s %s\n", ok ? "ok  " : "FAIL", what);
    return ok;
}

}  // namespace

int main(int argc, char **argv) {
    std::string long_host, short_host;
    uint16_t long_port = 0, short_port = 0;
    if (!split(argc > 1 ? argv[1] : "127.0.0.1:8081", long_host, long_port) ||
        !split(argc > 2 ? argv[2] : "127.0.0.1:8080", short_host, short_port)) {
        std::fprintf(stderr, "usage: mars_chat [LONG_HOST:PORT [SHORT_HOST:PORT [LOGDIR]]]\n");
        return 2;
    }
    const char *logdir = argc > 3 ? argv[3] : "/tmp/mars-chat-logs";

    // 1. xlog, as the sample's appender_open + xlogger_SetLevel.
    mars_xlog_config lc;
    mars_xlog_config_init_sized(&lc, sizeof lc);
    lc.log_dir = logdir;
    lc.name_prefix = "chat";
    lc.compress_mode = MARS_XLOG_COMPRESS_ZLIB;
    mars::Xlog log(lc);
    if (!Step(log.rc() == MARS_OK, "xlog open")) return 1;
    log.SetLevel(MARS_LEVEL_DEBUG);
    g_log = log.get();

    bool ok = true;
    {
        // 2. Two phones, each with its engine and long link.
        mars_stn_config cfg;
        mars_stn_config_init_sized(&cfg, sizeof cfg);
        cfg.client_version = kClientVersion;
        Phone alice("alice"), bob("bob");
        mars::stn::Stn a(cfg, &alice), b(cfg, &bob);
        if (!Step(a.rc() == MARS_OK && b.rc() == MARS_OK, "engines created")) return 1;
        Connect(b, long_host, long_port, short_port);
        Connect(a, long_host, long_port, short_port);  // alice's engine stays current

        // 3. Hello over the long link.
        std::string hello_body = "hello from alice";
        mars::stn::Task hello = LongLinkTask(kCmdHello, &hello_body);
        ok &= Step(mars::stn::StartTask(hello) && alice.WaitEnded(1) && alice.LastAnswer() == hello_body,
                   "long-link hello answered");

        // bob says hello too, so his connection is open for the push.
        mars::stn::SetCurrent(b.get());
        std::string bob_hello = "hello from bob";
        mars::stn::Task hello2 = LongLinkTask(kCmdHello, &bob_hello);
        ok &= Step(mars::stn::StartTask(hello2) && bob.WaitEnded(1), "bob connected");
        mars::stn::SetCurrent(a.get());

        // 4. The conversation list over the short link (an HTTP POST).
        std::string list_body = "conversations: all, mars, weixin";
        mars::stn::Task list;
        list.cgi = kCgiConvList;
        list.channel_select = mars::stn::kChannelShort;
        list.shortlink_host_list.push_back(short_host);
        list.user_context = &list_body;
        ok &= Step(mars::stn::StartTask(list) && alice.WaitEnded(2) && alice.LastAnswer() == list_body,
                   "conversation list over the short link");

        // 5. Send a message; the server pushes it to every connection.
        std::string message = "alice@all: hi bob";
        mars::stn::Task send = LongLinkTask(kCmdSendMessage, &message);
        ok &= Step(mars::stn::StartTask(send) && alice.WaitEnded(3), "message sent");
        ok &= Step(bob.WaitPush(message), "bob got the message as a push");
        ok &= Step(alice.WaitPush(message), "alice got her own message as a push");
    }  // the engines close here (Mars's OnDestroy), then the appender

    log = mars::Xlog();  // closes the appender: the file is complete
    ok &= Step(DecodeLog(logdir), "the log decodes, with both pushes");
    return ok ? 0 : 1;
}
