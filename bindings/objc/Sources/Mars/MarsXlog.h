/* MarsXlog.h — one log appender (mars_xlog_*): Mars-format files, crash-safe
 * buffer, optional compression and encryption, plus the decoder. Every
 * method may be called from any thread. Every method with an NSError ** can
 * fail with MarsErrorClosed (closed, or racing close) and
 * MarsErrorForkedChild (called in a forked child); the README's "Error codes
 * per method" lists the rest. Log text keeps a NUL as U+2400; a config
 * string or path with a NUL is MarsErrorInvalidArgument. */
#import "MarsCompat.h"

NS_ASSUME_NONNULL_BEGIN

/* MARS_LEVEL_*. */
typedef NS_ENUM(int32_t, MarsLogLevel) {
    MarsLogLevelVerbose = 0,
    MarsLogLevelDebug = 1,
    MarsLogLevelInfo = 2,
    MarsLogLevelWarn = 3,
    MarsLogLevelError = 4,
    MarsLogLevelFatal = 5,
    MarsLogLevelNone = 6, /* as an appender's level: write nothing */
};

/* The most bytes one line takes in a log file, prefix and newline included
 * (MARS_XLOG_MAX_LINE). A longer message is not dropped: it is cut on a
 * character boundary, ends in "…[truncated N bytes]" and counts in
 * MarsXlogStats.linesTruncated; the write still succeeds. Split long payloads
 * into several lines. Text (message, tag, file, function) is written as
 * UTF-8: an unpaired surrogate as U+FFFD, a NUL as U+2400. */
enum { MarsXlogMaxLine = 16384 };

/* MARS_XLOG_MODE_*. */
typedef NS_ENUM(int32_t, MarsXlogMode) {
    MarsXlogModeAsync = 0, /* compressed into a crash-safe buffer, written in blocks */
    MarsXlogModeSync = 1,  /* every line written at once, clear text */
};

/* MARS_XLOG_COMPRESS_*, Mars's numbers (kZlib = 0, kZstd = 1); LZ4 was 1
 * before 0.2.0. */
typedef NS_ENUM(int32_t, MarsXlogCompress) {
    MarsXlogCompressZlib = 0, /* Mars-compatible */
    MarsXlogCompressZstd = 1, /* Mars-compatible */
    MarsXlogCompressLZ4 = 3,  /* faster; needs this library's decoder */
};

/* Appender configuration (mars_xlog_config); -init takes the library's
 * defaults. logDir is required. */
@interface MarsXlogConfig : NSObject {
    MarsXlogMode _mode;
    NSString *_logDir, *_cacheDir, *_namePrefix, *_pubKey;
    MarsXlogCompress _compressMode;
    MarsLogLevel _level;
    int64_t _maxFileSize, _maxAliveTimeMs, _maxBlockWaitMs, _flushIntervalMs;
    int32_t _cacheDays, _bufferSize, _compressLevel;
    BOOL _console, _nonBlocking;
}
@property (nonatomic) MarsXlogMode mode;                  /* default async */
@property (nonatomic, copy) NSString *_Nullable logDir;   /* required */
@property (nonatomic, copy) NSString *_Nullable cacheDir;
@property (nonatomic, copy) NSString *_Nullable namePrefix; /* default "mars" */
/* nil: clear text; 128 hex chars: Mars secp256k1+TEA; or an HPKE key as
 * `mars xlog keygen` prints it. */
@property (nonatomic, copy) NSString *_Nullable pubKey;
@property (nonatomic) MarsXlogCompress compressMode;      /* default zlib */
/* 0: the codec's default (zlib 6, zstd 3); zlib 1-9, zstd 1-22, LZ4 only 0
 * (MARS_XLOG_*_LEVEL_MAX); another value fails the open. */
@property (nonatomic) int32_t compressLevel;
@property (nonatomic) MarsLogLevel level;                 /* default verbose */
@property (nonatomic) int64_t maxFileSize;                /* bytes; 0: one file per day */
@property (nonatomic) int64_t maxAliveTimeMs;             /* default 10 days */
@property (nonatomic) int32_t cacheDays;
@property (nonatomic) BOOL console;                       /* mirror lines to stdout */
@property (nonatomic) BOOL nonBlocking;                   /* drop (and count) lines when full */
@property (nonatomic) int64_t maxBlockWaitMs;             /* default 1000 */
@property (nonatomic) int64_t flushIntervalMs;            /* default 900000 */
@property (nonatomic) int32_t bufferSize;                 /* bytes per half; default 153600 */
@end

