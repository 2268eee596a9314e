/* TestText.m — the string table every binding is tested with (NUL, emoji,
 * unpaired surrogate, 1 MiB, empty, nil) through log text, config strings,
 * task cgi/hosts/headers and the other string arguments, and the fork guard.
 * The rule (MarsPrivate.h): UTF-8; an unpaired surrogate becomes U+FFFD; a
 * NUL becomes U+2400 in log text and is refused (MarsErrorInvalidArgument,
 * naming the field) anywhere else. */
#import "TestDelegate.h"
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

/* GNUstep keeps an unpaired surrogate in a string made by a format's %C or
 * by cutting a pair in two (an app trimming text to a length); the
 * stringWithCharacters:length: family returns nil for such units. */
static NSString *surrogateText(void) {
    return [NSString stringWithFormat:@"x%Cy", (unichar)0xD800];
}

static NSString *cutPairText(void) { /* "t" + the high half of U+1F600 */
    return [[NSString stringWithFormat:@"t%C%C", (unichar)0xD83D, (unichar)0xDE00] substringToIndex:2];
}

static NSString *nulText(void) {
    return [NSString stringWithFormat:@"a%Cb", (unichar)0];
}

static NSString *emojiText(void) {
    return [NSString stringWithFormat:@"t%C%Cg", (unichar)0xD83D, (unichar)0xDE00];
}

static NSString *mibText(void) {
    NSMutableString *m = [NSMutableString stringWithCapacity:1 << 20];
    for (int i = 0; i < 1 << 20; i++) [m appendString:@"m"];
    return m;
}

static BOOL contains(NSString *text, NSString *part) {
    return text != nil && [text rangeOfString:part].location != NSNotFound;
}

/* err is MarsErrorInvalidArgument and its text names field. */
static BOOL refusedNaming(NSError *err, NSString *field) {
    return err != nil && [[err domain] isEqualToString:MarsErrorDomain] &&
           [err code] == MarsErrorInvalidArgument && contains([err localizedDescription], field);
}

static NSString *xlogFileIn(NSString *dir, NSString *prefix) {
    for (NSString *name in [[NSFileManager defaultManager] contentsOfDirectoryAtPath:dir error:NULL])
        if ([name hasPrefix:prefix] && [name hasSuffix:@".xlog"]) return [dir stringByAppendingPathComponent:name];
    return nil;
}

static MarsXlog *syncLog(NSString *dir, NSString *prefix, NSError **err) {
    MarsXlogConfig *c = MARS_AUTORELEASE([[MarsXlogConfig alloc] init]);
    c.logDir = dir;
    c.namePrefix = prefix;
    c.mode = MarsXlogModeSync;
    return MARS_AUTORELEASE([[MarsXlog alloc] initWithConfig:c error:err]);
}

TEST(test_text_the_table_is_what_it_says) {
    CHECK_EQ([surrogateText() length], 3);
    CHECK_EQ([surrogateText() characterAtIndex:1], 0xD800);
    CHECK_EQ([cutPairText() length], 2);
    CHECK_EQ([cutPairText() characterAtIndex:1], 0xD83D);
    CHECK_EQ([nulText() length], 3);
    CHECK_EQ([nulText() characterAtIndex:1], 0);
    CHECK_EQ([emojiText() length], 4);
}

