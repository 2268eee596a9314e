package engine

import "slices"

// Mars's callbacks carry an extension buffer beside the body (Req2Buf's
// extend, Buf2Resp's and OnPush's), and Buf2Resp also answers flags and a
// server sequence id. A Callbacks that implements one of the optional
// interfaces below is called through it in place of the plain method, so
// a host codec that uses them ports as it is. The extension travels in
// wire.Packet.Ext: only a custom Config.Codec that frames it puts it on the
// wire (the Mars header has no room for it; Mars's default encoder drops it
// too). The short link has none either way, as in Mars.

// Req2BufExter is Req2Buf with Mars's extend buffer: ext goes beside the
// body to the codec (wire.Packet.Ext). The engine copies both before
// building the next attempt.
type Req2BufExter interface {
	Req2BufExt(task TaskRef, channel ChannelSelect, host string, dst []byte) (body, ext []byte, errCode int, ok bool)
}

// Buf2RespExter is Buf2Resp with Mars's extension buffer (the codec's
// wire.Packet.Ext; nil on the short link) and its two further answers.
type Buf2RespExter interface {
	Buf2RespExt(task TaskRef, channel ChannelSelect, body, ext []byte) Buf2RespResult
}

// Buf2RespResult is Buf2RespExt's answer.
type Buf2RespResult struct {
	Handle  int // a RespHandle* value, as Buf2Resp returns
	ErrCode int // reported through OnTaskEnd, as Buf2Resp's errCode
	// Flags and ServerSequenceID are Mars's out-parameters; the engine
	// gives them back in the task's profile (TaskProfile.RespFlags and
	// ServerSequenceID).
	Flags            int
	ServerSequenceID uint32
}

// PushExter is OnPush with the push's extension buffer.
type PushExter interface {
	OnPushExt(channelID string, cmdID, taskID uint32, body, ext []byte)
}

// req2Buf asks cb for an attempt's body (and extension, when cb has
// Req2BufExt); both are the caller's copies.
func req2Buf(cb Callbacks, ref TaskRef, channel ChannelSelect, host string, dst []byte) (body, ext []byte, code int, ok bool) {
	if x, has := cb.(Req2BufExter); has {
		body, ext, code, ok = x.Req2BufExt(ref, channel, host, dst)
		return slices.Clone(body), slices.Clone(ext), code, ok
	}
	body, code, ok = cb.Req2Buf(ref, channel, host, dst)
	return slices.Clone(body), nil, code, ok
}

// buf2Resp asks cb to decode a response, through Buf2RespExt when cb has it.
func buf2Resp(cb Callbacks, ref TaskRef, channel ChannelSelect, body, ext []byte) Buf2RespResult {
	if x, has := cb.(Buf2RespExter); has {
		return x.Buf2RespExt(ref, channel, body, ext)
	}
	handle, code := cb.Buf2Resp(ref, channel, body)
	return Buf2RespResult{Handle: handle, ErrCode: code}
}

// onPush delivers a push, through OnPushExt when cb has it.
func onPush(cb Callbacks, channelID string, cmdID uint32, body, ext []byte) {
	if x, has := cb.(PushExter); has {
		x.OnPushExt(channelID, cmdID, 0, body, ext)
		return
	}
	cb.OnPush(channelID, cmdID, 0, body)
}
