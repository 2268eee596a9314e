// test_cpp.cpp — mars.hpp as a C++ Mars app uses it, against marsd: the RAII
// owners, a Callback subclass, Mars's free functions (StartTask, HasTask,
// StopTask, ...), a push, a short-link task, and the MARS_LOG macros in C++.
#include "harness.h"

#include <condition_variable>
#include <mutex>
#include <string>

#include "mars.hpp"

namespace {

const uint32_t kClientVersion = 200;
const uint32_t kCmdEcho = 100, kCmdPushAll = 10003, kCmdSilence = 10004;

// ChatCallback is written as a Mars app writes its stn::Callback.
class ChatCallback : public mars::stn::Callback {
public:
    bool Req2Buf(uint32_t taskid, void *, const std::string &user_id, std::string &out, int &, int,
                 const std::string &) override {
        out = "hello " + std::to_string(taskid) + " from " + user_id;
        return true;
    }
    int Buf2Resp(uint32_t, void *, const std::string &, const std::string &in, int &, int) override {
        std::lock_guard<std::mutex> l(mu);
        last_resp = in;
        return mars::stn::kTaskFailHandleNormal;
    }
    int OnTaskEnd(uint32_t taskid, void *, const std::string &, int error_type, int, const mars_task_profile &) override {
        std::lock_guard<std::mutex> l(mu);
        ended_id = taskid;
        ended_type = error_type;
        ends++;
        cv.notify_all();
        return 0;
    }
    void OnPush(const std::string &channel_id, uint32_t cmdid, uint32_t, const std::string &body) override {
        std::lock_guard<std::mutex> l(mu);
        push_channel = channel_id;
        push_cmdid = cmdid;
        push_body = body;
        pushes++;
        cv.notify_all();
    }
    template <class F> bool wait(F done) {
        std::unique_lock<std::mutex> l(mu);
        return cv.wait_for(l, std::chrono::milliseconds(TEST_TIMEOUT_MS), done);
    }

    std::mutex mu;
    std::condition_variable cv;
    std::string last_resp, push_channel, push_body;
    uint32_t ended_id = 0, push_cmdid = 0;
    int ended_type = -1, ends = 0, pushes = 0;
};

marsd g_srv;

}  // namespace

TEST(test_cpp_xlog_raii_and_macros) {
    char dir[] = "/tmp/mars-test-cpp-XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    mars_xlog_config cfg;
    mars_xlog_config_init_sized(&cfg, sizeof cfg);
    cfg.log_dir = dir;
    cfg.name_prefix = "cpp";
    {
        mars::Xlog log(cfg);
        CHECK_RC(log.rc(), MARS_OK);
        mars::Xlog moved(std::move(log));
        CHECK(!log && moved);
        CHECK(moved.IsEnabledFor(MARS_LEVEL_INFO));
        MARS_LOGI(moved.get(), "cpp", "from C++ %d", 7);
        CHECK_RC(moved.SetLevel(MARS_LEVEL_ERROR), MARS_OK);
        CHECK(!moved.IsEnabledFor(MARS_LEVEL_WARN));
        MARS_LOGW(moved.get(), "cpp", "filtered %d", 8);
    }  // closed here: the file is complete
    char path[512];
    CHECK(find_xlog(dir, "cpp", path, sizeof path) == 0);
    char *text = NULL;
    size_t n = 0;
    CHECK_RC(mars_xlog_decode(path, NULL, &text, &n), MARS_OK);
    bool ok = strstr(text, "[test_cpp.cpp:") && strstr(text, ", test_cpp_xlog_raii_and_macros][from C++ 7\n") &&
              !strstr(text, "filtered 8");
    mars_free(text);
    std::string rm = std::string("rm -rf '") + dir + "'";
    CHECK(system(rm.c_str()) == 0);
    CHECK(ok);
}

