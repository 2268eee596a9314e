/* TestXlog.m — MarsXlog: write, flush, close and decode in each mode; level
 * filter; counters; bad input as NSErrors. */
#import "MarsTestHarness.h"

static MarsXlogConfig *configIn(NSString *dir) {
    MarsXlogConfig *c = MARS_AUTORELEASE([[MarsXlogConfig alloc] init]);
    c.logDir = dir;
    c.namePrefix = @"objc";
    return c;
}

/* The one .xlog file in dir, or nil. */
static NSString *logFileIn(NSString *dir) {
    for (NSString *name in [[NSFileManager defaultManager] contentsOfDirectoryAtPath:dir error:NULL])
        if ([name hasSuffix:@".xlog"]) return [dir stringByAppendingPathComponent:name];
    return nil;
}

/* Writes three lines in the given mode and checks the decoded text. */
static void roundTrip(MarsXlogMode mode, MarsXlogCompress compress) {
    NSString *dir = MarsTempDir();
    CHECK(dir != nil);
    MarsXlogConfig *c = configIn(dir);
    c.mode = mode;
    c.compressMode = compress;
    NSError *err = nil;
    MarsXlog *x = MARS_AUTORELEASE([[MarsXlog alloc] initWithConfig:c error:&err]);
    CHECK(x != nil);
    CHECK(MARS_LOG_INFO(x, @"objc", @"hello %d", 1));
    CHECK(MARS_LOG_WARN(x, @"objc", @"caf\u00e9 %@", @"two"));
    [x log:MarsLogLevelError tag:@"objc" message:@"third line"];
    CHECK([x flush:YES error:&err]);
    MarsXlogStats *stats = [x stats:&err];
    CHECK(stats != nil);
    CHECK(stats.linesWritten >= 3);
    CHECK(stats.linesTruncated == 0);
    CHECK([x close:&err]);
    NSString *path = logFileIn(dir);
    CHECK(path != nil);
    NSString *text = [MarsXlog decodedTextOfFileAtPath:path privateKey:nil error:&err];
    CHECK(text != nil);
    CHECK([text rangeOfString:@"hello 1"].location != NSNotFound);
    CHECK([text rangeOfString:@"caf\u00e9 two"].location != NSNotFound);
    CHECK([text rangeOfString:@"third line"].location != NSNotFound);
    CHECK([text rangeOfString:@"TestXlog.m"].location != NSNotFound); /* MARS_LOG's file */
    NSString *out = [dir stringByAppendingPathComponent:@"decoded.txt"];
    CHECK([MarsXlog decodeFileAtPath:path privateKey:nil toPath:out error:&err]);
    NSString *fromFile = [NSString stringWithContentsOfFile:out encoding:NSUTF8StringEncoding error:NULL];
    CHECK([fromFile isEqualToString:text]);
}

TEST(test_xlog_async_zlib_write_and_decode) {
    roundTrip(MarsXlogModeAsync, MarsXlogCompressZlib);
}

TEST(test_xlog_async_lz4_write_and_decode) {
    roundTrip(MarsXlogModeAsync, MarsXlogCompressLZ4);
}

TEST(test_xlog_async_zstd_write_and_decode) {
    roundTrip(MarsXlogModeAsync, MarsXlogCompressZstd);
}

/* Mars's numbers: zstd is 1 and writes zstd blocks (magic 0x0D); a level the
 * codec lacks fails the open. */
TEST(test_xlog_compress_numbers_and_level) {
    CHECK(MarsXlogCompressZlib == 0 && MarsXlogCompressZstd == 1);
    NSString *dir = MarsTempDir();
    MarsXlogConfig *c = configIn(dir);
    c.compressMode = MarsXlogCompressZstd;
    c.compressLevel = 19;
    NSError *err = nil;
    MarsXlog *x = MARS_AUTORELEASE([[MarsXlog alloc] initWithConfig:c error:&err]);
    CHECK(x != nil);
    [x log:MarsLogLevelInfo tag:@"objc" message:@"numbered"];
    CHECK([x close:&err]);
    NSData *data = [NSData dataWithContentsOfFile:logFileIn(dir)];
    CHECK(data.length > 0 && ((const uint8_t *)data.bytes)[0] == 0x0D);
    c.namePrefix = @"bad";
    c.compressMode = MarsXlogCompressLZ4;
    c.compressLevel = 1;
    err = nil;
    CHECK([[MarsXlog alloc] initWithConfig:c error:&err] == nil);
    CHECK_ERR(err, MarsErrorInvalidArgument);
}

