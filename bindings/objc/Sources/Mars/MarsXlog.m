/* MarsXlog.m — the appender object over mars_xlog_* and the decoder. */
#import "MarsXlog.h"
#import "MarsStnTypesPrivate.h"

_Static_assert(MarsLogLevelNone == MARS_LEVEL_NONE && MarsLogLevelFatal == MARS_LEVEL_FATAL, "levels");
_Static_assert(MarsXlogModeSync == MARS_XLOG_MODE_SYNC, "modes");
_Static_assert(MarsXlogCompressLZ4 == MARS_XLOG_COMPRESS_LZ4 && MarsXlogCompressZstd == MARS_XLOG_COMPRESS_ZSTD,
               "compress");
_Static_assert(MarsXlogMaxLine == MARS_XLOG_MAX_LINE, "the line limit is the header's");

@implementation MarsXlogConfig

@synthesize mode = _mode, logDir = _logDir, cacheDir = _cacheDir, namePrefix = _namePrefix;
@synthesize pubKey = _pubKey, compressMode = _compressMode, level = _level, maxFileSize = _maxFileSize;
@synthesize maxAliveTimeMs = _maxAliveTimeMs, cacheDays = _cacheDays, console = _console;
@synthesize nonBlocking = _nonBlocking, maxBlockWaitMs = _maxBlockWaitMs;
@synthesize flushIntervalMs = _flushIntervalMs, bufferSize = _bufferSize, compressLevel = _compressLevel;

- (instancetype)init {
    if ((self = [super init]) == nil) return nil;
    mars_xlog_config c;
    MARS_DEFAULTS(mars_xlog_config_init_sized, c);
    _mode = c.mode;
    _compressMode = c.compress_mode;
    _compressLevel = c.compress_level;
    _level = c.level;
    _maxFileSize = c.max_file_size;
    _maxAliveTimeMs = c.max_alive_time_ms;
    _cacheDays = c.cache_days;
    _console = c.console != 0;
    _nonBlocking = c.non_blocking != 0;
    _maxBlockWaitMs = c.max_block_wait_ms;
    _flushIntervalMs = c.flush_interval_ms;
    _bufferSize = c.buffer_size;
    return self;
}

/* Fills c; the strings live as long as the current autorelease pool. NO
 * (MarsErrorInvalidArgument naming the property) for a string with a NUL. */
- (BOOL)marsFill:(mars_xlog_config *)c error:(NSError **)error {
    if (!MarsCStringChecked(_logDir, "logDir", &c->log_dir, error) ||
        !MarsCStringChecked(_cacheDir, "cacheDir", &c->cache_dir, error) ||
        !MarsCStringChecked(_namePrefix, "namePrefix", &c->name_prefix, error) ||
        !MarsCStringChecked(_pubKey, "pubKey", &c->pub_key, error))
        return NO;
    c->mode = _mode;
    c->compress_mode = _compressMode;
    c->compress_level = _compressLevel;
    c->level = _level;
    c->max_file_size = _maxFileSize;
    c->max_alive_time_ms = _maxAliveTimeMs;
    c->cache_days = _cacheDays;
    c->console = _console;
    c->non_blocking = _nonBlocking;
    c->max_block_wait_ms = _maxBlockWaitMs;
    c->flush_interval_ms = _flushIntervalMs;
    c->buffer_size = _bufferSize;
    return YES;
}

- (void)dealloc {
#if !__has_feature(objc_arc)
    [_logDir release];
    [_cacheDir release];
    [_namePrefix release];
    [_pubKey release];
    [super dealloc];
#endif
}

@end

@implementation MarsXlogStats

@synthesize linesWritten = _linesWritten, linesDropped = _linesDropped, linesLost = _linesLost;
@synthesize blockedWaits = _blockedWaits, blocks = _blocks, bytesWritten = _bytesWritten;
@synthesize writeErrors = _writeErrors, mapped = _mapped, linesTruncated = _linesTruncated;

- (instancetype)initWithMarsStats:(const mars_xlog_stats *)s {
    if ((self = [super init]) == nil) return nil;
    _linesWritten = s->lines_written;
    _linesDropped = s->lines_dropped;
    _linesLost = s->lines_lost;
    _blockedWaits = s->blocked_waits;
    _blocks = s->blocks;
    _bytesWritten = s->bytes_written;
    _writeErrors = s->write_errors;
    _mapped = s->mapped != 0;
    _linesTruncated = s->lines_truncated;
    return self;
}

