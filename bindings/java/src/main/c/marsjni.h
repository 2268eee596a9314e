/* marsjni.h — what the JNI glue files share: the cached JavaVM, classes and
 * method ids (resolved once in JNI_OnLoad), thread attachment, and helpers
 * (jni_helpers.c) that copy Java strings and arrays into C for the length of
 * one call.
 * The glue binds to mars.h only. */
#ifndef MARSJNI_H
#define MARSJNI_H

#include <jni.h>
#include <stddef.h>
#include <stdint.h>

#include "mars.h"

/* Lists longer than this are refused before they reach the library (which
 * refuses more than 64 anyway); it bounds what the glue allocates. */
#define MJ_MAX_LIST 1024

/* The JavaVM cached by JNI_OnLoad. */
extern JavaVM *mj_vm;

/* Cached classes (global refs) and method ids of
 * com.marsgo.mars.stn.Dispatcher, the object every STN callback is delivered
 * to, and the byte[] class (identify buffers). */
typedef struct mj_stn_ids {
    jclass    cls;
    jclass    bytes_cls;
    jmethodID req2buf;        /* (JIILjava/lang/String;ILjava/lang/String;[I)[B */
    jmethodID buf2resp;       /* (JIILjava/lang/String;I[B[I)I */
    jmethodID task_end;       /* (JIILjava/lang/String;II[J[Ljava/lang/String;)I */
    jmethodID push;           /* (Ljava/lang/String;II[B)V */
    jmethodID new_dns;        /* (Ljava/lang/String;Z)[Ljava/lang/String; */
    jmethodID authed;         /* (Ljava/lang/String;Ljava/lang/String;)Z */
    jmethodID connect_status; /* (II)V */
    jmethodID ll_status;      /* (I)V */
    jmethodID ll_net_error;   /* (IILjava/lang/String;I)V */
    jmethodID identify_buf;   /* (Ljava/lang/String;[[B[I)I */
    jmethodID identify_resp;  /* (Ljava/lang/String;[B[B)Z */
    jmethodID traffic;        /* (JJ)V */
    jmethodID task_profile;   /* ([J[Ljava/lang/String;)V */
    jmethodID task_limited;   /* (IJII)V */
    jmethodID request_sync;   /* ()V */
    jmethodID net_quality;    /* ([J)V */
    jmethodID is_logoned;     /* ()Z */
    jmethodID netcheck_hosts; /* ()[Ljava/lang/String; */
    jmethodID netcheck_result;/* ([B)V */
    jmethodID sl_net_error;   /* (IILjava/lang/String;I)V */
    jmethodID ll_status_of;   /* (Ljava/lang/String;I)V */
    jmethodID ll_net_error_of;/* (Ljava/lang/String;IILjava/lang/String;I)V */
    jmethodID ll_new_dns;     /* (Ljava/lang/String;Ljava/lang/String;)[Ljava/lang/String; */
    jmethodID proxy_info;     /* (Ljava/lang/String;Z[I)[Ljava/lang/String; */
    jmethodID dns_profile;    /* (Ljava/lang/String;ZI[Ljava/lang/String;JJIILjava/lang/String;)V */
} mj_stn_ids;

extern mj_stn_ids mj_stn;
extern jclass mj_string_cls;

/* mj_env returns the JNIEnv of the calling thread, attaching it as a daemon
 * the first time a library thread calls back (it is detached when the thread
 * exits). NULL if the VM refuses; the caller then returns its default. */
JNIEnv *mj_env(void);

/* mj_threads_init makes the key that detaches attached threads at exit;
 * JNI_OnLoad calls it once, before any callback can run. 0 on success. */
int mj_threads_init(void);

/* A Java string copied as standard UTF-8 (never JNI's modified UTF-8) for
 * one call. The one rule for every String that crosses into C:
 *   - an unpaired surrogate becomes U+FFFD;
 *   - U+0000 cannot pass a NUL-terminated C string. In log text (mj_text_get:
 *     message, tag, file, function) it becomes U+2400 "\u2400", so nothing
 *     after it is lost; anywhere else (mj_str_get: config, task, hosts,
 *     headers, paths) the call fails with MARS_EINVAL rather than reach the
 *     library cut short. */
typedef struct mj_str {
    jstring     j;
    const char *s;         /* NULL when j is NULL */
    char       *heap;      /* s when it did not fit in small */
    char        small[96];
} mj_str;