static int gEvaluated;
static NSString *counted(NSString *s) {
    gEvaluated++;
    return s;
}

/* One macro per level; below the level nothing is formatted or evaluated. */
TEST(test_xlog_level_macros_filter_before_formatting) {
    NSString *dir = MarsTempDir();
    MarsXlogConfig *c = configIn(dir);
    c.mode = MarsXlogModeSync;
    NSError *err = nil;
    MarsXlog *x = MARS_AUTORELEASE([[MarsXlog alloc] initWithConfig:c error:&err]);
    CHECK(x != nil);
    CHECK(MARS_LOG_VERBOSE(x, @"m", @"lv %d", 0) && MARS_LOG_DEBUG(x, @"m", @"lv %d", 1));
    CHECK(MARS_LOG_FATAL(x, @"m", @"lv %d", 5));
    CHECK([x setLevel:MarsLogLevelWarn error:&err]);
    CHECK(![x isEnabledForLevel:MarsLogLevelInfo] && [x isEnabledForLevel:MarsLogLevelWarn]);
    gEvaluated = 0;
    CHECK(MARS_LOG_INFO(x, @"m", @"dropped %@", counted(@"info")));
    CHECK(MARS_LOG_DEBUG(x, @"m", @"dropped %@", counted(@"debug")));
    CHECK(gEvaluated == 0);
    CHECK(MARS_LOG_ERROR(x, @"m", @"kept %@", counted(@"error")));
    CHECK(gEvaluated == 1);
    CHECK([x close:&err]);
    CHECK(![x isEnabledForLevel:MarsLogLevelFatal]);
    NSString *text = [MarsXlog decodedTextOfFileAtPath:logFileIn(dir) privateKey:nil error:&err];
    CHECK(text != nil);
    CHECK([text rangeOfString:@"[V]["].location != NSNotFound && [text rangeOfString:@"[F]["].location != NSNotFound);
    CHECK([text rangeOfString:@"dropped"].location == NSNotFound);
    CHECK([text rangeOfString:@"kept error"].location != NSNotFound);
}

TEST(test_xlog_sync_write_and_decode) {
    roundTrip(MarsXlogModeSync, MarsXlogCompressZlib);
}

/* Mars's public test key pair (reference testdata/mars-xlog/README.md). */
static NSString *const kMarsPubKey = @"3108f6a59fcebc32fcc67c5307cdade439b2a8be7dfc1bfff37280afa4ba471b"
                                     @"07b03a897b83199b5311362db259404679a40e3b997ab82cb44f8d605e361333";
static NSString *const kMarsPrivKey = @"cd3ebd9bde16e288447f8fe4b53766640bf5a3838bfe3e9769c8d5402c351b24";

TEST(test_xlog_encrypted_needs_the_private_key) {
    NSString *dir = MarsTempDir();
    MarsXlogConfig *c = configIn(dir);
    c.pubKey = kMarsPubKey;
    NSError *err = nil;
    MarsXlog *x = MARS_AUTORELEASE([[MarsXlog alloc] initWithConfig:c error:&err]);
    CHECK(x != nil);
    [x log:MarsLogLevelInfo tag:@"secret" message:@"the secret line"];
    CHECK([x close:&err]);
    NSString *path = logFileIn(dir);
    CHECK(path != nil);
    NSString *clear = [MarsXlog decodedTextOfFileAtPath:path privateKey:kMarsPrivKey error:&err];
    CHECK(clear != nil);
    CHECK([clear rangeOfString:@"the secret line"].location != NSNotFound);
    err = nil;
    NSString *locked = [MarsXlog decodedTextOfFileAtPath:path privateKey:nil error:&err];
    CHECK(locked == nil);
    CHECK_ERR(err, MarsErrorPartial); /* blocks left locked */
    NSData *partial = [[err userInfo] objectForKey:MarsErrorPartialDataKey];
    CHECK(partial != nil);
    NSString *some = MARS_AUTORELEASE([[NSString alloc] initWithData:partial encoding:NSUTF8StringEncoding]);
    CHECK([some rangeOfString:@"the secret line"].location == NSNotFound);
}

