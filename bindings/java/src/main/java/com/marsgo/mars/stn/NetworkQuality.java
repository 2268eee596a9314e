package com.marsgo.mars.stn;

/**
 * The engine's estimate of the current network (mars_network_quality), from
 * {@link Stn#networkQuality} and {@code ICallBack.onNetworkQualityChange}. It starts
 * afresh at every network change.
 */
public final class NetworkQuality {
    /** No sample yet on this network. */
    public static final int UNKNOWN = 0;
    /** RTT of 2 s or more, under 4 KiB/s, or a recent weak-network mark. */
    public static final int WEAK = 1;
    public static final int OK = 2;
    /** RTT of 300 ms or less. */
    public static final int GOOD = 3;

    /** Mars's dynamic timeout states. */
    public static final int DYNAMIC_TIMEOUT_EVALUATING = 1;
    public static final int DYNAMIC_TIMEOUT_EXCELLENT = 2;
    public static final int DYNAMIC_TIMEOUT_BAD = 3;

    /** UNKNOWN, WEAK, OK or GOOD. */
    public final int level;
    public final int dynamicTimeout;
    /** Smoothed round trip; 0 = no sample yet. */
    public final long rttMs;
    /** Smoothed bytes per second of large responses; 0 = no sample yet. */
    public final long throughput;
    /** A Mars weak-network mark is active. */
    public final boolean weakMarked;

    NetworkQuality(long[] v) {
        level = (int) v[0];
        dynamicTimeout = (int) v[1];
        rttMs = v[2];
        throughput = v[3];
        weakMarked = v[4] != 0;
    }

    @Override
    public String toString() {
        return "NetworkQuality{level=" + level + ", dynamicTimeout=" + dynamicTimeout + ", rttMs=" + rttMs
                + ", throughput=" + throughput + ", weakMarked=" + weakMarked + "}";
    }
}