TEST(test_text_log_keeps_every_character) {
    NSString *dir = MarsTempDir();
    NSError *err = nil;
    MarsXlog *x = syncLog(dir, @"objc", &err);
    CHECK(x != nil);
    NSString *nul = nulText(), *emoji = emojiText();
    CHECK([x writeLevel:MarsLogLevelInfo tag:[@"tag-" stringByAppendingString:nul] file:nil function:nil line:0
                message:[@"msg-" stringByAppendingString:nul] error:&err]);
    CHECK([x writeLevel:MarsLogLevelInfo tag:[@"tag-" stringByAppendingString:emoji]
                   file:[emoji stringByAppendingString:@".m"] function:nul line:7
                message:[@"msg-" stringByAppendingString:emoji] error:&err]);
    /* (GNUstep's stringByAppendingString: gives nil for such text; a format keeps it.) */
    NSString *surTag = [NSString stringWithFormat:@"tag-%@", surrogateText()];
    NSString *surMsg = [NSString stringWithFormat:@"msg-%@", surrogateText()];
    CHECK([x writeLevel:MarsLogLevelInfo tag:surTag file:nil function:nil line:0 message:surMsg error:&err]);
    [x log:MarsLogLevelInfo tag:@"cut" message:[NSString stringWithFormat:@"half-%@", cutPairText()]];
    CHECK([x writeLevel:MarsLogLevelInfo tag:@"" file:nil function:nil line:0 message:@"" error:&err]);
    CHECK([x writeLevel:MarsLogLevelInfo tag:nil file:nil function:nil line:0 message:@"no tag" error:&err]);
    CHECK(![x writeLevel:MarsLogLevelInfo tag:@"t" file:nil function:nil line:0 message:nil error:&err]);
    CHECK_ERR(err, MarsErrorInvalidArgument);
    CHECK([x writeLevel:MarsLogLevelInfo tag:@"big" file:nil function:nil line:0 message:mibText() error:&err]);
    MarsXlogStats *stats = [x stats:&err];
    CHECK(stats.linesTruncated == 1);
    CHECK([x close:&err]);
    NSString *text = [MarsXlog decodedTextOfFileAtPath:xlogFileIn(dir, @"objc") privateKey:nil error:&err];
    CHECK(contains(text, @"[tag-a\u2400b]"));
    CHECK(contains(text, @"msg-a\u2400b"));
    CHECK(contains(text, [NSString stringWithFormat:@"[tag-%@]", emoji]));
    CHECK(contains(text, [NSString stringWithFormat:@"[%@.m:7, a\u2400b]", emoji]));
    CHECK(contains(text, @"[tag-x\uFFFDy]")); /* the line is kept, the half replaced */
    CHECK(contains(text, @"msg-x\uFFFDy"));
    CHECK(contains(text, @"half-t\uFFFD"));
    CHECK(contains(text, @"no tag"));
    CHECK(contains(text, @"\u2026[truncated "));
    for (NSString *line in [text componentsSeparatedByString:@"\n"])
        CHECK([line lengthOfBytesUsingEncoding:NSUTF8StringEncoding] < MarsXlogMaxLine);
}

TEST(test_text_xlog_config_strings) {
    NSString *dir = MarsTempDir();
    NSError *err = nil;
    CHECK(syncLog(dir, nulText(), &err) == nil);
    CHECK(refusedNaming(err, @"namePrefix"));
    MarsXlogConfig *c = MARS_AUTORELEASE([[MarsXlogConfig alloc] init]);
    c.logDir = [dir stringByAppendingString:nulText()];
    err = nil;
    CHECK(MARS_AUTORELEASE([[MarsXlog alloc] initWithConfig:c error:&err]) == nil);
    CHECK(refusedNaming(err, @"logDir"));
    MarsXlog *e = syncLog(dir, emojiText(), &err), *s = syncLog(dir, surrogateText(), &err);
    CHECK(e != nil && s != nil);
    CHECK([e close:NULL] && [s close:NULL]);
    CHECK(xlogFileIn(dir, [emojiText() stringByAppendingString:@"_"]) != nil);
    CHECK(xlogFileIn(dir, @"x\uFFFDy_") != nil);
}

/* Every string property of MarsStnConfig, by its name. */
static NSArray *stnConfigStringKeys(void) {
    return [NSArray arrayWithObjects:@"longLinkHost", @"longLinkDebugIP", @"shortLinkDebugIP", @"appFileDir",
                                     @"networkLabel", @"tlsServerName", @"tlsRootCAPEM", @"proxyAddress",
                                     @"proxyUser", @"proxyPassword", @"dohURL", @"shortLinkTLSServerName",
                                     @"shortLinkTLSRootCAPEM", @"netCheckCGI", nil];
}

TEST(test_text_stn_config_strings) {
    NSArray *fine = [NSArray arrayWithObjects:emojiText(), surrogateText(), mibText(), @"", [NSNull null], nil];
    for (id v in fine) {
        MarsStnConfig *c = MARS_AUTORELEASE([[MarsStnConfig alloc] init]);
        c.longLinkHost = v == [NSNull null] ? nil : v;
        c.networkLabel = c.longLinkHost;
        NSError *err = nil;
        MarsStn *s = [[MarsStn alloc] initWithConfig:c delegate:nil error:&err];
        CHECK(s != nil);
        [s close];
        MARS_RELEASE(s);
    }
    for (NSString *key in stnConfigStringKeys()) {
        MarsStnConfig *c = MARS_AUTORELEASE([[MarsStnConfig alloc] init]);
        [c setValue:[@"v" stringByAppendingString:nulText()] forKey:key];
        NSError *err = nil;
        CHECK([[MarsStn alloc] initWithConfig:c delegate:nil error:&err] == nil);
        if (!refusedNaming(err, key)) fprintf(stderr, "  %s: %s\n", [key UTF8String], [[err description] UTF8String]);
        CHECK(refusedNaming(err, key));
    }
}

