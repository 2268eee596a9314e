package com.marsgo.mars.stn;

import java.util.List;

/**
 * One DNS lookup behind a link's connect candidates (mars_dns_profile), reported through
 * {@link StnLogic.ExtendedCallBack#reportDnsProfile} (Mars's ReportDnsProfile).
 */
public final class DnsProfile {
    /** The host's onNewDns (Mars's dnstype 1). */
    public static final int SOURCE_NEWDNS = 1;
    /** The system resolver (Mars's dnstype 2). */
    public static final int SOURCE_SYSTEM = 2;
    /** DNS over HTTPS (the config's doh_url; long link, when onNewDns had nothing). */
    public static final int SOURCE_DOH = 3;
    /** A debug IP stood in for the lookup. */
    public static final int SOURCE_DEBUG = 4;

    public final String host;
    /** True for the long link's lookup, false for a short-link attempt's. */
    public final boolean longlink;
    /** SOURCE_*. */
    public final int source;
    /** The usable addresses it answered. */
    public final List<String> ips;
    public final long startMs;
    public final long costMs;
    /** 0 when it answered; else ectLocal (9) and -1, as Mars reports a failure. */
    public final int errType;
    public final int errCode;
    /** "" when it answered, else why not. */
    public final String error;

    DnsProfile(String host, boolean longlink, int source, List<String> ips, long startMs, long costMs, int errType,
            int errCode, String error) {
        this.host = host;
        this.longlink = longlink;
        this.source = source;
        this.ips = ips;
        this.startMs = startMs;
        this.costMs = costMs;
        this.errType = errType;
        this.errCode = errCode;
        this.error = error;
    }
}