/* An appender's counters since open (mars_xlog_stats). */
@interface MarsXlogStats : NSObject {
    uint64_t _linesWritten, _linesDropped, _linesLost, _blockedWaits, _blocks, _bytesWritten, _writeErrors;
    BOOL _mapped;
    uint64_t _linesTruncated;
}
@property (nonatomic, readonly) uint64_t linesWritten;
@property (nonatomic, readonly) uint64_t linesDropped;
@property (nonatomic, readonly) uint64_t linesLost;
@property (nonatomic, readonly) uint64_t blockedWaits;
@property (nonatomic, readonly) uint64_t blocks;
@property (nonatomic, readonly) uint64_t bytesWritten;
@property (nonatomic, readonly) uint64_t writeErrors;
@property (nonatomic, readonly) BOOL mapped; /* the buffer is file-backed (crash-safe) */
/* Lines cut to MARS_XLOG_MAX_LINE; each ends in "…[truncated N bytes]". */
@property (nonatomic, readonly) uint64_t linesTruncated;
@end

@interface MarsXlog : NSObject {
    void *_handle; /* mars_xlog *, atomic; NULL once closed */
}

/* Opens an appender (mars_xlog_open). nil with an NSError:
 * MarsErrorInvalidArgument (missing logDir, malformed key; detail in
 * MarsErrorDetailKey), MarsErrorVersionMismatch, MarsErrorLimit. */
- (nullable instancetype)initWithConfig:(MarsXlogConfig *)config
                                  error:(NSError **)error NS_DESIGNATED_INITIALIZER;
- (instancetype)init NS_UNAVAILABLE;

/* Writes one line (mars_xlog_write); lines below the level are dropped
 * quietly. file is reduced to its base name by the library. */
- (BOOL)writeLevel:(MarsLogLevel)level
               tag:(nullable NSString *)tag
              file:(nullable NSString *)file
          function:(nullable NSString *)function
              line:(int)line
           message:(NSString *)message
             error:(NSError **)error NS_SWIFT_NAME(write(level:tag:file:function:line:message:));

/* writeLevel: with no source position; errors are dropped (see stats). */
- (void)log:(MarsLogLevel)level tag:(nullable NSString *)tag message:(NSString *)message
    NS_SWIFT_NAME(log(_:tag:_:));

/* sync YES returns once every line written before is in the file. */
- (BOOL)flush:(BOOL)sync error:(NSError **)error NS_SWIFT_NAME(flush(sync:));

/* The lowest level written; setting an invalid level is ignored (use
 * setLevel:error: to see the error). Reads MarsLogLevelNone when closed. */
@property (nonatomic) MarsLogLevel level;
/* Whether a line at level would be written (mars_xlog_enabled: no call into
 * the library's runtime); NO once closed. The MARS_LOG macros ask it first. */
- (BOOL)isEnabledForLevel:(MarsLogLevel)level NS_SWIFT_NAME(isEnabled(for:));
- (BOOL)setLevel:(MarsLogLevel)level error:(NSError **)error NS_SWIFT_NAME(setLevel(_:));

- (BOOL)setConsole:(BOOL)on error:(NSError **)error NS_SWIFT_NAME(setConsole(_:));

/* Switches between async and sync at run time (Mars's appender_setmode):
 * leaving async flushes the buffer first; entering it the first time maps
 * the buffer file (recovering what it holds). MarsErrorInvalidArgument for
 * an unknown mode, MarsErrorIO if the buffer cannot be set up. */
- (BOOL)setMode:(MarsXlogMode)mode error:(NSError **)error NS_SWIFT_NAME(setMode(_:));

/* The split size from the next write on (appender_set_max_file_size); 0:
 * one file per day; negative: MarsErrorInvalidArgument. */
- (BOOL)setMaxFileSize:(int64_t)bytes error:(NSError **)error NS_SWIFT_NAME(setMaxFileSize(_:));

