/*
 * Numbers to DMTF datetime text: wbemsink_format_datetime and
 * wbemsink_format_interval, the reverse of wbemsink_parse_datetime and
 * wbemsink_parse_interval (what these write, those read back to the
 * microsecond). Pure arithmetic, no Windows call.
 *
 *   point in time  yyyymmddHHMMSS.mmmmmmsUUU  local time, s the offset's sign
 *   interval       ddddddddHHMMSS.mmmmmm:000
 */
#include "setters.h"

#define DMTF_LEN 25
#define TICKS_PER_MICROSECOND 10ull
#define TICKS_PER_SECOND 10000000ull
#define TICKS_PER_MINUTE (60ull * TICKS_PER_SECOND)
#define TICKS_PER_DAY (86400ull * TICKS_PER_SECOND)
/* 1601-01-01 to 10000-01-01: 8399 years, 2036 of them leap. */
#define DAYS_TO_10000 3067671ull
#define MAX_OFFSET 999

/* Writes x as n digits at s (x < 10^n). */
static void put_digits(wchar_t *s, int n, ULONGLONG x)
{
    while (n-- > 0) {
        s[n] = (wchar_t)(L'0' + x % 10);
        x /= 10;
    }
}

/* "HHMMSS.mmmmmm" at s + 8 for the ticks into a day (the 100 ns digit
   dropped). */
static void put_time_of_day(wchar_t *s, ULONGLONG ticks)
{
    ULONGLONG seconds = ticks / TICKS_PER_SECOND;
    put_digits(s + 8, 2, seconds / 3600);
    put_digits(s + 10, 2, seconds / 60 % 60);
    put_digits(s + 12, 2, seconds % 60);
    s[14] = L'.';
    put_digits(s + 15, 6, ticks % TICKS_PER_SECOND / TICKS_PER_MICROSECOND);
}

static int is_leap(ULONGLONG y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* Days since 1601-01-01 as a date: 1601 starts a 400-year cycle of the
   Gregorian calendar (146097 days), whose centuries have 36524 days (the
   last one a day more) and whose four-year runs 1461 (the last year of a
   run a day more). */
static void civil_from_days(ULONGLONG days, ULONGLONG *y, unsigned *m, unsigned *d)
{
    static const unsigned char month_days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    ULONGLONG n400 = days / 146097, n100, n4, n1;
    unsigned month = 0;
    days %= 146097;
    n100 = days / 36524;
    if (n100 == 4)   /* the cycle's last day, 31 December of its leap year */
        n100 = 3;
    days -= n100 * 36524;
    n4 = days / 1461;
    days %= 1461;
    n1 = days / 365;
    if (n1 == 4)
        n1 = 3;
    days -= n1 * 365;
    *y = 1601 + 400 * n400 + 100 * n100 + 4 * n4 + n1;
    for (;;) {
        unsigned len = month_days[month] + (month == 1 && is_leap(*y));
        if (days < len)
            break;
        days -= len;
        month++;
    }
    *m = month + 1;
    *d = (unsigned)days + 1;
}

/* Checks the buffer, then blanks it for the failures after. */
static HRESULT check_buffer(wchar_t *buf, size_t size)
{
    if (!buf)
        return E_POINTER;
    if (size > 0)
        buf[0] = L'\0';
    return size < WBEMSINK_DMTF_SIZE ? WBEM_E_BUFFER_TOO_SMALL : S_OK;
}

HRESULT wbemsink_format_datetime(const FILETIME *utc, LONG offset_minutes, wchar_t *buf, size_t size)
{
    ULONGLONG ticks, shift, year, limit = DAYS_TO_10000 * TICKS_PER_DAY;
    unsigned month, day;
    HRESULT hr = check_buffer(buf, size);
    if (!utc)
        return E_POINTER;
    if (FAILED(hr))
        return hr;
    if (offset_minutes < -MAX_OFFSET || offset_minutes > MAX_OFFSET)
        return WBEM_E_VALUE_OUT_OF_RANGE;
    ticks = ((ULONGLONG)utc->dwHighDateTime << 32) | utc->dwLowDateTime;
    /* local = UTC + offset, within 1601-01-01 .. 9999-12-31 (what the
       parser reads back). */
    shift = (ULONGLONG)(offset_minutes < 0 ? -offset_minutes : offset_minutes) * TICKS_PER_MINUTE;
    if (offset_minutes < 0) {
        if (ticks < shift)
            return WBEM_E_VALUE_OUT_OF_RANGE;
        ticks -= shift;
    } else {
        if (ticks >= limit || limit - ticks <= shift)
            return WBEM_E_VALUE_OUT_OF_RANGE;
        ticks += shift;
    }
    if (ticks >= limit)
        return WBEM_E_VALUE_OUT_OF_RANGE;
    civil_from_days(ticks / TICKS_PER_DAY, &year, &month, &day);
    put_digits(buf, 4, year);
    put_digits(buf + 4, 2, month);
    put_digits(buf + 6, 2, day);
    put_time_of_day(buf, ticks % TICKS_PER_DAY);
    buf[21] = offset_minutes < 0 ? L'-' : L'+';
    put_digits(buf + 22, 3, (ULONGLONG)(offset_minutes < 0 ? -offset_minutes : offset_minutes));
    buf[DMTF_LEN] = L'\0';
    return S_OK;
}

HRESULT wbemsink_format_interval(ULONGLONG hundred_ns, wchar_t *buf, size_t size)
{
    HRESULT hr = check_buffer(buf, size);
    if (FAILED(hr))
        return hr;
    /* 2^64 - 1 ticks are 21350398 days: eight digits always do. */
    put_digits(buf, 8, hundred_ns / TICKS_PER_DAY);
    put_time_of_day(buf, hundred_ns % TICKS_PER_DAY);
    buf[21] = L':';
    buf[22] = buf[23] = buf[24] = L'0';
    buf[DMTF_LEN] = L'\0';
    return S_OK;
}
