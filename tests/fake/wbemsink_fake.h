/*
 * wbemsink_fake.h - test support for code that uses WMI asynchronously.
 *
 * Link wbemsink_fake (CMake: wbemsink::wbemsink_fake; pkg-config:
 * wbemsink_fake) into your unit tests to run your own WMI code without
 * Windows' WMI:
 *
 *   fake_services.h  a scripted IWbemServices: every *Async method plays a
 *                    script (batches of objects, progress, requirements, a
 *                    final HRESULT with strParam and an error object,
 *                    delays, several producer threads, subscriptions that
 *                    run until CancelAsyncCall) against the sink you pass.
 *   fake_enum.h      an IEnumWbemClassObject (semisynchronous queries):
 *                    NextAsync in batches (an error mid-way, a slow
 *                    provider, hostile orders), Next with timeouts;
 *                    ExecQuery of the fake services returns one.
 *   fake_locator.h   a fake IWbemLocator registered in the process that
 *                    simulates hosts by name (latency to connect and to
 *                    answer, hangs, errors), each connection a fake
 *                    services; counts the hosts in flight.
 *   fake_object.h    a counting IWbemClassObject ("Name", "Index"
 *                    properties, and any others of any CIM type a test
 *                    puts) that detects leaks and double Releases.
 *
 * Both are documented function by function in their headers. Nothing here
 * depends on wbemsink: any IWbemObjectSink works.
 */
#ifndef WBEMSINK_FAKE_H
#define WBEMSINK_FAKE_H
#include "fake_object.h"
#include "fake_services.h"
#include "fake_enum.h"
#include "fake_locator.h"
#endif
