package com.marsgo.mars.xlog;

import com.marsgo.mars.MarsException;

/**
 * {@link Xlog#decode} or {@link Xlog#decodeToFile} met a damaged file
 * ({@code MARS_EPARTIAL}): blocks cut short (a truncated file, or a write
 * interrupted by a crash), bytes that hold no block, or encrypted blocks
 * without their key. The message names what was wrong; {@link #text} holds
 * every line that could be decoded (for {@code decodeToFile} the file has it
 * and {@code text} is null).
 */
public class PartialDecodeException extends MarsException {
    private static final long serialVersionUID = 1L;

    /** The text that could be decoded; null for {@link Xlog#decodeToFile}. */
    public final String text;

    public PartialDecodeException(String message, String text) {
        super(EPARTIAL, message);
        this.text = text;
    }
}
