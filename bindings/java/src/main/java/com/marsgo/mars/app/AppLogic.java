package com.marsgo.mars.app;

import com.marsgo.mars.stn.StnLogic;

/**
 * Mars's app information ({@code com.tencent.mars.app.AppLogic}): the app's
 * callback gives the default STN engine its client version and app folder when
 * the engine is created (a version set with {@link StnLogic#setClientVersion}
 * wins). Set it before the first StnLogic call, as in Mars.
 */
public final class AppLogic {
    public static final String TAG = "mars.AppLogic";

    private static volatile ICallBack callBack;

    private AppLogic() {}

    /** The logged-in account (Mars's; libmars does not send it anywhere). */
    public static class AccountInfo {
        public long uin = 0;
        public String userName = "";

        public AccountInfo() {}

        public AccountInfo(long uin, String userName) {
            this.uin = uin;
            this.userName = userName;
        }
    }

    /** The device (Mars's; libmars does not send it anywhere). */
    public static class DeviceInfo {
        public String devicename = "";
        public String devicetype = "";

        public DeviceInfo(String devicename, String devicetype) {
            this.devicename = devicename;
            this.devicetype = devicetype;
        }
    }

    /** What the app tells the library about itself. */
    public interface ICallBack {
        /** Folder for the library's files (Stn.Config.appFileDir). */
        String getAppFilePath();

        AccountInfo getAccountInfo();

        /** The long-link header's client version. */
        int getClientVersion();

        DeviceInfo getDeviceType();
    }

    public static void setCallBack(ICallBack _callback) {
        callBack = _callback;
        StnLogic.setEngineDefaults(_callback == null ? null : () -> {
            ICallBack cb = callBack;
            return cb == null ? null : new StnLogic.EngineDefaults(cb.getClientVersion(), cb.getAppFilePath());
        });
    }

    /** The app's folder from its callback; null with none set. */
    public static String getAppFilePath() {
        ICallBack cb = callBack;
        return cb == null ? null : cb.getAppFilePath();
    }
}