@end

@implementation MarsXlog

/* Unavailable (NS_UNAVAILABLE); GCC does not enforce that, so it fails
 * loudly instead of making an object without a handle. */
#if defined(__clang__)
#pragma clang diagnostic push
#pragma clang diagnostic ignored "-Wobjc-designated-initializers"
#endif
- (instancetype)init {
    [self doesNotRecognizeSelector:_cmd];
    MARS_RELEASE(self);
    return nil;
}
#if defined(__clang__)
#pragma clang diagnostic pop
#endif

- (instancetype)initWithConfig:(MarsXlogConfig *)config error:(NSError **)error {
    if ((self = [super init]) == nil) return nil;
    if (!MarsEnsureLibrary(error)) {
        MARS_RELEASE(self);
        return nil;
    }
    mars_xlog_config c;
    mars_xlog_config_init_sized(&c, sizeof c);
    mars_xlog *x = NULL;
    if (![config marsFill:&c error:error] || !MarsCheck(mars_xlog_open(&c, &x), MarsDetailXlog, NULL, error)) {
        MARS_RELEASE(self);
        return nil;
    }
    __atomic_store_n(&_handle, (void *)x, __ATOMIC_SEQ_CST);
    return self;
}

- (void)dealloc {
    mars_xlog *x = __atomic_exchange_n(&_handle, NULL, __ATOMIC_SEQ_CST);
    if (x != NULL && !MarsInForkedChild(NO)) mars_xlog_close(x); /* a child only lets it go */
    MARS_SUPER_DEALLOC();
}

- (mars_xlog *)marsXlogHandle {
    return __atomic_load_n(&_handle, __ATOMIC_SEQ_CST);
}

- (mars_xlog *)marsHandle:(NSError **)error {
    mars_xlog *x = __atomic_load_n(&_handle, __ATOMIC_SEQ_CST);
    if (x == NULL) {
        MarsFail(MarsErrorClosed, @"the appender is closed", error);
        return NULL;
    }
    return MarsRefuseForkedChild(NO, error) ? NULL : x;
}

- (BOOL)writeLevel:(MarsLogLevel)level tag:(NSString *)tag file:(NSString *)file
          function:(NSString *)function line:(int)line message:(NSString *)message
             error:(NSError **)error {
    mars_xlog *x = [self marsHandle:error];
    if (x == NULL) return NO;
    int rc = mars_xlog_write(x, level, MarsCString(tag), MarsCString(file), MarsCString(function), line,
                             MarsCString(message));
    return MarsCheck(rc, MarsDetailXlog, x, error);
}

- (void)log:(MarsLogLevel)level tag:(NSString *)tag message:(NSString *)message {
    [self writeLevel:level tag:tag file:nil function:nil line:0 message:message error:NULL];
}

- (BOOL)flush:(BOOL)sync error:(NSError **)error {
    mars_xlog *x = [self marsHandle:error];
    return x != NULL && MarsCheck(mars_xlog_flush(x, sync ? 1 : 0), MarsDetailXlog, x, error);
}

- (MarsLogLevel)level {
    mars_xlog *x = [self marsHandle:NULL];
    int level = MARS_LEVEL_NONE;
    if (x == NULL || mars_xlog_get_level(x, &level) != MARS_OK) return MarsLogLevelNone;
    return level;
}

- (BOOL)isEnabledForLevel:(MarsLogLevel)level {
    return mars_xlog_enabled(__atomic_load_n(&_handle, __ATOMIC_SEQ_CST), level) != 0;
}

- (void)setLevel:(MarsLogLevel)level {
    [self setLevel:level error:NULL];
}

- (BOOL)setLevel:(MarsLogLevel)level error:(NSError **)error {
    mars_xlog *x = [self marsHandle:error];
    return x != NULL && MarsCheck(mars_xlog_set_level(x, level), MarsDetailXlog, x, error);
}

- (BOOL)setConsole:(BOOL)on error:(NSError **)error {
    mars_xlog *x = [self marsHandle:error];
    return x != NULL && MarsCheck(mars_xlog_set_console(x, on ? 1 : 0), MarsDetailXlog, x, error);
}

