/* MarsCompat.h — the few macros that let one set of sources build both with
 * GCC + GNUstep (legacy runtime: no ARC, no nullability, no generics) and
 * with Apple clang under ARC, and give Swift a clean view on Apple.
 * Public because the other headers use the nullability and generic macros. */
#ifndef MARS_OBJC_COMPAT_H
#define MARS_OBJC_COMPAT_H

#import <Foundation/Foundation.h>

#ifndef __has_feature
#define __has_feature(x) 0
#endif
#ifndef __has_attribute
#define __has_attribute(x) 0
#endif

/* Nullability: real qualifiers where the compiler knows them (clang), empty
 * words under GCC. Headers use only `_Nullable` on types and `nullable` in
 * method return positions, which both vanish cleanly. */
#if !__has_feature(nullability)
#define _Nullable
#define _Nonnull
#define nullable
#define nonnull
#endif

/* Lightweight generics (NSArray<NSString *> *) exist only in clang. */
#if __has_feature(objc_generics)
#define MARS_ARRAY(T) NSArray<T>
#define MARS_DICT(K, V) NSDictionary<K, V>
#else
#define MARS_ARRAY(T) NSArray
#define MARS_DICT(K, V) NSDictionary
#endif

#ifndef NS_SWIFT_NAME
#if __has_attribute(swift_name)
#define NS_SWIFT_NAME(name) __attribute__((swift_name(#name)))
#else
#define NS_SWIFT_NAME(name)
#endif
#endif

/* Methods that return 0/nil/NO on failure and fill an NSError. */
#if __has_attribute(swift_error)
#define MARS_SWIFT_THROWS_ON_ZERO __attribute__((swift_error(zero_result)))
#else
#define MARS_SWIFT_THROWS_ON_ZERO
#endif

/* Manual reference counting where ARC is off; nothing where it is on. */
#if __has_feature(objc_arc)
#define MARS_RETAIN(x) (x)
#define MARS_RELEASE(x) ((void)(x))
#define MARS_AUTORELEASE(x) (x)
#define MARS_SUPER_DEALLOC() ((void)0)
#define MARS_BRIDGE __bridge
#define MARS_BRIDGE_RETAINED __bridge_retained
#define MARS_BRIDGE_TRANSFER __bridge_transfer
#define MARS_STRONG strong
#else
#define MARS_RETAIN(x) [(x) retain]
#define MARS_RELEASE(x) [(x) release]
#define MARS_AUTORELEASE(x) [(x) autorelease]
#define MARS_SUPER_DEALLOC() [super dealloc]
#define MARS_BRIDGE
#define MARS_BRIDGE_RETAINED
#define MARS_BRIDGE_TRANSFER
#define MARS_STRONG retain
#endif

/* An autorelease pool around a block of statements: @autoreleasepool where
 * the compiler has it (clang), NSAutoreleasePool under GCC, which rejects
 * @autoreleasepool. */
#if defined(__clang__)
#define MARS_POOL_BEGIN @autoreleasepool {
#define MARS_POOL_END }
#else
#define MARS_POOL_BEGIN { NSAutoreleasePool *mars_pool_ = [NSAutoreleasePool new];
#define MARS_POOL_END [mars_pool_ drain]; }
#endif

#endif /* MARS_OBJC_COMPAT_H */
