/*
 * DMTF datetime text (CIM_DATETIME) to numbers: wbemsink_parse_datetime and
 * wbemsink_parse_interval. Pure arithmetic (no Windows call), so the
 * getters, wbemq and users reading WQL text agree on one reading.
 *
 *   point in time  yyyymmddHHMMSS.mmmmmmsUUU  (s '+' or '-', UUU the
 *                  offset from UTC in minutes: local = UTC + offset; one
 *                  or two digits are taken too, as Wine writes some)
 *   interval       ddddddddHHMMSS.mmmmmm:000
 *
 * Wildcards ('*', which DMTF allows for unknown fields) have no single
 * value: they are refused like any other text that is not a whole value.
 */
#ifndef COBJMACROS
#define COBJMACROS
#endif
#include "wbemsink.h"

#include <wchar.h>

#define DMTF_LEN 25
#define TICKS_PER_SECOND 10000000ull
#define TICKS_PER_MINUTE (60ull * TICKS_PER_SECOND)
#define TICKS_PER_DAY (86400ull * TICKS_PER_SECOND)

/* The number of n digits at s, or -1 if one of them is not a digit. */
static long digits(const wchar_t *s, int n)
{
    long v = 0;
    int i;
    for (i = 0; i < n; i++) {
        if (s[i] < L'0' || s[i] > L'9')
            return -1;
        v = v * 10 + (s[i] - L'0');
    }
    return v;
}

static int is_leap(unsigned y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* Days from 1601-01-01 (FILETIME's epoch) to y-m-d, all valid, y >= 1601. */
static ULONGLONG days_since_1601(unsigned y, unsigned m, unsigned d)
{
    static const unsigned short before[12] = {0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334};
    unsigned years = y - 1601;   /* whole years elapsed; leap ones among them: */
    ULONGLONG days = 365ull * years + years / 4 - years / 100 + years / 400;
    return days + before[m - 1] + (m > 2 && is_leap(y)) + (d - 1);
}

/* The common part: "HHMMSS.mmmmmm" at s + 8 as ticks; -1 when malformed. */
static LONGLONG time_of_day(const wchar_t *s)
{
    long hh = digits(s + 8, 2), mm = digits(s + 10, 2), ss = digits(s + 12, 2);
    long us = digits(s + 15, 6);
    if (hh < 0 || mm < 0 || ss < 0 || us < 0 || s[14] != L'.' || hh > 23 || mm > 59 || ss > 59)
        return -1;
    return (LONGLONG)(((ULONGLONG)hh * 3600 + (ULONGLONG)mm * 60 + (ULONGLONG)ss) * TICKS_PER_SECOND +
                      (ULONGLONG)us * 10);
}

HRESULT wbemsink_parse_datetime(const wchar_t *dmtf, FILETIME *utc, LONG *offset_minutes)
{
    static const unsigned char month_days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    long y, mo, d, offset;
    size_t len;
    LONGLONG tod;
    ULONGLONG ticks, shift;

    if (utc) {
        utc->dwLowDateTime = 0;
        utc->dwHighDateTime = 0;
    }
    if (offset_minutes)
        *offset_minutes = 0;
    if (!dmtf || !utc)
        return E_POINTER;
    len = wcslen(dmtf);
    /* The offset has three digits; Wine 8 writes LocalDateTime with fewer
       ("...+00"), which says the same and is read alike. */
    if (len < DMTF_LEN - 2 || len > DMTF_LEN || (dmtf[21] != L'+' && dmtf[21] != L'-'))
        return WBEM_E_TYPE_MISMATCH;   /* not one, an interval (':'), or wildcards */
    y = digits(dmtf, 4);
    mo = digits(dmtf + 4, 2);
    d = digits(dmtf + 6, 2);
    offset = digits(dmtf + 22, (int)(len - 22));
    tod = time_of_day(dmtf);
    if (y < 1601 || mo < 1 || mo > 12 || d < 1 || offset < 0 || tod < 0)
        return WBEM_E_TYPE_MISMATCH;   /* FILETIME starts in 1601 */
    if (d > month_days[mo - 1] + (mo == 2 && is_leap((unsigned)y)))
        return WBEM_E_TYPE_MISMATCH;
    if (dmtf[21] == L'-')
        offset = -offset;

    ticks = days_since_1601((unsigned)y, (unsigned)mo, (unsigned)d) * TICKS_PER_DAY + (ULONGLONG)tod;
    /* UTC = local - offset; a point before 1601 in UTC has no FILETIME. */
    shift = (ULONGLONG)(offset < 0 ? -offset : offset) * TICKS_PER_MINUTE;
    if (offset > 0) {
        if (ticks < shift)
            return WBEM_E_TYPE_MISMATCH;
        ticks -= shift;
    } else {
        ticks += shift;
    }
    utc->dwLowDateTime = (DWORD)(ticks & 0xFFFFFFFFu);
    utc->dwHighDateTime = (DWORD)(ticks >> 32);
    if (offset_minutes)
        *offset_minutes = (LONG)offset;
    return S_OK;
}

HRESULT wbemsink_parse_interval(const wchar_t *dmtf, ULONGLONG *hundred_ns)
{
    long days;
    LONGLONG tod;
    if (hundred_ns)
        *hundred_ns = 0;
    if (!dmtf || !hundred_ns)
        return E_POINTER;
    if (wcslen(dmtf) != DMTF_LEN || wcscmp(dmtf + 21, L":000") != 0)
        return WBEM_E_TYPE_MISMATCH;
    days = digits(dmtf, 8);
    tod = time_of_day(dmtf);
    if (days < 0 || tod < 0)
        return WBEM_E_TYPE_MISMATCH;
    /* 99999999 days do not fit 64 bits of 100 ns (about 21 million do). */
    if ((ULONGLONG)days > (~0ull - (ULONGLONG)tod) / TICKS_PER_DAY)
        return WBEM_E_TYPE_MISMATCH;
    *hundred_ns = (ULONGLONG)days * TICKS_PER_DAY + (ULONGLONG)tod;
    return S_OK;
}