/* mj_str_get returns MARS_OK, MARS_EINVAL (a NUL) or MARS_ENOMEM (out of
 * memory); mj_text_get never fails on content. A NULL j gives s == NULL. */
int  mj_str_get(JNIEnv *env, jstring j, mj_str *out);
int  mj_text_get(JNIEnv *env, jstring j, mj_str *out);
void mj_str_release(JNIEnv *env, mj_str *s);

/* mj_str_table_get borrows the n strings of a String[] of exactly n (a
 * config's string fields, null entries allowed) into out for one call;
 * after the first failure the rest are only held, so mj_str_table_release
 * is always safe. */
int  mj_str_table_get(JNIEnv *env, jobjectArray strs, mj_str *out, int n);
void mj_str_table_release(JNIEnv *env, mj_str *s, int n);

/* mj_first_error keeps the first failure of several conversions that must
 * all run (each one's release is then safe). */
static inline int mj_first_error(int a, int b) { return a != MARS_OK ? a : b; }

/* mj_jstring makes a Java String of NUL-terminated UTF-8 (NULL gives ""),
 * what NewStringUTF cannot do for characters outside the BMP; bytes that are
 * not UTF-8 become U+FFFD. NULL only if the VM is out of memory. */
jstring mj_jstring(JNIEnv *env, const char *s);

/* A Java String[] borrowed as a C array of strings for one call. */
typedef struct mj_strs {
    jobjectArray  j;
    mj_str       *items;
    const char  **ptrs;
    size_t        len;
} mj_strs;

/* mj_strs_get returns MARS_OK, MARS_EINVAL (too long, a null entry or a NUL
 * in an entry) or MARS_ENOMEM (out of memory). A NULL array gives an
 * empty list. */
int  mj_strs_get(JNIEnv *env, jobjectArray j, mj_strs *out);
void mj_strs_release(JNIEnv *env, mj_strs *s);

/* mj_bytes makes a Java byte[] of n bytes (NULL on failure). */
jbyteArray mj_bytes(JNIEnv *env, const uint8_t *p, size_t n);

/* mj_ports_get copies ports (int[], each 0..65535, at most MJ_MAX_LIST) into a
 * malloc'd array the caller frees; NULL gives none. MARS_EINVAL or
 * MARS_EINTERNAL on failure. */
int mj_ports_get(JNIEnv *env, jintArray j, uint16_t **out, size_t *n);

/* mj_pins_get borrows pins (one byte[] of 32-byte hashes; another length is
 * MARS_EINVAL) for one call; *n counts hashes. Release with mj_pins_release. */
int  mj_pins_get(JNIEnv *env, jbyteArray pins, jbyte **out, size_t *n);
void mj_pins_release(JNIEnv *env, jbyteArray pins, jbyte *p);

/* mj_set_int stores v in arr[0] if arr is non-NULL and long enough. */
void mj_set_int(JNIEnv *env, jintArray arr, jint v);
void mj_set_long(JNIEnv *env, jlongArray arr, jlong v);

/* mj_clear_exception clears a pending Java exception; returns 1 if there
 * was one. Callbacks use it so that no exception crosses into C. */
int mj_clear_exception(JNIEnv *env);

/* Registration of each file's natives (called from JNI_OnLoad). Each
 * registers its static table on its class with MJ_REGISTER (0 or < 0). */
int mj_register_natives(JNIEnv *env, const char *class_name, const JNINativeMethod *methods, int n);
#define MJ_REGISTER(env, class_name, methods) \
    mj_register_natives(env, class_name, methods, (int)(sizeof methods / sizeof methods[0]))
int mj_register_core(JNIEnv *env);
int mj_register_stn(JNIEnv *env);
int mj_register_xlog(JNIEnv *env);
int mj_register_sdt(JNIEnv *env);
int mj_register_longlinks(JNIEnv *env);
int mj_init_stn_ids(JNIEnv *env);

/* mj_stn_fill_callbacks sets the C callbacks selected by mask (bits in the
 * order of Stn.CB_* constants) on cb. */
void mj_stn_fill_callbacks(mars_stn_callbacks *cb, int mask);

/* The per-engine context given to the library as user_data. */
typedef struct mj_stn_ctx {
    jobject dispatcher; /* global ref to the engine's com.marsgo.mars.stn.Dispatcher */
} mj_stn_ctx;

/* mj_current_ctx is the engine context whose callback runs on this thread
 * (NULL outside callbacks); destroy uses it to spot a call from inside. */
mj_stn_ctx *mj_current_ctx(void);

#endif /* MARSJNI_H */
