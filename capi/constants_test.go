//go:build !mars_xlog_only

package main

import (
	"testing"

	"github.com/mars-go/mars/engine"
	"github.com/mars-go/mars/sdt"
	"github.com/mars-go/mars/wire"
	"github.com/mars-go/mars/xlog"
)

// TestHeaderConstantsMatchTheGoPackages pins every number mars.h repeats
// from engine and xlog: a C caller switching on MARS_ECT_* must see what the
// engine reports.
func TestHeaderConstantsMatchTheGoPackages(t *testing.T) {
	d := headerDefines(t)
	want := map[string]int64{
		"MARS_ECT_OK": int64(engine.EctOK), "MARS_ECT_FALSE": int64(engine.EctFalse),
		"MARS_ECT_DIAL": int64(engine.EctDial), "MARS_ECT_DNS": int64(engine.EctDns),
		"MARS_ECT_SOCKET": int64(engine.EctSocket), "MARS_ECT_HTTP": int64(engine.EctHttp),
		"MARS_ECT_NETMSGXP": int64(engine.EctNetMsgXP), "MARS_ECT_ENDECODE": int64(engine.EctEnDecode),
		"MARS_ECT_SERVER": int64(engine.EctServer), "MARS_ECT_LOCAL": int64(engine.EctLocal),
		"MARS_ECT_CANCELED": int64(engine.EctCanceld),

		"MARS_ECT_LOCAL_TASK_TIMEOUT": engine.EctLocalTaskTimeout, "MARS_ECT_LOCAL_TASK_RETRY": engine.EctLocalTaskRetry,
		"MARS_ECT_LOCAL_START_TASK_FAIL": engine.EctLocalStartTaskFail, "MARS_ECT_LOCAL_ANTI_AVALANCHE": engine.EctLocalAntiAvalanche,
		"MARS_ECT_LOCAL_CHANNEL_SELECT": engine.EctLocalChannelSelect, "MARS_ECT_LOCAL_NO_NET": engine.EctLocalNoNet,
		"MARS_ECT_LOCAL_CANCEL": engine.EctLocalCancel, "MARS_ECT_LOCAL_CLEAR": engine.EctLocalClear,
		"MARS_ECT_LOCAL_RESET": engine.EctLocalReset, "MARS_ECT_LOCAL_TASK_PARAM": engine.EctLocalTaskParam,
		"MARS_ECT_LOCAL_CGI_FREQUENCY_LIMIT":  engine.EctLocalCgiFrequcencyLimit,
		"MARS_ECT_LOCAL_CHANNEL_ID":           engine.EctLocalChannelID,
		"MARS_ECT_LOCAL_LONGLINK_RELEASED":    engine.EctLocalLongLinkReleased,
		"MARS_ECT_LOCAL_LONGLINK_UNAVAILABLE": engine.EctLocalLongLinkUnAvailable,
		"MARS_ECT_LOCAL_PACKET_TOO_LARGE":     engine.EctLocalPacketTooLarge,

		"MARS_ECT_LONG_FIRST_PKG_TIMEOUT": engine.EctLongFirstPkgTimeout, "MARS_ECT_LONG_PKG_PKG_TIMEOUT": engine.EctLongPkgPkgTimeout,
		"MARS_ECT_LONG_READ_WRITE_TIMEOUT": engine.EctLongReadWriteTimeout, "MARS_ECT_LONG_TASK_TIMEOUT": engine.EctLongTaskTimeout,
		"MARS_ECT_HTTP_FIRST_PKG_TIMEOUT": engine.EctHttpFirstPkgTimeout, "MARS_ECT_HTTP_PKG_PKG_TIMEOUT": engine.EctHttpPkgPkgTimeout,
		"MARS_ECT_HTTP_READ_WRITE_TIMEOUT": engine.EctHttpReadWriteTimeout, "MARS_ECT_HTTP_LONG_POLLING_TIMEOUT": engine.EctHttpLongPollingTimeout,

		"MARS_ECT_SOCKET_NETWORK_CHANGE": engine.EctSocketNetworkChange, "MARS_ECT_SOCKET_MAKE_SOCKET_PREPARED": engine.EctSocketMakeSocketPrepared,
		"MARS_ECT_SOCKET_WRITEN_WITH_NON_BLOCK": engine.EctSocketWritenWithNonBlock, "MARS_ECT_SOCKET_READ_ONCE": engine.EctSocketReadOnce,
		"MARS_ECT_SOCKET_SHUTDOWN": engine.EctSocketShutdown, "MARS_ECT_SOCKET_RECV_ERR": engine.EctSocketRecvErr,
		"MARS_ECT_SOCKET_SEND_ERR": engine.EctSocketSendErr, "MARS_ECT_SOCKET_NOOP_TIMEOUT": engine.EctSocketNoopTimeout,
		"MARS_ECT_SOCKET_NOOP_ALARM_TOO_LATE": engine.EctSocketNoopAlarmTooLate, "MARS_ECT_SOCKET_USER_BREAK": engine.EctSocketUserBreak,
		"MARS_ECT_HANDSHAKE_MISUNDERSTAND": engine.EctHandshakeMisunderstand, "MARS_ECT_HTTP_SPLIT_HTTP_HEAD_AND_BODY": engine.EctHttpSplitHttpHeadAndBody,
		"MARS_ECT_HTTP_PARSE_STATUS_LINE": engine.EctHttpParseStatusLine, "MARS_ECT_NETMSGXP_HANDLE_BUFFER_ERR": engine.EctNetMsgXPHandleBufferErr,
		"MARS_ECT_DNS_MAKE_SOCKET_PREPARED": engine.EctDnsMakeSocketPrepared,
		"MARS_ECT_SOCKET_PROXY_REFUSED":     engine.EctSocketProxyRefused, "MARS_ECT_SOCKET_PROXY_AUTH": engine.EctSocketProxyAuth,
		"MARS_ECT_SOCKET_PROXY_PROTOCOL":  engine.EctSocketProxyProtocol,
		"MARS_ECT_HANDSHAKE_PIN_MISMATCH": engine.EctHandshakePinMismatch, "MARS_ECT_HANDSHAKE_CERTIFICATE": engine.EctHandshakeCertificate,

		"MARS_RESP_OK": engine.RespHandleNormal, "MARS_RESP_DECODE_ERROR": engine.RespHandleDefault,
		"MARS_RESP_RETRY_ALL_TASKS": engine.RespHandleRetryAllTasks, "MARS_RESP_SESSION_TIMEOUT": engine.RespHandleSessionTimeout,
		"MARS_RESP_TASK_END": engine.RespHandleTaskEnd, "MARS_RESP_SILENT_TASK_END": engine.RespSilentTaskEnd,
		"MARS_IDENTIFY_CHECK_NOW": int64(engine.IdentifyCheckNow), "MARS_IDENTIFY_CHECK_NEXT": int64(engine.IdentifyCheckNext),
		"MARS_IDENTIFY_CHECK_NEVER": int64(engine.IdentifyCheckNever),

		"MARS_CHANNEL_SHORT": int64(engine.ChannelShort), "MARS_CHANNEL_LONG": int64(engine.ChannelLong),
		"MARS_CHANNEL_BOTH": int64(engine.ChannelBoth), "MARS_CHANNEL_MINOR_LONG": int64(engine.ChannelMinorLong),
		"MARS_CHANNEL_NORMAL": int64(engine.ChannelNormal), "MARS_CHANNEL_ALL": int64(engine.ChannelAll),
		"MARS_CHANNEL_STRATEGY_NORMAL": int64(engine.ChannelNormalStrategy), "MARS_CHANNEL_STRATEGY_FAST": int64(engine.ChannelFastStrategy),
		"MARS_NET_NONE": int64(engine.NetworkNone), "MARS_NET_WIFI": int64(engine.NetworkWiFi), "MARS_NET_MOBILE": int64(engine.NetworkMobile),
		"MARS_HEARTBEAT_FIXED": int64(engine.HeartbeatFixed), "MARS_HEARTBEAT_SMART": int64(engine.HeartbeatSmart),
		"MARS_HEARTBEAT_PASSIVE": int64(engine.HeartbeatPassive),
		"MARS_PROXY_HTTP":        int64(engine.ProxyHTTP), "MARS_PROXY_SOCKS5": int64(engine.ProxySOCKS5),
		"MARS_QUALITY_UNKNOWN": int64(engine.QualityUnknown), "MARS_QUALITY_WEAK": int64(engine.QualityWeak),
		"MARS_QUALITY_OK": int64(engine.QualityOK), "MARS_QUALITY_GOOD": int64(engine.QualityGood),
		"MARS_DYNAMIC_TIMEOUT_EVALUATING": int64(engine.DynamicEvaluating),
		"MARS_DYNAMIC_TIMEOUT_EXCELLENT":  int64(engine.DynamicExcellent),
		"MARS_DYNAMIC_TIMEOUT_BAD":        int64(engine.DynamicBad),
		"MARS_NOOP_TASK_ID":               int64(engine.NoopTaskID), "MARS_RESERVED_TASK_ID_START": int64(engine.ReservedTaskIDStart),

		"MARS_LEVEL_VERBOSE": int64(xlog.LevelVerbose), "MARS_LEVEL_DEBUG": int64(xlog.LevelDebug),
		"MARS_LEVEL_INFO": int64(xlog.LevelInfo), "MARS_LEVEL_WARN": int64(xlog.LevelWarn),
		"MARS_LEVEL_ERROR": int64(xlog.LevelError), "MARS_LEVEL_FATAL": int64(xlog.LevelFatal),
		"MARS_LEVEL_NONE":      int64(xlog.LevelNone),
		"MARS_XLOG_MODE_ASYNC": int64(xlog.Async), "MARS_XLOG_MODE_SYNC": int64(xlog.Sync),
		"MARS_XLOG_COMPRESS_ZLIB": int64(xlog.Zlib), "MARS_XLOG_COMPRESS_LZ4": int64(xlog.LZ4),
		"MARS_XLOG_COMPRESS_ZSTD":  int64(xlog.Zstd),
		"MARS_XLOG_ZLIB_LEVEL_MAX": int64(xlog.MaxZlibLevel), "MARS_XLOG_ZSTD_LEVEL_MAX": int64(xlog.MaxZstdLevel),

		"MARS_SDT_CHECK_DNS": int64(sdt.CheckDNS), "MARS_SDT_CHECK_TCP": int64(sdt.CheckTCP),
		"MARS_SDT_CHECK_LONGLINK": int64(sdt.CheckLongLink), "MARS_SDT_CHECK_HTTP": int64(sdt.CheckHTTP),
		"MARS_SDT_CHECK_PING": int64(sdt.CheckPing), "MARS_SDT_CHECK_NETSTATE": int64(sdt.CheckNetState),
		"MARS_SDT_CHECK_ALL": int64(sdt.AllChecks),
	}
	for name, v := range want {
		got, ok := d[name]
		if !ok {
			t.Errorf("mars.h lacks %s (Go value %d)", name, v)
		} else if got != v {
			t.Errorf("mars.h %s = %d, Go has %d", name, got, v)
		}
	}
	// The default codec's classification, which the host codec's NULL
	// entries fall back to, uses the ids the header documents.
	if wire.NoopSeq != 0xFFFFFFFF || wire.NoopCmdID != 6 || wire.IdentifySeq != 0xFFFFFFFE {
		t.Errorf("wire reserved ids changed: noop %d/%#x identify %#x", wire.NoopCmdID, wire.NoopSeq, wire.IdentifySeq)
	}
}
