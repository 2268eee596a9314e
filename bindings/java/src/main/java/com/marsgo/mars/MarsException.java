package com.marsgo.mars;

/**
 * A failed call into libmars. {@link #code} is the {@code MARS_E*} result code of
 * {@code mars.h} (the contract); the message adds {@code mars_errstr} text and the
 * library's last error detail for the handle (a hint that a concurrent call may
 * replace). Task outcomes are not exceptions: they arrive through
 * {@code ICallBack.onTaskEnd} with Mars's error type and code.
 */
public class MarsException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Success; never carried by an exception. */
    public static final int OK = 0;
    /** A null value, bad length or out-of-range value. */
    public static final int EINVAL = 1;
    /** The handle is destroyed, stale or was never valid (e.g. used after close). */
    public static final int EBADHANDLE = 2;
    /** An output buffer was too small. */
    public static final int ERANGE = 3;
    /** The call is not allowed in the object's current state. */
    public static final int ESTATE = 4;
    /** The object is closing or closed. */
    public static final int ECLOSED = 5;
    /** An internal error (a recovered panic in the library). */
    public static final int EINTERNAL = 6;
    /** A file or system call failed. */
    public static final int EIO = 7;
    /** Too many live objects of this kind, or its handles are used up. */
    public static final int ELIMIT = 8;
    /** Not available in this build of the library. */
    public static final int EUNSUPPORTED = 9;
    /** Input bytes are not in the expected format. */
    public static final int EFORMAT = 10;
    /** Done in part: the input was damaged; the result holds what could be read. */
    public static final int EPARTIAL = 11;
    /** Memory could not be allocated (in the library or the JNI glue); nothing was changed. */
    public static final int ENOMEM = 12;

    /** The {@code MARS_E*} result code. */
    public final int code;

    public MarsException(int code, String message) {
        super(message);
        this.code = code;
    }

    /** The {@code MARS_E*} result code (same as the {@link #code} field). */
    public int code() {
        return code;
    }
}