- (BOOL)setMode:(MarsXlogMode)mode error:(NSError **)error {
    mars_xlog *x = [self marsHandle:error];
    return x != NULL && MarsCheck(mars_xlog_set_mode(x, mode), MarsDetailXlog, x, error);
}

- (BOOL)setMaxFileSize:(int64_t)bytes error:(NSError **)error {
    mars_xlog *x = [self marsHandle:error];
    return x != NULL && MarsCheck(mars_xlog_set_max_file_size(x, bytes), MarsDetailXlog, x, error);
}

- (BOOL)setMaxAliveTimeMs:(int64_t)ms error:(NSError **)error {
    mars_xlog *x = [self marsHandle:error];
    return x != NULL && MarsCheck(mars_xlog_set_max_alive_time(x, ms), MarsDetailXlog, x, error);
}

- (MarsXlogStats *)stats:(NSError **)error {
    mars_xlog *x = [self marsHandle:error];
    if (x == NULL) return nil;
    mars_xlog_stats s;
    memset(&s, 0, sizeof s);
    s.struct_size = sizeof s;
    if (!MarsCheck(mars_xlog_get_stats(x, &s), MarsDetailXlog, x, error)) return nil;
    return MARS_AUTORELEASE([[MarsXlogStats alloc] initWithMarsStats:&s]);
}

- (BOOL)close:(NSError **)error {
    mars_xlog *x = __atomic_exchange_n(&_handle, NULL, __ATOMIC_SEQ_CST);
    if (x == NULL) return YES;
    if (MarsInForkedChild(NO)) return YES; /* let go: the child's library cannot close it */
    /* The handle is gone after this call whatever it returns, so the detail
     * text comes from the process-wide slot. */
    return MarsCheck(mars_xlog_close(x), MarsDetailXlog, NULL, error);
}

+ (NSData *)decodeFileAtPath:(NSString *)path privateKey:(NSString *)privateKey error:(NSError **)error {
    if (!MarsEnsureLibrary(error)) return nil;
    char *text = NULL;
    size_t len = 0;
    const char *cpath, *ckey;
    if (!MarsCStringChecked(path, "path", &cpath, error) || !MarsCStringChecked(privateKey, "privateKey", &ckey, error))
        return nil;
    int rc = mars_xlog_decode(cpath, ckey, &text, &len);
    if (!MarsCheck(rc, MarsDetailXlog, NULL, error)) {
        if (rc == MARS_EPARTIAL && text != NULL && error != NULL && *error != nil) {
            NSMutableDictionary *info = [NSMutableDictionary dictionaryWithDictionary:[*error userInfo]];
            [info setObject:[NSData dataWithBytes:text length:len] forKey:MarsErrorPartialDataKey];
            *error = [NSError errorWithDomain:MarsErrorDomain code:rc userInfo:info];
        }
        mars_free(text); /* set on MARS_EPARTIAL */
        return nil;
    }
    NSData *data = [NSData dataWithBytes:text length:len];
    mars_free(text);
    return data;
}

+ (NSString *)decodedTextOfFileAtPath:(NSString *)path privateKey:(NSString *)privateKey
                                error:(NSError **)error {
    NSData *data = [self decodeFileAtPath:path privateKey:privateKey error:error];
    if (data == nil) return nil;
    NSString *s = [[NSString alloc] initWithData:data encoding:NSUTF8StringEncoding];
    if (s == nil) s = [[NSString alloc] initWithData:data encoding:NSISOLatin1StringEncoding];
    return MARS_AUTORELEASE(s);
}

+ (BOOL)decodeFileAtPath:(NSString *)path privateKey:(NSString *)privateKey toPath:(NSString *)outPath
                   error:(NSError **)error {
    if (!MarsEnsureLibrary(error)) return NO;
    const char *cpath, *ckey, *cout;
    if (!MarsCStringChecked(path, "path", &cpath, error) ||
        !MarsCStringChecked(privateKey, "privateKey", &ckey, error) ||
        !MarsCStringChecked(outPath, "outPath", &cout, error))
        return NO;
    int rc = mars_xlog_decode_file(cpath, ckey, cout);
    return MarsCheck(rc, MarsDetailXlog, NULL, error);
}

@end
