package com.marsgo.mars.sdt;

import com.marsgo.mars.stn.StnLogic;

/**
 * Mars's signal detection ({@code com.tencent.mars.sdt.SdtLogic}): the default
 * STN engine's automatic network checks report here. The report is the JSON of
 * {@link Sdt#check}, not Mars's; an explicit check is {@link Sdt#check}.
 */
public final class SdtLogic {
    public static final String TAG = "mars.SdtLogic";

    private SdtLogic() {}

    /** Mars's check kinds (reported, not selected: see {@link Sdt#CHECK_ALL}). */
    public static interface NetCheckType {
        int kPingCheck = 0;
        int kDnsCheck = 1;
        int kNewDnsCheck = 2;
        int kTcpCheck = 3;
        int kHttpCheck = 4;
    }

    /** Mars's TCP check results. */
    public static interface TcpCheckErrCode {
        int kTcpSucc = 0;
        int kTcpNonErr = 1;
        int kSelectErr = -1;
        int kPipeIntr = -2;
        int kSndRcvErr = -3;
        int kAssertErr = -4;
        int kTimeoutErr = -5;
        int kSelectExpErr = -6;
        int kPipeExp = -7;
        int kConnectErr = -8;
        int kTcpRespErr = -9;
    }

    /** Where network-check reports go. */
    public static interface ICallBack {
        void reportSignalDetectResults(String resultsJson);
    }

    public static void setCallBack(ICallBack _callBack) {
        StnLogic.setNetCheckListener(_callBack == null ? null : _callBack::reportSignalDetectResults);
    }

    /** The path the network check's HTTP probe requests (a live default engine is recreated). */
    public static void setHttpNetcheckCGI(String requestURI) {
        StnLogic.setNetCheckCgi(requestURI);
    }
}