/* Random bytes are a damaged file (MarsErrorPartial), not an empty log. */
TEST(test_xlog_damaged_file_is_a_partial_error) {
    NSString *dir = MarsTempDir();
    NSMutableData *junk = [NSMutableData dataWithLength:1 << 20];
    uint8_t *p = [junk mutableBytes];
    uint32_t r = 2463534242u;
    for (NSUInteger i = 0; i < [junk length]; i++) {
        r ^= r << 13, r ^= r >> 17, r ^= r << 5;
        p[i] = (uint8_t)r;
    }
    NSString *path = [dir stringByAppendingPathComponent:@"junk.xlog"];
    CHECK([junk writeToFile:path atomically:NO]);
    NSError *err = nil;
    CHECK([MarsXlog decodeFileAtPath:path privateKey:nil error:&err] == nil);
    CHECK_ERR(err, MarsErrorPartial);
    CHECK([[err localizedDescription] rangeOfString:@"skipped"].location != NSNotFound);
    CHECK([[err userInfo] objectForKey:MarsErrorPartialDataKey] != nil);
}

TEST(test_xlog_level_filters_lines) {
    NSString *dir = MarsTempDir();
    NSError *err = nil;
    MarsXlog *x = MARS_AUTORELEASE([[MarsXlog alloc] initWithConfig:configIn(dir) error:&err]);
    CHECK(x != nil);
    x.level = MarsLogLevelWarn;
    CHECK_EQ(x.level, MarsLogLevelWarn);
    [x log:MarsLogLevelInfo tag:@"t" message:@"filtered-out"];
    [x log:MarsLogLevelError tag:@"t" message:@"kept-in"];
    CHECK([x close:&err]);
    NSString *text = [MarsXlog decodedTextOfFileAtPath:logFileIn(dir) privateKey:nil error:&err];
    CHECK(text != nil);
    CHECK([text rangeOfString:@"kept-in"].location != NSNotFound);
    CHECK([text rangeOfString:@"filtered-out"].location == NSNotFound);
}

TEST(test_xlog_bad_input_is_an_error) {
    NSError *err = nil;
    MarsXlogConfig *c = MARS_AUTORELEASE([[MarsXlogConfig alloc] init]);
    CHECK([[MarsXlog alloc] initWithConfig:c error:&err] == nil); /* no logDir */
    CHECK_ERR(err, MarsErrorInvalidArgument);
    err = nil;
    c = configIn(MarsTempDir());
    c.pubKey = @"not-a-key";
    CHECK([[MarsXlog alloc] initWithConfig:c error:&err] == nil);
    CHECK_ERR(err, MarsErrorInvalidArgument);
    CHECK([[[err userInfo] objectForKey:MarsErrorDetailKey] length] > 0);
    err = nil;
    CHECK([MarsXlog decodeFileAtPath:@"/nonexistent/mars.xlog" privateKey:nil error:&err] == nil);
    CHECK_ERR(err, MarsErrorIO);
    err = nil;
    CHECK([MarsXlog decodeFileAtPath:@"/dev/null" privateKey:@"zz" error:&err] == nil);
    CHECK_ERR(err, MarsErrorInvalidArgument);
    MarsXlog *x = MARS_AUTORELEASE([[MarsXlog alloc] initWithConfig:configIn(MarsTempDir()) error:&err]);
    CHECK(x != nil);
    err = nil;
    CHECK(![x setLevel:(MarsLogLevel)99 error:&err]);
    CHECK_ERR(err, MarsErrorInvalidArgument);
    CHECK([x close:NULL]);
    CHECK([x close:NULL]); /* a second close is harmless */
    err = nil;
    CHECK(![x writeLevel:MarsLogLevelInfo tag:nil file:nil function:nil line:0 message:@"late" error:&err]);
    CHECK_ERR(err, MarsErrorClosed);
    CHECK([x stats:NULL] == nil);
}

/* The lines of dir's .xlog files, decoded, in one string. */
static NSString *decodedDir(NSString *dir, NSUInteger *files) {
    NSMutableString *all = [NSMutableString string];
    NSUInteger n = 0;
    for (NSString *name in [[NSFileManager defaultManager] contentsOfDirectoryAtPath:dir error:NULL]) {
        if (![name hasSuffix:@".xlog"]) continue;
        NSString *text = [MarsXlog decodedTextOfFileAtPath:[dir stringByAppendingPathComponent:name]
                                                privateKey:nil error:NULL];
        if (text != nil) [all appendString:text];
        n++;
    }
    if (files != NULL) *files = n;
    return all;
}