TEST(test_cpp_stn_free_functions_against_marsd) {
    CHECK(marsd_start(&g_srv, kClientVersion) == 0);
    ChatCallback cb;
    mars_stn_config cfg;
    mars_stn_config_init_sized(&cfg, sizeof cfg);
    cfg.client_version = kClientVersion;
    {
        mars::stn::Stn engine(cfg, &cb);
        CHECK_RC(engine.rc(), MARS_OK);
        CHECK(mars::stn::Current() == engine.get());
        mars::stn::SetLonglinkSvrAddr(g_srv.long_host, {g_srv.long_port});
        mars::stn::SetShortlinkSvrAddr(g_srv.short_port);
        mars::stn::SetBackupIPs("chat.example", {"127.0.0.1"});
        mars::stn::MakesureLonglinkConnected();

        // Long link: the echo carries Req2Buf's body back to Buf2Resp.
        mars::stn::Task hello;
        hello.cmdid = kCmdEcho;
        hello.channel_select = mars::stn::kChannelLong;
        hello.user_id = "alice";
        CHECK(mars::stn::StartTask(hello));
        CHECK(hello.taskid != 0);
        CHECK(cb.wait([&] { return cb.ends == 1; }));
        CHECK(cb.ended_id == hello.taskid && cb.ended_type == MARS_ECT_OK);
        CHECK(cb.last_resp == "hello " + std::to_string(hello.taskid) + " from alice");

        // A task bound to the connection it came on goes out; one bound to
        // another connection ends locally.
        mars::stn::Task bound;
        CHECK(bound.channel_id == 0);
        bound.cmdid = kCmdEcho;
        bound.channel_select = mars::stn::kChannelLong;
        bound.channel_id = mars::stn::LongLinkConnectionID();
        CHECK(bound.channel_id != 0);
        CHECK(mars::stn::LongLinkConnectionID("no-such-link") == 0);
        CHECK(mars::stn::StartTask(bound));
        CHECK(cb.wait([&] { return cb.ends == 2; }));
        CHECK(cb.ended_id == bound.taskid && cb.ended_type == MARS_ECT_OK);
        mars::stn::Task elsewhere = bound;
        elsewhere.taskid = 0;
        elsewhere.channel_id = bound.channel_id + 1;
        CHECK(mars::stn::StartTask(elsewhere));
        CHECK(cb.wait([&] { return cb.ends == 3; }));
        CHECK(cb.ended_id == elsewhere.taskid && cb.ended_type == MARS_ECT_LOCAL);

        // A push to every connection arrives through OnPush.
        mars::stn::Task send;
        send.cmdid = kCmdPushAll;
        send.channel_select = mars::stn::kChannelLong;
        CHECK(mars::stn::StartTask(send));
        CHECK(cb.wait([&] { return cb.pushes == 1 && cb.ends == 4; }));
        CHECK(cb.push_cmdid == 10001 && cb.push_channel == "default-longlink");
        CHECK(cb.push_body == "hello " + std::to_string(send.taskid) + " from ");

        // Short link: a cgi task over HTTP.
        mars::stn::Task list;
        list.cgi = "/mars/getconvlist";
        list.channel_select = mars::stn::kChannelShort;
        list.shortlink_host_list.push_back(g_srv.short_host);
        CHECK(mars::stn::StartTask(list));
        CHECK(cb.wait([&] { return cb.ends == 5; }));
        CHECK(cb.ended_id == list.taskid && cb.ended_type == MARS_ECT_OK);

        // A task the server never answers: HasTask sees it, StopTask ends it
        // without OnTaskEnd, ClearTasks drops the next.
        mars::stn::Task silent;
        silent.cmdid = kCmdSilence;
        silent.channel_select = mars::stn::kChannelLong;
        CHECK(mars::stn::StartTask(silent));
        CHECK(mars::stn::HasTask(silent.taskid));
        mars::stn::StopTask(silent.taskid);
        CHECK(!mars::stn::HasTask(silent.taskid));
        mars::stn::Task silent2(mars::stn::GenTaskID());
        CHECK(mars::stn::GenSequenceId() <= 0xFFFF);
        mars::stn::SetClientVersion(kClientVersion); // in place: the link and silent2's start go on
        silent2.cmdid = kCmdSilence;
        silent2.channel_select = mars::stn::kChannelLong;
        CHECK(mars::stn::StartTask(silent2));
        CHECK(mars::stn::HasTask(silent2.taskid));
        mars::stn::ClearTasks();
        CHECK(!mars::stn::HasTask(silent2.taskid));
        mars::stn::KeepSignalling();
        mars::stn::StopSignalling();
        mars::stn::RedoTasks();
        mars::stn::Reset();
        CHECK(cb.ends == 5);
    }
    // The engine is gone and no longer current: the free functions fail softly.
    CHECK(mars::stn::Current() == nullptr);
    mars::stn::Task late;
    late.cmdid = kCmdEcho;
    CHECK(!mars::stn::StartTask(late));
    CHECK(!mars::stn::HasTask(1));
    CHECK(mars::stn::LongLinkConnectionID() == 0);
    marsd_stop(&g_srv);
}

int main(int argc, char **argv) { return run_tests(argc > 1 ? argv[1] : NULL, NULL); }