static MarsTask *shortTask(NSString *cgi, NSString *host, NSString *name, NSString *value) {
    MarsTask *t = MARS_AUTORELEASE([[MarsTask alloc] init]);
    t.cmdID = kCmdEcho;
    t.channelSelect = MarsChannelShort;
    t.cgi = cgi;
    t.shortLinkHosts = host != nil ? [NSArray arrayWithObject:host] : nil;
    t.headers = name != nil ? [NSDictionary dictionaryWithObject:value forKey:name] : nil;
    return t;
}

TEST(test_text_task_strings) {
    MarsStnConfig *c = MARS_AUTORELEASE([[MarsStnConfig alloc] init]);
    c.longLinkHost = @"127.0.0.1";
    NSError *err = nil;
    MarsStn *s = MARS_AUTORELEASE([[MarsStn alloc] initWithConfig:c delegate:nil error:&err]);
    CHECK(s != nil);
    NSArray *fine = [NSArray arrayWithObjects:emojiText(), surrogateText(), mibText(), @"", nil];
    for (NSString *v in fine) {
        NSString *name = [NSString stringWithFormat:@"X-%lu", (unsigned long)[v length]];
        uint32_t tid = [s startTask:shortTask([@"/" stringByAppendingString:v], [@"h" stringByAppendingString:v],
                                             name, v)
                             error:&err];
        CHECK(tid != 0);
        CHECK([s stopTask:tid error:&err]);
    }
    uint32_t tid = [s startTask:shortTask(nil, nil, nil, nil) error:&err]; /* nil: the defaults */
    CHECK(tid != 0);
    CHECK([s stopTask:tid error:&err]);
    NSString *nul = nulText();
    struct {
        MarsTask *task;
        NSString *field;
    } bad[] = {
        {shortTask(nul, @"h", @"X", @"v"), @"cgi"},
        {shortTask(@"/c", nul, @"X", @"v"), @"shortLinkHosts"},
        {shortTask(@"/c", @"h", nul, @"v"), @"headers (a name)"},
        {shortTask(@"/c", @"h", @"X", nul), @"headers (a value)"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        bad[i].task.taskID = 7000 + (uint32_t)i;
        bad[i].task.context = @"ctx";
        err = nil;
        CHECK_EQ([s startTask:bad[i].task error:&err], 0);
        CHECK(refusedNaming(err, bad[i].field));
        CHECK(![s hasTask:bad[i].task.taskID]);
    }
    MarsTask *longHosts = TestTask(kCmdEcho);
    longHosts.longLinkHosts = [NSArray arrayWithObject:nul];
    CHECK_EQ([s startTask:longHosts error:&err], 0);
    CHECK(refusedNaming(err, @"longLinkHosts"));
    longHosts.longLinkHosts = nil;
    longHosts.userID = nul;
    CHECK_EQ([s startTask:longHosts error:NULL], 0); /* no error asked for: nothing leaks */
}

TEST(test_text_other_string_arguments) {
    MarsStnConfig *c = MARS_AUTORELEASE([[MarsStnConfig alloc] init]);
    c.longLinkHost = @"127.0.0.1";
    NSError *err = nil;
    MarsStn *s = MARS_AUTORELEASE([[MarsStn alloc] initWithConfig:c delegate:nil error:&err]);
    CHECK(s != nil);
    NSString *nul = nulText();
    CHECK(![s setDebugIP:@"127.0.0.1" forHost:nul error:&err]);
    CHECK(refusedNaming(err, @"host"));
    CHECK(![s setBackupIPs:[NSArray arrayWithObject:nul] forHost:@"h" error:&err]);
    CHECK(refusedNaming(err, @"ips"));
    CHECK(![s setLongLinkHost:@"h" ports:[NSArray arrayWithObject:[NSNumber numberWithInt:80]] debugIP:nul error:&err]);
    CHECK(refusedNaming(err, @"debugIP"));
    CHECK(![s setShortLinkPort:80 debugIP:nul error:&err]);
    CHECK(refusedNaming(err, @"debugIP"));
    CHECK(![s networkDidChange:MarsNetworkWifi label:nul error:&err]);
    CHECK(refusedNaming(err, @"label"));
    CHECK([s setDebugIP:@"127.0.0.1" forHost:emojiText() error:&err]);
    CHECK([MarsXlog decodeFileAtPath:nul privateKey:nil error:&err] == nil);
    CHECK(refusedNaming(err, @"path"));
    CHECK(![MarsXlog decodeFileAtPath:@"/nonexistent" privateKey:nil toPath:nul error:&err]);
    CHECK(refusedNaming(err, @"outPath"));
    CHECK([MarsSdt checkJSON:[@"{}" stringByAppendingString:nul] clientVersion:200 error:&err] == nil);
    CHECK(refusedNaming(err, @"requestJSON"));
    CHECK(![MarsLibrary hasFeature:[@"stn" stringByAppendingString:nul]]);
}

/* What one use gave in the child: "F" for MarsErrorForkedChild with a text
 * that says fork, "ok", or the error's code. */
static void childResult(NSMutableString *out, BOOL ok, NSError *err) {
    if (ok)
        [out appendString:@"ok,"];
    else if (err == nil)
        [out appendString:@"no error,"];
    else if ([err code] == MarsErrorForkedChild && contains([err localizedDescription], @"fork"))
        [out appendString:@"F,"];
    else
        [out appendFormat:@"%ld,", (long)[err code]];
}

TEST(test_fork_child_fails_fast) {
    NSString *dir = MarsTempDir();
    NSError *err = nil;
    MarsXlog *parentLog = syncLog(dir, @"parent", &err);
    CHECK(parentLog != nil);
    /* No delegate and no server: no library thread is inside Objective-C
     * (holding a runtime or GNUstep lock the child would inherit) at fork. */
    MarsStnConfig *quiet = MARS_AUTORELEASE([[MarsStnConfig alloc] init]);
    MarsStn *parentStn = MARS_AUTORELEASE([[MarsStn alloc] initWithConfig:quiet delegate:nil error:&err]);
    CHECK(parentStn != nil);
    int fds[2];
    CHECK(pipe(fds) == 0);
    pid_t pid = fork();
    CHECK(pid >= 0);
    if (pid == 0) { /* the child: report what each use gave, never hang */
        alarm(10);
        close(fds[0]);
        NSMutableString *out = [NSMutableString string];
        NSError *e = nil;
        BOOL ok; /* each result before its error is read: argument order is unspecified */
        ok = [[MarsStn alloc] initWithConfig:MARS_AUTORELEASE([[MarsStnConfig alloc] init]) delegate:nil
                                       error:&e] != nil; /* value objects made in the child too */
        childResult(out, ok, e);
        ok = syncLog(dir, @"child", &e) != nil;
        childResult(out, ok, e);
        ok = [parentLog writeLevel:MarsLogLevelInfo tag:@"t" file:nil function:nil line:0
                           message:@"from the child" error:&e];
        childResult(out, ok, e);
        ok = [parentStn startTask:TestTask(kCmdEcho) error:&e] != 0;
        childResult(out, ok, e);
        ok = [MarsLibrary checkVersion:&e];
        childResult(out, ok, e);
        ok = [MarsXlog decodeFileAtPath:@"/nonexistent" privateKey:nil error:&e] != nil;
        childResult(out, ok, e);
        [out appendFormat:@"%ld,", (long)[MarsLibrary versionNumber]];
        ok = [parentLog close:&e]; /* only let go */
        childResult(out, ok, e);
        [parentStn close]; /* likewise: no wait for Go threads */
        const char *bytes = [out UTF8String];
        if (write(fds[1], bytes, strlen(bytes)) < 0) _exit(2);
        _exit(0);
    }
    close(fds[1]);
    int status = 0;
    CHECK(waitpid(pid, &status, 0) == pid);
    char buf[256] = {0};
    ssize_t n = read(fds[0], buf, sizeof buf - 1);
    close(fds[0]);
    if (!WIFEXITED(status) || strcmp(buf, "F,F,F,F,F,F,0,ok,") != 0) fprintf(stderr, "  child status %d, said \"%s\"\n", status, buf);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    CHECK(n > 0);
    CHECK(strcmp(buf, "F,F,F,F,F,F,0,ok,") == 0);
    CHECK([parentLog writeLevel:MarsLogLevelInfo tag:@"t" file:nil function:nil line:0
                        message:@"the parent still logs" error:&err]);
    CHECK([parentLog close:&err]);
    CHECK([MarsLibrary checkVersion:&err]);
}