/* How old a log file may grow before the cleanup deletes it
 * (appender_set_max_alive_duration); below one day is raised to one day;
 * negative: MarsErrorInvalidArgument. */
- (BOOL)setMaxAliveTimeMs:(int64_t)ms error:(NSError **)error NS_SWIFT_NAME(setMaxAliveTime(ms:));

/* The counters, or nil (with *error) when closed. */
- (nullable MarsXlogStats *)stats:(NSError **)error NS_SWIFT_NAME(stats());

/* Writes the closing banner, flushes and closes (mars_xlog_close). Later
 * calls fail with MarsErrorClosed. A second close returns YES. */
- (BOOL)close:(NSError **)error NS_SWIFT_NAME(close());

/* Decodes an xlog file to its text (mars_xlog_decode). privateKey nil: none;
 * 64 hex chars (Mars) or an HPKE private key. A damaged file (blocks cut
 * short, bytes that hold no block, encrypted blocks without their key)
 * returns nil with a MarsErrorPartial error whose description names what
 * was wrong and whose userInfo[MarsErrorPartialDataKey] holds the text that
 * could be decoded. */
+ (nullable NSData *)decodeFileAtPath:(NSString *)path
                           privateKey:(nullable NSString *)privateKey
                                error:(NSError **)error NS_SWIFT_NAME(decodeFile(atPath:privateKey:));

/* decodeFileAtPath: as a string (UTF-8; invalid bytes decoded as Latin-1). */
+ (nullable NSString *)decodedTextOfFileAtPath:(NSString *)path
                                    privateKey:(nullable NSString *)privateKey
                                         error:(NSError **)error
    NS_SWIFT_NAME(decodedText(atPath:privateKey:));

/* Decodes the file at path into the file at outPath (mars_xlog_decode_file).
 * A damaged file returns NO with MarsErrorPartial after outPath got the
 * text that could be decoded. */
+ (BOOL)decodeFileAtPath:(NSString *)path
              privateKey:(nullable NSString *)privateKey
                  toPath:(NSString *)outPath
                   error:(NSError **)error NS_SWIFT_NAME(decodeFile(atPath:privateKey:to:));

@end

/* MARS_LOG(x, level, tag, fmt, ...) writes a formatted line with the
 * caller's file, function and line, like Mars's xlog macros (xinfo2 ...).
 * The level is checked first (isEnabledForLevel:, a few nanoseconds): a
 * line below it is neither formatted nor are its arguments evaluated, and
 * the macro yields YES; otherwise it yields writeLevel:'s result. x and
 * level are evaluated once. */
#define MARS_LOG(x, lvl, tag_, ...)                                                  \
    ({                                                                               \
        MarsXlog *mars_log_x_ = (x);                                                 \
        MarsLogLevel mars_log_l_ = (lvl);                                            \
        [mars_log_x_ isEnabledForLevel:mars_log_l_]                                  \
            ? [mars_log_x_ writeLevel:mars_log_l_ tag:(tag_) file:@__FILE__          \
                             function:[NSString stringWithUTF8String:__func__]       \
                                 line:__LINE__                                       \
                              message:[NSString stringWithFormat:__VA_ARGS__]        \
                                error:NULL]                                          \
            : YES;                                                                   \
    })
#define MARS_LOG_VERBOSE(x, tag, ...) MARS_LOG(x, MarsLogLevelVerbose, tag, __VA_ARGS__)
#define MARS_LOG_DEBUG(x, tag, ...) MARS_LOG(x, MarsLogLevelDebug, tag, __VA_ARGS__)
#define MARS_LOG_INFO(x, tag, ...) MARS_LOG(x, MarsLogLevelInfo, tag, __VA_ARGS__)
#define MARS_LOG_WARN(x, tag, ...) MARS_LOG(x, MarsLogLevelWarn, tag, __VA_ARGS__)
#define MARS_LOG_ERROR(x, tag, ...) MARS_LOG(x, MarsLogLevelError, tag, __VA_ARGS__)
#define MARS_LOG_FATAL(x, tag, ...) MARS_LOG(x, MarsLogLevelFatal, tag, __VA_ARGS__)

NS_ASSUME_NONNULL_END
