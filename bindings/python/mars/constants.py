"""mars.h's numbers as Python enums. Values are copied from the header and
never renumbered; tests/test_header.py checks each against mars.h."""

from __future__ import annotations

from enum import IntEnum, IntFlag


class Result(IntEnum):
    """Call result codes (MARS_OK, MARS_E*)."""

    OK = 0
    EINVAL = 1
    EBADHANDLE = 2
    ERANGE = 3
    ESTATE = 4
    ECLOSED = 5
    EINTERNAL = 6
    EIO = 7
    ELIMIT = 8
    EUNSUPPORTED = 9
    EFORMAT = 10
    EPARTIAL = 11
    ENOMEM = 12


class ErrType(IntEnum):
    """Task outcome classes (MARS_ECT_*, Mars's ErrCmdType)."""

    OK = 0
    FALSE = 1
    DIAL = 2
    DNS = 3
    SOCKET = 4
    HTTP = 5
    NETMSGXP = 6
    ENDECODE = 7
    SERVER = 8
    LOCAL = 9
    CANCELED = 10


class LocalCode(IntEnum):
    """err_code values with ErrType.LOCAL (MARS_ECT_LOCAL_*)."""

    TASK_TIMEOUT = -1
    TASK_RETRY = -2
    START_TASK_FAIL = -3
    ANTI_AVALANCHE = -4
    CHANNEL_SELECT = -5
    NO_NET = -6
    CANCEL = -7
    CLEAR = -8
    RESET = -9
    TASK_PARAM = -12
    CGI_FREQUENCY_LIMIT = -13
    CHANNEL_ID = -14
    LONGLINK_RELEASED = -15
    LONGLINK_UNAVAILABLE = -16
    PACKET_TOO_LARGE = -17


class Resp(IntEnum):
    """What buf2resp returns (MARS_RESP_*)."""

    OK = 0
    DECODE_ERROR = -1
    RETRY_ALL_TASKS = -12
    SESSION_TIMEOUT = -13
    TASK_END = -14
    SILENT_TASK_END = -16


class Identify(IntEnum):
    """What get_identify_check_buffer returns (MARS_IDENTIFY_CHECK_*)."""

    NOW = 0
    NEXT = 1
    NEVER = 2


class Channel(IntEnum):
    """Task channel_select bits (MARS_CHANNEL_*)."""

    SHORT = 1
    LONG = 2
    BOTH = 3
    MINOR_LONG = 4
    NORMAL = 5
    ALL = 7


class ChannelStrategy(IntEnum):
    """Task channel_strategy (MARS_CHANNEL_STRATEGY_*)."""

    NORMAL = 0
    FAST = 1


class Net(IntEnum):
    """Network types (MARS_NET_*)."""

    NONE = -1
    WIFI = 1
    MOBILE = 2


class LonglinkStatus(IntEnum):
    """Long-link status (MARS_LONGLINK_*)."""

    IDLE = 0
    CONNECTING = 1
    CONNECTED = 2
    DISCONNECTED = 3
    CONNECT_FAILED = 4


class Level(IntEnum):
    """xlog levels (MARS_LEVEL_*)."""

    VERBOSE = 0
    DEBUG = 1
    INFO = 2
    WARN = 3
    ERROR = 4
    FATAL = 5
    NONE = 6


class XlogMode(IntEnum):
    """Appender modes (MARS_XLOG_MODE_*)."""

    ASYNC = 0
    SYNC = 1


class Compress(IntEnum):
    """Compression of async blocks (MARS_XLOG_COMPRESS_*), with Mars's
    numbers: ZLIB and ZSTD are Mars's (Xlog.ZLIB_MODE, Xlog.ZSTD_MODE); LZ4
    is libmars's own. Before 0.2.0, 1 meant LZ4."""

    ZLIB = 0
    ZSTD = 1
    LZ4 = 3


#: Highest compress levels (MARS_XLOG_*_LEVEL_MAX); 0 takes the default.
ZLIB_LEVEL_MAX = 9
ZSTD_LEVEL_MAX = 22


class SdtCheck(IntFlag):
    """Network diagnosis check bits (MARS_SDT_CHECK_*)."""

    DNS = 1
    TCP = 2
    LONGLINK = 4
    HTTP = 8
    PING = 16
    NETSTATE = 32
    ALL = 63


class Heartbeat(IntEnum):
    """How the heartbeat interval is chosen (MARS_HEARTBEAT_*)."""

    FIXED = 0
    SMART = 1
    PASSIVE = 2


class Quality(IntEnum):
    """The engine's verdict on the current network (MARS_QUALITY_*)."""

    UNKNOWN = 0
    WEAK = 1
    OK = 2
    GOOD = 3


class DynamicTimeout(IntEnum):
    """The dynamic timeout's state (MARS_DYNAMIC_TIMEOUT_*)."""

    EVALUATING = 1
    EXCELLENT = 2
    BAD = 3


class Proxy(IntEnum):
    """Long-link proxy kinds (MARS_PROXY_*)."""

    NONE = 0
    HTTP = 1
    SOCKS5 = 2


class DnsSource(IntEnum):
    """Where a DNS answer came from (MARS_DNS_*): Mars's dnstype 1 and 2, then ours."""

    NEWDNS = 1
    SYSTEM = 2
    DOH = 3
    DEBUG = 4


#: Task ids the library never hands out.
NOOP_TASK_ID = 0xFFFFFFFF
RESERVED_TASK_ID_START = 0xFFFFFFF0