static NSUInteger occurrences(NSString *text, NSString *what) {
    return [[text componentsSeparatedByString:what] count] - 1;
}

/* setMode: at run time (Mars's appender_setmode): lines from both modes
 * reach the file, and async mode maps the buffer file. */
TEST(test_xlog_switch_mode_at_run_time) {
    NSString *dir = MarsTempDir();
    NSError *err = nil;
    MarsXlog *x = MARS_AUTORELEASE([[MarsXlog alloc] initWithConfig:configIn(dir) error:&err]);
    CHECK(x != nil);
    for (int i = 0; i < 5; i++) [x log:MarsLogLevelInfo tag:@"t" message:[NSString stringWithFormat:@"before %d", i]];
    CHECK([x setMode:MarsXlogModeSync error:&err]);
    for (int i = 0; i < 5; i++) [x log:MarsLogLevelInfo tag:@"t" message:[NSString stringWithFormat:@"sync %d", i]];
    CHECK([x setMode:MarsXlogModeAsync error:&err]);
    CHECK([x stats:NULL].mapped);
    for (int i = 0; i < 5; i++) [x log:MarsLogLevelInfo tag:@"t" message:[NSString stringWithFormat:@"after %d", i]];
    CHECK([x close:&err]);
    NSString *text = decodedDir(dir, NULL);
    CHECK_EQ(occurrences(text, @"before "), 5);
    CHECK_EQ(occurrences(text, @"sync "), 5);
    CHECK_EQ(occurrences(text, @"after "), 5);
}

/* setMaxFileSize: splits the log from the next write on; bad values are
 * NSErrors, and so is every setter on a closed appender. */
TEST(test_xlog_file_size_and_alive_time_setters) {
    NSString *dir = MarsTempDir();
    MarsXlogConfig *c = configIn(dir);
    c.mode = MarsXlogModeSync;
    NSError *err = nil;
    MarsXlog *x = MARS_AUTORELEASE([[MarsXlog alloc] initWithConfig:c error:&err]);
    CHECK(x != nil);
    CHECK([x setMaxFileSize:2048 error:&err]);
    CHECK([x setMaxAliveTimeMs:3LL * 24 * 3600 * 1000 error:&err]);
    for (int i = 0; i < 200; i++)
        [x log:MarsLogLevelInfo tag:@"t" message:[NSString stringWithFormat:@"split line %03d of many", i]];
    err = nil;
    CHECK(![x setMaxFileSize:-1 error:&err]);
    CHECK_ERR(err, MarsErrorInvalidArgument);
    err = nil;
    CHECK(![x setMaxAliveTimeMs:-1 error:&err]);
    CHECK_ERR(err, MarsErrorInvalidArgument);
    err = nil;
    CHECK(![x setMode:(MarsXlogMode)2 error:&err]);
    CHECK_ERR(err, MarsErrorInvalidArgument);
    CHECK([x close:&err]);
    NSUInteger files = 0;
    NSString *text = decodedDir(dir, &files);
    CHECK(files > 1);
    CHECK_EQ(occurrences(text, @"split line "), 200);
    err = nil;
    CHECK(![x setMode:MarsXlogModeSync error:&err]);
    CHECK_ERR(err, MarsErrorClosed);
    err = nil;
    CHECK(![x setMaxFileSize:0 error:&err]);
    CHECK_ERR(err, MarsErrorClosed);
    err = nil;
    CHECK(![x setMaxAliveTimeMs:0 error:&err]);
    CHECK_ERR(err, MarsErrorClosed);
}

/* A second appender on the same buffer file is refused, with detail. */
TEST(test_xlog_buffer_file_in_use_is_refused) {
    NSString *dir = MarsTempDir();
    NSError *err = nil;
    MarsXlog *a = MARS_AUTORELEASE([[MarsXlog alloc] initWithConfig:configIn(dir) error:&err]);
    CHECK(a != nil);
    CHECK([[MarsXlog alloc] initWithConfig:configIn(dir) error:&err] == nil);
    CHECK_ERR(err, MarsErrorInvalidArgument);
    CHECK([[[err userInfo] objectForKey:MarsErrorDetailKey] length] > 0);
    CHECK([a close:NULL]);
    MarsXlog *b = MARS_AUTORELEASE([[MarsXlog alloc] initWithConfig:configIn(dir) error:&err]);
    CHECK(b != nil); /* free again after close */
    CHECK([b close:NULL]);
}
