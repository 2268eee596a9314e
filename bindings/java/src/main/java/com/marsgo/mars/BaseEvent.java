package com.marsgo.mars;

import com.marsgo.mars.stn.Stn;
import com.marsgo.mars.stn.StnLogic;
import com.marsgo.mars.xlog.Log;

/**
 * Mars's app events ({@code com.tencent.mars.BaseEvent}) for the default STN
 * engine of {@link StnLogic}.
 *
 * <p>Mars's {@code BaseEvent.ConnectionReceiver} is an Android
 * {@code BroadcastReceiver} and does not exist on a plain JVM. Its substitute:
 * the app watches the network itself and calls
 * {@link #onNetworkChange(int, String)} (or {@link #onNetworkChange()} when it
 * cannot tell the kind).
 */
public final class BaseEvent {
    private static int networkType = Stn.NET_WIFI;
    private static String networkLabel = "";

    private BaseEvent() {}

    /** Creates the default engine (nothing connects until a task needs it). */
    public static void onCreate() {
        StnLogic.engine();
    }

    /** Destroys the default engine; pending tasks end with (ectLocal, -9). */
    public static void onDestroy() {
        StnLogic.onDestroy();
    }

    /** The network changed; the kind is the last one given (Wi-Fi until told otherwise, as Linux Mars). */
    public static void onNetworkChange() {
        int type;
        String label;
        synchronized (BaseEvent.class) {
            type = networkType;
            label = networkLabel;
        }
        StnLogic.engine().onNetworkChange(type, label);
    }

    /**
     * Not in Mars (its ConnectionReceiver reads Android's state): the network
     * changed to networkType ({@code Stn.NET_NONE}, {@code NET_WIFI},
     * {@code NET_MOBILE}) named label (e.g. a Wi-Fi SSID).
     */
    public static void onNetworkChange(int networkType, String label) {
        synchronized (BaseEvent.class) {
            BaseEvent.networkType = networkType;
            BaseEvent.networkLabel = label == null ? "" : label;
        }
        StnLogic.engine().onNetworkChange(networkType, label);
    }

    /** The app moved to (true) or from the foreground; timings follow Mars. */
    public static void onForeground(final boolean forground) {
        StnLogic.engine().onForeground(forground);
    }

    /** A fatal signal: the log is flushed to its file before the process dies. */
    public static void onSingalCrash(int sig) {
        Log.appenderFlushSync(true);
    }

    /** An uncaught exception: the log is flushed to its file. */
    public static void onExceptionCrash() {
        Log.appenderFlushSync(true);
    }
}
